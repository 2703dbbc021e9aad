"""Status conditions of an ApiDefinition: pure transitions, in metav1.Condition's shape."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

JSON = dict[str, Any]
Status = Literal["True", "False", "Unknown"]

NAMES_ACCEPTED = "NamesAccepted"
ESTABLISHED = "Established"
AVAILABLE = "Available"
ORDER = (NAMES_ACCEPTED, ESTABLISHED, AVAILABLE)

MAX_MESSAGE = 32768  # metav1.Condition.message's limit


@dataclass(frozen=True)
class Condition:
    type: str
    status: Status
    reason: str
    message: str = ""


def timestamp(now: datetime.datetime) -> str:
    return now.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def find(conditions: Iterable[Mapping[str, Any]], type_: str) -> Mapping[str, Any] | None:
    return next((c for c in conditions if c.get("type") == type_), None)


def set_condition(
    conditions: Sequence[Mapping[str, Any]],
    condition: Condition,
    *,
    generation: int,
    now: datetime.datetime,
) -> list[JSON]:
    """`conditions` with `condition` set; lastTransitionTime moves only when the status does."""
    old = find(conditions, condition.type)
    transition = (
        str(old["lastTransitionTime"])
        if old is not None
        and old.get("status") == condition.status
        and old.get("lastTransitionTime")
        else timestamp(now)
    )
    new: JSON = {
        "type": condition.type,
        "status": condition.status,
        "reason": condition.reason,
        "message": condition.message[:MAX_MESSAGE],
        "lastTransitionTime": transition,
        "observedGeneration": generation,
    }
    updated = [dict(c) for c in conditions if c.get("type") != condition.type]
    updated.append(new)
    rank = {t: i for i, t in enumerate(ORDER)}
    return sorted(updated, key=lambda c: rank.get(str(c.get("type")), len(ORDER)))


def names_accepted() -> Condition:
    return Condition(NAMES_ACCEPTED, "True", "NoConflicts", "no conflicts found")


def invalid_definition(errors: Iterable[object]) -> Condition:
    lines = [str(e) for e in errors]
    return Condition(NAMES_ACCEPTED, "False", "InvalidDefinition", "; ".join(lines))


def group_conflict(reasons: Iterable[str]) -> Condition:
    return Condition(NAMES_ACCEPTED, "False", "GroupConflict", "; ".join(reasons))


def established() -> Condition:
    return Condition(ESTABLISHED, "True", "APIServicesRegistered", "the APIServices are registered")


def not_established(reason: str, message: str) -> Condition:
    return Condition(ESTABLISHED, "False", reason, message)


def available(apiservices: Sequence[Mapping[str, Any]]) -> Condition:
    """Mirror the APIServices' `Available`: True only when every one of them is True.

    The first APIService that is False (or, failing that, not yet reported on) decides the
    reason and message, prefixed with its name so that users know where to look.
    """
    if not apiservices:
        return Condition(AVAILABLE, "Unknown", "Pending", "no APIServices registered yet")
    pending: str | None = None
    for svc in apiservices:
        name = str(svc.get("metadata", {}).get("name", ""))
        cond = find(svc.get("status", {}).get("conditions") or [], AVAILABLE)
        if cond is None or cond.get("status") not in ("True", "False"):
            pending = pending or name
            continue
        if cond["status"] == "False":
            reason = str(cond.get("reason") or "Unavailable")
            return Condition(AVAILABLE, "False", reason, f"{name}: {cond.get('message', '')}")
    if pending is not None:
        return Condition(
            AVAILABLE, "Unknown", "Pending", f"{pending}: kube-apiserver has not reported yet"
        )
    return Condition(AVAILABLE, "True", "Passed", "all APIServices are available")
