"""JSON values as Go's unstructured decoding holds them, and Go's comparisons of them.

kube-apiserver decodes a body into `map[string]interface{}`, `[]interface{}`, `string`, `bool`,
`int64` (a number written without fraction or exponent that fits) or `float64` (any other
number: `1.0`, `1e3`, an integer beyond int64); apimachinery/pkg/util/json convertNumber.
Python's decoders keep integers of any size, so an `int` outside int64 stands for the float64
Go would hold. `reflect.DeepEqual` of such values is type-strict: `1` and `1.0` differ, and so
do `true` and `1` (which Python's `==` equates).
"""

from __future__ import annotations

import math
from typing import Any

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
_MAX_JSON_FLOAT = float((1 << 53) - 1)


def is_int64(value: Any) -> bool:
    """An int64 to Go (a Python int within range, not a bool)."""
    return type(value) is int and INT64_MIN <= value <= INT64_MAX


def as_go_number(value: int | float) -> int | float:
    """The int64 or float64 Go holds for a decoded JSON number."""
    if type(value) is int and not INT64_MIN <= value <= INT64_MAX:
        return float(value)
    return value


def go_type_name(value: Any) -> str:
    """The JSON type kube-openapi infers for a value (typeValidator.schemaInfoForType)."""
    t = type(value)
    if t is str:
        return "string"
    if t is dict:
        return "object"
    if t is list:
        return "array"
    if t is bool:
        return "boolean"
    if t is int:
        return "integer" if INT64_MIN <= value <= INT64_MAX else "number"
    if t is float:
        return "number"
    if value is None:
        return "null"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return ""


def is_float64_a_json_integer(f: float) -> bool:
    """swag conv.IsFloat64AJSONInteger: integral within ±(2^53-1), with 1e-9 relative slack."""
    if math.isnan(f) or math.isinf(f) or f < -_MAX_JSON_FLOAT or f > _MAX_JSON_FLOAT:
        return False
    rounded = _go_round(f)
    if f == rounded:
        return True
    if rounded == 0:
        return False
    diff = abs(f - rounded)
    if diff == 0:
        return True
    return diff < 1e-9 * abs(rounded)


def _go_round(f: float) -> float:
    """math.Round: half away from zero (Python's round() is half to even)."""
    return math.copysign(math.floor(abs(f) + 0.5), f)


def float_to_int64(f: float) -> int:
    """Go's int64(f) on amd64: truncation; NaN and out-of-range give the minimum int64."""
    if (
        math.isnan(f)
        or math.isinf(f)
        or not (-9.223372036854775808e18 <= f < 9.223372036854775808e18)
    ):
        return INT64_MIN
    return int(f)


def go_deep_equal(a: Any, b: Any) -> bool:
    """reflect.DeepEqual of two decoded JSON values."""
    ta, tb = type(a), type(b)
    if ta is not tb:
        # an int beyond int64 is a float64 to Go
        if (ta is int and tb is float) or (ta is float and tb is int):
            na, nb = as_go_number(a), as_go_number(b)
            return type(na) is type(nb) and na == nb
        return False
    if ta is dict:
        if len(a) != len(b):
            return False
        for key, value in a.items():
            if key not in b or not go_deep_equal(value, b[key]):
                return False
        return True
    if ta is list:
        return len(a) == len(b) and all(go_deep_equal(x, y) for x, y in zip(a, b, strict=True))
    if ta is int:
        return type(as_go_number(a)) is type(as_go_number(b)) and a == b
    return bool(a == b)
