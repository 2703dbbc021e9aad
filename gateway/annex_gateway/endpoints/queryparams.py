"""Query parameters converted as k8s.io/apimachinery converts url.Values into options
(runtime/conversion.go): the first value of a name counts; an integer is strconv.ParseInt's,
so ` 1`, `1_000`, `٣` or `1.5` fail where Python's int() would take some, with the 400
kube-apiserver answers (`strconv.ParseInt: parsing "x": invalid syntax`); a boolean is true
unless it is `0` or `false` in any case.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from annex_core.gotext import go_quote
from annex_gateway import apierrors

INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1
_SIGNED = re.compile(r"[+-]?[0-9]+\Z")  # [0-9], not \d: ASCII digits only, as Go's
_UNSIGNED = re.compile(r"[0-9]+\Z")


class NumberError(ValueError):
    """strconv's *NumError, worded as Go words it."""

    def __init__(self, function: str, text: str, why: str) -> None:
        super().__init__(f"strconv.{function}: parsing {go_quote(text)}: {why}")


def parse_int64(text: str) -> int:
    """strconv.ParseInt(text, 10, 64)."""
    if not _SIGNED.match(text):
        raise NumberError("ParseInt", text, "invalid syntax")
    value = int(text)
    if not -INT64_MAX - 1 <= value <= INT64_MAX:
        raise NumberError("ParseInt", text, "value out of range")
    return value


def parse_uint64(text: str) -> int:
    """strconv.ParseUint(text, 10, 64): no sign at all."""
    if not _UNSIGNED.match(text):
        raise NumberError("ParseUint", text, "invalid syntax")
    value = int(text)
    if value > UINT64_MAX:
        raise NumberError("ParseUint", text, "value out of range")
    return value


def int64_param(query: Mapping[str, str], name: str) -> int | None:
    """An int64 parameter (limit, timeoutSeconds, gracePeriodSeconds); None when absent."""
    text = query.get(name)
    if text is None:
        return None
    try:
        return parse_int64(text)
    except NumberError as e:
        raise apierrors.bad_request(str(e)) from None


def bool_param(query: Mapping[str, str], name: str) -> bool | None:
    """A bool parameter (Convert_Slice_string_To_bool): absent is None; `0` and `false` (any
    case) are false; anything else, even empty, is true."""
    text = query.get(name)
    if text is None:
        return None
    return text != "0" and text.lower() != "false"
