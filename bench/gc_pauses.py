"""The gateway's pauses for the cyclic garbage collector under load: prints figures, asserts
nothing.

Starts `annex serve examples` (the gateway alone, on TLS, its embedded SQLite store) under
bench/gc_recorded.py, and in phases creates --objects Images (bench/reads.py's, 16 in flight),
LISTs them all (unpaged) and by a 1% label selector, GETs random ones from 16 clients and
merge-patches some; then prints, per phase, how many collections of each generation ran, their
total and their longest pause (the event loop, every request and watch, waits for each), and
how many objects the collector walked in its last full collection.

python bench/gc_pauses.py [--objects 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import tempfile
import time
from pathlib import Path

import aiohttp
from reads import pool
from served import annex_serve, load

IN_FLIGHT = 16


async def measure(objects: int) -> None:
    recorded = Path(tempfile.mkdtemp()) / "gc.json"
    phases: list[tuple[str, float]] = []
    async with annex_serve(
        (str(Path(__file__).with_name("gc_recorded.py")), str(recorded))
    ) as served:
        session, collection = served.session, served.collection

        async def get(i: int) -> None:
            async with session.get(f"{collection}/bench-{random.randrange(objects):06d}") as r:
                await checked(r)

        async def patch(i: int) -> None:
            body = json.dumps({"metadata": {"labels": {"patched": str(i)}}})
            headers = {"Content-Type": "application/merge-patch+json"}
            name = f"bench-{i % objects:06d}"
            async with session.patch(f"{collection}/{name}", data=body, headers=headers) as r:
                await checked(r)

        async def lists() -> None:
            for _ in range(10):
                async with session.get(collection) as r:
                    await checked(r)
            for _ in range(50):
                async with session.get(collection, params={"labelSelector": "hundredth=yes"}) as r:
                    await checked(r)

        for name, run in (
            (f"create {objects}", lambda: load(served, objects)),
            ("list 10 unpaged, 50 by a 1% selector", lists),
            ("get 20000 (16 clients)", lambda: pool(iter(range(20000)), get, IN_FLIGHT)),
            ("merge-patch 2000 (16 in flight)", lambda: pool(iter(range(2000)), patch, IN_FLIGHT)),
        ):
            phases.append((name, time.time()))
            await run()
        phases.append(("", time.time()))
    report(json.loads(recorded.read_text()), phases)


async def checked(response: aiohttp.ClientResponse) -> None:
    body = await response.read()
    if response.status >= 300:
        raise RuntimeError(f"{response.method} {response.url}: {response.status} {body[:300]!r}")


def report(recorded: dict[str, object], phases: list[tuple[str, float]]) -> None:
    collections = recorded["collections"]
    assert isinstance(collections, list)
    print(f"{'phase':40} {'generation':>10} {'collections':>11} {'total':>10} {'longest':>10}")
    for (name, began), (_, ended) in itertools.pairwise(phases):
        for generation in (0, 1, 2):
            pauses = [
                seconds * 1e3
                for g, seconds, at in collections
                if g == generation and began <= at < ended
            ]
            total, longest = sum(pauses), max(pauses, default=0.0)
            print(
                f"{name if generation == 0 else '':40} {generation:>10} {len(pauses):>11}"
                f" {total:>7.1f} ms {longest:>7.1f} ms"
            )
    print(f"objects the collector walked in its last full collection: {recorded['tracked']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--objects", type=int, default=10000)
    args = parser.parse_args()
    asyncio.run(measure(args.objects))
