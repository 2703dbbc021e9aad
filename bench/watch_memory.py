"""The gateway's memory as watches come and go: prints figures, asserts nothing.

Starts `annex serve examples` (the gateway alone, on TLS, its embedded SQLite store), creates
--objects Images, then in --rounds rounds opens --watchers plain watches of the collection
(TLS connections, as kube-apiserver's proxy opens one per watch), merge-patches an Image
--events times (every event reaching every watcher before the next), and closes them all;
it prints the gateway's RSS after loading, and in each round after the watches are open,
after the events and a second after they are closed, with the peak (VmHWM) so far. What a
round takes and the next one does not add back is what the process keeps for reuse; a steady
figure from round to round is memory bounded by the number of watches at once.

python bench/watch_memory.py [--objects 1000] [--watchers 1000] [--events 20] [--rounds 4]
"""

from __future__ import annotations

import argparse
import asyncio
import json

import aiohttp
from proc import memory
from served import Served, annex_serve, load


async def measure(objects: int, watchers: int, events: int, rounds: int) -> None:
    async with annex_serve() as served:
        await load(served, objects)
        print(f"after loading {objects} Images: {rss(served)}")
        for round_ in range(1, rounds + 1):
            await one_round(served, round_, watchers, events)


async def one_round(served: Served, round_: int, watchers: int, events: int) -> None:
    connector = aiohttp.TCPConnector(ssl=served.ssl, limit=0)
    timeout = aiohttp.ClientTimeout(total=None)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as watching:
        async with served.session.get(served.collection, params={"limit": "1"}) as r:
            revision = (await r.json())["metadata"]["resourceVersion"]
        params = {"watch": "1", "resourceVersion": revision}
        streams = [await watching.get(served.collection, params=params) for _ in range(watchers)]
        opened = rss(served)
        for i in range(events):
            body = json.dumps({"metadata": {"labels": {"round": f"{round_}-{i}"}}})
            headers = {"Content-Type": "application/merge-patch+json"}
            patched = f"{served.collection}/bench-000000"
            async with served.session.patch(patched, data=body, headers=headers) as r:
                await r.read()
            for stream in streams:  # every watcher has the event before the next
                await stream.content.readline()
        delivered = rss(served)
        for stream in streams:
            stream.close()
    await asyncio.sleep(1)
    print(
        f"round {round_}: {watchers} watches open: {opened}; after {events} events to each:"
        f" {delivered}; closed: {rss(served)}"
    )


def rss(served: Served) -> str:
    found = memory(served.pid)
    return f"RSS {found['VmRSS']} MB (peak {found['VmHWM']})"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--objects", type=int, default=1000)
    parser.add_argument("--watchers", type=int, default=1000)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    asyncio.run(measure(args.objects, args.watchers, args.events, args.rounds))
