"""One child process in its own process group, logging to a file, stopped for sure."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annex_controlplane import reaper
from annex_controlplane.errors import log_tail

STOP_TIMEOUT_SECONDS = 15.0


@dataclass
class ManagedProcess:
    name: str
    process: asyncio.subprocess.Process
    log: Path
    _stopped: bool = False

    @classmethod
    async def spawn(cls, name: str, argv: Sequence[str], log: Path) -> ManagedProcess:
        """Start `argv` with stdout and stderr appended to `log`."""
        with log.open("ab") as sink:
            # A new session: a terminal's Ctrl-C does not race our orderly stop, and the
            # whole group can be killed at once.
            process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=sink,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )
        reaper.track_process_group(process.pid)
        return cls(name=name, process=process, log=log)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process.returncode is None

    def describe_exit(self) -> str:
        return f"{self.name} exited with code {self.process.returncode}; log {self.log}:\n" + (
            log_tail(self.log)
        )

    async def stop(self, grace: float = STOP_TIMEOUT_SECONDS) -> None:
        """SIGTERM the group, wait up to `grace` seconds, then SIGKILL it. Safe to call twice."""
        if self._stopped:
            return
        if self.running:
            self._signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), grace)
            except TimeoutError:
                self._signal(signal.SIGKILL)
                await self.process.wait()
        # Anything the leader left behind in its group goes too.
        self._signal(signal.SIGKILL)
        # Only now: if this stop is interrupted, the exit-time reaper still kills the group.
        # Never signal the group again later: its id could by then belong to someone else.
        self._stopped = True
        reaper.forget_process_group(self.pid)

    def _signal(self, signum: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signum)
