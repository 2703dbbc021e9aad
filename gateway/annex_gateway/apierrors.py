"""Kubernetes `Status` errors, worded as kube-apiserver words them (k8s.io/apimachinery errors.go).

A leaf module: every layer of the gateway raises these, and the server turns them into a
`metav1.Status` body with the HTTP status equal to `code`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from annex_core.apidef import FieldError
from annex_core.gotext import go_quote


class StatusError(Exception):
    def __init__(
        self,
        code: int,
        reason: str,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
        self.headers = headers or {}
        # What the request was warned of before it failed: kube-apiserver sends those too.
        self.warnings: tuple[str, ...] = ()
        # ListMeta.continue: an expired list's token to go on with (inconsistently).
        self.list_continue = ""

    def status(self) -> dict[str, Any]:
        """In metav1.Status's field order, as Go writes the struct."""
        body: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {"continue": self.list_continue} if self.list_continue else {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
        }
        if self.details is not None:  # `{}` too: kube-apiserver sends an empty details object
            body["details"] = _in_field_order(self.details, _DETAILS_FIELDS)
            if isinstance(causes := body["details"].get("causes"), list):
                body["details"]["causes"] = [
                    _in_field_order(c, _CAUSE_FIELDS) if isinstance(c, dict) else c for c in causes
                ]
        body["code"] = self.code
        return body


_DETAILS_FIELDS = ("name", "group", "kind", "uid", "causes", "retryAfterSeconds")
_CAUSE_FIELDS = ("reason", "message", "field")


def _in_field_order(value: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """A struct's JSON keys in its fields' order (any others after them)."""
    ordered = {k: value[k] for k in fields if k in value}
    return ordered | {k: v for k, v in value.items() if k not in ordered}


def qualified(group: str, plural: str) -> str:
    """`images.example.com`: the resource as kube-apiserver names it in messages."""
    return f"{plural}.{group}" if group else plural


def _details(group: str, kind: str, name: str, **more: Any) -> dict[str, Any]:
    # StatusDetails' fields are omitempty.
    details: dict[str, Any] = {k: v for k, v in (("group", group), ("kind", kind)) if v}
    details.update(more)
    if name:
        details["name"] = name
    return details


def not_found(group: str, plural: str, name: str) -> StatusError:
    return StatusError(
        404,
        "NotFound",
        f'{qualified(group, plural)} "{name}" not found',
        details=_details(group, plural, name),
    )


def path_not_found() -> StatusError:
    return StatusError(
        404, "NotFound", "the server could not find the requested resource", details={}
    )


def forbidden(
    group: str, plural: str, name: str, why: str, causes: Iterable[dict[str, str]] = ()
) -> StatusError:
    """errors.NewForbidden, as admission.NewForbidden words an admission plugin's refusal."""
    quoted = f" {go_quote(name)}" if name else ""
    details = _details(group, plural, name)
    if causes := list(causes):
        details["causes"] = causes
    return StatusError(
        403, "Forbidden", f"{qualified(group, plural)}{quoted} is forbidden: {why}", details=details
    )


def already_exists(group: str, plural: str, name: str) -> StatusError:
    return StatusError(
        409,
        "AlreadyExists",
        f'{qualified(group, plural)} "{name}" already exists',
        details=_details(group, plural, name),
    )


def conflict(group: str, plural: str, name: str, why: str) -> StatusError:
    return StatusError(
        409,
        "Conflict",
        f'Operation cannot be fulfilled on {qualified(group, plural)} "{name}": {why}',
        details=_details(group, plural, name),
    )


MODIFIED = (
    "the object has been modified; please apply your changes to the latest version and try again"
)


def invalid(group: str, kind: str, name: str, errors: Iterable[FieldError]) -> StatusError:
    errors = list(errors)
    # ErrorList.ToAggregate: the message names each distinct error once; causes keep all.
    distinct = list(dict.fromkeys(str(e) for e in errors))
    summary = ", ".join(distinct)
    if len(distinct) > 1:
        summary = f"[{summary}]"
    return StatusError(
        422,
        "Invalid",
        f'{qualified(group, kind)} "{name}" is invalid: {summary}',
        details=_details(
            group,
            kind,
            name,
            causes=[
                {"reason": e.reason, "message": f"{e.message}", "field": e.field} for e in errors
            ],
        ),
    )


def bad_request(message: str) -> StatusError:
    return StatusError(400, "BadRequest", message)


def wrong_name(found: str, url_name: str) -> StatusError:
    """handlers/rest.go checkName's 400 for an object whose name is not the URL's: none at all
    is the namer's errEmptyName."""
    if not found:
        return bad_request(
            f"the name of the object ({url_name} based on URL) was undeterminable: "
            "name must be provided"
        )
    return bad_request(
        f"the name of the object ({found}) does not match the name on the URL ({url_name})"
    )


def unauthorized() -> StatusError:
    return StatusError(401, "Unauthorized", "Unauthorized")


def method_not_supported(group: str, plural: str, verb: str) -> StatusError:
    return StatusError(
        405,
        "MethodNotAllowed",
        f'{verb} is not supported on resources of kind "{qualified(group, plural)}"',
        details=_details(group, plural, ""),
    )


def not_acceptable(accepted: Iterable[str]) -> StatusError:
    return StatusError(
        406, "NotAcceptable", f"only the following media types are accepted: {', '.join(accepted)}"
    )


def unsupported_media_type(accepted: Iterable[str]) -> StatusError:
    return StatusError(
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: "
        + ", ".join(accepted),
    )


def expired(message: str) -> StatusError:
    return StatusError(410, "Expired", message)


def too_large(message: str) -> StatusError:
    return StatusError(413, "RequestEntityTooLarge", message)


def internal(message: str) -> StatusError:
    """NewInternalError: the error again as the one cause."""
    return StatusError(
        500,
        "InternalError",
        f"Internal error occurred: {message}",
        details={"causes": [{"message": message}]},
    )


def warning_header(text: str) -> str:
    """`299 - "text"`, as k8s.io/apimachinery's NewWarningHeader formats it."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'299 - "{escaped}"'


# k8s.io/apiserver's warning recorder: past 4 Ki runes in all, every warning is cut to 256.
WARNINGS_TOTAL_RUNES = 4 * 1024
WARNING_ITEM_RUNES = 256


def warning_headers(texts: Iterable[str]) -> list[str]:
    """The Warning headers for `texts` as kube-apiserver's recorder writes them: each text
    once, none with a control character (NewWarningHeader refuses them), and truncated once
    they add up to more than 4 Ki runes."""
    kept = [t for t in dict.fromkeys(texts) if t and not any(_is_control(c) for c in t)]
    if sum(len(t) for t in kept) > WARNINGS_TOTAL_RUNES:
        kept = [t[:WARNING_ITEM_RUNES] for t in kept]
    return [warning_header(t) for t in kept]


def _is_control(c: str) -> bool:
    return unicodedata.category(c) == "Cc"
