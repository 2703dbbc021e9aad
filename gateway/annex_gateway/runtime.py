"""Running the gateway: TLS serving with rotation, where certificates, trust and APIs come
from, and the lifecycle (start, ready, drain, stop).

Two ways to run, one code path:
- in a cluster, the serving certificate comes from the operator's Secret, the client trust
  from `kube-system/extension-apiserver-authentication`, the APIs from ApiDefinitions —
  each through an informer, so rotation and new APIs need no restart;
- standalone (`annex serve`), all three come from files.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gc
import os
import ssl
import tempfile
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from annex_core import logs, tls
from annex_core.informer import Informer
from annex_core.kube import KubeClient, resource_path
from annex_gateway.apis import Apis, read_definition_files
from annex_gateway.app import Gateway, build_app
from annex_gateway.conversion import WebhookClients
from annex_gateway.endpoints.limits import DecodeLimits
from annex_gateway.endpoints.negotiation import MAX_BODY_BYTES
from annex_gateway.filters.authentication import (
    CONFIGMAP_NAME,
    CONFIGMAP_NAMESPACE,
    Authenticator,
    Trust,
    trust_from_configmap,
)
from annex_gateway.patch.apply import FieldManager
from annex_gateway.routes import Backends
from annex_gateway.serving.limits import Timeouts
from annex_gateway.serving.server import GatewayServer
from annex_gateway.storage.index import BODY_CACHE_BYTES, Indexes
from annex_gateway.storage.sqlite import SqliteStore

log = logs.get(__name__)


# -- TLS ------------------------------------------------------------------------------------


class TlsServing:
    """Builds the server's SSLContext and swaps it per handshake, so certificates and client
    CAs rotate without a restart (the listening context's SNI callback hands over the newest)."""

    def __init__(self, cert: tls.KeyPair, trust: Trust) -> None:
        self._cert, self._trust = cert, trust
        self.current = self._build()
        self.listening = self._build()
        self.listening.sni_callback = self._select

    def _select(
        self, sslobj: ssl.SSLObject, _server_name: str | None, _ctx: ssl.SSLContext
    ) -> None:
        sslobj.context = self.current

    def update(self, *, cert: tls.KeyPair | None = None, trust: Trust | None = None) -> None:
        self._cert = cert or self._cert
        self._trust = trust or self._trust
        self.current = self._build()

    def _build(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.set_alpn_protocols(["http/1.1"])
        _load_chain(ctx, self._cert.cert_pem + b"\n" + self._cert.key_pem)
        bundle = self._trust.ca_bundle.strip()
        if bundle:
            # Ask for a client certificate but don't require one: kubelet probes have none.
            ctx.verify_mode = ssl.CERT_OPTIONAL
            ctx.load_verify_locations(cadata=bundle.decode())
        return ctx


def _load_chain(ctx: ssl.SSLContext, pem: bytes) -> None:
    """Load a certificate and key held in memory: ssl reads chains only from files.

    On Linux the file is anonymous memory (memfd), so the key never touches a disk and a
    read-only root filesystem is fine; elsewhere, a private temp file removed at once.
    """
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("annex-serving-chain", os.MFD_CLOEXEC)
        try:
            os.write(fd, pem)
            ctx.load_cert_chain(f"/proc/self/fd/{fd}")
        finally:
            os.close(fd)
        return
    fd, path = tempfile.mkstemp(suffix=".pem")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        ctx.load_cert_chain(path)
    finally:
        os.unlink(path)


# -- running --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GatewayOptions:
    host: str = "0.0.0.0"
    port: int = 8443
    storage_path: Path = Path("annex.db")
    # In a cluster: where to find the certificate Secret ("namespace/name") and the kubeconfig.
    kubeconfig: str | None = None
    tls_secret: str | None = None
    # Standalone: certificate files, client CA file, ApiDefinition files.
    tls_cert_file: Path | None = None
    tls_key_file: Path | None = None
    client_ca_file: Path | None = None
    definitions: Path | None = None
    # On stop, how long /readyz fails while the server still serves: time for Endpoints to
    # drop the pod and for kube-apiserver to stop sending it requests.
    shutdown_delay: float = 0.0
    # Then how long requests in flight get to finish before they are cut: with the
    # deployment's 5 s delay, well inside a pod's default 30 s grace period.
    drain_timeout: float = 20.0
    timeouts: Timeouts = field(default_factory=Timeouts)
    limits: DecodeLimits = field(default_factory=DecodeLimits)  # what a body may become
    body_cache_bytes: int = BODY_CACHE_BYTES  # stored bodies kept in memory, all resources


def _secret_keypair(secret: dict[str, Any]) -> tls.KeyPair | None:
    data = secret.get("data") or {}
    if "tls.crt" not in data or "tls.key" not in data:
        return None
    return tls.KeyPair(base64.b64decode(data["tls.crt"]), base64.b64decode(data["tls.key"]))


class _ClusterSources:
    """Informers that feed the gateway from the cluster: certificate, trust, ApiDefinitions."""

    def __init__(
        self,
        client: KubeClient,
        options: GatewayOptions,
        store: SqliteStore,
        indexes: Indexes,
        webhooks: WebhookClients | None = None,
    ) -> None:
        namespace, _, name = (options.tls_secret or "").partition("/")
        if not name:
            raise ValueError("--tls-secret must be NAMESPACE/NAME")
        self._client = client
        self.apis = Apis(
            Backends(store, self.lookup_namespace, FieldManager, indexes, webhooks=webhooks)
        )
        self._namespaces: Mapping[str, dict[str, Any]] = {}
        self.cert: tls.KeyPair | None = None
        self.trust: Trust | None = None
        self.serving: TlsServing | None = None
        self.informers = [
            Informer(
                client,
                resource_path("v1", "secrets", namespace=namespace),
                self._on_secret,
                params={"fieldSelector": f"metadata.name={name}"},
            ),
            Informer(
                client,
                resource_path("v1", "configmaps", namespace=CONFIGMAP_NAMESPACE),
                self._on_configmap,
                params={"fieldSelector": f"metadata.name={CONFIGMAP_NAME}"},
            ),
            self.apis.informer(client),
            Informer(client, resource_path("v1", "namespaces"), self._on_namespaces),
        ]
        self.authenticator = Authenticator(Trust())
        self._complete = asyncio.Event()

    def _on_secret(self, objects: Mapping[str, dict[str, Any]]) -> None:
        cert = next((kp for kp in map(_secret_keypair, objects.values()) if kp), None)
        if cert and cert != self.cert:
            self.cert = cert
            log.info("serving certificate loaded", not_after=str(cert.not_after()))
            if self.serving:
                self.serving.update(cert=cert)
            self._check_complete()

    def _on_namespaces(self, objects: Mapping[str, dict[str, Any]]) -> None:
        self._namespaces = objects

    async def lookup_namespace(self, name: str) -> dict[str, Any] | None:
        """The namespace from the informer; asked live when unseen (it may be brand new)."""
        found = self._namespaces.get(name)
        if found is None:
            found = await self._client.get_or_none(resource_path("v1", "namespaces", name=name))
        return found

    def _on_configmap(self, objects: Mapping[str, dict[str, Any]]) -> None:
        data = next((o.get("data") or {} for o in objects.values()), {})
        # Only the front proxy, for now: a cluster user's client certificate (client-ca-file)
        # would reach the gateway directly and skip kube-apiserver's RBAC, and the gateway
        # does not authorize requests itself until SubjectAccessReview is in place.
        trust = Trust(request_header=trust_from_configmap(data).request_header)
        if trust != self.trust:
            self.trust = trust
            self.authenticator.trust = trust
            log.info("client trust loaded", front_proxy=trust.request_header is not None)
            if self.serving:
                self.serving.update(trust=trust)
            self._check_complete()

    async def wait_ready(self) -> TlsServing:
        for informer in self.informers:
            await informer.synced.wait()
        await self._complete.wait()  # synced, but the operator may not have written the Secret yet
        assert self.cert is not None
        assert self.trust is not None
        self.serving = TlsServing(self.cert, self.trust)
        return self.serving

    def _check_complete(self) -> None:
        if self.cert is not None and self.trust is not None:
            self._complete.set()


async def run_gateway(options: GatewayOptions, stop: asyncio.Event) -> None:
    """Serve until `stop` is set."""
    store = SqliteStore(str(options.storage_path))
    await store.open()
    indexes = Indexes(store, options.body_cache_bytes)
    webhooks = WebhookClients()  # conversion webhooks
    apis: Apis | None = None
    tasks: list[asyncio.Task[None]] = []
    client: KubeClient | None = None
    try:
        if options.tls_secret:
            client = await KubeClient.connect(options.kubeconfig)
            sources = _ClusterSources(client, options, store, indexes, webhooks)
            apis = sources.apis
            tasks = [asyncio.create_task(i.run()) for i in sources.informers]
            log.info(
                "waiting for the serving certificate, client trust and ApiDefinitions",
                secret=options.tls_secret,
            )
            waited = await _first(sources.wait_ready(), stop)
            if waited is None:
                return
            serving, authenticator = waited, sources.authenticator
        else:
            apis = Apis(Backends(store, None, FieldManager, indexes, webhooks=webhooks))
            serving, authenticator = await asyncio.to_thread(_file_sources, options, apis)
        indexes.start()
        gateway = Gateway(apis, authenticator, limits=options.limits)
        await _serve(gateway, serving, options, stop)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if apis is not None:
            await apis.close()  # background migrations
        await webhooks.close()
        if client is not None:
            await client.close()
        await indexes.close()
        await store.close()


async def _serve(
    gateway: Gateway, serving: TlsServing, options: GatewayOptions, stop: asyncio.Event
) -> None:
    """Serve until `stop` is set, then stop as kube-apiserver does: /readyz fails for the
    shutdown delay while all else is served, then the listener closes (new connections are
    refused), watches end, and requests in flight are drained within the drain timeout."""
    runner = web.AppRunner(build_app(gateway), handle_signals=False, access_log=None)
    await runner.setup()
    try:
        server = GatewayServer(
            runner,
            timeouts=options.timeouts,
            max_body=MAX_BODY_BYTES,
            access_log=None,
            # kube-apiserver reads a request body as sent, whatever its Content-Encoding says.
            auto_decompress=False,
        )
        listener = await asyncio.get_running_loop().create_server(
            server,
            options.host,
            options.port,
            ssl=serving.listening,
            # net/http bounds the handshake by its header timeout too.
            ssl_handshake_timeout=options.timeouts.read_header,
        )
        gateway.ready = True
        _out_of_the_collectors_way()
        log.info(
            "gateway serving",
            host=options.host,
            port=options.port,
            pid=os.getpid(),
            groups=sorted(gateway.apis.routes.groups),
        )
        await stop.wait()
        gateway.ready = False
        if options.shutdown_delay > 0:
            log.info("stopping: readyz fails, still serving", seconds=options.shutdown_delay)
            await asyncio.sleep(options.shutdown_delay)
        listener.close()
        gateway.draining = True
        await server.drain(options.drain_timeout)
        log.info("drained")
    finally:
        gc.unfreeze()  # a process that goes on (tests, an embedding) collects them again
        await runner.cleanup()


def _out_of_the_collectors_way() -> None:
    """What start-up made (modules, classes, functions, the application) lives as long as the
    gateway serves: moved out of the cyclic collector's reach, so that a full collection walks
    only what came after. Before, each full collection walked ~66k start-up objects, 18-48 ms
    on two shared cores with every request and watch of the process waiting (a burst of
    long-lived objects, as an unpaged list of 10k objects makes, set off three in a row)."""
    gc.collect()
    gc.freeze()


def _file_sources(options: GatewayOptions, apis: Apis) -> tuple[TlsServing, Authenticator]:
    if not (options.tls_cert_file and options.tls_key_file):
        raise ValueError("either --tls-secret or --tls-cert-file and --tls-key-file are required")
    cert = tls.KeyPair(options.tls_cert_file.read_bytes(), options.tls_key_file.read_bytes())
    trust = Trust(
        client_ca_pem=options.client_ca_file.read_bytes() if options.client_ca_file else b""
    )
    if options.definitions:
        apis.load(read_definition_files(options.definitions))
    return TlsServing(cert, trust), Authenticator(trust)


async def _first(work: Awaitable[TlsServing], stop: asyncio.Event) -> TlsServing | None:
    """`work`'s result, or None if `stop` is set first."""
    work_task = asyncio.ensure_future(work)
    stop_task = asyncio.ensure_future(stop.wait())
    done, pending = await asyncio.wait({work_task, stop_task}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    return work_task.result() if work_task in done else None
