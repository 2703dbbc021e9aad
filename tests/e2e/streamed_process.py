"""A process whose stdout is read as it comes, for commands that run while a test goes on.

A test can wait until it has printed something (a watch is established once its first event
is out) and stop it once the last output it expects has arrived, instead of guessing durations.
"""

from __future__ import annotations

import asyncio
import re

from tests.helpers import REPO, Completed


class StreamedProcess:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        assert process.stderr is not None
        self._process = process
        self._stdout = bytearray()
        self._arrived = asyncio.Event()
        self._reading = asyncio.create_task(self._read(process.stdout))
        self._stderr = asyncio.create_task(process.stderr.read())

    @classmethod
    async def start(cls, *cmd: str) -> StreamedProcess:
        process = await asyncio.create_subprocess_exec(
            *cmd,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=REPO,
        )
        return cls(process)

    async def _read(self, stream: asyncio.StreamReader) -> None:
        while chunk := await stream.read(1 << 16):
            self._stdout += chunk
            self._arrived.set()
        self._arrived.set()  # end of output: waiters stop waiting

    @property
    def stdout(self) -> str:
        return self._stdout.decode(errors="replace")

    async def wait_for(self, pattern: str, timeout: float) -> bool:
        """Until stdout matches `pattern` (a multi-line regex): False if the output ends or
        `timeout` passes first."""
        regex = re.compile(pattern, re.MULTILINE)
        try:
            async with asyncio.timeout(timeout):
                while not regex.search(self.stdout):
                    if self._reading.done():
                        return False
                    self._arrived.clear()
                    await self._arrived.wait()
        except TimeoutError:
            return False
        return True

    async def finish(self, stop_after: str, timeout: float) -> Completed:
        """Stop the process (SIGTERM) once stdout matches `stop_after`, or, with no pattern,
        let it exit by itself; killed when `timeout` passes first. Returns all it printed:
        what was written before the signal is still read to the end."""
        if stop_after:
            await self.wait_for(stop_after, timeout)
            if self._process.returncode is None:
                self._process.terminate()
        try:
            await asyncio.wait_for(self._process.wait(), timeout)
        except TimeoutError:
            await self.kill()
        await self._reading
        stderr = await self._stderr
        assert self._process.returncode is not None
        return Completed(self._process.returncode, self.stdout, stderr.decode(errors="replace"))

    async def kill(self) -> None:
        if self._process.returncode is None:
            self._process.kill()
            await self._process.wait()
        await asyncio.gather(self._reading, self._stderr)
