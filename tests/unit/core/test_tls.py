"""Certificate authorities and leaf certificates (annex_core.tls)."""

from __future__ import annotations

import datetime
import ipaddress

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from annex_core import tls


@pytest.fixture(scope="module")
def ca() -> tls.KeyPair:
    return tls.make_ca("test-ca")


@pytest.fixture(scope="module")
def other_ca() -> tls.KeyPair:
    return tls.make_ca("other-ca")


def _ca_key(ca: tls.KeyPair) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(ca.key_pem, password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


def _cn(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _custom_leaf(
    ca: tls.KeyPair,
    subject: x509.Name,
    *,
    eku: list[x509.ObjectIdentifier] | None = None,
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
) -> x509.Certificate:
    """A leaf signed by `ca` with whatever the tls module would not make."""
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.certificate.subject)
        .public_key(ec.generate_private_key(ec.SECP256R1()).public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - datetime.timedelta(minutes=1))
        .not_valid_after(not_after or now + datetime.timedelta(days=1))
    )
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    return builder.sign(_ca_key(ca), hashes.SHA256())


# -- CA ---------------------------------------------------------------------------------------


def test_ca_is_self_signed_and_may_sign_leaves_only(ca: tls.KeyPair) -> None:
    cert = ca.certificate
    assert cert.subject == cert.issuer
    assert tls.common_name(cert) == "test-ca"
    cert.verify_directly_issued_by(cert)
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical
    assert constraints.value.ca
    assert constraints.value.path_length == 0
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign
    assert usage.crl_sign
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert isinstance(cert.signature_hash_algorithm, hashes.SHA256)


def test_ca_validity(ca: tls.KeyPair) -> None:
    now = datetime.datetime.now(datetime.UTC)
    cert = ca.certificate
    assert cert.not_valid_before_utc <= now
    expected = now + datetime.timedelta(days=tls.DEFAULT_CA_DAYS)
    assert abs(ca.not_after() - expected) < datetime.timedelta(minutes=1)

    short = tls.make_ca("short", days=2)
    assert abs(short.not_after() - (now + datetime.timedelta(days=2))) < datetime.timedelta(
        minutes=1
    )


def test_key_pem_is_an_unencrypted_pkcs8_ec_key(ca: tls.KeyPair) -> None:
    assert ca.key_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    key = _ca_key(ca)
    assert key.public_key() == ca.certificate.public_key()


# -- leaves -----------------------------------------------------------------------------------


def test_serving_certificate_sans_and_usage(ca: tls.KeyPair) -> None:
    pair = tls.make_cert(
        ca,
        "gateway",
        hosts=["gateway.annex.svc", "gateway.annex.svc.cluster.local", "127.0.0.1", "::1"],
        server=True,
    )
    cert = pair.certificate

    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == [
        "gateway.annex.svc",
        "gateway.annex.svc.cluster.local",
    ]
    assert san.get_values_for_type(x509.IPAddress) == [
        ipaddress.ip_address("127.0.0.1"),
        ipaddress.ip_address("::1"),
    ]
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH]
    assert not tls.has_client_auth_usage(cert)
    assert tls.common_name(cert) == "gateway"
    assert cert.issuer == ca.certificate.subject
    assert tls.is_issued_by(cert, [ca.certificate])


def test_leaf_is_not_a_ca_and_names_its_issuer_key(ca: tls.KeyPair) -> None:
    cert = tls.make_cert(ca, "leaf", client=True).certificate
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert not constraints.ca
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert not usage.key_cert_sign
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ski = ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ski.digest


def test_no_hosts_means_no_san_extension(ca: tls.KeyPair) -> None:
    cert = tls.make_cert(ca, "front-proxy-client", client=True).certificate
    with pytest.raises(x509.ExtensionNotFound):
        cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)


def test_client_certificate_with_organizations(ca: tls.KeyPair) -> None:
    cert = tls.make_cert(
        ca, "alice", organizations=["system:masters", "devs"], client=True
    ).certificate

    orgs = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    assert orgs == ["system:masters", "devs"]
    assert tls.common_name(cert) == "alice"
    assert tls.has_client_auth_usage(cert)
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.CLIENT_AUTH]


def test_server_and_client_usage(ca: tls.KeyPair) -> None:
    cert = tls.make_cert(ca, "both", server=True, client=True).certificate
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    assert tls.has_client_auth_usage(cert)


def test_a_certificate_needs_a_usage(ca: tls.KeyPair) -> None:
    with pytest.raises(ValueError, match="server or client"):
        tls.make_cert(ca, "nothing")


def test_only_ecdsa_cas_can_sign(ca: tls.KeyPair) -> None:
    rsa_key_pem, _ = tls.make_rsa_signing_key()
    rsa_ca = tls.KeyPair(ca.cert_pem, rsa_key_pem)
    with pytest.raises(TypeError, match="ECDSA"):
        tls.make_cert(rsa_ca, "leaf", client=True)


def test_leaf_validity_is_capped_by_the_ca() -> None:
    short_ca = tls.make_ca("short-ca", days=10)
    leaf = tls.make_cert(short_ca, "leaf", server=True, days=365)
    assert leaf.not_after() == short_ca.not_after()

    shorter = tls.make_cert(short_ca, "leaf", server=True, days=3)
    assert shorter.not_after() < short_ca.not_after()
    now = datetime.datetime.now(datetime.UTC)
    assert abs(shorter.not_after() - (now + datetime.timedelta(days=3))) < datetime.timedelta(
        minutes=1
    )


def test_keys_differ_per_certificate(ca: tls.KeyPair) -> None:
    a = tls.make_cert(ca, "a", client=True)
    b = tls.make_cert(ca, "a", client=True)
    assert a.key_pem != b.key_pem
    assert a.certificate.serial_number != b.certificate.serial_number


# -- is_issued_by -----------------------------------------------------------------------------


def test_issued_by_one_of_several_cas(ca: tls.KeyPair, other_ca: tls.KeyPair) -> None:
    cert = tls.make_cert(ca, "leaf", client=True).certificate
    assert tls.is_issued_by(cert, [other_ca.certificate, ca.certificate])
    assert tls.is_issued_by(cert, tls.load_certificates(other_ca.cert_pem + ca.cert_pem))


def test_another_ca_does_not_verify(ca: tls.KeyPair, other_ca: tls.KeyPair) -> None:
    cert = tls.make_cert(ca, "leaf", client=True).certificate
    assert not tls.is_issued_by(cert, [other_ca.certificate])
    assert not tls.is_issued_by(cert, [])


def test_another_ca_with_the_same_name_does_not_verify(ca: tls.KeyPair) -> None:
    """Same subject, different key: the signature decides, not the issuer name."""
    impostor = tls.make_ca("test-ca")
    cert = tls.make_cert(impostor, "leaf", client=True).certificate
    assert cert.issuer == ca.certificate.subject
    assert not tls.is_issued_by(cert, [ca.certificate])
    assert tls.is_issued_by(cert, [impostor.certificate])


def test_only_the_direct_issuer_counts(ca: tls.KeyPair) -> None:
    """A certificate issued by a leaf of the CA does not count as issued by the CA."""
    intermediate = tls.make_cert(ca, "intermediate", client=True)
    cert = _custom_leaf(intermediate, _cn("grandchild"), eku=[ExtendedKeyUsageOID.CLIENT_AUTH])
    assert tls.is_issued_by(cert, [intermediate.certificate])
    assert not tls.is_issued_by(cert, [ca.certificate])


def test_a_self_signed_leaf_is_issued_by_nobody_else(ca: tls.KeyPair) -> None:
    assert not tls.is_issued_by(tls.make_ca("self").certificate, [ca.certificate])


def test_an_expired_certificate_fails(ca: tls.KeyPair) -> None:
    now = datetime.datetime.now(datetime.UTC)
    expired = _custom_leaf(
        ca,
        _cn("old"),
        not_before=now - datetime.timedelta(days=2),
        not_after=now - datetime.timedelta(days=1),
    )
    assert not tls.is_issued_by(expired, [ca.certificate])


def test_a_certificate_not_yet_valid_fails(ca: tls.KeyPair) -> None:
    now = datetime.datetime.now(datetime.UTC)
    future = _custom_leaf(
        ca,
        _cn("future"),
        not_before=now + datetime.timedelta(days=1),
        not_after=now + datetime.timedelta(days=2),
    )
    assert not tls.is_issued_by(future, [ca.certificate])


def test_a_leaf_fails_once_its_validity_has_passed(
    ca: tls.KeyPair, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert = tls.make_cert(ca, "leaf", client=True, days=30).certificate
    assert tls.is_issued_by(cert, [ca.certificate])
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=31)
    monkeypatch.setattr(tls, "_now", lambda: later)
    assert not tls.is_issued_by(cert, [ca.certificate])


def test_an_rsa_certificate_is_not_issued_by_an_ec_ca(ca: tls.KeyPair) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.UTC)
    name = _cn("rsa-self")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(ca.certificate.subject)  # claims the CA as issuer, signed by itself
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    assert not tls.is_issued_by(cert, [ca.certificate])


# -- names and usages -------------------------------------------------------------------------


def test_common_name_absent(ca: tls.KeyPair) -> None:
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "only-org")])
    assert tls.common_name(_custom_leaf(ca, subject)) == ""


def test_a_certificate_without_eku_is_good_for_client_auth(ca: tls.KeyPair) -> None:
    """As in Go: no ExtendedKeyUsage extension means any usage."""
    assert tls.has_client_auth_usage(_custom_leaf(ca, _cn("any"), eku=None))


def test_an_eku_without_client_auth_is_not(ca: tls.KeyPair) -> None:
    cert = _custom_leaf(ca, _cn("code"), eku=[ExtendedKeyUsageOID.CODE_SIGNING])
    assert not tls.has_client_auth_usage(cert)


# -- bundles and keys -------------------------------------------------------------------------


def test_load_certificates(ca: tls.KeyPair, other_ca: tls.KeyPair) -> None:
    assert tls.load_certificates(b"") == []
    assert tls.load_certificates(b"  \n") == []
    assert tls.load_certificates(ca.cert_pem) == [ca.certificate]
    bundle = ca.cert_pem + b"\n" + other_ca.cert_pem
    assert tls.load_certificates(bundle) == [ca.certificate, other_ca.certificate]


def test_rsa_signing_key() -> None:
    private_pem, public_pem = tls.make_rsa_signing_key()
    assert private_pem.startswith(b"-----BEGIN RSA PRIVATE KEY-----")
    private = serialization.load_pem_private_key(private_pem, password=None)
    public = serialization.load_pem_public_key(public_pem)
    assert isinstance(private, rsa.RSAPrivateKey)
    assert isinstance(public, rsa.RSAPublicKey)
    assert private.key_size == 2048
    assert public.public_numbers() == private.public_key().public_numbers()


def test_an_expired_ca_fails(ca: tls.KeyPair) -> None:
    """The same CA key and name, but a CA certificate past its validity: Go refuses the chain."""
    leaf = tls.make_cert(ca, "front-proxy-client", client=True).certificate
    key = _ca_key(ca)
    now = datetime.datetime.now(datetime.UTC)
    expired_ca = (
        x509.CertificateBuilder()
        .subject_name(ca.certificate.subject)
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=2))
        .not_valid_after(now - datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    assert tls.is_issued_by(leaf, [ca.certificate])
    assert not tls.is_issued_by(leaf, [expired_ca])
