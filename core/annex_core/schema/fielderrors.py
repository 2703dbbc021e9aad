"""k8s.io/apimachinery's `field.Error` constructors, rendering exactly as kube-apiserver does.

Each returns an `apidef.FieldError` whose `message` is Go's `ErrorBody()` (what a Status
cause's `message` carries) and whose `reason` is the `ErrorType` (the cause's `reason`).
Bad values print as Go prints them: numbers and booleans with `%v`, strings with `%q`,
anything else as `json.Marshal` writes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from annex_core.apidef import FieldError
from annex_core.gotext import go_float_g, go_json, go_quote

NOT_FOUND = "FieldValueNotFound"
REQUIRED = "FieldValueRequired"
DUPLICATE = "FieldValueDuplicate"
INVALID = "FieldValueInvalid"
NOT_SUPPORTED = "FieldValueNotSupported"
FORBIDDEN = "FieldValueForbidden"
TOO_LONG = "FieldValueTooLong"
TOO_MANY = "FieldValueTooMany"
TOO_FEW = "FieldValueTooFew"
INTERNAL = "InternalError"
TYPE_INVALID = "FieldValueTypeInvalid"
TOO_SHORT = "FieldValueTooShort"

_TITLES = {
    NOT_FOUND: "Not found",
    REQUIRED: "Required value",
    DUPLICATE: "Duplicate value",
    INVALID: "Invalid value",
    NOT_SUPPORTED: "Unsupported value",
    FORBIDDEN: "Forbidden",
    TOO_LONG: "Too long",
    TOO_MANY: "Too many",
    TOO_FEW: "Too few",
    INTERNAL: "Internal error",
    TYPE_INVALID: "Invalid value",
    TOO_SHORT: "Too short",
}
# Types whose body never shows the bad value.
_VALUELESS = {REQUIRED, FORBIDDEN, TOO_LONG, TOO_SHORT, INTERNAL}


class _Omit:
    """field.omitValue: the body shows the type's title alone."""


OMIT: Any = _Omit()


def go_value(value: Any) -> str:
    """A bad value as `ErrorBody` prints it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return go_float_g(value)
    if isinstance(value, str):
        return go_quote(value)
    return go_json(value)


def body(reason: str, value: Any = OMIT, detail: str = "") -> str:
    """`field.Error.ErrorBody()`."""
    title = _TITLES.get(reason, f"<unknown error {go_quote(reason)}>")
    text = title if reason in _VALUELESS or value is OMIT else f"{title}: {go_value(value)}"
    return f"{text}: {detail}" if detail else text


def error(path: str, reason: str, value: Any = OMIT, detail: str = "") -> FieldError:
    return FieldError(path, reason, body(reason, value, detail))


def invalid(path: str, value: Any, detail: str) -> FieldError:
    return error(path, INVALID, value, detail)


def type_invalid(path: str, value: Any, detail: str) -> FieldError:
    return error(path, TYPE_INVALID, value, detail)


def required(path: str, detail: str = "") -> FieldError:
    return error(path, REQUIRED, "", detail)


def forbidden(path: str, detail: str) -> FieldError:
    return error(path, FORBIDDEN, "", detail)


def duplicate(path: str, value: Any) -> FieldError:
    return error(path, DUPLICATE, value)


def not_found(path: str, value: Any) -> FieldError:
    return error(path, NOT_FOUND, value)


def not_supported(path: str, value: Any, valid: Iterable[Any] = ()) -> FieldError:
    quoted = [go_quote(v if isinstance(v, str) else go_value(v)) for v in valid]
    return error(
        path, NOT_SUPPORTED, value, "supported values: " + ", ".join(quoted) if quoted else ""
    )


def too_long(path: str, max_length: int, unit: str = "bytes") -> FieldError:
    """TooLong (bytes) or TooLongCharacters (unit="characters")."""
    if max_length >= 0:
        noun = unit[:-1] if max_length == 1 else unit
        detail = f"may not be more than {max_length} {noun}"
    else:
        detail = "value is too long"
    return error(path, TOO_LONG, "<value omitted>", detail)


def too_short(path: str, value: Any, min_length: int) -> FieldError:
    if min_length >= 0:
        noun = "character" if min_length == 1 else "characters"
        detail = f"must be at least {min_length} {noun}"
    else:
        detail = "value is too short"
    return error(path, TOO_SHORT, value, detail)


def too_many(path: str, actual: int, maximum: int) -> FieldError:
    if maximum >= 0:
        detail = f"must have at most {maximum} {'item' if maximum == 1 else 'items'}"
    else:
        detail = "has too many items"
    return error(path, TOO_MANY, actual if actual >= 0 else OMIT, detail)


def too_few(path: str, actual: int, minimum: int) -> FieldError:
    if minimum >= 0:
        detail = f"must have at least {minimum} {'item' if minimum == 1 else 'items'}"
    else:
        detail = "has too few items"
    return error(path, TOO_FEW, actual, detail)


def internal(path: str, message: str) -> FieldError:
    return error(path, INTERNAL, OMIT, message)


def child(path: str | None, name: str) -> str:
    """`field.Path.Child`: `name` under `path` (None: the root, no leading dot)."""
    return name if path is None else f"{path}.{name}"


def key(path: str | None, key: str | int) -> str:
    """`field.Path.Key` / `Index`: `path[key]`."""
    return f"[{key}]" if path is None else f"{path}[{key}]"
