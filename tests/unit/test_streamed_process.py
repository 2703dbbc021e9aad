"""The background process the kubectl matrix runs watches in: waiting for output, stopping it."""

from __future__ import annotations

import signal
from pathlib import Path

from tests.e2e.streamed_process import StreamedProcess


async def test_waits_for_a_line_then_stops_after_the_last_one(tmp_path: Path) -> None:
    go_on = tmp_path / "go-on"
    process = await StreamedProcess.start(
        "sh",
        "-c",
        f"echo first; while [ ! -e {go_on} ]; do sleep 0.05; done; echo last; exec sleep 600",
    )
    assert await process.wait_for(r"^first$", timeout=60)
    assert "last" not in process.stdout
    go_on.touch()
    result = await process.finish(r"^last\n", timeout=60)
    assert result.returncode == -signal.SIGTERM
    assert result.stdout == "first\nlast\n"


async def test_a_command_that_ends_by_itself_is_awaited(tmp_path: Path) -> None:
    process = await StreamedProcess.start("sh", "-c", "echo out; echo err >&2; exit 3")
    assert not await process.wait_for("never printed", timeout=60)
    result = await process.finish("", timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (3, "out\n", "err\n")
