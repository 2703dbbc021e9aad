"""Runs kopf embedded in our own event loop, with our registry, settings and credentials."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from typing import Any

import kopf

from annex_core import logs
from annex_core.kube import KubeClient
from annex_operator import persistence
from annex_operator.handlers import build_registry
from annex_operator.reconcile import Reconciler
from annex_operator.settings import OperatorSettings
from annex_operator.writers import CertificateKeeper

log = logs.get(__name__)

FINALIZER = "annex.dev/api-definition-cleanup"
# The serving certificate is renewed 30 days before expiry; checking twice a day is plenty.
CERTIFICATE_CHECK_INTERVAL = 12 * 3600.0
CERTIFICATE_RETRY_INTERVAL = 10.0


class _DropSignalWarning(logging.Filter):
    """kopf warns that it ignores signals outside the main thread: `run`'s caller handles them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "OS signals are ignored" not in record.getMessage()


_DROP_SIGNAL_WARNING = _DropSignalWarning()


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


async def _operate(
    settings: OperatorSettings, kubeconfig: str | os.PathLike[str] | None, stop: asyncio.Event
) -> None:
    """The operator proper, in the event loop of its own thread."""
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
        try:
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
        finally:
            await client.close()
            log.info("operator stopped")


async def run(
    settings: OperatorSettings,
    kubeconfig: str | os.PathLike[str] | None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run the operator until `stop` is set or this coroutine is cancelled.

    kopf runs in a thread with an event loop of its own: when it stops, kopf cancels every
    task of its loop that did not exist when it started, which in a shared loop would be the
    caller's tasks too (a gateway in the same process, test fixtures). Signals are the
    caller's to handle (kopf ignores them outside the main thread): set `stop` on them.
    """
    logging.getLogger("kopf._core.reactor.running").addFilter(_DROP_SIGNAL_WARNING)
    outer = asyncio.get_running_loop()
    inner = asyncio.new_event_loop()
    inner_stop = asyncio.Event()  # bound to the inner loop on first use there
    finished: asyncio.Future[None] = outer.create_future()

    def settle(error: BaseException | None) -> None:
        if finished.done():
            return
        if error is None:
            finished.set_result(None)
        else:
            finished.set_exception(error)

    def thread_main() -> None:
        error: BaseException | None = None
        try:
            with asyncio.Runner(loop_factory=lambda: inner) as runner:
                runner.run(_operate(settings, kubeconfig, inner_stop))
        except BaseException as e:  # handed over to the caller's loop
            error = e
        with contextlib.suppress(RuntimeError):  # the caller's loop is gone: nobody to tell
            outer.call_soon_threadsafe(settle, error)

    thread = threading.Thread(target=thread_main, name="annex-operator", daemon=True)
    thread.start()
    try:
        if stop is None:
            await asyncio.shield(finished)
        else:
            stopped: asyncio.Future[Any] = asyncio.ensure_future(stop.wait())
            waiters: set[asyncio.Future[Any]] = {finished, stopped}
            try:
                await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stopped.cancel()
    finally:
        with contextlib.suppress(RuntimeError):  # the inner loop has already ended
            inner.call_soon_threadsafe(inner_stop.set)
        await asyncio.shield(finished)
