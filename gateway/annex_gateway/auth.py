"""Who is calling: the front-proxy (kube-apiserver's aggregator) or a client certificate.

The union k8s.io/apiserver's delegating authenticator tries, in order:
1. front proxy — the TLS peer certificate is directly issued by the *requestheader* CA
   (checked here in code: Python's ssl verifies against the union of trusted CAs, and a user
   certificate from the cluster CA must never be able to assert `X-Remote-User`), has client
   auth usage, its CN is in the allowed names (if any), and the username header is set;
2. x509 — the peer certificate is issued by the client CA: user = CN, groups = O.
Anything else is unauthenticated (401). Every authenticated user gets `system:authenticated`.
Bearer tokens (TokenReview) and SubjectAccessReview authorization come with delegated auth.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote

from cryptography import x509
from cryptography.x509.oid import NameOID
from multidict import CIMultiDictProxy

from annex_core import tls

AUTHENTICATED = "system:authenticated"
CONFIGMAP_NAMESPACE = "kube-system"
CONFIGMAP_NAME = "extension-apiserver-authentication"


@dataclass(frozen=True)
class UserInfo:
    name: str
    uid: str = ""
    groups: tuple[str, ...] = ()
    extra: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestHeaderConfig:
    """How to trust the front proxy: kube-apiserver's `--requestheader-*` settings."""

    ca_pem: bytes
    allowed_names: frozenset[str] = frozenset()
    username_headers: tuple[str, ...] = ("X-Remote-User",)
    uid_headers: tuple[str, ...] = ()
    group_headers: tuple[str, ...] = ("X-Remote-Group",)
    extra_prefixes: tuple[str, ...] = ("X-Remote-Extra-",)

    @property
    def cas(self) -> list[x509.Certificate]:
        return tls.load_certificates(self.ca_pem)


@dataclass(frozen=True)
class Trust:
    """Every CA the gateway authenticates clients with; swapped whole when the cluster rotates them."""

    request_header: RequestHeaderConfig | None = None
    client_ca_pem: bytes = b""

    @property
    def ca_bundle(self) -> bytes:
        """What the TLS layer must accept: the union, narrowed again per authenticator in code."""
        parts = [self.client_ca_pem.strip()]
        if self.request_header:
            parts.append(self.request_header.ca_pem.strip())
        return b"\n".join(p for p in parts if p) + b"\n"


def _json_list(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    decoded = json.loads(value)
    return tuple(str(v) for v in decoded) if isinstance(decoded, list) else ()


def trust_from_configmap(data: Mapping[str, str]) -> Trust:
    """Read `kube-system/extension-apiserver-authentication` as k8s.io/apiserver does."""
    request_header = None
    ca = data.get("requestheader-client-ca-file", "")
    if ca.strip():
        request_header = RequestHeaderConfig(
            ca_pem=ca.encode(),
            allowed_names=frozenset(_json_list(data.get("requestheader-allowed-names"))),
            username_headers=_json_list(data.get("requestheader-username-headers"))
            or ("X-Remote-User",),
            uid_headers=_json_list(data.get("requestheader-uid-headers")),
            group_headers=_json_list(data.get("requestheader-group-headers"))
            or ("X-Remote-Group",),
            extra_prefixes=_json_list(data.get("requestheader-extra-headers-prefix"))
            or ("X-Remote-Extra-",),
        )
    return Trust(
        request_header=request_header, client_ca_pem=data.get("client-ca-file", "").encode()
    )


def _with_authenticated(groups: tuple[str, ...]) -> tuple[str, ...]:
    return groups if AUTHENTICATED in groups else (*groups, AUTHENTICATED)


class Authenticator:
    def __init__(self, trust: Trust) -> None:
        self.trust = trust  # replaced whole (one assignment) on rotation; never mutated

    def authenticate(
        self, peer_der: bytes | None, headers: CIMultiDictProxy[str]
    ) -> UserInfo | None:
        if not peer_der:
            return None
        cert = x509.load_der_x509_certificate(peer_der)
        if not tls.has_client_auth_usage(cert):
            return None
        trust = self.trust
        rh = trust.request_header
        if rh and tls.is_issued_by(cert, rh.cas):
            if rh.allowed_names and tls.common_name(cert) not in rh.allowed_names:
                return None
            user = _user_from_headers(rh, headers)
            if user is not None:
                return user
        if trust.client_ca_pem and tls.is_issued_by(
            cert, tls.load_certificates(trust.client_ca_pem)
        ):
            orgs = tuple(
                str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
            )
            return UserInfo(name=tls.common_name(cert), groups=_with_authenticated(orgs))
        return None


def _user_from_headers(rh: RequestHeaderConfig, headers: CIMultiDictProxy[str]) -> UserInfo | None:
    name = next((headers[h] for h in rh.username_headers if headers.get(h)), "")
    if not name:
        return None
    uid = next((headers[h] for h in rh.uid_headers if headers.get(h)), "")
    # Each group is its own header value; values are never split on commas.
    groups = tuple(v for h in rh.group_headers for v in headers.getall(h, []))
    extra: dict[str, tuple[str, ...]] = {}
    for header, value in headers.items():
        for prefix in rh.extra_prefixes:
            if header.lower().startswith(prefix.lower()):
                key = unquote(header[len(prefix) :].lower())
                extra[key] = (*extra.get(key, ()), value)
    return UserInfo(name=name, uid=uid, groups=_with_authenticated(groups), extra=extra)
