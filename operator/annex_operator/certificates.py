"""The gateway's CA and serving certificate: when to keep them, when to issue new ones.

Pure functions over the TLS Secret's data; the writer (`writers.CertificateKeeper.ensure`)
stores the result. The CA lives in the same Secret (`ca.key`) so that it survives operator
restarts: a new CA would change every APIService's caBundle at once.
"""

from __future__ import annotations

import base64
import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

from annex_core.tls import KeyPair, make_ca, make_cert
from annex_operator.settings import OperatorSettings

CA_CERT_KEY = "ca.crt"
CA_KEY_KEY = "ca.key"
TLS_CERT_KEY = "tls.crt"
TLS_KEY_KEY = "tls.key"

RENEW_BEFORE = datetime.timedelta(days=30)
CA_COMMON_NAME = "kube-annex-ca"


def serving_hosts(settings: OperatorSettings) -> tuple[str, ...]:
    """The SANs of the serving certificate; kube-apiserver verifies `<svc>.<ns>.svc`."""
    svc, ns = settings.service_name, settings.namespace
    return (
        f"{svc}.{ns}.svc",
        f"{svc}.{ns}.svc.cluster.local",
        f"{svc}.{ns}",
        svc,
        "localhost",
        "127.0.0.1",
    )


@dataclass(frozen=True)
class CertificatePlan:
    """The key pairs the Secret must hold, and whether they differ from what it holds now."""

    ca: KeyPair
    serving: KeyPair
    ca_changed: bool
    serving_changed: bool

    @property
    def changed(self) -> bool:
        return self.ca_changed or self.serving_changed

    def secret_data(self) -> dict[str, str]:
        """The Secret's `data`, base64-encoded PEM."""
        raw = {
            CA_CERT_KEY: self.ca.cert_pem,
            CA_KEY_KEY: self.ca.key_pem,
            TLS_CERT_KEY: self.serving.cert_pem,
            TLS_KEY_KEY: self.serving.key_pem,
        }
        return {k: base64.b64encode(v).decode("ascii") for k, v in raw.items()}


def decode_secret_data(data: Mapping[str, str] | None) -> dict[str, bytes]:
    """A Secret's `data` decoded; undecodable entries are dropped (and so get replaced)."""
    decoded: dict[str, bytes] = {}
    for key, value in (data or {}).items():
        try:
            decoded[key] = base64.b64decode(value, validate=True)
        except (ValueError, TypeError):
            continue
    return decoded


def _load_pair(data: Mapping[str, bytes], cert_key: str, key_key: str) -> KeyPair | None:
    """The key pair stored under the two keys, if both parse and the key matches the cert."""
    cert_pem, key_pem = data.get(cert_key), data.get(key_key)
    if not cert_pem or not key_pem:
        return None
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError):
        return None
    if cert.public_key() != key.public_key():
        return None
    return KeyPair(cert_pem, key_pem)


def _remaining(cert: x509.Certificate, now: datetime.datetime) -> datetime.timedelta:
    if now < cert.not_valid_before_utc:
        return datetime.timedelta(0)
    return cert.not_valid_after_utc - now


def ca_is_usable(ca: KeyPair, now: datetime.datetime) -> bool:
    """A CA is kept unless it cannot sign (not a CA) or is (about to be) expired.

    A CA inside the renewal window could only issue leaves that expire with it, which would
    be renewed on every reconcile; such a CA is as good as expired.
    """
    cert = ca.certificate
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    return constraints.ca and _remaining(cert, now) > RENEW_BEFORE


def _sans(cert: x509.Certificate) -> set[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set()
    names = {str(n) for n in san.get_values_for_type(x509.DNSName)}
    names |= {str(ip) for ip in san.get_values_for_type(x509.IPAddress)}
    return names


def serving_is_usable(
    serving: KeyPair, ca: KeyPair, hosts: tuple[str, ...], now: datetime.datetime
) -> bool:
    """Keep the serving certificate if the CA signed it, it covers `hosts` and >30 days remain."""
    cert = serving.certificate
    try:
        cert.verify_directly_issued_by(ca.certificate)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return _remaining(cert, now) > RENEW_BEFORE and set(hosts) <= _sans(cert)


def plan_certificates(
    data: Mapping[str, bytes], hosts: tuple[str, ...], now: datetime.datetime
) -> CertificatePlan:
    """Keep what is still good in the Secret's (decoded) data; issue what is missing or due.

    New certificates are minted at `now` too: one clock for the whole decision, so a plan made
    for any instant is consistent with itself."""
    ca = _load_pair(data, CA_CERT_KEY, CA_KEY_KEY)
    ca_changed = ca is None or not ca_is_usable(ca, now)
    if ca is None or ca_changed:
        ca = make_ca(CA_COMMON_NAME, now=now)
    serving = None if ca_changed else _load_pair(data, TLS_CERT_KEY, TLS_KEY_KEY)
    serving_changed = serving is None or not serving_is_usable(serving, ca, hosts, now)
    if serving is None or serving_changed:
        serving = make_cert(ca, hosts[0], hosts=hosts, server=True, now=now)
    return CertificatePlan(ca, serving, ca_changed, serving_changed)
