"""The read path's cost at scale, side by side with a CRD: prints figures, asserts nothing.

Starts the real control plane, the operator and the gateway (as `annex dev` does), installs the
example ApiDefinition and the same schema as a CRD in another group (both with
`selectableFields: [{jsonPath: .spec.baseImage}]`), loads N objects of ~1 KB into each, and
measures, both sides through kube-apiserver, interleaved so that the machine's drift weighs
on both alike, and in turns (CRD then annex, then annex then CRD: a request right after one
of the CRD's large lists runs slower, whichever side it is for):
- creation throughput while loading (16 creates in flight);
- LIST unpaged (time and time to first byte), paged (limit=500, the whole walk: its pages'
  request times), as Table, by label selector (10% and 1% of the objects) and by the
  selectable field (1%), p50 of --runs samples (3x as many for the selectors);
- an informer's initial sync: a WatchList (sendInitialEvents) read to its initial-events-end
  bookmark, taking gzip as client-go does (time; bytes sent and bytes of events);
- GET of random objects with 1 and 16 concurrent clients (requests/s, p50/p99 latency);
- watch delivery latency, from sending a merge patch to the MODIFIED event arriving, with 1,
  100 and 1,000 concurrent watchers of the collection (the patch's own latency is printed too:
  it is part of every delivery), 300 writes per watcher count;
- RSS (VmRSS) of the gateway, kube-apiserver and etcd after loading, and their peak RSS (VmHWM,
  reset just before) over one unpaged LIST of each side.

Every count in --objects gets its own fresh control plane. Both sides' writes are durable:
etcd syncs each commit as the gateway's SQLite store does (--etcd-fsync off: the test
harness's etcd, which does not; the figures of sessions before 2026-12-03).

python bench/reads.py [--objects 10000 [50000 ...]] [--watchers 1 100 1000] [--runs N]
    [--defaults] [--etcd-fsync on|off]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import functools
import json
import random
import resource
import ssl
import statistics
import sys
import time
import zlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import aiohttp
from aggregation import BASELINE_GROUP, DEFINITION, apiservice_available, kubectl, until
from proc import cpu_seconds, memory, reset_peak

# Run as a script (python bench/x.py), bench/ is on sys.path, not the repo root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.stack import annex_stack

SELECTABLE = [{"jsonPath": ".spec.baseImage"}]
TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io"
IN_FLIGHT = 16
LOAD_CHUNK = 1000
WATCHED = "bench-000000"
SELECTOR_REPEATS = 3  # samples of each selector LIST per run, per side
WATCH_WRITES = 300  # per watcher count: the p99 is then the 3rd-worst write's, not the worst's
T = TypeVar("T")


# --defaults: a field the objects never set, with a default. Stored objects then hold it (it
# is applied on create), yet a schema with defaults has them applied on every read too, as a
# CRD does: the gateway cannot send the stored bytes as they are.
DEFAULTED = {"retention": {"type": "integer", "default": 7}}
WITH_DEFAULTS = False


def definition() -> dict[str, Any]:
    """The example ApiDefinition, with .spec.baseImage selectable (and DEFAULTED)."""
    found: dict[str, Any] = copy.deepcopy(DEFINITION)
    for version in found["spec"]["resources"][0]["versions"]:
        version["selectableFields"] = SELECTABLE
        if WITH_DEFAULTS:
            spec = version["schema"]["openAPIV3Schema"]["properties"]["spec"]
            spec["properties"].update(copy.deepcopy(DEFAULTED))
    return found


def crd() -> dict[str, Any]:
    """The same resource as a CRD in another group, .spec.baseImage selectable too."""
    resource_ = definition()["spec"]["resources"][0]
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"images.{BASELINE_GROUP}"},
        "spec": {
            "group": BASELINE_GROUP,
            "names": {k: v for k, v in resource_["names"].items() if k != "shortNames"},
            "scope": resource_["scope"],
            "versions": resource_["versions"],
        },
    }


def base_image(i: int) -> str:
    return f"registry.example.com/golden/base-{i % 100:02d}:12"


def image(api_version: str, i: int) -> dict[str, Any]:
    """~1 KB once served (with managedFields): `tenth=yes` on every 10th, `hundredth=yes` on
    every 100th, and one of 100 base images."""
    labels = {"bench": "yes", "team": f"team-{i % 7}"}
    if i % 10 == 0:
        labels["tenth"] = "yes"
    if i % 100 == 0:
        labels["hundredth"] = "yes"
    return {
        "apiVersion": api_version,
        "kind": "Image",
        "metadata": {"name": f"bench-{i:06d}", "labels": labels},
        "spec": {
            "baseImage": base_image(i),
            "packages": [f"package-number-{j:02d}" for j in range(20)],
            "schedule": "0 3 * * *",
        },
    }


@dataclass
class Side:
    """One way to reach the Image API (a CRD, or the gateway through kube-apiserver)."""

    title: str
    session: aiohttp.ClientSession
    base: str
    api_version: str
    timings: dict[str, list[float]] = field(default_factory=dict)
    rates: dict[str, float] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    created: int = 0
    creating: float = 0.0

    @property
    def collection(self) -> str:
        return f"{self.base}/namespaces/default/images"

    def add(self, what: str, seconds: float) -> None:
        self.timings.setdefault(what, []).append(seconds)


async def create(side: Side, i: int) -> None:
    for attempt in range(5):
        async with side.session.post(side.collection, json=image(side.api_version, i)) as r:
            body = await r.read()
            if r.status < 300:
                return
            if r.status not in (429, 500, 503, 504) or attempt == 4:
                raise RuntimeError(f"create {i} on {side.title}: {r.status} {body[:300]!r}")
        await asyncio.sleep(0.2 * (attempt + 1))


async def pool(jobs: Iterator[int], work: Callable[[int], Awaitable[None]], width: int) -> None:
    async def worker() -> None:
        for job in jobs:
            await work(job)

    await asyncio.gather(*(worker() for _ in range(width)))


async def load(sides: list[Side], objects: int) -> None:
    """Creates, IN_FLIGHT at a time, in chunks that alternate between the sides."""
    for start in range(0, objects, LOAD_CHUNK):
        for side in sides:
            stop = min(objects, start + LOAD_CHUNK)
            began = time.monotonic()
            await pool(iter(range(start, stop)), functools.partial(create, side), IN_FLIGHT)
            side.creating += time.monotonic() - began
            side.created += stop - start
    for side in sides:
        side.rates["create (16 in flight)"] = side.created / side.creating


async def fetch(side: Side, url: str, accept: str | None = None) -> tuple[float, float, bytes]:
    """(time to first byte, whole time, body) of one GET."""
    headers = {"Accept": accept} if accept else {}
    began = time.monotonic()
    async with side.session.get(url, headers=headers) as r:
        first = await r.content.readany()
        ttfb = time.monotonic() - began
        rest = await r.content.read()
        if r.status >= 300:
            raise RuntimeError(f"GET {url}: {r.status} {(first + rest)[:300]!r}")
    return ttfb, time.monotonic() - began, first + rest


async def watch_list(side: Side) -> tuple[float, int, int]:
    """(time, bytes on the wire, bytes of events) of an informer's initial sync: a WatchList
    read to its `k8s.io/initial-events-end` bookmark, taking gzip as client-go does (the
    stream is gzipped by both sides when they follow kube-apiserver 1.37)."""
    query = {
        "watch": "1",
        "sendInitialEvents": "true",
        "resourceVersionMatch": "NotOlderThan",
        "allowWatchBookmarks": "true",
        "timeoutSeconds": "300",
    }
    began = time.monotonic()
    wire = plain = 0
    async with side.session.get(
        f"{side.collection}?{urlencode(query)}",
        headers={"Accept-Encoding": "gzip"},
        auto_decompress=False,
    ) as r:
        if r.status >= 300:
            raise RuntimeError(f"WatchList on {side.title}: {r.status}")
        gzipped = r.headers.get("Content-Encoding") == "gzip"
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        tail = b""
        while b"initial-events-end" not in tail:
            data = await r.content.readany()
            if not data:
                raise RuntimeError(f"WatchList on {side.title} ended before its bookmark")
            wire += len(data)
            if gzipped:  # one gzip member per flush: a new decompressor at each member's end
                text = member.decompress(data)
                while member.eof and member.unused_data:
                    rest, member = member.unused_data, zlib.decompressobj(16 + zlib.MAX_WBITS)
                    text += member.decompress(rest)
                data = text
            plain += len(data)
            tail = tail[-64:] + data
    return time.monotonic() - began, wire, plain


def items(body: bytes) -> int:
    found = json.loads(body)
    return len(found.get("rows", found.get("items")) or [])


async def paged_walk(side: Side, limit: int) -> tuple[float, int]:
    """(time, items) of a whole paged walk: the pages' request times summed, not the client's
    decoding of each page for its continue token (stdlib JSON: ~4 ms a 550 kB page, and the
    client's GC pauses, up to 60 ms, counted on either side alike)."""
    spent, count, token = 0.0, 0, ""
    while True:
        query = {"limit": str(limit)} | ({"continue": token} if token else {})
        _, whole, body = await fetch(side, f"{side.collection}?{urlencode(query)}")
        spent += whole
        page = json.loads(body)
        count += len(page["items"])
        token = page["metadata"].get("continue") or ""
        if not token:
            return spent, count


def in_turn(sides: list[T], turn: int) -> list[T]:
    """The sides in order on even turns, reversed on odd ones: each side's samples follow
    the other side's requests as often as its own."""
    return sides if turn % 2 == 0 else sides[::-1]


async def measure_lists(sides: list[Side], runs: int) -> None:
    selected = base_image(7)
    queries: list[tuple[str, dict[str, str], str | None]] = [
        ("LIST unpaged", {}, None),
        ("LIST as Table", {}, TABLE),
        ("LIST labelSelector tenth=yes (10%)", {"labelSelector": "tenth=yes"}, None),
        ("LIST labelSelector hundredth=yes (1%)", {"labelSelector": "hundredth=yes"}, None),
        (
            "LIST fieldSelector spec.baseImage (1%)",
            {"fieldSelector": f"spec.baseImage={selected}"},
            None,
        ),
    ]
    for run in range(runs):
        for what, query, accept in queries:
            # A selector's list is small and quick: more samples, still side by side.
            repeats = SELECTOR_REPEATS if "Selector" in what else 1
            for repeat in range(repeats):
                for side in in_turn(sides, run * repeats + repeat):
                    url = f"{side.collection}?{urlencode(query)}" if query else side.collection
                    ttfb, whole, body = await fetch(side, url, accept)
                    side.add(what, whole)
                    if what == "LIST unpaged":
                        side.add("LIST unpaged, time to first byte", ttfb)
                    if run == 0:
                        side.notes[what] = f"{items(body)} items, {len(body) / 1e6:.1f} MB"
        for side in in_turn(sides, run):
            took, wire, plain = await watch_list(side)
            side.add("WatchList initial sync (gzip accepted)", took)
            if run == 0:
                side.notes["WatchList initial sync (gzip accepted)"] = (
                    f"{wire / 1e6:.1f} MB sent, {plain / 1e6:.1f} MB of events"
                )
        for side in in_turn(sides, run):
            whole, count = await paged_walk(side, 500)
            side.add("LIST paged limit=500 (whole walk)", whole)
            if run == 0:
                side.notes["LIST paged limit=500 (whole walk)"] = f"{count} items"


async def measure_gets(
    sides: list[Side], objects: int, per_client: int, rounds: int, pids: dict[str, int]
) -> None:
    """Requests/s and latency; and the CPU time each process spent per request (the bench
    itself as "client"): on two cores, throughput at 16 clients is bounded by their sum."""
    rng = random.Random(6)
    for clients in (1, IN_FLIGHT):
        what = f"GET random, {clients} client{'s' if clients > 1 else ''}"
        elapsed = {side.title: 0.0 for side in sides}
        done = {side.title: 0 for side in sides}
        cpu = {side.title: dict.fromkeys([*pids, "client"], 0.0) for side in sides}
        for round_ in range(rounds):
            for side in in_turn(sides, round_):
                names = iter([rng.randrange(objects) for _ in range(clients * per_client)])

                async def get(i: int, s: Side = side, w: str = what) -> None:
                    began = time.monotonic()
                    async with s.session.get(f"{s.collection}/bench-{i:06d}") as r:
                        await r.read()
                        if r.status != 200:
                            raise RuntimeError(f"GET bench-{i:06d}: {r.status}")
                    s.add(w, time.monotonic() - began)

                before = _cpu_now(pids)
                began = time.monotonic()
                await pool(names, get, clients)
                elapsed[side.title] += time.monotonic() - began
                done[side.title] += clients * per_client
                for name, spent in _cpu_now(pids).items():
                    cpu[side.title][name] += spent - before[name]
        for side in sides:
            side.rates[what] = done[side.title] / elapsed[side.title]
            side.notes[what] = "CPU per request: " + ", ".join(
                f"{name} {spent / done[side.title] * 1e3:.2f}ms"
                for name, spent in cpu[side.title].items()
            )


def _cpu_now(pids: dict[str, int]) -> dict[str, float]:
    return {name: cpu_seconds(pid) for name, pid in pids.items()} | {"client": time.process_time()}


class Watchers:
    """N watch streams on one side's collection; when each saw which `bench/seq`."""

    def __init__(self, side: Side, session: aiohttp.ClientSession, count: int) -> None:
        self.side, self.session, self.count = side, session, count
        self.arrivals: dict[int, list[float]] = {}
        self.complete: dict[int, asyncio.Event] = {}
        self.tasks: list[asyncio.Task[None]] = []

    async def open(self, resource_version: str) -> None:
        query = urlencode(
            {"watch": "true", "resourceVersion": resource_version, "timeoutSeconds": "1800"}
        )
        url = f"{self.side.collection}?{query}"
        responses = await asyncio.gather(*(self.session.get(url) for _ in range(self.count)))
        for response in responses:
            if response.status != 200:
                raise RuntimeError(f"watch on {self.side.title}: {response.status}")
            self.tasks.append(asyncio.create_task(self.read(response)))

    async def read(self, response: aiohttp.ClientResponse) -> None:
        async with response:
            while line := await response.content.readline():
                arrived = time.monotonic()
                event = json.loads(line)
                if event["type"] != "MODIFIED":
                    continue
                annotations = event["object"]["metadata"].get("annotations") or {}
                seq = int(annotations.get("bench/seq", "-1"))
                seen = self.arrivals.setdefault(seq, [])
                seen.append(arrived)
                if len(seen) == self.count and seq in self.complete:
                    self.complete[seq].set()

    async def write(self, seq: int, timeout: float) -> tuple[float, list[float], int]:
        """(patch latency, delivery latencies, watchers that missed it) of one write."""
        self.complete[seq] = asyncio.Event()
        patch = {"metadata": {"annotations": {"bench/seq": str(seq)}}}
        began = time.monotonic()
        async with self.side.session.patch(
            f"{self.side.collection}/{WATCHED}",
            data=json.dumps(patch),
            headers={"Content-Type": "application/merge-patch+json"},
        ) as r:
            await r.read()
            if r.status != 200:
                raise RuntimeError(f"patch on {self.side.title}: {r.status}")
        written = time.monotonic() - began
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.complete[seq].wait(), timeout)
        seen = self.arrivals.get(seq, [])
        return written, [t - began for t in seen], self.count - len(seen)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


async def measure_watch(
    sides: list[Side], sessions: list[aiohttp.ClientSession], counts: list[int]
) -> None:
    seq = 0
    for count in counts:
        what = f"watch delivery, {count} watcher{'s' if count > 1 else ''}"
        began = time.monotonic()
        groups = []
        for side, session in zip(sides, sessions, strict=True):
            _, _, body = await fetch(side, f"{side.collection}?limit=1")
            group = Watchers(side, session, count)
            await group.open(json.loads(body)["metadata"]["resourceVersion"])
            groups.append(group)
        opened = time.monotonic() - began
        missed = {side.title: 0 for side in sides}
        # A pause of either side's server or of this client shifts all of one write's
        # deliveries: one write is 1/`rounds` of the samples, so with fewer than 100 writes
        # the p99 is the single worst write's, i.e. whether one of them met a pause. Both
        # sides meet some (whole writes 30-40 ms late, 4 of 40, in a probe at 10k). With 60
        # writes the annex-CRD difference swung from -12 to +19 ms between two runs of the
        # same code; with 300 (a probe at 2k, 2026-12-05) it was +0.5 ms at 100 watchers.
        rounds = WATCH_WRITES
        for n in range(rounds + 1):
            for group in in_turn(groups, n):
                seq += 1
                written, delays, lost = await group.write(seq, timeout=20)
                if n == 0:  # warm-up: every stream established end to end
                    continue
                group.side.add(f"{what}: the patch itself", written)
                group.side.timings.setdefault(what, []).extend(delays)
                missed[group.side.title] += lost
        for group in groups:
            group.side.notes[what] = (
                f"{rounds} writes, {missed[group.side.title]} deliveries missed"
                f" (20 s); both sides' streams opened in {opened:.1f}s"
            )
            await group.close()


def control_plane_pids(workdir: Path) -> dict[str, int]:
    """kube-apiserver's and etcd's process ids, found by their binary and our workdir."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        name = Path(argv[0].decode(errors="replace")).name
        if name in ("kube-apiserver", "etcd") and str(workdir).encode() in b" ".join(argv):
            found[name] = int(entry.name)
    return found


async def measure_memory(sides: list[Side], pids: dict[str, int]) -> None:
    print("  memory (MB)")
    after = {name: memory(pid)["VmRSS"] for name, pid in pids.items()}
    print("    RSS after loading: " + ", ".join(f"{n} {v}" for n, v in after.items()))
    for side in reversed(sides):  # the gateway's side first: its peak is the one in question
        resets = [reset_peak(pid) for pid in pids.values()]
        await fetch(side, side.collection)
        peaks = {name: memory(pid)["VmHWM"] for name, pid in pids.items()}
        how = "peak RSS (VmHWM reset before)" if all(resets) else "peak RSS since start"
        print(
            f"    {how} over one unpaged LIST of {side.title}: "
            + ", ".join(f"{n} {v}" for n, v in peaks.items())
        )


def quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def print_figures(sides: list[Side]) -> None:
    crd_side, annex = sides
    print(f"  {'':<48} {'CRD':>22}   {'annex':>22}   annex/CRD")
    for what, rate in crd_side.rates.items():
        if what.startswith("create"):
            theirs = annex.rates[what]
            print(f"  {what:<48} {rate:16.0f} obj/s   {theirs:16.0f} obj/s   {theirs / rate:5.2f}x")
    for what, samples in crd_side.timings.items():
        mine = annex.timings.get(what) or [float("nan")]
        tail = what.startswith(("GET", "watch"))
        p99 = (
            f"  p99 {quantile(samples, 0.99) * 1000:8.1f} / {quantile(mine, 0.99) * 1000:8.1f} ms"
            if tail
            else ""
        )
        ours, theirs = statistics.median(samples) * 1000, statistics.median(mine) * 1000
        print(
            f"  {what:<48} p50 {ours:12.1f} ms   p50 {theirs:12.1f} ms   {theirs / ours:5.2f}x{p99}"
        )
        if what in crd_side.rates:
            rate, other = crd_side.rates[what], annex.rates[what]
            label = "  (throughput)"
            print(f"  {label:<48} {rate:14.0f} req/s   {other:14.0f} req/s   {other / rate:5.2f}x")
        for note_side in sides:
            if what in note_side.notes:
                print(f"  {'':<50}{note_side.title}: {note_side.notes[what]}")


def session(
    cert: Path, key: Path, ca: Path, limit: int, watch: bool = False
) -> aiohttp.ClientSession:
    context = ssl.create_default_context(cafile=str(ca))
    context.load_cert_chain(str(cert), str(key))
    timeout = aiohttp.ClientTimeout(total=None) if watch else aiohttp.ClientTimeout(total=600)
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=context, limit=limit), timeout=timeout
    )


async def run(objects: int, watchers: list[int], runs: int, durable: bool) -> None:
    shape = ", a defaulted field in both schemas" if WITH_DEFAULTS else ""
    sync = "etcd and SQLite sync every commit" if durable else "etcd does not sync, SQLite does"
    print(f"== {objects} objects per side{shape}, {sync}, python {sys.version.split()[0]} ==")
    async with annex_stack(durable=durable) as stack:
        cp, client = stack.cp, stack.client
        await kubectl(cp.kubeconfig, "apply", "-f", "-", stdin=json.dumps(definition()))
        await until(lambda: apiservice_available(client, "v1alpha1.images.example.com"))
        await client.apply(
            f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/images.{BASELINE_GROUP}",
            crd(),
            field_manager="bench",
        )
        await kubectl(
            cp.kubeconfig,
            "wait",
            "--for=condition=Established",
            f"crd/images.{BASELINE_GROUP}",
        )
        pids = {"gateway": stack.gateway_pid} | control_plane_pids(cp.workdir)
        creds = (cp.admin_cert_file, cp.admin_key_file, cp.ca_file)
        async with (
            session(*creds, limit=64) as admin,
            session(*creds, limit=0, watch=True) as crd_watch,
            session(*creds, limit=0, watch=True) as annex_watch,
        ):
            sides = [
                Side(
                    "CRD",
                    admin,
                    f"{cp.server}/apis/{BASELINE_GROUP}/v1alpha1",
                    f"{BASELINE_GROUP}/v1alpha1",
                ),
                Side(
                    "annex",
                    admin,
                    f"{cp.server}/apis/images.example.com/v1alpha1",
                    "images.example.com/v1alpha1",
                ),
            ]
            phase = time.monotonic()
            await load(sides, objects)
            print(f"loaded in {time.monotonic() - phase:.0f}s")
            for side in sides:
                _, _, one = await fetch(side, f"{side.collection}/{WATCHED}")
                print(f"  one object as served by {side.title}: {len(one)} bytes")
            await measure_memory(sides, pids)
            phase = time.monotonic()
            await measure_lists(sides, runs)
            print(f"lists measured in {time.monotonic() - phase:.0f}s")
            phase = time.monotonic()
            await measure_gets(sides, objects, per_client=150, rounds=4, pids=pids)
            print(f"gets measured in {time.monotonic() - phase:.0f}s")
            phase = time.monotonic()
            await measure_watch(sides, [crd_watch, annex_watch], watchers)
            print(f"watches measured in {time.monotonic() - phase:.0f}s")
            rss = {name: memory(pid) for name, pid in pids.items()}
            print(
                "  memory at the end (MB): "
                + ", ".join(f"{n} RSS {m['VmRSS']} peak {m['VmHWM']}" for n, m in rss.items())
            )
            print_figures(sides)


async def main(counts: list[int], watchers: list[int], runs: int, durable: bool) -> None:
    # 1,000 watchers per side are 2,000 client connections, and as many file descriptors in
    # kube-apiserver and the gateway (which inherit this limit).
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    for objects in counts:
        await run(objects, watchers, runs, durable)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--objects", type=int, nargs="+", default=[10000])
    parser.add_argument("--watchers", type=int, nargs="+", default=[1, 100, 1000])
    parser.add_argument("--runs", type=int, default=5, help="repetitions of every LIST")
    parser.add_argument(
        "--defaults",
        action="store_true",
        help="give both schemas a defaulted field the objects never set (defaults on read)",
    )
    parser.add_argument(
        "--etcd-fsync",
        choices=["on", "off"],
        default="on",
        help="on (default): etcd syncs every commit as the gateway's SQLite does (watch delivery "
        "includes the write); off: the test harness's etcd (--unsafe-no-fsync)",
    )
    args = parser.parse_args()
    WITH_DEFAULTS = args.defaults
    asyncio.run(main(args.objects, args.watchers, args.runs, args.etcd_fsync == "on"))
