"""JSON values as structured-merge-diff sees them: its total order, its equality and the
way Go prints them (sigs.k8s.io/structured-merge-diff value/value.go, value/fields.go).

Values are plain decoded JSON (dict, list, str, int, float, bool, None). Go keeps bool and
int apart where Python does not, and compares ints and floats numerically; every function
here follows Go.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any, Final

from annex_core.gotext import go_quote


class _Missing:
    """Go's nil `value.Value`: the field is absent (JSON null is Python None)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_float(v: Any) -> bool:
    return isinstance(v, float)


def is_number(v: Any) -> bool:
    return is_int(v) or is_float(v)


def is_scalar(v: Any) -> bool:
    return isinstance(v, (str, bool, int, float))


def _rank(v: Any) -> int:
    # value.Compare's order between kinds: numbers, strings, bools, lists, maps, null.
    if is_number(v):
        return 0
    if isinstance(v, str):
        return 1
    if isinstance(v, bool):
        return 2
    if isinstance(v, list):
        return 3
    if isinstance(v, dict):
        return 4
    return 5


def _cmp(a: Any, b: Any) -> int:
    return int(a > b) - int(a < b)


def compare(lhs: Any, rhs: Any) -> int:
    """value.Compare: a total order over values, even of different kinds."""
    rl, rr = _rank(lhs), _rank(rhs)
    if rl != rr:
        return -1 if rl < rr else 1
    if rl in (0, 1, 2):
        return _cmp(lhs, rhs)
    if rl == 3:
        for a, b in zip(lhs, rhs, strict=False):
            if c := compare(a, b):
                return c
        return _cmp(len(lhs), len(rhs))
    if rl == 4:
        return _compare_maps(lhs, rhs)
    return 0


def _compare_maps(lhs: dict[str, Any], rhs: dict[str, Any]) -> int:
    # value.MapCompareUsing: zip the keys in lexical order.
    if not lhs and not rhs:
        return 0
    keys = sorted(set(lhs) | set(rhs))
    for i, key in enumerate(keys):
        if i == len(lhs):
            return -1
        if i == len(rhs):
            return 1
        if key not in lhs:
            return 1
        if key not in rhs:
            return -1
        if c := compare(lhs[key], rhs[key]):
            return c
    return 0


_ABSENT: Final = object()
_PLAIN = (str, int, bool)  # types whose == is value.Equals between values of that type


def equals(lhs: Any, rhs: Any) -> bool:
    """value.Equals: numbers compare numerically, bools are not numbers.

    Values of the same plain JSON type are compared here directly, scalars inline; anything
    else (mixed types, subclasses) goes through the general rules of _equals."""
    t = type(lhs)
    if t is type(rhs):
        if t is dict:
            if len(lhs) != len(rhs):
                return False
            for k, v in lhs.items():
                w = rhs.get(k, _ABSENT)
                if w is _ABSENT:
                    return False
                tv = type(v)
                if tv is type(w) and tv in _PLAIN:
                    if v != w:
                        return False
                elif not equals(v, w):
                    return False
            return True
        if t is list:
            if len(lhs) != len(rhs):
                return False
            for v, w in zip(lhs, rhs, strict=True):
                tv = type(v)
                if tv is type(w) and tv in _PLAIN:
                    if v != w:
                        return False
                elif not equals(v, w):
                    return False
            return True
        if t in _PLAIN or t is float:
            return bool(lhs == rhs)
        if lhs is None:
            return True
    return _equals(lhs, rhs)


def _equals(lhs: Any, rhs: Any) -> bool:
    if is_float(lhs) or is_float(rhs):
        return is_number(lhs) and is_number(rhs) and float(lhs) == float(rhs)
    if is_int(lhs) or is_int(rhs):
        return is_int(lhs) and is_int(rhs) and lhs == rhs
    if isinstance(lhs, str) or isinstance(rhs, str):
        return isinstance(lhs, str) and isinstance(rhs, str) and lhs == rhs
    if isinstance(lhs, bool) or isinstance(rhs, bool):
        return isinstance(lhs, bool) and isinstance(rhs, bool) and lhs == rhs
    if isinstance(lhs, list) or isinstance(rhs, list):
        if not (isinstance(lhs, list) and isinstance(rhs, list)) or len(lhs) != len(rhs):
            return False
        return all(equals(a, b) for a, b in zip(lhs, rhs, strict=True))
    if isinstance(lhs, dict) or isinstance(rhs, dict):
        if not (isinstance(lhs, dict) and isinstance(rhs, dict)) or len(lhs) != len(rhs):
            return False
        return all(k in rhs and equals(v, rhs[k]) for k, v in lhs.items())
    return lhs is None and rhs is None


# Beyond 2**53 an int may not be the float64 it equals in Go (which compares an int with a
# float as two float64s): such ints stand in as that float64.
_EXACT_FLOATS = 2**53


def hashable(v: Any) -> Any:
    """A hashable stand-in that is equal exactly when `equals` says so (but for two ints
    beyond 2**53 that are the same float64: Go's equality is not transitive there)."""
    if isinstance(v, bool):
        return ("b", v)
    if is_int(v) and abs(v) > _EXACT_FLOATS:
        return ("#", float(v))
    if is_number(v):
        return ("#", v)
    if isinstance(v, str):
        return ("s", v)
    if isinstance(v, list):
        return ("l", tuple(hashable(x) for x in v))
    if isinstance(v, dict):
        return ("m", tuple(sorted((k, hashable(x)) for k, x in v.items())))
    return ("n",)


# --- Go's printing -------------------------------------------------------------------------


def _go_float_digits(f: float, fmt: str) -> str:
    """strconv.FormatFloat(f, fmt, -1, 64) for fmt in 'f', 'e', 'g'."""
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if math.isnan(f):
        return "NaN"
    shortest = repr(f)  # Python's repr is the shortest round-tripping form, like Go's -1
    d = Decimal(shortest)
    if fmt == "f":
        out = format(d, "f")
        return out[:-2] if out.endswith(".0") else out
    sign, digits, exp = d.as_tuple()
    assert isinstance(exp, int)
    ds = "".join(map(str, digits)).rstrip("0") or "0"
    e10 = len("".join(map(str, digits))) + exp - 1
    if fmt == "g" and -4 <= e10 < 6:  # strconv: shortest %g switches at 1e+06
        return _go_float_digits(f, "f")
    mant = ds[0] + ("." + ds[1:] if len(ds) > 1 else "")
    esign = "-" if e10 < 0 else "+"
    return ("-" if sign else "") + mant + "e" + esign + f"{abs(e10):02d}"


def go_json(v: Any) -> str:
    """How jsoniter (ConfigCompatibleWithStandardLibrary) writes a value: sorted map keys,
    HTML-safe strings, Go's float formatting."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if is_int(v):
        return str(v)
    if is_float(v):
        a = abs(v)
        if a != 0 and (a < 1e-6 or a >= 1e21):
            out = _go_float_digits(v, "e")
            # encoding/json writes e-07 as e-7
            mant, _, exp = out.partition("e")
            return f"{mant}e{exp[0]}{int(exp[1:])}"
        return _go_float_digits(v, "f")
    if isinstance(v, str):
        return go_json_string(v)
    if isinstance(v, list):
        return "[" + ",".join(go_json(x) for x in v) + "]"
    if isinstance(v, dict):
        items = sorted(v.items())
        return "{" + ",".join(go_json_string(k) + ":" + go_json(x) for k, x in items) + "}"
    raise TypeError(f"not a JSON value: {v!r}")


# Strings Go writes as they are, quoted: nothing to escape (most keys and values).
_PLAIN_STRING = re.compile('[^"\\\\<>&\x00-\x1f\u2028\u2029]*')


def go_json_string(s: str) -> str:
    if _PLAIN_STRING.fullmatch(s):
        return f'"{s}"'
    out = json.dumps(s, ensure_ascii=False)
    # Go escapes HTML-significant characters and the JS line separators.
    return (
        out.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def to_string(v: Any) -> str:
    """value.ToString, used in path element strings such as [name="a"]."""
    if v is None:
        return "null"
    if is_float(v):
        return _go_float_digits(v, "g")
    if isinstance(v, bool):
        return "true" if v else "false"
    if is_int(v):
        return str(v)
    if isinstance(v, str):
        return go_quote(v)
    if isinstance(v, list):
        return "[" + ",".join(to_string(x) for x in v) + "]"
    if isinstance(v, dict):
        return "".join(f"{k}={to_string(x)}" for k, x in v.items())
    return "{{undefined}}"


def go_v(v: Any) -> str:
    """fmt's %v of a decoded JSON value (map[a:1], [1 2], <nil>)."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if is_float(v):
        return _go_float_digits(v, "g")
    if isinstance(v, (int, str)):
        return str(v)
    if isinstance(v, list):
        return "[" + " ".join(go_v(x) for x in v) + "]"
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{go_v(x)}" for k, x in sorted(v.items())) + "]"
    return str(v)


def go_type(v: Any) -> str:
    """fmt's %T of a decoded JSON value."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "bool"
    if is_int(v):
        return "int64"
    if is_float(v):
        return "float64"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "[]interface {}"
    return "map[string]interface {}"
