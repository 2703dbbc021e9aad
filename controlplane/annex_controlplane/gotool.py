"""The Go toolchain as the harness's builds use it: find and check `go`, run it, one builder at a time."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import re
import shutil
import signal
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path

from annex_controlplane.errors import ControlPlaneError, log_tail
from annex_controlplane.progress import Reporter

LOCK_POLL_SECONDS = 1.0


def parse_go_version(text: str) -> tuple[int, int]:
    """(major, minor) of `go env GOVERSION` output such as `go1.26.8` or `go1.27rc1`."""
    match = re.search(r"go(\d+)\.(\d+)", text)
    if not match:
        raise ControlPlaneError(f"cannot read the Go version from {text.strip()!r}")
    return int(match.group(1)), int(match.group(2))


@contextlib.asynccontextmanager
async def exclusive(lock_path: Path, report: Reporter) -> AsyncIterator[None]:
    """An fcntl lock, polled so waiting never blocks the event loop and stays cancellable."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited:
                    report(f"waiting for another build to finish (lock {lock_path})")
                    waited = True
                await asyncio.sleep(LOCK_POLL_SECONDS)
        yield
    finally:
        os.close(fd)  # closing releases the lock


async def check_go(report: Reporter, minimum: tuple[int, int], needed_by: str) -> str:
    """The path of `go`, once it is known to be at least `minimum` (`needed_by` says for what)."""
    go = shutil.which("go")
    if go is None:
        raise ControlPlaneError(
            "`go` is not on PATH; Go >= {}.{} is needed to build {} (https://go.dev/dl/)".format(
                *minimum, needed_by
            )
        )
    proc = await asyncio.create_subprocess_exec(
        go,
        "env",
        "GOVERSION",
        env=go_env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    text = out.decode(errors="replace")
    if proc.returncode != 0:
        raise ControlPlaneError(f"`{go} env GOVERSION` failed: {text.strip()}")
    found = parse_go_version(text)
    if found < minimum:
        raise ControlPlaneError(
            f"{go} is {text.strip()}; {needed_by} needs Go >= {minimum[0]}.{minimum[1]}"
        )
    report(f"using {go} ({text.strip()})")
    return go


def go_env() -> dict[str, str]:
    # No go.work from a parent directory, and no silent toolchain download: we checked ours.
    return {**os.environ, "GOWORK": "off", "GOTOOLCHAIN": "local", "GO111MODULE": "on"}


async def run_go(go: str, args: Sequence[str], cwd: Path, log: Path, env: Mapping[str, str]) -> str:
    """Run go; stdout is returned, stderr appended to `log`, its tail raised on failure."""
    with log.open("ab") as sink:
        sink.write(f"$ go {' '.join(args)}\n".encode())
        sink.flush()
        # A session of its own so that cancelling kills go and the compilers it started.
        proc = await asyncio.create_subprocess_exec(
            go,
            *args,
            cwd=cwd,
            env=dict(env),
            stdout=asyncio.subprocess.PIPE,
            stderr=sink,
            start_new_session=True,
        )
        try:
            out, _ = await proc.communicate()
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            await asyncio.shield(proc.wait())
            raise
    text = out.decode(errors="replace")
    if proc.returncode != 0:
        raise ControlPlaneError(
            f"`go {' '.join(args)}` failed (exit {proc.returncode}) in {cwd}; "
            f"last lines of {log}:\n{log_tail(log)}\n{text[-2000:]}".rstrip()
        )
    return text
