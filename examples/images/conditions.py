"""Status conditions as Kubernetes keeps them: one per type, lastTransitionTime kept until the
condition's status changes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def since(timestamp: str) -> float:
    """Seconds from an RFC 3339 timestamp (as `now()` writes them) to now."""
    return (datetime.now(UTC) - datetime.fromisoformat(timestamp)).total_seconds()


def find(conditions: list[dict[str, Any]], type_: str) -> dict[str, Any]:
    """The condition of that type, or {} when there is none."""
    return next((c for c in conditions if c.get("type") == type_), {})


def set_condition(
    conditions: list[dict[str, Any]],
    type_: str,
    *,
    status: bool,
    reason: str,
    message: str,
    **fields: Any,
) -> list[dict[str, Any]]:
    """`conditions` with the one of type `type_` replaced; `fields` add e.g. observedGeneration."""
    value = "True" if status else "False"
    old = find(conditions, type_)
    condition = {
        "type": type_,
        "status": value,
        "reason": reason,
        "message": message,
        **fields,
        "lastTransitionTime": (old["lastTransitionTime"] if old.get("status") == value else now()),
    }
    return [c for c in conditions if c.get("type") != type_] + [condition]
