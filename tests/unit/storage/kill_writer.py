"""The process test_kill_during_compaction.py kills: writes to a store with so small a
retention that compaction runs all the time, and tells its parent on stdout, one line each:

    intent <op> <name>        before each write (create, update or delete)
    ack <op> <name> <rev>     once that write returned: it is committed
    batch <since> <upto>      as a compaction batch begins

python kill_writer.py DB GENERATION
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from typing import Any

from annex_gateway.storage import ObjectKey, SqliteStore

RESOURCE = "images.example.com/images"
BODY_BYTES = 64 << 10  # large bodies, so that deleting them is what compaction spends on
DELETE_LAG = 8  # each object is deleted this many objects after its creation
OPTIONS: dict[str, Any] = {
    "retain_revisions": 12,
    "compact_interval": 3,
    "compact_batch_revisions": 4,
    "compact_batch_bytes": 2 * BODY_BYTES,
}


def tell(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class BatchReporter(logging.Handler):
    PATTERN = re.compile(r"compacting history in \((\d+), (\d+)\]")

    def emit(self, record: logging.LogRecord) -> None:
        found = self.PATTERN.fullmatch(record.getMessage())
        if found:
            tell(f"batch {found[1]} {found[2]}")


def body(name: str, n: int) -> dict[str, Any]:
    blob = os.urandom(BODY_BYTES // 2).hex()
    return {"metadata": {"name": name}, "spec": {"n": n, "blob": blob}}


async def write(op: str, name: str, run: Any) -> int:
    tell(f"intent {op} {name}")
    stored = await run
    revision = int(stored["metadata"]["resourceVersion"])
    tell(f"ack {op} {name} {revision}")
    return revision


async def main(path: str, generation: str) -> None:
    logger = logging.getLogger("annex_gateway.storage.sqlite")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(BatchReporter())
    warnings = logging.StreamHandler()  # a failed compaction, on stderr
    warnings.setLevel(logging.WARNING)
    logger.addHandler(warnings)
    store = SqliteStore(path, **OPTIONS)
    await store.open()
    i = 0
    while True:  # until killed
        name = f"g{generation}-{i}"
        key = ObjectKey(RESOURCE, "default", name)
        revision = await write("create", name, store.create(key, body(name, 0)))
        await write("update", name, store.update(key, body(name, 1), expected_revision=revision))
        if i >= DELETE_LAG:
            old = f"g{generation}-{i - DELETE_LAG}"
            await write("delete", old, store.delete(ObjectKey(RESOURCE, "default", old)))
        i += 1


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
