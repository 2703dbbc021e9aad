"""Human progress lines on stderr: a cold build takes minutes, so say what is happening."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

Reporter = Callable[[str], None]

HEARTBEAT_SECONDS = 30.0


def stderr_reporter(line: str) -> None:
    print(f"[controlplane] {line}", file=sys.stderr, flush=True)


@asynccontextmanager
async def phase(
    report: Reporter, name: str, *, heartbeat: float = HEARTBEAT_SECONDS
) -> AsyncIterator[None]:
    """Report the start and end of `name` with elapsed seconds, and a line now and then."""
    started = time.monotonic()
    report(f"{name} ...")

    async def beat() -> None:
        while True:
            await asyncio.sleep(heartbeat)
            report(f"{name}: still running ({time.monotonic() - started:.0f} s)")

    beating = asyncio.create_task(beat())
    try:
        yield
    except BaseException:
        report(f"{name} failed after {time.monotonic() - started:.1f} s")
        raise
    finally:
        beating.cancel()
    report(f"{name} done in {time.monotonic() - started:.1f} s")
