"""Who is calling: the front-proxy (kube-apiserver's aggregator) or a client certificate.

The union k8s.io/apiserver's delegating authenticator tries, in order:
1. front proxy — the TLS peer certificate is directly issued by the *requestheader* CA
   (checked here in code: Python's ssl verifies against the union of trusted CAs, and a user
   certificate from the cluster CA must never be able to assert `X-Remote-User`), has client
   auth usage, its CN is in the allowed names (if any), and the username header is set;
2. x509 — the peer certificate is issued by the client CA: user = CN, groups = O.
Anything else is unauthenticated (401). Every authenticated user gets `system:authenticated`.
Bearer tokens (TokenReview) and SubjectAccessReview authorization come with delegated auth.

What a peer certificate proves depends only on the certificate and the trust, not on the
request: CAs are parsed once per `Trust`, and each `Trust` remembers what the certificates it
has seen prove (kube-apiserver keeps its connections, so the same one comes again and again)
until the next validity boundary of the certificate or a CA. A new `Trust` starts afresh.
Headers are read on every request.
"""

from __future__ import annotations

import functools
import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from aiohttp import web
from aiohttp.typedefs import Middleware
from cryptography import x509
from cryptography.x509.oid import NameOID
from multidict import CIMultiDictProxy

from annex_core import apidef, tls
from annex_gateway import apierrors
from annex_gateway.filters.context import CONTEXT_KEY, RequestContext, UserInfo

AUTHENTICATED = "system:authenticated"
CONFIGMAP_NAMESPACE = "kube-system"
CONFIGMAP_NAME = "extension-apiserver-authentication"
PEER_CACHE_SIZE = 1024  # distinct client certificates remembered per Trust


@dataclass(frozen=True)
class RequestHeaderConfig:
    """How to trust the front proxy: kube-apiserver's `--requestheader-*` settings."""

    ca_pem: bytes
    allowed_names: frozenset[str] = frozenset()
    username_headers: tuple[str, ...] = ("X-Remote-User",)
    uid_headers: tuple[str, ...] = ()
    group_headers: tuple[str, ...] = ("X-Remote-Group",)
    extra_prefixes: tuple[str, ...] = ("X-Remote-Extra-",)

    @functools.cached_property
    def cas(self) -> list[x509.Certificate]:
        return tls.load_certificates(self.ca_pem)

    @functools.cached_property
    def extra_prefixes_lower(self) -> tuple[str, ...]:
        return tuple(p.lower() for p in self.extra_prefixes)


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

    @functools.cached_property
    def client_cas(self) -> list[x509.Certificate]:
        return tls.load_certificates(self.client_ca_pem)

    @functools.cached_property
    def peers(self) -> PeerCache:
        return PeerCache(PEER_CACHE_SIZE)

    def peer(self, der: bytes) -> Peer:
        """What the certificate `der` proves under this trust; remembered until it may change."""
        peers = self.peers
        now = _now()
        found = peers.get(der, now)
        if found is None:
            found = self._classify(x509.load_der_x509_certificate(der), now)
            peers.put(der, found, now)
        return found

    def _classify(self, cert: x509.Certificate, now: float) -> Peer:
        rh = self.request_header
        cas = [*(rh.cas if rh else ()), *self.client_cas]
        expires = _next_validity_change((cert, *cas), now)
        if not tls.has_client_auth_usage(cert):
            return Peer(expires=expires)
        front_proxy = False
        if rh and tls.is_issued_by(cert, rh.cas):
            if rh.allowed_names and tls.common_name(cert) not in rh.allowed_names:
                return Peer(expires=expires)
            front_proxy = True
        x509_user = None
        if self.client_cas and tls.is_issued_by(cert, self.client_cas):
            orgs = tuple(
                str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
            )
            x509_user = UserInfo(name=tls.common_name(cert), groups=_with_authenticated(orgs))
        return Peer(expires=expires, front_proxy=front_proxy, x509_user=x509_user)


@dataclass(frozen=True)
class Peer:
    """What a client certificate proves, whatever the request's headers say."""

    expires: float  # POSIX time of the next validity boundary of the certificate or a CA
    front_proxy: bool = False  # issued by the requestheader CA, client usage, CN allowed
    x509_user: UserInfo | None = None  # issued by the client CA: user = CN, groups = O


def _now() -> float:
    return time.time()


def _next_validity_change(certs: Iterable[x509.Certificate], now: float) -> float:
    """The first notBefore or notAfter after `now`: until then, no validity check can change."""
    bounds = (t.timestamp() for c in certs for t in (c.not_valid_before_utc, c.not_valid_after_utc))
    return min((t for t in bounds if t > now), default=now)


class PeerCache:
    """Peer certificates (DER) → what they prove: least recently used out first, and never
    past an entry's `expires`."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[bytes, Peer] = OrderedDict()

    def get(self, der: bytes, now: float) -> Peer | None:
        found = self._entries.get(der)
        if found is None:
            return None
        if now >= found.expires:
            del self._entries[der]
            return None
        self._entries.move_to_end(der)
        return found

    def put(self, der: bytes, peer: Peer, now: float) -> None:
        if now >= peer.expires:
            return  # every certificate involved has expired: nothing to remember
        self._entries[der] = peer
        self._entries.move_to_end(der)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


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
        trust = self.trust  # one snapshot: its CAs and the certificates it has classified
        peer = trust.peer(peer_der)
        if peer.front_proxy and trust.request_header:
            user = _user_from_headers(trust.request_header, headers)
            if user is not None:
                return user
        return peer.x509_user


def _user_from_headers(rh: RequestHeaderConfig, headers: CIMultiDictProxy[str]) -> UserInfo | None:
    name = next((headers[h] for h in rh.username_headers if headers.get(h)), "")
    if not name:
        return None
    uid = next((headers[h] for h in rh.uid_headers if headers.get(h)), "")
    # Each group is its own header value; values are never split on commas.
    groups = tuple(v for h in rh.group_headers for v in headers.getall(h, []))
    extra: dict[str, tuple[str, ...]] = {}
    prefixes = rh.extra_prefixes_lower
    for header, value in headers.items():
        lower = header.lower()
        if not lower.startswith(prefixes):  # one test for all prefixes: most headers
            continue
        for prefix in prefixes:
            if lower.startswith(prefix):
                key = lower[len(prefix) :]
                if "%" in key:
                    key = unquote(key)
                extra[key] = (*extra.get(key, ()), value)
    return UserInfo(name=name, uid=uid, groups=_with_authenticated(groups), extra=extra)


# Health probes (kubelet has no client certificate) and the ApiDefinition admission webhook
# (kube-apiserver presents none to webhooks).
ALWAYS_ALLOWED_PATHS = frozenset({"/healthz", "/livez", "/readyz", apidef.IMPACT_WEBHOOK_PATH})
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def authentication_filter(authenticator: Authenticator) -> Middleware:
    """401 for anyone the authenticator does not know; health probes pass (kubelet has no
    client certificate)."""

    @web.middleware
    async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path in ALWAYS_ALLOWED_PATHS:
            return await handler(request)
        ssl_object = request.transport.get_extra_info("ssl_object") if request.transport else None
        peer = ssl_object.getpeercert(binary_form=True) if ssl_object else None
        user = authenticator.authenticate(peer, request.headers)
        if user is None:
            raise apierrors.unauthorized()
        request[CONTEXT_KEY] = RequestContext(request[CONTEXT_KEY].info, user)
        return await handler(request)

    return authenticate
