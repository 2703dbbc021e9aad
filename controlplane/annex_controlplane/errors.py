"""The one exception the harness raises, so callers (pytest, `annex dev`) can catch it."""

from __future__ import annotations

from pathlib import Path


class ControlPlaneError(RuntimeError):
    """Building or running kube-apiserver/etcd failed; the message says why and shows logs."""


def log_tail(path: Path, lines: int = 40) -> str:
    """The last lines of a log file, to put in an error message."""
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(cannot read {path}: {exc})"
    return "\n".join(text.splitlines()[-lines:])
