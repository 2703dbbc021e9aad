from __future__ import annotations

import base64
import datetime

import pytest
from cryptography import x509

from annex_core.tls import make_ca, make_cert
from annex_operator import certificates as certs
from annex_operator.settings import OperatorSettings

HOSTS = certs.serving_hosts(OperatorSettings())
NOW = datetime.datetime.now(datetime.UTC)


def _data(plan: certs.CertificatePlan) -> dict[str, bytes]:
    return certs.decode_secret_data(plan.secret_data())


def test_serving_hosts() -> None:
    assert HOSTS == (
        "annex-gateway.annex-system.svc",
        "annex-gateway.annex-system.svc.cluster.local",
        "annex-gateway.annex-system",
        "annex-gateway",
        "localhost",
        "127.0.0.1",
    )


def test_empty_secret_gets_ca_and_serving_certificate() -> None:
    plan = certs.plan_certificates({}, HOSTS, NOW)
    assert plan.ca_changed
    assert plan.serving_changed
    cert = plan.serving.certificate
    cert.verify_directly_issued_by(plan.ca.certificate)
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "annex-gateway.annex-system.svc" in san.get_values_for_type(x509.DNSName)
    assert set(plan.secret_data()) == {"ca.crt", "ca.key", "tls.crt", "tls.key"}


def test_valid_secret_is_kept() -> None:
    first = certs.plan_certificates({}, HOSTS, NOW)
    again = certs.plan_certificates(_data(first), HOSTS, NOW)
    assert not again.changed
    assert again.ca == first.ca
    assert again.serving == first.serving


def test_serving_certificate_renewed_within_30_days_ca_kept() -> None:
    first = certs.plan_certificates({}, HOSTS, NOW)
    expiry = first.serving.not_after()
    late = expiry - datetime.timedelta(days=29)
    plan = certs.plan_certificates(_data(first), HOSTS, late)
    assert not plan.ca_changed
    assert plan.serving_changed
    assert plan.ca == first.ca
    early = expiry - datetime.timedelta(days=31)
    assert not certs.plan_certificates(_data(first), HOSTS, early).changed


def test_new_hosts_need_a_new_serving_certificate() -> None:
    first = certs.plan_certificates({}, HOSTS, NOW)
    plan = certs.plan_certificates(_data(first), (*HOSTS, "extra.example.com"), NOW)
    assert plan.serving_changed
    assert not plan.ca_changed


def test_serving_certificate_from_another_ca_is_replaced() -> None:
    first = certs.plan_certificates({}, HOSTS, NOW)
    stranger = make_cert(make_ca("other"), HOSTS[0], hosts=HOSTS, server=True)
    data = {**_data(first), "tls.crt": stranger.cert_pem, "tls.key": stranger.key_pem}
    plan = certs.plan_certificates(data, HOSTS, NOW)
    assert plan.serving_changed
    assert not plan.ca_changed


def test_mismatched_key_is_replaced() -> None:
    first = certs.plan_certificates({}, HOSTS, NOW)
    other = make_cert(first.ca, HOSTS[0], hosts=HOSTS, server=True)
    data = {**_data(first), "tls.key": other.key_pem}
    assert certs.plan_certificates(data, HOSTS, NOW).serving_changed


@pytest.mark.parametrize(
    "damage",
    [
        {"ca.key": b"garbage"},
        {"ca.crt": b"-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n"},
    ],
)
def test_broken_ca_is_replaced_with_a_new_serving_certificate(damage: dict[str, bytes]) -> None:
    first = certs.plan_certificates({}, HOSTS, NOW)
    plan = certs.plan_certificates({**_data(first), **damage}, HOSTS, NOW)
    assert plan.ca_changed
    assert plan.serving_changed
    plan.serving.certificate.verify_directly_issued_by(plan.ca.certificate)


def test_expired_ca_is_replaced() -> None:
    first = certs.plan_certificates({}, HOSTS, NOW)
    later = first.ca.not_after() + datetime.timedelta(days=1)
    assert certs.plan_certificates(_data(first), HOSTS, later).ca_changed


def test_a_leaf_is_not_a_ca() -> None:
    first = certs.plan_certificates({}, HOSTS, NOW)
    assert not certs.ca_is_usable(first.serving, NOW)
    assert certs.ca_is_usable(first.ca, NOW)


def test_undecodable_secret_values_are_dropped() -> None:
    good = base64.b64encode(b"x").decode()
    assert certs.decode_secret_data({"a": good, "b": "%%%"}) == {"a": b"x"}
    assert certs.decode_secret_data(None) == {}
