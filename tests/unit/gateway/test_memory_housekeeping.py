"""What a serving gateway does for its memory, in a real gateway on loopback (TLS, SQLite,
ApiDefinitions from files), as `annex serve` runs it: start-up's objects frozen out of the
cyclic collector's reach while it serves (and thawed when it stops), and the C heap trimmed
after connections close."""

from __future__ import annotations

import asyncio
import functools
import gc
import ssl
import threading
from pathlib import Path

import aiohttp
import pytest

from annex_cli.serve import ensure_pki, free_port, gateway_options
from annex_gateway.runtime import run_gateway
from annex_gateway.serving import server
from annex_gateway.serving.heap import HeapTrimmer
from tests.helpers import REPO, eventually


async def test_frozen_while_serving_and_trimmed_after_connections_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trims: list[int] = []

    def trim(pad: int) -> int:
        assert threading.current_thread() is not threading.main_thread()  # off the loop
        trims.append(pad)
        return 1

    monkeypatch.setattr(server, "malloc_trim", lambda: trim)
    trimmer = functools.partial(HeapTrimmer, delay=0.1, after_closes=3)
    monkeypatch.setattr(server, "HeapTrimmer", trimmer)
    pki = ensure_pki(tmp_path)
    port = free_port()
    stop = asyncio.Event()
    serving = asyncio.create_task(
        run_gateway(gateway_options(tmp_path, pki, port, REPO / "examples"), stop)
    )
    url = f"https://127.0.0.1:{port}/readyz"
    context = ssl.create_default_context(cafile=str(pki.ca))
    # A connection per request, closed after it.
    connector = aiohttp.TCPConnector(ssl=context, force_close=True)
    try:
        async with aiohttp.ClientSession(connector=connector) as session:

            async def ready() -> bool:
                try:
                    async with session.get(url) as response:
                        return response.status == 200
                except aiohttp.ClientConnectionError:
                    return False

            await eventually(ready, timeout=10, what="the gateway to be ready")
            assert gc.get_freeze_count() > 0
            before = len(trims)
            for _ in range(5):
                assert await ready()
            await eventually(
                lambda: _true(len(trims) > before), timeout=5, what="a trim after the closes"
            )
            assert trims[-1] == 0
    finally:
        stop.set()
        await asyncio.wait_for(serving, 30)
    assert gc.get_freeze_count() == 0


async def _true(condition: bool) -> bool:
    return condition
