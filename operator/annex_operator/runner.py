"""Runs kopf embedded in our own event loop, with our registry, settings and credentials."""

from __future__ import annotations

import asyncio
import contextlib
import os

import kopf
from annex_core import logs
from annex_core.kube import KubeClient

from annex_operator.handlers import build_registry
from annex_operator.reconcile import Reconciler
from annex_operator.settings import OperatorSettings
from annex_operator.writers import CertificateKeeper

log = logs.get(__name__)

ANNOTATION_PREFIX = "annex.dev"
FINALIZER = "annex.dev/api-definition-cleanup"
# The serving certificate is renewed 30 days before expiry; checking twice a day is plenty.
CERTIFICATE_CHECK_INTERVAL = 12 * 3600.0
CERTIFICATE_RETRY_INTERVAL = 10.0


def kopf_settings() -> kopf.OperatorSettings:
    settings = kopf.OperatorSettings()
    # kopf keeps its bookkeeping in annotations; `.status` is ours alone.
    settings.persistence.progress_storage = kopf.AnnotationsProgressStorage(
        prefix=ANNOTATION_PREFIX
    )
    settings.persistence.diffbase_storage = kopf.AnnotationsDiffBaseStorage(
        prefix=ANNOTATION_PREFIX, key="last-handled-configuration"
    )
    settings.persistence.finalizer = FINALIZER
    # One replica (Recreate): no peering objects to look for or to keep.
    settings.peering.standalone = True
    settings.peering.clusterwide = True
    # Ask the server to end watches before proxies or load balancers cut them silently.
    settings.watching.server_timeout = 270
    return settings


async def keep_certificates(certificates: CertificateKeeper, reconciler: Reconciler) -> None:
    """Ensure the TLS Secret now and then periodically, so renewal happens without events."""
    while True:
        try:
            ensured = await certificates.ensure()
        except Exception:
            log.exception("could not ensure the tls secret; retrying")
            await asyncio.sleep(CERTIFICATE_RETRY_INTERVAL)
            continue
        if ensured.ca_changed:
            # Every APIService's caBundle names the old CA.
            await reconciler.reconcile_all()
        await asyncio.sleep(CERTIFICATE_CHECK_INTERVAL)


async def run(
    settings: OperatorSettings,
    kubeconfig: str | os.PathLike[str] | None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run the operator until `stop` is set (or, without one, until SIGINT/SIGTERM)."""
    client = await KubeClient.connect(kubeconfig)
    certificates = CertificateKeeper(client, settings)
    reconciler = Reconciler(client, settings, certificates)
    registry = build_registry(reconciler, kubeconfig)
    log.info(
        "operator starting",
        server=client.host,
        mode=settings.mode,
        service=f"{settings.namespace}/{settings.service_name}:{settings.service_port}",
    )
    # Created before kopf starts, so kopf's shutdown does not count it among its own tasks.
    keeper = asyncio.create_task(keep_certificates(certificates, reconciler), name="tls keeper")
    try:
        await kopf.operator(
            registry=registry,
            settings=kopf_settings(),
            clusterwide=True,
            standalone=True,
            stop_flag=stop,
        )
    finally:
        keeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await keeper
        await client.close()
        log.info("operator stopped")
