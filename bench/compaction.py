"""Write and read latency while the SQLite store compacts away large deleted objects, next to
the same writes with no compaction; prints figures, asserts nothing.

As in issue 8: large objects are written and deleted, then small writes go on until one
crosses the compaction point, and compaction runs while they continue (a reader too). Each
case runs with the store's default batches, and with one batch for everything: compaction
in a single transaction, as when it ran inside a write (but with secure_delete FAST, which
the store now sets: the old stall was mostly the zeroing of freed pages).

python bench/compaction.py [--large 300] [--size 1048576] [--small 3000] [--batch-bytes N ...]
(run it under `flock /tmp/annex-controlplane.lock`, so that no control plane competes)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annex_gateway.storage import ObjectKey, SqliteStore

RESOURCE = "images.example.com/images"
RETAIN = 100
UNBOUNDED: dict[str, Any] = {"compact_batch_revisions": 1 << 40, "compact_batch_bytes": 1 << 62}


def key(name: str) -> ObjectKey:
    return ObjectKey(RESOURCE, "default", name)


def small(name: str, n: int) -> dict[str, Any]:
    return {"metadata": {"name": name, "labels": {"app": "bench"}}, "spec": {"n": n}}


def large(name: str, size: int) -> dict[str, Any]:
    return {"metadata": {"name": name}, "spec": {"blob": os.urandom(size // 2).hex()}}


@dataclass
class Latencies:
    seconds: list[float] = field(default_factory=list)

    def line(self, label: str) -> str:
        ms = sorted(s * 1000 for s in self.seconds)
        if not ms:
            return f"  {label:<34} none"
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        return (
            f"  {label:<34} p50 {statistics.median(ms):7.2f} ms   p99 {p99:7.2f} ms"
            f"   max {ms[-1]:8.1f} ms   ({len(ms):,})"
        )


async def timed(latencies: Latencies, write: Any) -> None:
    start = time.perf_counter()
    await write
    latencies.seconds.append(time.perf_counter() - start)


async def without_compaction(path: Path, writes: int) -> Latencies:
    store = SqliteStore(path, retain_revisions=10**9)
    await store.open()
    latencies = Latencies()
    try:
        for i in range(writes):
            await timed(latencies, store.create(key(f"s{i}"), small(f"s{i}", i)))
    finally:
        await store.close()
    return latencies


async def during_compaction(
    path: Path, count: int, size: int, options: dict[str, Any]
) -> tuple[Latencies, Latencies, float]:
    """Write latencies and read latencies while compaction ran, and how long it ran."""
    store = SqliteStore(path, retain_revisions=RETAIN, compact_interval=2 * count, **options)
    await store.open()
    try:
        for i in range(count):
            await store.create(key(f"big{i}"), large(f"big{i}", size))
        for i in range(count):
            await store.delete(key(f"big{i}"))
        last_large = await store.current_revision()
        await store.create(key("read-me"), small("read-me", 0))
        # Small writes up to the one that crosses the compaction point, timed from there on.
        crossing = RETAIN + 2 * count
        for i in range(crossing - 1 - await store.current_revision()):
            await store.create(key(f"pre{i}"), small(f"pre{i}", i))
        started = time.perf_counter()

        async def compaction() -> float:
            await store.wait_compacted(last_large)
            return time.perf_counter() - started

        compacted = asyncio.create_task(compaction())
        write_latencies, read_latencies = Latencies(), Latencies()

        async def write() -> None:
            i = 0
            while not compacted.done():
                await timed(write_latencies, store.create(key(f"s{i}"), small(f"s{i}", i)))
                i += 1

        async def read() -> None:
            while not compacted.done():
                await timed(read_latencies, store.get(key("read-me")))

        await asyncio.gather(write(), read())
        return write_latencies, read_latencies, await compacted
    finally:
        await store.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", type=int, default=300, help="large objects to delete")
    parser.add_argument("--size", type=int, default=1 << 20, help="bytes of each")
    parser.add_argument("--small", type=int, default=3000, help="writes with no compaction")
    parser.add_argument(
        "--batch-bytes", type=int, nargs="*", default=[], help="other byte budgets to try"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        baseline = await without_compaction(Path(tmp) / "baseline.db", args.small)
    print(f"{args.large} objects of {args.size:,} bytes written then deleted; small writes")
    print(baseline.line("writes, no compaction"))
    cases: dict[str, dict[str, Any]] = {"default batches": {}}
    for budget in args.batch_bytes:
        cases[f"batches of {budget:,} bytes"] = {"compact_batch_bytes": budget}
    cases["one batch for all"] = UNBOUNDED
    for label, options in cases.items():
        with tempfile.TemporaryDirectory() as tmp:
            writes, reads, seconds = await during_compaction(
                Path(tmp) / "store.db", args.large, args.size, options
            )
        print(f"compaction with {label}: {seconds * 1000:,.0f} ms")
        print(writes.line("  writes while it ran"))
        print(reads.line("  reads while it ran"))


if __name__ == "__main__":
    asyncio.run(main())
