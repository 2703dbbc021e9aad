"""Running a role (the scheduler, a worker) as a process: its log, and SIGTERM and Ctrl-C
cancelling it so its `finally` blocks run."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Coroutine
from typing import Any


def run(main: Coroutine[Any, Any, None], *, verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
    )
    # Its debug log prints every response body.
    logging.getLogger("kubernetes_asyncio").setLevel(logging.INFO)
    asyncio.run(_until_signalled(main))


async def _until_signalled(main: Coroutine[Any, Any, None]) -> None:
    task = asyncio.ensure_future(main)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, task.cancel)
    with contextlib.suppress(asyncio.CancelledError):
        await task
