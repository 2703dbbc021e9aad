from __future__ import annotations

import base64
import datetime

import pytest
from cryptography import x509

from annex_core.tls import make_ca, make_cert
from annex_operator import certificates as certs
from annex_operator.settings import OperatorSettings

HOSTS = certs.serving_hosts(OperatorSettings())


@pytest.fixture
def now() -> datetime.datetime:
    """The clock, read when the test runs: never at import (collection may be minutes earlier)."""
    return datetime.datetime.now(datetime.UTC)


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


def test_empty_secret_gets_ca_and_serving_certificate(now: datetime.datetime) -> None:
    plan = certs.plan_certificates({}, HOSTS, now)
    assert plan.ca_changed
    assert plan.serving_changed
    cert = plan.serving.certificate
    cert.verify_directly_issued_by(plan.ca.certificate)
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "annex-gateway.annex-system.svc" in san.get_values_for_type(x509.DNSName)
    assert set(plan.secret_data()) == {"ca.crt", "ca.key", "tls.crt", "tls.key"}


def test_valid_secret_is_kept(now: datetime.datetime) -> None:
    first = certs.plan_certificates({}, HOSTS, now)
    again = certs.plan_certificates(_data(first), HOSTS, now)
    assert not again.changed
    assert again.ca == first.ca
    assert again.serving == first.serving


def test_serving_certificate_renewed_within_30_days_ca_kept(now: datetime.datetime) -> None:
    first = certs.plan_certificates({}, HOSTS, now)
    expiry = first.serving.not_after()
    late = expiry - datetime.timedelta(days=29)
    plan = certs.plan_certificates(_data(first), HOSTS, late)
    assert not plan.ca_changed
    assert plan.serving_changed
    assert plan.ca == first.ca
    early = expiry - datetime.timedelta(days=31)
    assert not certs.plan_certificates(_data(first), HOSTS, early).changed


def test_new_hosts_need_a_new_serving_certificate(now: datetime.datetime) -> None:
    first = certs.plan_certificates({}, HOSTS, now)
    plan = certs.plan_certificates(_data(first), (*HOSTS, "extra.example.com"), now)
    assert plan.serving_changed
    assert not plan.ca_changed


def test_serving_certificate_from_another_ca_is_replaced(now: datetime.datetime) -> None:
    first = certs.plan_certificates({}, HOSTS, now)
    stranger = make_cert(make_ca("other"), HOSTS[0], hosts=HOSTS, server=True)
    data = {**_data(first), "tls.crt": stranger.cert_pem, "tls.key": stranger.key_pem}
    plan = certs.plan_certificates(data, HOSTS, now)
    assert plan.serving_changed
    assert not plan.ca_changed


def test_mismatched_key_is_replaced(now: datetime.datetime) -> None:
    first = certs.plan_certificates({}, HOSTS, now)
    other = make_cert(first.ca, HOSTS[0], hosts=HOSTS, server=True)
    data = {**_data(first), "tls.key": other.key_pem}
    assert certs.plan_certificates(data, HOSTS, now).serving_changed


@pytest.mark.parametrize(
    "damage",
    [
        {"ca.key": b"garbage"},
        {"ca.crt": b"-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n"},
    ],
)
def test_broken_ca_is_replaced_with_a_new_serving_certificate(
    damage: dict[str, bytes], now: datetime.datetime
) -> None:
    first = certs.plan_certificates({}, HOSTS, now)
    plan = certs.plan_certificates({**_data(first), **damage}, HOSTS, now)
    assert plan.ca_changed
    assert plan.serving_changed
    plan.serving.certificate.verify_directly_issued_by(plan.ca.certificate)


def test_expired_ca_is_replaced(now: datetime.datetime) -> None:
    first = certs.plan_certificates({}, HOSTS, now)
    later = first.ca.not_after() + datetime.timedelta(days=1)
    assert certs.plan_certificates(_data(first), HOSTS, later).ca_changed


def test_a_leaf_is_not_a_ca(now: datetime.datetime) -> None:
    first = certs.plan_certificates({}, HOSTS, now)
    assert not certs.ca_is_usable(first.serving, now)
    assert certs.ca_is_usable(first.ca, now)


def test_undecodable_secret_values_are_dropped() -> None:
    good = base64.b64encode(b"x").decode()
    assert certs.decode_secret_data({"a": good, "b": "%%%"}) == {"a": b"x"}
    assert certs.decode_secret_data(None) == {}


def test_a_plan_mints_certificates_valid_at_its_own_instant(now: datetime.datetime) -> None:
    """Certificates are minted at the plan's `now`, not at the real clock: a plan made for an
    instant hours away (a test collected long before it runs, a clock that moved) holds."""
    later = now + datetime.timedelta(hours=3)
    plan = certs.plan_certificates({}, HOSTS, later)
    assert certs.ca_is_usable(plan.ca, later)
    assert certs.serving_is_usable(plan.serving, plan.ca, HOSTS, later)
    assert not certs.plan_certificates(_data(plan), HOSTS, later).changed
