"""Query parameters converted as k8s.io/apimachinery converts url.Values into options
(runtime/conversion.go): the first value of a name counts; an integer is strconv.ParseInt's,
so ` 1`, `1_000`, `٣` or `1.5` fail where Python's int() would take some, with the 400
kube-apiserver answers (`strconv.ParseInt: parsing "x": invalid syntax`); a boolean is true
unless it is `0` or `false` in any case.
"""

from __future__ import annotations

from collections.abc import Mapping

from annex_core.gotext import NumberError, parse_int64
from annex_gateway import apierrors


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
