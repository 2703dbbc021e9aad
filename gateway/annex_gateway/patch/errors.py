"""The errors field management raises, worded and coded as kube-apiserver does
(k8s.io/apimachinery pkg/util/managedfields/internal/conflict.go, structuredmerge.go,
versioncheck.go; apierrors for the Status shapes)."""

from __future__ import annotations

from typing import NamedTuple

from annex_core.gotext import go_quote
from annex_gateway.apierrors import StatusError
from annex_gateway.patch.fieldpath import path_string
from annex_gateway.patch.managedfields import UPDATE, parse_identifier
from annex_gateway.patch.updater import Conflict


def bad_request(message: str) -> StatusError:
    return StatusError(400, "BadRequest", message)


def unconvertible(message: str) -> StatusError:
    """What field management cannot make typed, decode or merge. kube-apiserver returns these
    as plain Go errors: a 500 with no reason (ErrorToAPIStatus). They come of what a request
    sent (or of an object the gateway stored unvalidated: it checks no schema yet), so the
    gateway answers 400 with the same message, never a 5xx for a client's input."""
    return bad_request(message)


def print_manager(identifier: str) -> str:
    """printManager: `"kubectl"`, or `"kubectl-edit" using example.com/v1` for updaters."""
    try:
        info = parse_identifier(identifier)
    except ValueError:
        return go_quote(identifier)
    out = go_quote(info.get("manager", ""))
    if info.get("subresource"):
        out += f" with subresource {go_quote(info['subresource'])}"
    if info.get("operation") == UPDATE:
        out += f" using {info.get('apiVersion', '')}"
    return out


def conflict_message(conflicts: list[Conflict]) -> str:
    if len(conflicts) == 1:
        c = conflicts[0]
        return (
            "Apply failed with 1 conflict: "
            f"conflict with {print_manager(c.manager)}: {path_string(c.path)}"
        )
    by_manager: dict[str, list[str]] = {}
    for c in conflicts:
        by_manager.setdefault(c.manager, []).append(path_string(c.path))
    lines: list[str] = []
    for manager in sorted(by_manager):
        lines.append(f"conflicts with {print_manager(manager)}:")
        lines.extend(f"- {p}" for p in by_manager[manager])
    return f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)


class FieldConflict(NamedTuple):
    manager: str  # the manager's name, e.g. "kubectl-client-side-apply"
    field: str  # the path as k8s prints it, e.g. ".spec.replicas"
    message: str  # the cause's message: 'conflict with "..." using example.com/v1'


class ApplyConflict(StatusError):
    """409 Conflict, reason "Conflict", one FieldManagerConflict cause per conflicting path."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = [
            FieldConflict(
                parse_identifier(c.manager).get("manager", ""),
                path_string(c.path),
                f"conflict with {print_manager(c.manager)}",
            )
            for c in conflicts
        ]
        causes = [
            {"reason": "FieldManagerConflict", "message": c.message, "field": c.field}
            for c in self.conflicts
        ]
        super().__init__(409, "Conflict", conflict_message(conflicts), details={"causes": causes})
