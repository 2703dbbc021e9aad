"""Go's renderings of JSON values, byte for byte: what `fmt` and `encoding/json` print.

Shared by the gateway's Table cells and jsonpath output and by the schema machinery's field
errors (`field.Error.ErrorBody` prints bad values with `%v`, `%q` or `json.Marshal`).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any


def _digits(f: float) -> tuple[str, int]:
    """The shortest decimal digits that round-trip `f`, and the decimal point's position."""
    _sign, digits, exponent = Decimal(repr(abs(f))).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    assert isinstance(exponent, int)
    return text, len(digits) + exponent


def _format_e(f: float, digits: str, dp: int) -> str:
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    exp = dp - 1 if digits != "0" else 0
    return f"{'-' if f < 0 else ''}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def _format_f(f: float, digits: str, dp: int) -> str:
    if dp <= 0:
        text = "0." + "0" * -dp + digits
    elif dp >= len(digits):
        text = digits + "0" * (dp - len(digits))
    else:
        text = digits[:dp] + "." + digits[dp:]
    if digits == "0":
        text = "0"
    return ("-" if math.copysign(1.0, f) < 0 else "") + text


def go_float_g(f: float) -> str:
    """`strconv.FormatFloat(f, 'g', -1, 64)`, which `fmt.Print` and `%v` use."""
    digits, dp = _digits(f)
    exp = dp - 1
    if digits != "0" and (exp < -4 or exp >= 6):  # shortest precision decides at 6 digits
        return _format_e(f, digits, dp)
    return _format_f(f, digits, dp)


def go_json_float(f: float) -> str:
    """`encoding/json`'s float64: 'f' format, 'e' below 1e-6 and from 1e21 (e-07 as e-7)."""
    digits, dp = _digits(f)
    if f != 0 and (abs(f) < 1e-6 or abs(f) >= 1e21):
        text = _format_e(f, digits, dp)
        return re.sub(r"e([+-])0(\d)$", r"e\g<1>\g<2>", text)
    return _format_f(f, digits, dp)


def go_print(value: Any) -> str:
    """`fmt.Fprint` of one JSON scalar: strings raw, booleans `true`, floats as `%v`."""
    if value is None:
        return "<no value>"  # jsonpath's evalToText of a nil value (template.PrintableValue)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float_g(value)
    return str(value) if not isinstance(value, int) else str(int(value))


_JSON_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_SPECIAL = re.compile('["\\\\\x00-\x1f<>&\u2028\u2029]')


def _go_json_string(s: str) -> str:
    def escape(m: re.Match[str]) -> str:
        c = m.group()
        return _JSON_ESCAPES.get(c) or f"\\u{ord(c):04x}"

    return '"' + _JSON_SPECIAL.sub(escape, s) + '"'


def go_json(value: Any, *, sort_keys: bool = True) -> str:
    """`json.Marshal` of decoded JSON data, byte for byte as Go writes it: objects as Go
    maps (sorted keys), or with `sort_keys=False` in the order they have (a Go struct's)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_json_float(value)
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, str):
        return _go_json_string(value)
    if isinstance(value, dict):
        items = sorted(value.items()) if sort_keys else value.items()
        return (
            "{"
            + ",".join(f"{_go_json_string(k)}:{go_json(v, sort_keys=sort_keys)}" for k, v in items)
            + "}"
        )
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(go_json(v, sort_keys=sort_keys) for v in value) + "]"
    raise TypeError(f"not JSON data: {type(value).__name__}")


_HTML_ESCAPES = (
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
)


def escape_html(data: bytes) -> bytes:
    """encoding/json's HTML-safe escapes (`<`, `>`, `&`, U+2028, U+2029) applied to a JSON
    text: outside strings JSON holds none of these bytes, so each is replaced wherever it is."""
    for raw, escaped in _HTML_ESCAPES:
        if raw in data:
            data = data.replace(raw, escaped)
    return data


def go_quote(s: str) -> str:
    """`strconv.Quote` (what `%q` prints): printable runes kept, others escaped."""
    out = ['"']
    for ch in s:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in _QUOTE_ESCAPES:
            out.append(_QUOTE_ESCAPES[ch])
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        elif code < 0x10000:
            out.append(f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


_QUOTE_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
}


# -- strconv's integer parsing, worded as Go words its failures --------------------------------

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
