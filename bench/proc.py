"""What /proc says about the processes a bench runs against: CPU time, resident memory."""

from __future__ import annotations

import os
from pathlib import Path


def cpu_seconds(pid: int, task: int | None = None) -> float:
    """A process's CPU time so far (user + system, all its threads), or one thread's."""
    return sum(user_and_system_seconds(pid, task))


def user_and_system_seconds(pid: int, task: int | None = None) -> tuple[float, float]:
    """A process's (or one thread's) user and system CPU time so far."""
    stat = Path(f"/proc/{pid}/task/{task}/stat" if task else f"/proc/{pid}/stat")
    fields = stat.read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def thread_cpu(pid: int) -> dict[int, float]:
    """CPU time so far of each of a process's threads, by thread id."""
    return {
        int(task.name): cpu_seconds(pid, int(task.name))
        for task in Path(f"/proc/{pid}/task").iterdir()
    }


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) // 1024
    return found


def reset_peak(pid: int) -> bool:
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False
