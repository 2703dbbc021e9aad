"""Last-resort cleanup at interpreter exit, for paths that skip the normal stop.

The normal path is `ControlPlane.start()`'s finally block. This catches what it cannot:
an event loop closed with the context still open, or `sys.exit` from a signal handler.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
from pathlib import Path

_process_groups: set[int] = set()
_directories: set[Path] = set()


def track_process_group(pgid: int) -> None:
    _process_groups.add(pgid)


def forget_process_group(pgid: int) -> None:
    _process_groups.discard(pgid)


def track_directory(path: Path) -> None:
    _directories.add(path)


def forget_directory(path: Path) -> None:
    _directories.discard(path)


@atexit.register
def _reap() -> None:
    for pgid in list(_process_groups):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
    _process_groups.clear()
    for path in list(_directories):
        shutil.rmtree(path, ignore_errors=True)
    _directories.clear()
