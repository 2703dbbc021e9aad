"""The gateway's own cost of a create and an update of bench/schema.py's Widget, in-process
(issue 7): prints figures, asserts nothing. No control plane: the aiohttp application over
plain HTTP on 127.0.0.1 (every caller an admin), SQLite on a temporary file, the client in the
same event loop, so what differs between the sides is the gateway's work alone.

Sides: `schema` (bench/schema.py's SCHEMA: pruning, defaults, OpenAPI and CEL validation, a
typed field manager) and `plain` (its PLAIN_SCHEMA: nothing to check). Objects alternate
between the sides; per side, the p50 and mean of create (POST) and update (PUT of the created
object with one change), in µs, gc off while measuring.

PYTHONPATH=gateway:core:cli:controlplane:operator .venv/bin/python bench/schema_requests.py \
    [--objects 2000] [--profile schema|plain] [--sort cumulative|tottime] [--top 60] [--dump F]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import orjson
from aiohttp.test_utils import TestServer
from multidict import CIMultiDictProxy

# Run as a script (python bench/x.py), bench/ is on sys.path, not the repo root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from annex_core import apidef
from annex_gateway import routes
from annex_gateway.apis import Apis
from annex_gateway.app import Gateway, build_app
from annex_gateway.filters import authentication as auth
from annex_gateway.filters.context import UserInfo
from annex_gateway.patch.apply import FieldManager
from annex_gateway.storage import SqliteStore
from annex_gateway.storage.index import Indexes
from bench.schema import ANNEX_GROUP, PLAIN_GROUP, PLAIN_SCHEMA, VERSION, api_definition, updated
from bench.schema import widget as make_widget


class Everyone(auth.Authenticator):
    """No TLS here: every request is an admin's."""

    def __init__(self) -> None:
        super().__init__(auth.Trust())

    def authenticate(
        self, peer_der: bytes | None, headers: CIMultiDictProxy[str]
    ) -> UserInfo | None:
        return UserInfo(name="admin", groups=("system:masters", auth.AUTHENTICATED))


JSON_HEADERS = {"Content-Type": "application/json"}
SIDES = {"schema": ANNEX_GROUP, "plain": PLAIN_GROUP}


async def run(objects: int, profile: str | None, sort: str, top: int, dump: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(str(Path(tmp) / "annex.db"))
        await store.open()
        indexes = Indexes(store)
        apis = Apis(routes.Backends(store, None, FieldManager, indexes))  # as runtime.py
        definitions = [
            apidef.parse(api_definition()),
            apidef.parse(api_definition(PLAIN_GROUP, PLAIN_SCHEMA)),
        ]
        apis.routes = routes.compile_routes(definitions, apis.backends, 1)
        server = TestServer(build_app(Gateway(apis, Everyone())), host="127.0.0.1")
        await server.start_server()
        timings: dict[str, dict[str, list[float]]] = {
            s: {"create": [], "update": []} for s in SIDES
        }
        profiler = cProfile.Profile()
        try:
            async with aiohttp.ClientSession() as session:

                async def send(method: str, url: str, body: object) -> tuple[float, object]:
                    started = time.perf_counter()
                    async with session.request(
                        method, url, data=orjson.dumps(body), headers=JSON_HEADERS
                    ) as r:
                        data = await r.read()
                        seconds = time.perf_counter() - started
                        if r.status >= 300:
                            raise RuntimeError(f"{method} {url}: {r.status} {data[:400]!r}")
                    return seconds, orjson.loads(data)

                async def one(side: str, name: str, record: bool) -> None:
                    group = SIDES[side]
                    base = (
                        f"{server.make_url('')}/apis/{group}/{VERSION}/namespaces/default/widgets"
                    )
                    body = make_widget(f"{group}/{VERSION}", name)
                    if record and profile == side:
                        profiler.enable()
                    seconds, created = await send("POST", base, body)
                    seconds2, _ = await send("PUT", f"{base}/{name}", updated(created))  # type: ignore[arg-type]
                    if record and profile == side:
                        profiler.disable()
                    if record:
                        timings[side]["create"].append(seconds)
                        timings[side]["update"].append(seconds2)

                for i in range(50):  # warm-up
                    for side in SIDES:
                        await one(side, f"warm-{i}", False)
                gc.collect()
                gc.disable()
                for i in range(objects):
                    for side in SIDES:
                        await one(side, f"w-{i:05d}", True)
                gc.enable()
        finally:
            await server.close()
            await indexes.close()
            await store.close()
    for side, verbs in timings.items():
        for verb, samples in verbs.items():
            print(
                f"  {verb:<7} {side:<7} n={len(samples):<5} p50={statistics.median(samples) * 1e6:7.0f}µs"
                f"  mean={statistics.fmean(samples) * 1e6:7.0f}µs"
            )
    if profile:
        print(f"\n  cProfile of the {profile} side (client and server), by {sort}:")
        stats = pstats.Stats(profiler, stream=sys.stdout)
        if dump:
            stats.dump_stats(dump)
        stats.sort_stats(sort).print_stats(top)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--objects", type=int, default=2000)
    parser.add_argument("--profile", choices=list(SIDES))
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument("--dump", type=Path, help="write the profile's stats (pstats) here")
    args = parser.parse_args()
    asyncio.run(run(args.objects, args.profile, args.sort, args.top, args.dump))
