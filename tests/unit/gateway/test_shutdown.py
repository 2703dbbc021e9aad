"""Graceful stop: /readyz fails while the gateway still serves, then it closes.

A real gateway on loopback (TLS, SQLite, ApiDefinitions from files), as `annex serve` runs it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ssl
from collections.abc import Awaitable
from pathlib import Path

import aiohttp

from annex_cli.serve import ensure_pki, free_port, gateway_options
from annex_gateway.runtime import run_gateway
from tests.helpers import REPO, eventually


async def readyz(session: aiohttp.ClientSession, url: str) -> int | None:
    try:
        async with session.get(f"{url}/readyz") as response:
            return response.status
    except aiohttp.ClientConnectionError:
        return None


async def test_readyz_fails_during_the_shutdown_delay_then_the_server_closes(
    tmp_path: Path,
) -> None:
    pki = ensure_pki(tmp_path)
    port = free_port()
    options = dataclasses.replace(
        gateway_options(tmp_path, pki, port, REPO / "examples"), shutdown_delay=1.0
    )
    stop = asyncio.Event()
    server = asyncio.create_task(run_gateway(options, stop))
    url = f"https://127.0.0.1:{port}"
    context = ssl.create_default_context(cafile=str(pki.ca))
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=context, force_close=True)
    ) as session:
        await eventually(
            lambda: _is(readyz(session, url), 200), timeout=10, what="the gateway to be ready"
        )
        stop.set()
        await eventually(
            lambda: _is(readyz(session, url), 500), timeout=5, what="readyz to fail while draining"
        )
        assert not server.done()  # still serving during the delay
        await asyncio.wait_for(server, 10)
        assert await readyz(session, url) is None  # closed


async def _is(probe: Awaitable[int | None], expected: int) -> bool:
    return await probe == expected
