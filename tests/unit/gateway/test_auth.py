"""Front-proxy and x509 authentication with real certificates (contract sections 2.2, 2.3)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from multidict import CIMultiDict, CIMultiDictProxy

from annex_core import tls
from annex_gateway.filters import authentication as auth
from annex_gateway.filters.authentication import Authenticator, RequestHeaderConfig, Trust
from annex_gateway.filters.context import UserInfo

FRONT_PROXY = "front-proxy-client"


def headers(*pairs: tuple[str, str]) -> CIMultiDictProxy[str]:
    return CIMultiDictProxy(CIMultiDict(pairs))


def der(pair: tls.KeyPair) -> bytes:
    return pair.certificate.public_bytes(serialization.Encoding.DER)


@pytest.fixture(scope="module")
def front_proxy_ca() -> tls.KeyPair:
    return tls.make_ca("front-proxy-ca")


@pytest.fixture(scope="module")
def client_ca() -> tls.KeyPair:
    return tls.make_ca("kubernetes-ca")


@pytest.fixture(scope="module")
def front_proxy_cert(front_proxy_ca: tls.KeyPair) -> bytes:
    return der(tls.make_cert(front_proxy_ca, FRONT_PROXY, client=True))


@pytest.fixture(scope="module")
def configmap(front_proxy_ca: tls.KeyPair, client_ca: tls.KeyPair) -> dict[str, str]:
    """`kube-system/extension-apiserver-authentication` as kube-apiserver writes it."""
    return {
        "client-ca-file": client_ca.cert_pem.decode(),
        "requestheader-client-ca-file": front_proxy_ca.cert_pem.decode(),
        "requestheader-allowed-names": json.dumps([FRONT_PROXY]),
        "requestheader-username-headers": json.dumps(["X-Remote-User"]),
        "requestheader-uid-headers": json.dumps([]),
        "requestheader-group-headers": json.dumps(["X-Remote-Group"]),
        "requestheader-extra-headers-prefix": json.dumps(["X-Remote-Extra-"]),
    }


@pytest.fixture(scope="module")
def authenticator(configmap: dict[str, str]) -> Authenticator:
    return Authenticator(auth.trust_from_configmap(configmap))


# -- the ConfigMap ----------------------------------------------------------------------------


def test_trust_from_configmap(
    configmap: dict[str, str], front_proxy_ca: tls.KeyPair, client_ca: tls.KeyPair
) -> None:
    trust = auth.trust_from_configmap(
        {
            **configmap,
            "requestheader-allowed-names": '["front-proxy-client", "aggregator"]',
            "requestheader-uid-headers": '["X-Remote-Uid"]',
            "requestheader-group-headers": '["X-Remote-Group", "X-Other-Group"]',
        }
    )

    rh = trust.request_header
    assert rh is not None
    assert rh.ca_pem == front_proxy_ca.cert_pem
    assert rh.cas == [front_proxy_ca.certificate]
    assert rh.allowed_names == frozenset({"front-proxy-client", "aggregator"})
    assert rh.username_headers == ("X-Remote-User",)
    assert rh.uid_headers == ("X-Remote-Uid",)
    assert rh.group_headers == ("X-Remote-Group", "X-Other-Group")
    assert rh.extra_prefixes == ("X-Remote-Extra-",)
    assert trust.client_ca_pem == client_ca.cert_pem


def test_ca_bundle_is_the_union(
    authenticator: Authenticator, front_proxy_ca: tls.KeyPair, client_ca: tls.KeyPair
) -> None:
    bundle = authenticator.trust.ca_bundle
    assert tls.load_certificates(bundle) == [client_ca.certificate, front_proxy_ca.certificate]
    assert bundle.endswith(b"\n")


def test_missing_requestheader_keys_take_the_defaults(front_proxy_ca: tls.KeyPair) -> None:
    trust = auth.trust_from_configmap(
        {"requestheader-client-ca-file": front_proxy_ca.cert_pem.decode()}
    )
    assert trust.request_header == RequestHeaderConfig(ca_pem=front_proxy_ca.cert_pem)
    assert trust.request_header.allowed_names == frozenset()
    assert trust.client_ca_pem == b""


def test_empty_json_lists_take_the_defaults(
    configmap: dict[str, str], front_proxy_ca: tls.KeyPair
) -> None:
    trust = auth.trust_from_configmap(
        {
            **configmap,
            "requestheader-allowed-names": "[]",
            "requestheader-username-headers": "[]",
            "requestheader-group-headers": "",
        }
    )
    assert trust.request_header is not None
    assert trust.request_header.allowed_names == frozenset()
    assert trust.request_header.username_headers == ("X-Remote-User",)
    assert trust.request_header.group_headers == ("X-Remote-Group",)


def test_no_requestheader_ca_means_no_front_proxy(client_ca: tls.KeyPair) -> None:
    assert auth.trust_from_configmap({"client-ca-file": client_ca.cert_pem.decode()}) == Trust(
        request_header=None, client_ca_pem=client_ca.cert_pem
    )
    assert auth.trust_from_configmap({"requestheader-client-ca-file": " \n"}).request_header is None


# -- front proxy ------------------------------------------------------------------------------


def test_front_proxy_user_from_headers(
    authenticator: Authenticator, front_proxy_cert: bytes
) -> None:
    user = authenticator.authenticate(
        front_proxy_cert,
        headers(
            ("X-Remote-User", "alice"),
            ("X-Remote-Group", "devs"),
            ("x-remote-group", "system:masters"),
            ("X-Remote-Extra-Scopes", "read"),
            ("X-Remote-Extra-scopes", "write"),
            ("X-Remote-Extra-Acme.com%2Fproject", "Apollo"),
            ("Authorization", "Bearer ignored"),
        ),
    )

    assert user == UserInfo(
        name="alice",
        groups=("devs", "system:masters", "system:authenticated"),
        extra={"scopes": ("read", "write"), "acme.com/project": ("Apollo",)},
    )


def test_groups_are_never_split_on_commas(
    authenticator: Authenticator, front_proxy_cert: bytes
) -> None:
    user = authenticator.authenticate(
        front_proxy_cert,
        headers(("X-Remote-User", "bob"), ("X-Remote-Group", "a,b"), ("X-Remote-Group", "c")),
    )
    assert user is not None
    assert user.groups == ("a,b", "c", "system:authenticated")


def test_system_authenticated_is_added_once(
    authenticator: Authenticator, front_proxy_cert: bytes
) -> None:
    user = authenticator.authenticate(
        front_proxy_cert,
        headers(("X-Remote-User", "carol"), ("X-Remote-Group", "system:authenticated")),
    )
    assert user is not None
    assert user.groups == ("system:authenticated",)


def test_aggregator_requests_without_groups_get_system_authenticated(
    authenticator: Authenticator, front_proxy_cert: bytes
) -> None:
    user = authenticator.authenticate(
        front_proxy_cert, headers(("X-Remote-User", "system:aggregator"))
    )
    assert user == UserInfo(name="system:aggregator", groups=("system:authenticated",))


def test_uid_only_from_configured_headers(
    configmap: dict[str, str], front_proxy_cert: bytes
) -> None:
    request = headers(("X-Remote-User", "dave"), ("X-Remote-Uid", "1234"))

    without = Authenticator(auth.trust_from_configmap(configmap))
    assert without.authenticate(front_proxy_cert, request) == UserInfo(
        name="dave", groups=("system:authenticated",)
    )

    with_uid = Authenticator(
        auth.trust_from_configmap({**configmap, "requestheader-uid-headers": '["X-Remote-Uid"]'})
    )
    user = with_uid.authenticate(front_proxy_cert, request)
    assert user is not None
    assert user.uid == "1234"


def test_first_non_empty_username_header_wins(
    configmap: dict[str, str], front_proxy_cert: bytes
) -> None:
    authenticator = Authenticator(
        auth.trust_from_configmap(
            {**configmap, "requestheader-username-headers": '["X-First", "X-Second"]'}
        )
    )
    user = authenticator.authenticate(
        front_proxy_cert, headers(("X-First", ""), ("X-Second", "erin"), ("X-Remote-User", "no"))
    )
    assert user is not None
    assert user.name == "erin"


def test_cn_not_allowed_is_refused(
    authenticator: Authenticator, front_proxy_ca: tls.KeyPair
) -> None:
    other = der(tls.make_cert(front_proxy_ca, "someone-else", client=True))
    assert authenticator.authenticate(other, headers(("X-Remote-User", "alice"))) is None


def test_any_cn_when_no_names_are_listed(
    configmap: dict[str, str], front_proxy_ca: tls.KeyPair
) -> None:
    authenticator = Authenticator(
        auth.trust_from_configmap({**configmap, "requestheader-allowed-names": "[]"})
    )
    other = der(tls.make_cert(front_proxy_ca, "someone-else", client=True))
    user = authenticator.authenticate(other, headers(("X-Remote-User", "alice")))
    assert user is not None
    assert user.name == "alice"


def test_a_front_proxy_cert_without_client_auth_usage_is_refused(
    authenticator: Authenticator, front_proxy_ca: tls.KeyPair
) -> None:
    server_only = der(tls.make_cert(front_proxy_ca, FRONT_PROXY, server=True))
    assert authenticator.authenticate(server_only, headers(("X-Remote-User", "alice"))) is None


def test_front_proxy_cert_without_username_falls_through(
    authenticator: Authenticator, front_proxy_cert: bytes
) -> None:
    """No username header: not a front-proxy request. The front-proxy CA is not the client
    CA, so the x509 authenticator does not know the certificate either."""
    assert authenticator.authenticate(front_proxy_cert, headers()) is None
    assert authenticator.authenticate(front_proxy_cert, headers(("X-Remote-User", ""))) is None


def test_front_proxy_cert_without_username_falls_through_to_x509(
    configmap: dict[str, str], client_ca: tls.KeyPair
) -> None:
    """With one CA for both (the docs advise against it), the x509 user is what remains."""
    shared = Authenticator(
        auth.trust_from_configmap(
            {**configmap, "requestheader-client-ca-file": client_ca.cert_pem.decode()}
        )
    )
    cert = der(tls.make_cert(client_ca, FRONT_PROXY, organizations=["proxies"], client=True))

    assert shared.authenticate(cert, headers()) == UserInfo(
        name=FRONT_PROXY, groups=("proxies", "system:authenticated")
    )
    via_proxy = shared.authenticate(cert, headers(("X-Remote-User", "alice")))
    assert via_proxy is not None
    assert via_proxy.name == "alice"


# -- x509 client certificates -----------------------------------------------------------------


def test_client_ca_certificate_is_the_x509_user(
    authenticator: Authenticator, client_ca: tls.KeyPair
) -> None:
    cert = der(tls.make_cert(client_ca, "frank", organizations=["devs", "ops"], client=True))
    assert authenticator.authenticate(cert, headers()) == UserInfo(
        name="frank", groups=("devs", "ops", "system:authenticated")
    )


def test_client_ca_certificate_cannot_assert_remote_headers(
    authenticator: Authenticator, client_ca: tls.KeyPair
) -> None:
    """Even with the allowed CN, only the requestheader CA may assert X-Remote-*."""
    for cn in ("mallory", FRONT_PROXY):
        cert = der(tls.make_cert(client_ca, cn, organizations=["users"], client=True))
        user = authenticator.authenticate(
            cert,
            headers(
                ("X-Remote-User", "system:admin"),
                ("X-Remote-Group", "system:masters"),
                ("X-Remote-Extra-Scopes", "all"),
            ),
        )
        assert user == UserInfo(name=cn, groups=("users", "system:authenticated"))


def test_unknown_ca_is_refused(authenticator: Authenticator) -> None:
    stranger = tls.make_ca("kubernetes-ca")  # same name as the client CA, different key
    for cn in ("alice", FRONT_PROXY):
        cert = der(tls.make_cert(stranger, cn, client=True))
        assert authenticator.authenticate(cert, headers(("X-Remote-User", "alice"))) is None
        assert authenticator.authenticate(cert, headers()) is None


def test_no_certificate_is_unauthenticated(authenticator: Authenticator) -> None:
    assert authenticator.authenticate(None, headers(("X-Remote-User", "alice"))) is None
    assert authenticator.authenticate(b"", headers(("X-Remote-User", "alice"))) is None


def test_no_client_ca_means_no_x509_users(
    configmap: dict[str, str], client_ca: tls.KeyPair
) -> None:
    authenticator = Authenticator(auth.trust_from_configmap({**configmap, "client-ca-file": ""}))
    cert = der(tls.make_cert(client_ca, "frank", client=True))
    assert authenticator.authenticate(cert, headers()) is None


def test_rotation_replaces_the_trust(configmap: dict[str, str], front_proxy_cert: bytes) -> None:
    authenticator = Authenticator(auth.trust_from_configmap(configmap))
    request = headers(("X-Remote-User", "alice"))
    assert authenticator.authenticate(front_proxy_cert, request) is not None

    rotated = tls.make_ca("front-proxy-ca")
    authenticator.trust = auth.trust_from_configmap(
        {**configmap, "requestheader-client-ca-file": rotated.cert_pem.decode()}
    )
    assert authenticator.authenticate(front_proxy_cert, request) is None
    new_cert = der(tls.make_cert(rotated, FRONT_PROXY, client=True))
    assert authenticator.authenticate(new_cert, request) is not None


def test_a_bundle_of_requestheader_cas_during_rotation(
    configmap: dict[str, str], front_proxy_ca: tls.KeyPair, front_proxy_cert: bytes
) -> None:
    next_ca = tls.make_ca("front-proxy-ca-next")
    authenticator = Authenticator(
        auth.trust_from_configmap(
            {
                **configmap,
                "requestheader-client-ca-file": (
                    next_ca.cert_pem + front_proxy_ca.cert_pem
                ).decode(),
            }
        )
    )
    request = headers(("X-Remote-User", "alice"))
    assert authenticator.authenticate(front_proxy_cert, request) is not None
    next_cert = der(tls.make_cert(next_ca, FRONT_PROXY, client=True))
    assert authenticator.authenticate(next_cert, request) is not None


# -- what a certificate proves is worked out once per Trust ------------------------------------


def test_cas_are_parsed_once_per_trust(configmap: dict[str, str]) -> None:
    trust = auth.trust_from_configmap(configmap)
    assert trust.request_header is not None
    assert trust.request_header.cas is trust.request_header.cas
    assert trust.client_cas is trust.client_cas


def count_verifications(monkeypatch: pytest.MonkeyPatch) -> list[x509.Certificate]:
    """The certificates checked against CAs from now on (each signature verification)."""
    verified: list[x509.Certificate] = []
    is_issued_by = tls.is_issued_by

    def spy(cert: x509.Certificate, cas: Iterable[x509.Certificate]) -> bool:
        verified.append(cert)
        return is_issued_by(cert, cas)

    monkeypatch.setattr(tls, "is_issued_by", spy)
    return verified


def test_a_classified_certificate_is_not_verified_again(
    configmap: dict[str, str], front_proxy_cert: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    authenticator = Authenticator(auth.trust_from_configmap(configmap))
    verified = count_verifications(monkeypatch)

    alice = authenticator.authenticate(front_proxy_cert, headers(("X-Remote-User", "alice")))
    checks = len(verified)
    assert checks > 0
    # Same certificate (a new bytes object, as every request gets), other headers.
    bob = authenticator.authenticate(bytes(front_proxy_cert), headers(("X-Remote-User", "bob")))
    assert len(verified) == checks
    assert alice == UserInfo(name="alice", groups=("system:authenticated",))
    assert bob == UserInfo(name="bob", groups=("system:authenticated",))  # headers: per request
    assert authenticator.authenticate(front_proxy_cert, headers()) is None
    assert len(verified) == checks


def test_a_new_trust_does_not_reuse_the_old_answers(
    configmap: dict[str, str], front_proxy_cert: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    authenticator = Authenticator(auth.trust_from_configmap(configmap))
    request = headers(("X-Remote-User", "alice"))
    assert authenticator.authenticate(front_proxy_cert, request) is not None

    verified = count_verifications(monkeypatch)
    authenticator.trust = auth.trust_from_configmap(configmap)  # equal, but a new Trust
    assert authenticator.authenticate(front_proxy_cert, request) is not None
    assert verified
    assert len(authenticator.trust.peers) == 1


def test_a_classification_does_not_outlive_the_certificate(
    configmap: dict[str, str], front_proxy_ca: tls.KeyPair, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = tls.make_cert(front_proxy_ca, FRONT_PROXY, client=True, days=1)
    not_after = pair.certificate.not_valid_after_utc
    authenticator = Authenticator(auth.trust_from_configmap(configmap))
    request = headers(("X-Remote-User", "alice"))
    assert authenticator.authenticate(der(pair), request) is not None
    assert authenticator.trust.peer(der(pair)).expires == not_after.timestamp()

    # A second past notAfter, the remembered answer is gone and the certificate has expired.
    later = not_after + datetime.timedelta(seconds=1)
    monkeypatch.setattr(auth, "_now", later.timestamp)
    monkeypatch.setattr(tls, "_now", lambda: later)
    assert authenticator.authenticate(der(pair), request) is None


def test_the_peer_cache_is_bounded_and_keeps_the_recently_used() -> None:
    cache = auth.PeerCache(2)
    peer = auth.Peer(expires=100.0, front_proxy=True)
    cache.put(b"a", peer, now=0)
    cache.put(b"b", peer, now=0)
    assert cache.get(b"a", now=1) is peer
    cache.put(b"c", peer, now=1)
    assert len(cache) == 2
    assert cache.get(b"b", now=1) is None  # the least recently used went
    assert cache.get(b"a", now=1) is peer
    assert cache.get(b"a", now=100) is None  # expired
    cache.put(b"d", auth.Peer(expires=5.0), now=5)  # already expired: not kept
    assert cache.get(b"d", now=5) is None
