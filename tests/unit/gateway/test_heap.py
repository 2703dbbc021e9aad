"""The heap trimmer: one trim a while after enough connections closed, off the event loop, and
none for fewer or once stopped."""

from __future__ import annotations

import asyncio
import threading

from annex_gateway.serving.heap import HeapTrimmer, malloc_trim


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, bool]] = []  # (pad, on the event loop's thread)
        self.loop_thread = threading.get_ident()

    def __call__(self, pad: int) -> int:
        self.calls.append((pad, threading.get_ident() == self.loop_thread))
        return 1


async def test_a_burst_of_closes_is_one_trim_after_the_delay_off_the_loop() -> None:
    trim = Recorder()
    trimmer = HeapTrimmer(trim, delay=0.05, after_closes=10)
    for _ in range(1000):
        trimmer.connection_closed()
    assert trim.calls == []  # not at once
    await asyncio.sleep(0.2)
    assert trim.calls == [(0, False)]
    for _ in range(10):  # as many closes again: another trim
        trimmer.connection_closed()
    await asyncio.sleep(0.2)
    assert len(trim.calls) == 2
    await trimmer.close()


async def test_too_few_closes_no_trim() -> None:
    trim = Recorder()
    trimmer = HeapTrimmer(trim, delay=0.0, after_closes=10)
    for _ in range(9):
        trimmer.connection_closed()
    await asyncio.sleep(0.1)
    assert trim.calls == []  # a trim costs the next allocations their page faults
    trimmer.connection_closed()
    await asyncio.sleep(0.1)
    assert len(trim.calls) == 1
    await trimmer.close()


async def test_no_trim_once_stopped() -> None:
    trim = Recorder()
    trimmer = HeapTrimmer(trim, delay=0.05, after_closes=1)
    trimmer.connection_closed()
    await trimmer.close()
    await asyncio.sleep(0.1)
    assert trim.calls == []


async def test_without_malloc_trim_closes_are_ignored() -> None:
    trimmer = HeapTrimmer(None, delay=0.0)
    trimmer.connection_closed()
    await trimmer.close()


def test_glibcs_malloc_trim_is_found_and_callable() -> None:
    trim = malloc_trim()
    assert trim is not None, "CI runs on Debian, with glibc"
    trim(0)
