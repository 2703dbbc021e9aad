"""Run a module as `python -m` would, recording every collection of the cyclic garbage
collector (generation, duration, when it ended) and how many objects it tracked after its
last full collection (a gateway thaws its frozen objects as it stops); written as JSON to a file when it returns (a gateway stopped
by SIGTERM returns: it stops gracefully).

    python bench/gc_recorded.py OUT.json annex_cli.main serve ...
"""

from __future__ import annotations

import gc
import json
import runpy
import sys
import time
from typing import Any


def main() -> None:
    out, module, *args = sys.argv[1:]
    sys.argv = [module, *args]
    collections: list[tuple[int, float, float]] = []  # generation, seconds, when
    started = 0.0
    tracked = 0  # objects the collector walks, counted after its last full collection

    def record(phase: str, info: dict[str, Any]) -> None:
        nonlocal started, tracked
        if phase == "start":
            started = time.perf_counter()
            return
        collections.append((info["generation"], time.perf_counter() - started, time.time()))
        if info["generation"] == 2:  # rare: the count walks every object (frozen ones not)
            tracked = len(gc.get_objects())

    gc.callbacks.append(record)
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    finally:
        gc.callbacks.remove(record)
        with open(out, "w") as f:
            json.dump({"collections": collections, "tracked": tracked}, f)


if __name__ == "__main__":
    main()
