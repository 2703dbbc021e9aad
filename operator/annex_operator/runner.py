"""Runs kopf in the process's event loop, with our registry, settings and credentials."""

from __future__ import annotations

import asyncio
import contextlib
import os

import kopf

from annex_core import logs
from annex_core.kube import KubeClient
from annex_operator import persistence
from annex_operator.handlers import build_registry
from annex_operator.nudge import Nudger
from annex_operator.reconcile import Reconciler
from annex_operator.settings import OperatorSettings
from annex_operator.writers import CertificateKeeper

log = logs.get(__name__)

FINALIZER = "annex.dev/api-definition-cleanup"
# The serving certificate is renewed 30 days before expiry; checking twice a day is plenty.
CERTIFICATE_CHECK_INTERVAL = 12 * 3600.0
CERTIFICATE_RETRY_INTERVAL = 10.0


def kopf_settings() -> kopf.OperatorSettings:
    settings = kopf.OperatorSettings()
    # kopf keeps its bookkeeping in annotations; `.status` is ours alone.
    settings.persistence.progress_storage = persistence.progress_storage()
    settings.persistence.diffbase_storage = persistence.diffbase_storage()
    settings.persistence.finalizer = FINALIZER
    # One replica (Recreate): no peering objects to look for or to keep.
    settings.peering.standalone = True
    settings.peering.clusterwide = True
    # Ask the server to end watches before proxies or load balancers cut them silently.
    settings.watching.server_timeout = 270
    return settings


async def keep_certificates(certificates: CertificateKeeper, reconciler: Reconciler) -> None:
    """Ensure the TLS Secret now and then periodically, so renewal happens without events.

    Never raises: a failure is logged and retried soon.
    """
    first = True
    reconcile_pending = False
    while True:
        try:
            ensured = await certificates.ensure()
            # Every APIService's caBundle names the old CA. At start-up kopf's resume
            # handlers reconcile every definition anyway.
            reconcile_pending = reconcile_pending or (ensured.ca_changed and not first)
            first = False
            if reconcile_pending:
                await reconciler.reconcile_all()
                reconcile_pending = False
        except Exception:
            log.exception("could not ensure the tls secret; retrying")
            await asyncio.sleep(CERTIFICATE_RETRY_INTERVAL)
            continue
        await asyncio.sleep(CERTIFICATE_CHECK_INTERVAL)


async def run(
    settings: OperatorSettings,
    kubeconfig: str | os.PathLike[str] | None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run the operator until SIGINT or SIGTERM, until `stop` is set, or until cancelled.

    It owns the event loop it runs in: run it alone under `asyncio.run`. kopf cancels every
    task of the loop that did not exist when it started, and in the main thread it handles
    SIGINT and SIGTERM itself (a graceful stop), replacing any handler set for them before.
    """
    client = await KubeClient.connect(kubeconfig)
    certificates = CertificateKeeper(client, settings)
    nudger = Nudger(client, settings.nudge_field_manager)
    reconciler = Reconciler(client, settings, certificates, nudger)
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
        try:
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
            await nudger.close()
        finally:
            await client.close()
            log.info("operator stopped")
