"""Go's encoding/json, as far as the JSON patch port needs it.

encoding/json's syntax-error messages (its scanner, ``checkValid``), its text for floats and
strings, strconv.Quote, the kind names of its UnmarshalTypeError, the parse of JSON text that
keeps each scalar's raw text (as a json.RawMessage does), and walking and copying decoded JSON
without recursion, whatever the nesting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from json import decoder as _json_decoder
from typing import Any, Final

from annex_core.gotext import go_quote

_MAX_GO_DEPTH: Final = 10000  # encoding/json's maxNestingDepth


# --- raw JSON values -----------------------------------------------------------------------


class Raw:
    """A scalar from the patch, with its JSON text (evanphx compares scalars by text)."""

    __slots__ = ("raw", "value")

    def __init__(self, value: Any, raw: str) -> None:
        self.value = value
        self.raw = raw

    def __repr__(self) -> str:
        return f"Raw({self.raw})"


_GO_ESCAPES: Final = {
    ord('"'): '\\"',
    ord("\\"): "\\\\",
    ord("\b"): "\\b",
    ord("\f"): "\\f",
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
    **{c: f"\\u{c:04x}" for c in range(0x20) if c not in (8, 9, 10, 12, 13)},
}
HTML_ESCAPES: Final = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def _go_float(f: float) -> str:
    """encoding/json's text for a float64."""
    if f != f or f in (float("inf"), float("-inf")):
        return repr(f)
    t = Decimal(repr(f)).normalize().as_tuple()
    digits = "".join(map(str, t.digits))
    exp = int(t.exponent)
    sign = "-" if t.sign else ""
    a = abs(f)
    if a != 0 and (a < 1e-6 or a >= 1e21):
        e = exp + len(digits) - 1
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if e < 0 else '+'}{abs(e) if e < 0 else format(e, '02d')}"
    if exp >= 0:
        return sign + digits + "0" * exp
    point = len(digits) + exp
    if point > 0:
        return f"{sign}{digits[:point]}.{digits[point:]}"
    return f"{sign}0.{'0' * -point}{digits}"


def go_string(s: str) -> str:
    return '"' + s.translate(_GO_ESCAPES) + '"'


def scalar_text(v: Any) -> str:
    """A scalar's JSON text as evanphx holds it: the patch's text, or Go's encoding."""
    if isinstance(v, Raw):
        return v.raw
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _go_float(v)
    if isinstance(v, str):
        return go_string(v)
    raise TypeError(f"not a JSON scalar: {type(v).__name__}")


def kind(v: Any) -> str:
    """encoding/json's name for a JSON value's kind, as in its UnmarshalTypeError."""
    if isinstance(v, Raw):
        v = v.value
    if isinstance(v, dict):
        return "object"
    if isinstance(v, list):
        return "array"
    if isinstance(v, str):
        return "string"
    if isinstance(v, bool):
        return "bool"
    return "number"


# --- Go's messages -------------------------------------------------------------------------


def _quote_char(c: int) -> str:
    """encoding/json's quoteChar for one input byte."""
    if c == 0x27:
        return "'\\''"
    if c == 0x22:
        return "'\"'"
    return "'" + go_quote(chr(c))[1:-1] + "'"


_SPACE: Final = frozenset(b" \t\r\n")
_DIGITS: Final = frozenset(b"0123456789")
_HEX: Final = frozenset(b"0123456789abcdefABCDEF")
_LITERALS: Final = {ord("t"): b"true", ord("f"): b"false", ord("n"): b"null"}


def go_syntax_error(data: bytes) -> str | None:
    """The message of encoding/json's checkValid for ``data``, None when Go finds it valid.

    A port of encoding/json's scanner (its states, its contexts, its end-of-input step)."""
    stack: list[str] = []  # "key" (parseObjectKey), "value" (parseObjectValue), "array"
    state = "begin"  # a value, and in an array possibly "]"
    literal = b""
    at = 0  # position within a literal or a \u escape

    def err(c: int, context: str) -> str:
        return f"invalid character {_quote_char(c)} {context}"

    def end_value(c: int) -> tuple[str, str | None]:
        """stateEndValue: the next state, or an error."""
        if not stack:
            return ("top", None) if c in _SPACE else ("", err(c, "after top-level value"))
        if c in _SPACE:
            return "end", None
        top = stack[-1]
        if top == "key":
            if c == ord(":"):
                stack[-1] = "value"
                return "value", None
            return "", err(c, "after object key")
        if top == "value":
            if c == ord(","):
                stack[-1] = "key"
                return "string", None
            if c == ord("}"):
                stack.pop()
                return ("top" if not stack else "end"), None
            return "", err(c, "after object key:value pair")
        if c == ord(","):
            return "value", None
        if c == ord("]"):
            stack.pop()
            return ("top" if not stack else "end"), None
        return "", err(c, "after array element")

    def step(c: int) -> str | None:
        nonlocal state, literal, at
        s = state
        if s == "top":
            return None if c in _SPACE else err(c, "after top-level value")
        if s in ("begin", "value", "array_or_empty"):
            if c in _SPACE:
                return None
            if s == "array_or_empty" and c == ord("]"):
                state, e = end_value(c)
                return e
            if c == ord("{"):
                stack.append("key")
                if len(stack) > _MAX_GO_DEPTH:
                    return err(c, "exceeded max depth")
                state = "string_or_empty"
            elif c == ord("["):
                stack.append("array")
                if len(stack) > _MAX_GO_DEPTH:
                    return err(c, "exceeded max depth")
                state = "array_or_empty"
            elif c == ord('"'):
                state = "in_string"
            elif c == ord("-"):
                state = "neg"
            elif c == ord("0"):
                state = "zero"
            elif c in _DIGITS:
                state = "int"
            elif c in _LITERALS:
                state, literal, at = "literal", _LITERALS[c], 1
            else:
                return err(c, "looking for beginning of value")
            return None
        if s in ("string_or_empty", "string"):
            if c in _SPACE:
                return None
            if s == "string_or_empty" and c == ord("}"):
                stack[-1] = "value"
                state, e = end_value(c)
                return e
            if c == ord('"'):
                state = "in_string"
                return None
            return err(c, "looking for beginning of object key string")
        if s == "end":
            state, e = end_value(c)
            return e
        if s == "in_string":
            if c == ord('"'):
                state = "end"
            elif c == ord("\\"):
                state = "esc"
            elif c < 0x20:
                return err(c, "in string literal")
            return None
        if s == "esc":
            if c in b'bfnrt\\/"':
                state = "in_string"
            elif c == ord("u"):
                state, at = "esc_u", 0
            else:
                return err(c, "in string escape code")
            return None
        if s == "esc_u":
            if c not in _HEX:
                return err(c, "in \\u hexadecimal character escape")
            at += 1
            if at == 4:
                state = "in_string"
            return None
        if s == "neg":
            if c == ord("0"):
                state = "zero"
            elif c in _DIGITS:
                state = "int"
            else:
                return err(c, "in numeric literal")
            return None
        if s == "int" and c in _DIGITS:
            return None
        if s in ("int", "zero"):
            if c == ord("."):
                state = "dot"
                return None
            if c in b"eE":
                state = "e"
                return None
            state, e = end_value(c)
            return e
        if s == "dot":
            if c in _DIGITS:
                state = "frac"
                return None
            return err(c, "after decimal point in numeric literal")
        if s == "frac":
            if c in _DIGITS:
                return None
            if c in b"eE":
                state = "e"
                return None
            state, e = end_value(c)
            return e
        if s == "e" and c in b"+-":
            state = "esign"
            return None
        if s in ("e", "esign"):
            if c in _DIGITS:
                state = "exp"
                return None
            return err(c, "in exponent of numeric literal")
        if s == "exp":
            if c in _DIGITS:
                return None
            state, e = end_value(c)
            return e
        # literal
        want = literal[at]
        if c != want:
            return err(c, f"in literal {literal.decode()} (expecting {_quote_char(want)})")
        at += 1
        if at == len(literal):
            state = "end"
        return None

    for c in data:
        e = step(c)
        if e is not None:
            return e
    if state == "top":
        return None
    e = step(ord(" "))
    if e is not None:
        return e
    if state == "top":
        return None
    return "unexpected end of JSON input"


# --- raw-text parsing -----------------------------------------------------------------------

_WS: Final = re.compile(r"[ \t\n\r]*")
scanstring: Callable[[str, int], tuple[str, int]] = _json_decoder.scanstring  # type: ignore[attr-defined]


def _ws(text: str, pos: int) -> int:
    """The position past the white space at pos."""
    m = _WS.match(text, pos)
    assert m is not None
    return m.end()


_NUMBER: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(?:(\.[0-9]+)?([eE][-+]?[0-9]+)?)")


def parse_raw(text: str) -> Any:
    """Valid JSON text to values, scalars (but true, false, null) as Raw with their text."""
    ws = _ws
    stack: list[tuple[Any, str]] = []  # (container, pending key)
    pos = ws(text, 0)
    while True:
        c = text[pos]
        value: Any
        if c == "{" or c == "[":
            pos = ws(text, pos + 1)
            if text[pos] == ("}" if c == "{" else "]"):
                pos += 1
                value = {} if c == "{" else []
            elif c == "{":
                key, pos = scanstring(text, pos + 1)
                pos = ws(text, ws(text, pos) + 1)  # past ':'
                stack.append(({}, key))
                continue
            else:
                stack.append(([], ""))
                continue
        elif c == '"':
            s, end = scanstring(text, pos + 1)
            value = Raw(s, text[pos:end])
            pos = end
        elif c == "t":
            value, pos = True, pos + 4
        elif c == "f":
            value, pos = False, pos + 5
        elif c == "n":
            value, pos = None, pos + 4
        else:
            m = _NUMBER.match(text, pos)
            assert m is not None
            tok = m.group()
            value = Raw(float(tok) if m.group(1) or m.group(2) else int(tok), tok)
            pos = m.end()
        # A value is complete: store it, then close what it completes.
        while True:
            if not stack:
                return value
            container, key = stack[-1]
            if isinstance(container, dict):
                container[key] = value
            else:
                container.append(value)
            pos = ws(text, pos)
            if text[pos] == ",":
                pos = ws(text, pos + 1)
                if isinstance(container, dict):
                    key, pos = scanstring(text, pos + 1)
                    pos = ws(text, ws(text, pos) + 1)
                    stack[-1] = (container, key)
                break
            pos += 1  # '}' or ']'
            stack.pop()
            value = container
        pos = ws(text, pos)


# --- walking and copying -------------------------------------------------------------------


def walk(root: Any) -> list[Any]:
    """Every node of a tree, containers before their children."""
    out = [root]
    i = 0
    while i < len(out):
        v = out[i]
        if isinstance(v, dict):
            out.extend(v.values())
        elif isinstance(v, list):
            out.extend(v)
        i += 1
    return out


def copy_tree(v: Any) -> Any:
    """An iterative deep copy of JSON values (the Raw leaves are immutable and shared)."""
    if not isinstance(v, dict | list):
        return v
    top: Any = {} if isinstance(v, dict) else []
    stack: list[tuple[Any, Any]] = [(v, top)]
    while stack:
        src, dst = stack.pop()
        items = src.items() if isinstance(src, dict) else enumerate(src)
        for k, child in items:
            if isinstance(child, dict | list):
                new: Any = {} if isinstance(child, dict) else []
                stack.append((child, new))
                child = new
            if isinstance(dst, dict):
                dst[k] = child
            else:
                dst.append(child)
    return top
