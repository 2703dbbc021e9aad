"""The real control plane for integration and e2e tests: one kube-apiserver and etcd per session."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, contextmanager, nullcontext

import pytest
import pytest_asyncio

from annex_controlplane import ControlPlane, ControlPlaneError, cached_binaries, ensure_binaries
from annex_controlplane.informer_build import ensure_informer

_BUILD_ERROR = pytest.StashKey[str]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Build kube-apiserver and etcd (and the client-go informer) before any test runs, if a
    selected test needs them.

    A cold build takes minutes: doing it here keeps it out of the per-test timeout and lets
    its progress reach the terminal. A failure is remembered and fails those tests (the
    informer's own fixture builds again, and fails, if it could not be built here).
    """
    if session.config.option.collectonly:
        return
    items = session.items
    with _uncaptured(session.config):
        if not cached_binaries().exist() and any(
            i.get_closest_marker("integration") for i in items
        ):
            try:
                asyncio.run(ensure_binaries())
            except ControlPlaneError as exc:
                session.config.stash[_BUILD_ERROR] = str(exc)
        if any(i.get_closest_marker("informer") for i in items):
            with contextlib.suppress(ControlPlaneError):
                asyncio.run(ensure_informer())


@contextmanager
def _uncaptured(config: pytest.Config) -> Iterator[None]:
    capture = config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture is not None else nullcontext():
        yield


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def control_plane(request: pytest.FixtureRequest) -> AsyncIterator[ControlPlane]:
    """A running control plane; tests fail (never skip) when it cannot be had."""
    build_error = request.config.stash.get(_BUILD_ERROR, None)
    if build_error is not None:
        pytest.fail(f"cannot build the control plane: {build_error}", pytrace=False)
    async with AsyncExitStack() as stack:
        try:
            with _uncaptured(request.config):
                binaries = await ensure_binaries()
            control_plane = await stack.enter_async_context(ControlPlane.start(binaries=binaries))
        except ControlPlaneError as exc:
            pytest.fail(f"cannot start the control plane: {exc}", pytrace=False)
        yield control_plane
