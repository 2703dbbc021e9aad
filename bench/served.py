"""`annex serve examples` for the benches that need the gateway alone: on TLS, with its
embedded SQLite store, in a fresh state directory; a client session with the admin
certificate it writes."""

from __future__ import annotations

import asyncio
import ssl
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import yaml
from aggregation import until
from reads import image

from annex_cli.serve import free_port

REPO = Path(__file__).resolve().parent.parent
API_VERSION = "images.example.com/v1alpha1"


@dataclass(frozen=True)
class Served:
    session: aiohttp.ClientSession
    collection: str  # the example Images of the namespace "default"
    pid: int  # the gateway's (or its wrapper's, which runs it in the same process)
    ssl: ssl.SSLContext  # the admin's, for more sessions


@asynccontextmanager
async def annex_serve(wrapper: tuple[str, ...] = ()) -> AsyncIterator[Served]:
    """Ready to serve; stopped (SIGTERM: it stops gracefully) on exit. `wrapper`, a script
    and its arguments that run the module as `python -m` would (bench/gc_recorded.py)."""
    state = Path(tempfile.mkdtemp()) / "state"
    command = [sys.executable, *wrapper] if wrapper else [sys.executable, "-m"]
    command += ["annex_cli.main", "serve", str(REPO / "examples")]
    command += ["--port", str(free_port()), "--state-dir", str(state)]
    gateway = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL, cwd=REPO
    )
    try:
        kubeconfig = state / "kubeconfig"

        async def written() -> bool:
            return kubeconfig.exists()

        await until(written)
        config = yaml.safe_load(kubeconfig.read_text())
        cluster, user = config["clusters"][0]["cluster"], config["users"][0]["user"]
        context = ssl.create_default_context(cafile=cluster["certificate-authority"])
        context.load_cert_chain(user["client-certificate"], user["client-key"])
        connector = aiohttp.TCPConnector(ssl=context, limit=64)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def ready() -> bool:
                try:
                    async with session.get(f"{cluster['server']}/readyz") as r:
                        return r.status == 200
                except aiohttp.ClientError:
                    return False

            await until(ready)
            collection = f"{cluster['server']}/apis/{API_VERSION}/namespaces/default/images"
            yield Served(session, collection, gateway.pid, context)
    finally:
        gateway.terminate()
        await gateway.wait()


async def load(served: Served, objects: int) -> None:
    """Creates `objects` Images (bench/reads.py's, ~1 KB each), 16 in flight."""
    in_flight = asyncio.Semaphore(16)

    async def create(i: int) -> None:
        async with (
            in_flight,
            served.session.post(served.collection, json=image(API_VERSION, i)) as r,
        ):
            if r.status >= 300:
                raise RuntimeError(f"create {i}: {r.status} {await r.text()}")

    await asyncio.gather(*(create(i) for i in range(objects)))
