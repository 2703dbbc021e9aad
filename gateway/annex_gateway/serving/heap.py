"""Handing the C heap's free memory back to the system once connections have closed.

Each TLS connection takes ~55 kB of C memory (OpenSSL's and libuv's buffers) that glibc's
malloc keeps when the connection closes; as watches and their connections come and go, the
holes they leave fragment the heap and the process grows (bench/watch_memory.py, rounds of
1,000 TLS watches opened, sent events and closed: RSS 148 MB with the first round's open,
~360 MB from the twentieth round on). glibc's malloc_trim gives free pages back, also inside
the heap; called a second after every 256 closes, every round runs in the first round's
148 MB and leaves 112 MB. One trim takes ~3 ms, in a worker thread (the call releases the
GIL). Where the C library has no malloc_trim (musl, macOS), nothing is done.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
from collections.abc import Callable

from annex_core import logs

log = logs.get(__name__)

# Closed connections between two trims. A trim hands pages back that the next allocations
# fault in again: trimmed every second while a connection closed every 0.3 s, watch
# deliveries to 100 watchers took 6.1 ms (p50) instead of 5.3. The heap grows by ~25 kB per
# closed connection until the next trim.
TRIM_AFTER_CLOSES = 256
# After the closes that call for a trim, how long until it: one trim for a burst of closes
# (with 10 s, rounds of churn in between grew the heap by 20-30 MB each before the trim).
TRIM_DELAY_SECONDS = 1.0

Trim = Callable[[int], object]


def malloc_trim() -> Trim | None:
    """glibc's malloc_trim(pad), or None where the C library has none."""
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the process's own C library
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


class HeapTrimmer:
    """`connection_closed()` on every close; `close()` on stop."""

    def __init__(
        self,
        trim: Trim | None = None,
        delay: float = TRIM_DELAY_SECONDS,
        after_closes: int = TRIM_AFTER_CLOSES,
    ) -> None:
        self._trim = trim
        self._delay = delay
        self._after_closes = after_closes
        self._closed = 0  # since the last trim began
        self._timer: asyncio.TimerHandle | None = None
        self._running: asyncio.Task[object] | None = None

    def connection_closed(self) -> None:
        self._closed += 1
        if self._trim is None or self._timer is not None or self._closed < self._after_closes:
            return
        self._timer = asyncio.get_running_loop().call_later(self._delay, self._start)

    def _start(self) -> None:
        self._timer = None
        if self._running is not None and not self._running.done():
            return  # still trimming: the next close schedules another
        assert self._trim is not None
        self._closed = 0
        self._running = asyncio.ensure_future(asyncio.to_thread(self._trim, 0))
        self._running.add_done_callback(_log_failure)

    async def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._running is not None:
            with contextlib.suppress(Exception):
                await self._running


def _log_failure(task: asyncio.Task[object]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("malloc_trim failed", error=str(task.exception()))
