"""The gateway's own CPU per GET, with no control plane: prints figures, asserts nothing.

Starts `annex serve examples` (the gateway alone, on TLS, with its embedded SQLite store),
creates --objects Images (bench/reads.py's, ~1 KB each), then for each count of --clients runs --gets GETs of random objects
as that many concurrent clients, three samples after a warm-up, and prints requests/s and the
gateway's user and system CPU time per GET (from /proc). With 1 client every request wakes
the gateway alone; through kube-apiserver (bench/reads.py) most GETs arrive that way.

python bench/gets_direct.py [--objects 2000] [--gets 20000] [--clients 16 1]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time

from proc import user_and_system_seconds
from served import annex_serve, load


async def measure(objects: int, gets: int, clients: list[int]) -> None:
    async with annex_serve() as served:
        session, collection = served.session, served.collection
        await load(served, objects)
        rng = random.Random(1)

        async def client(count: int) -> None:
            for _ in range(count):
                async with session.get(f"{collection}/bench-{rng.randrange(objects):06d}") as r:
                    await r.read()

        for width in clients:
            for label in ("warm-up", "1", "2", "3"):
                user0, system0 = user_and_system_seconds(served.pid)
                began = time.monotonic()
                await asyncio.gather(*(client(gets // width) for _ in range(width)))
                took = time.monotonic() - began
                user1, system1 = user_and_system_seconds(served.pid)
                print(
                    f"{width:3} clients, {label:>7}: {gets / took:7.0f} req/s, gateway CPU"
                    f" per GET: user {(user1 - user0) / gets * 1e6:4.0f} µs"
                    f" + system {(system1 - system0) / gets * 1e6:3.0f} µs",
                    flush=True,
                )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--objects", type=int, default=2000)
    parser.add_argument("--gets", type=int, default=20000)
    parser.add_argument("--clients", type=int, nargs="+", default=[16, 1])
    args = parser.parse_args()
    asyncio.run(measure(args.objects, args.gets, args.clients))
