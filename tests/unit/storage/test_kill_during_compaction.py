"""kill -9 of a process writing to the store while compaction runs all the time: no acked
write is lost, revisions only go up across restarts, and every compaction point a crash
leaves behind is a complete snapshot with all later history still there to replay."""

from __future__ import annotations

import asyncio
import random
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from annex_gateway.storage import Expired, NotFound, ObjectKey, SqliteStore

from . import kill_writer

WRITER = Path(kill_writer.__file__)
RESOURCE = kill_writer.RESOURCE
CYCLES = 20
LINE_TIMEOUT = 60.0  # generous: a line normally comes within milliseconds


@dataclass
class Model:
    """Every write the store committed, as far as the writers told: name -> [(revision, op)]."""

    writes: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    last_acked: int = 0

    def record(self, name: str, revision: int, op: str) -> None:
        self.writes.setdefault(name, []).append((revision, op))

    def live_at(self, revision: int) -> dict[str, int]:
        """The objects there were at `revision`, each with its resourceVersion."""
        live = {}
        for name, writes in self.writes.items():
            before = [(rev, op) for rev, op in writes if rev <= revision]
            if before and before[-1][1] != "delete":
                live[name] = before[-1][0]
        return live

    def revisions_after(self, revision: int) -> list[int]:
        return sorted(rev for writes in self.writes.values() for rev, _ in writes if rev > revision)


@dataclass
class Cycle:
    in_flight: tuple[str, str] | None = None  # (op, name) announced and not acked
    acks: int = 0
    batches: int = 0


async def run_and_kill(db: Path, generation: int, model: Model, rng: random.Random) -> Cycle:
    """Start a writer, kill it at a random moment or as a compaction batch begins, and
    take in every line it wrote before it died."""
    cycle = Cycle()
    at_batch = rng.randint(1, 40) if generation % 2 else None
    kill_after = rng.uniform(0.0, 0.3)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(WRITER),
        str(db),
        str(generation),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    loop = asyncio.get_running_loop()
    deadline: float | None = None
    while proc.returncode is None:
        line = await asyncio.wait_for(proc.stdout.readline(), LINE_TIMEOUT)
        if not line:
            break  # it died on its own: the return code below says so
        take(line.decode(), cycle, model)
        assert cycle.acks < 5000, "no compaction batch began"
        if deadline is None and cycle.acks:
            deadline = loop.time() + kill_after
        if (at_batch is not None and cycle.batches >= at_batch) or (
            at_batch is None and deadline is not None and loop.time() >= deadline
        ):
            proc.send_signal(signal.SIGKILL)
            break
    # Whatever reached the pipe before the kill was acked too.
    while line := await asyncio.wait_for(proc.stdout.readline(), LINE_TIMEOUT):
        take(line.decode(), cycle, model)
    returncode = await asyncio.wait_for(proc.wait(), LINE_TIMEOUT)
    errors = (await proc.stderr.read()).decode()
    assert returncode == -signal.SIGKILL, f"the writer ended by itself:\n{errors}"
    assert errors == "", errors
    return cycle


def take(line: str, cycle: Cycle, model: Model) -> None:
    kind, *words = line.split()
    if kind == "intent":
        assert cycle.in_flight is None
        cycle.in_flight = (words[0], words[1])
    elif kind == "ack":
        op, name, revision = words[0], words[1], int(words[2])
        assert cycle.in_flight == (op, name)
        assert revision > model.last_acked, "revisions went backwards"
        model.record(name, revision, op)
        model.last_acked = revision
        cycle.in_flight = None
        cycle.acks += 1
    else:
        assert kind == "batch", line
        cycle.batches += 1


async def check_after_restart(db: Path, cycle: Cycle, model: Model) -> int:
    """Reopen the store and compare it with every acked write; returns the compacted
    revision the killed writer left."""
    store = SqliteStore(db)  # default retention: this check compacts nothing itself
    await store.open()
    try:
        current = await store.current_revision()
        if current == model.last_acked + 1:  # the write in flight at the kill committed
            assert cycle.in_flight is not None
            op, name = cycle.in_flight
            model.record(name, current, op)
            model.last_acked = current
        assert current == model.last_acked, "an acked write was lost, or one came from nowhere"

        live = model.live_at(current)
        for name, writes in model.writes.items():
            got = await get_revision(store, name)
            assert got == live.get(name), f"{name}: stored {got}, acked {writes}"
        assert await listed(store, current) == live

        compacted = await compacted_revision(store)
        if compacted:
            assert await listed(store, compacted) == model.live_at(compacted)
        async with store.watch(RESOURCE, after_revision=compacted) as watch:
            expected = model.revisions_after(compacted)
            replayed = [
                (await asyncio.wait_for(anext(watch), LINE_TIMEOUT)).revision for _ in expected
            ]
        assert replayed == expected
        return compacted
    finally:
        await store.close()


async def get_revision(store: SqliteStore, name: str) -> int | None:
    try:
        stored = await store.get(ObjectKey(RESOURCE, "default", name))
    except NotFound:
        return None
    return int(stored["metadata"]["resourceVersion"])


async def listed(store: SqliteStore, revision: int) -> dict[str, int]:
    result = await store.list(RESOURCE, at_revision=revision)
    return {o["metadata"]["name"]: int(o["metadata"]["resourceVersion"]) for o in result.items}


async def compacted_revision(store: SqliteStore) -> int:
    """The oldest readable revision, as an Expired list of revision 0 tells it."""
    try:
        await store.list(RESOURCE, limit=1, at_revision=0)
    except Expired as e:
        return e.oldest
    return 0


@pytest.mark.timeout(600)
async def test_kill_9_during_writes_and_compaction_loses_no_acked_write(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    rng = random.Random(8)
    model = Model()
    compacted_points = []
    for generation in range(CYCLES):
        cycle = await run_and_kill(db, generation, model, rng)
        assert cycle.acks > 0
        compacted_points.append(await check_after_restart(db, cycle, model))
    assert compacted_points == sorted(compacted_points)  # compaction never went backwards
    assert compacted_points[-1] > 0, "compaction never ran"
