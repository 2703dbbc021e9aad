"""Run a module as `python -m` would, under cProfile; the stats are dumped to a file when it
returns (a gateway stopped by SIGTERM returns: it stops gracefully).

    python bench/profiled.py OUT.prof annex_cli.main gateway ...
"""

from __future__ import annotations

import cProfile
import runpy
import sys


def main() -> None:
    out, module, *args = sys.argv[1:]
    sys.argv = [module, *args]
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    finally:
        profiler.disable()
        profiler.dump_stats(out)


if __name__ == "__main__":
    main()
