"""What one watch event costs the gateway per watcher: prints figures, asserts nothing.

The gateway hands each event of a plain watch to every watcher's connection from its fan-out
(endpoints/responses.py `_write_event`: one HTTP chunk, one TLS write on uvloop). This serves
--watchers TLS connections on uvloop, as the gateway does, from a client in another process
that reads and drops everything, then writes --events events of ~1.1 KB (bench/reads.py's
Image as served, in a MODIFIED event) to every connection, one event at a time with a pause between them
for the client to read, and prints the gateway process's user and system CPU per
watcher-write (from getrusage) and how long each event's round over all connections took.
On loopback the system time includes the kernel's delivery to the reader.

python bench/fanout.py [--watchers 1000] [--events 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import ssl
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, cast

import uvloop
from reads import image

from annex_core import tls
from annex_gateway.endpoints.responses import _write_event

PAUSE = 0.05  # between events: the client reads everything before the next one


async def serve(watchers: int, events: int) -> None:
    files = Path(tempfile.mkdtemp())
    ca = tls.make_ca("fanout-ca")
    cert = tls.make_cert(ca, "127.0.0.1", hosts=["127.0.0.1"], server=True)
    (files / "ca.pem").write_bytes(ca.cert_pem)
    (files / "chain.pem").write_bytes(cert.cert_pem + b"\n" + cert.key_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(files / "chain.pem")

    transports: list[asyncio.Transport] = []
    connected = asyncio.Event()

    class Watched(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            transports.append(cast(asyncio.Transport, transport))  # uvloop's: not a subclass
            if len(transports) == watchers:
                connected.set()

    loop = asyncio.get_running_loop()
    server = await loop.create_server(Watched, "127.0.0.1", 0, ssl=context, backlog=watchers)
    port = server.sockets[0].getsockname()[1]
    command = [sys.executable, __file__, "--client", str(port), str(files / "ca.pem")]
    client = await asyncio.create_subprocess_exec(*command, "--watchers", str(watchers))
    try:
        await asyncio.wait_for(connected.wait(), 120)
        await asyncio.sleep(1)  # handshakes done, the client idle
        event = json.dumps(served(7), separators=(",", ":")).encode()
        rounds = []
        before = resource.getrusage(resource.RUSAGE_SELF)
        for _ in range(events):
            began = time.perf_counter()
            for transport in transports:
                _write_event(transport, "MODIFIED", event)
            rounds.append(time.perf_counter() - began)
            await asyncio.sleep(PAUSE)
        after = resource.getrusage(resource.RUSAGE_SELF)
        writes = watchers * events
        print(
            f"{watchers} watchers, {events} events of {len(event)} bytes: per watcher-write"
            f" user {(after.ru_utime - before.ru_utime) / writes * 1e6:.1f} µs"
            f" + system {(after.ru_stime - before.ru_stime) / writes * 1e6:.1f} µs;"
            f" one event to all: p50 {statistics.median(rounds) * 1e3:.1f} ms,"
            f" max {max(rounds) * 1e3:.1f} ms",
            flush=True,
        )
    finally:
        client.kill()
        await client.wait()
        server.close()


def served(i: int) -> dict[str, Any]:
    """bench/reads.py's Image as the gateway serves it after a create (~1.1 KB)."""
    obj: dict[str, Any] = image("images.example.com/v1alpha1", i)
    obj["metadata"] |= {
        "namespace": "default",
        "uid": "0f8e1c3a-5b7d-4e2f-9a6c-1d3b5f7e9a0c",
        "resourceVersion": "123456",
        "generation": 1,
        "creationTimestamp": "2026-12-04T21:00:00Z",
        "managedFields": [
            {
                "manager": "python-aiohttp",
                "operation": "Update",
                "apiVersion": "images.example.com/v1alpha1",
                "time": "2026-12-04T21:00:00Z",
                "fieldsType": "FieldsV1",
                "fieldsV1": {
                    "f:metadata": {"f:labels": {".": {}, "f:bench": {}, "f:team": {}}},
                    "f:spec": {".": {}, "f:baseImage": {}, "f:packages": {}, "f:schedule": {}},
                },
            }
        ],
    }
    return obj


async def read_all(port: int, ca: str, watchers: int) -> None:
    context = ssl.create_default_context(cafile=ca)

    async def one() -> None:
        reader, _ = await asyncio.open_connection("127.0.0.1", port, ssl=context)
        while await reader.read(1 << 16):
            pass

    await asyncio.gather(*(one() for _ in range(watchers)), return_exceptions=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--watchers", type=int, default=1000)
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--client", nargs=2, metavar=("PORT", "CA"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        uvloop.run(read_all(int(args.client[0]), args.client[1], args.watchers))
    else:
        uvloop.run(serve(args.watchers, args.events))
