"""Micro-measure of the SQLite store on a temporary file; prints figures, asserts nothing.

python bench/storage_sqlite.py [--objects N] [--synchronous FULL|NORMAL|both]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from annex_gateway.storage import ObjectKey, SqliteStore

RESOURCE = "images.example.com/images"


def image(name: str, namespace: str, n: int) -> dict[str, Any]:
    return {
        "apiVersion": "images.example.com/v1alpha1",
        "kind": "Image",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app": "bench"}},
        "spec": {"baseImage": "debian:12", "packages": ["curl", "git", "make"], "n": n},
        "status": {"phase": "Ready"},
    }


async def timed(label: str, count: int, run: Callable[[], Awaitable[None]]) -> None:
    start = time.perf_counter()
    await run()
    elapsed = time.perf_counter() - start
    print(f"  {label:<40} {count / elapsed:>10,.0f}/s  ({elapsed * 1000:,.0f} ms for {count:,})")


async def bench(path: Path, objects: int, synchronous: str) -> None:
    store = SqliteStore(path, synchronous=synchronous)  # type: ignore[arg-type]
    await store.open()
    keys = [ObjectKey(RESOURCE, f"ns{i % 10}", f"image-{i:06}") for i in range(objects)]
    revisions: dict[ObjectKey, int] = {}
    try:

        async def create() -> None:
            for i, k in enumerate(keys):
                stored = await store.create(k, image(k.name, k.namespace, i))
                revisions[k] = int(stored["metadata"]["resourceVersion"])

        async def update() -> None:
            for i, k in enumerate(keys):
                stored = await store.update(
                    k, image(k.name, k.namespace, -i), expected_revision=revisions[k]
                )
                revisions[k] = int(stored["metadata"]["resourceVersion"])

        async def concurrent_update() -> None:
            async def one(k: ObjectKey) -> None:
                stored = await store.update(
                    k, image(k.name, k.namespace, 0), expected_revision=revisions[k]
                )
                revisions[k] = int(stored["metadata"]["resourceVersion"])

            await asyncio.gather(*(one(k) for k in keys))

        async def get() -> None:
            for k in keys:
                await store.get(k)

        async def list_all() -> None:
            after = None
            while True:
                page = await store.list(RESOURCE, limit=500, after=after)
                if not page.more:
                    return
                last = page.items[-1]["metadata"]
                after = (last["namespace"], last["name"])

        pinned = await store.current_revision()

        async def list_snapshot() -> None:
            after = None
            while True:
                page = await store.list(RESOURCE, limit=500, after=after, at_revision=pinned)
                if not page.more:
                    return
                last = page.items[-1]["metadata"]
                after = (last["namespace"], last["name"])

        print(f"synchronous={synchronous}, {objects:,} objects")
        await timed("create (sequential)", objects, create)
        pinned = await store.current_revision()
        await timed("update with CAS (sequential)", objects, update)
        await timed("update with CAS (all concurrent)", objects, concurrent_update)
        await timed("get", objects, get)
        await timed("list, pages of 500 (objects/s)", objects, list_all)
        await timed("list at a past revision (objects/s)", objects, list_snapshot)
        await watch_fanout(store, keys, revisions)
    finally:
        await store.close()


async def watch_fanout(
    store: SqliteStore, keys: list[ObjectKey], revisions: dict[ObjectKey, int]
) -> None:
    watchers, events = 20, min(len(keys), 500)
    start_revision = await store.current_revision()

    async def consume(ready: asyncio.Event) -> None:
        async with store.watch(RESOURCE, after_revision=start_revision) as w:
            ready.set()
            for _ in range(events):
                await anext(w)

    readies = [asyncio.Event() for _ in range(watchers)]
    tasks = [asyncio.create_task(consume(r)) for r in readies]
    for r in readies:
        await r.wait()

    async def run() -> None:
        for k in keys[:events]:
            stored = await store.update(
                k, image(k.name, k.namespace, 1), expected_revision=revisions[k]
            )
            revisions[k] = int(stored["metadata"]["resourceVersion"])
        await asyncio.gather(*tasks)

    await timed(f"updates watched by {watchers} watchers (events)", watchers * events, run)
    replay_from = await store.current_revision() - events

    async def replay() -> None:
        async with store.watch(RESOURCE, after_revision=replay_from) as w:
            for _ in range(events):
                await anext(w)

    await timed("watch replay from history (events)", events, replay)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--objects", type=int, default=5000)
    parser.add_argument("--synchronous", choices=["FULL", "NORMAL", "both"], default="both")
    args = parser.parse_args()
    modes = ["FULL", "NORMAL"] if args.synchronous == "both" else [args.synchronous]
    for mode in modes:
        with tempfile.TemporaryDirectory() as tmp:
            await bench(Path(tmp) / "store.db", args.objects, mode)


if __name__ == "__main__":
    asyncio.run(main())
