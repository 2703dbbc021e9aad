"""JSON patch (RFC 6902) as kube-apiserver applies it to custom resources.

A port of gopkg.in/evanphx/json-patch.v4 v4.13.0 (``DecodePatch`` then ``Patch.Apply``), the
version k8s.io/apiserver v0.37 pins, with its semantics and its error strings. kube-apiserver
answers a decode error with 400 and ``err.Error()``, more than :data:`MAX_OPERATIONS` operations
with 413, and an apply error with 422 and ``err.Error()``; this module raises
:class:`JsonPatchError` (``decode`` tells the two apart) and :class:`TooManyOperations`.

Where evanphx keeps raw JSON text, so do we: ``test`` compares scalars by their JSON text as
evanphx does (``1`` is not ``1.0``, ``"<"`` is not ``"\\u003c"``), the document's scalars
having the text Go's encoder gives them (kube-apiserver encodes the object before patching).
Everything walks with explicit stacks: no recursion, whatever the nesting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from json import decoder as _json_decoder
from typing import Any, Final

import orjson

MAX_OPERATIONS: Final = 10000
"""kube-apiserver's maxJSONPatchOperations."""

ACCUMULATED_COPY_SIZE_LIMIT: Final = 3 * 1024 * 1024
"""jsonpatch.AccumulatedCopySizeLimit as kube-apiserver sets it (JSONPatchMaxCopyBytes)."""

_MAX_GO_DEPTH: Final = 10000  # encoding/json's maxNestingDepth


class JsonPatchError(Exception):
    """A patch kube-apiserver would refuse: ``decode`` for DecodePatch's errors (400), else
    Apply's (422). ``message`` is evanphx's (or encoding/json's) ``err.Error()``."""

    def __init__(self, message: str, decode: bool) -> None:
        super().__init__(message)
        self.message = message
        self.decode = decode


class TooManyOperations(Exception):
    """More than MAX_OPERATIONS operations (kube-apiserver answers 413)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.message = (
            f"The allowed maximum operations in a JSON patch is {MAX_OPERATIONS}, got {count}"
        )
        super().__init__(self.message)


class JsonPatchPanic(Exception):
    """A patch on which evanphx v4.13.0 panics (a nil pointer dereference). kube-apiserver
    then fails the request with 500; this deliberately is not a JsonPatchError."""

    def __init__(
        self, message: str = "runtime error: invalid memory address or nil pointer dereference"
    ) -> None:
        super().__init__(message)
        self.message = message


class NonObjectResult(Exception):
    """The patch succeeded but left a document that is not an object (a JSON patch replacing
    "" with an array, a merge patch that is an array). kube-apiserver then fails to decode the
    result into the object (422 Invalid); ``result`` is the patched value."""

    def __init__(self, result: Any) -> None:
        super().__init__("the patched document is not a JSON object")
        self.result = result


# --- raw JSON values -----------------------------------------------------------------------


class _Raw:
    """A scalar from the patch, with its JSON text (evanphx compares scalars by text)."""

    __slots__ = ("raw", "value")

    def __init__(self, value: Any, raw: str) -> None:
        self.value = value
        self.raw = raw

    def __repr__(self) -> str:
        return f"_Raw({self.raw})"


class _NullNode:
    """An operation's ``"value": null``: a node evanphx holds with no raw text, unlike a null
    inside the document (a nil node). It compares equal to nothing but itself."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "_NULL_NODE"


_NULL_NODE: Final = _NullNode()

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
_HTML_ESCAPES: Final = {
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


def _go_string(s: str) -> str:
    return '"' + s.translate(_GO_ESCAPES) + '"'


def _scalar_text(v: Any) -> str:
    """A scalar's JSON text as evanphx holds it: the patch's text, or Go's encoding."""
    if isinstance(v, _Raw):
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
        return _go_string(v)
    raise TypeError(f"not a JSON scalar: {type(v).__name__}")


def _kind(v: Any) -> str:
    """encoding/json's name for a JSON value's kind, as in its UnmarshalTypeError."""
    if isinstance(v, _Raw):
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


def _go_quote(s: str) -> str:
    """strconv.Quote, closely enough (Python's isprintable stands in for Go's IsPrint)."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\a\b\f\n\r\t\v":
            out.append(
                {
                    "\a": "\\a",
                    "\b": "\\b",
                    "\f": "\\f",
                    "\n": "\\n",
                    "\r": "\\r",
                    "\t": "\\t",
                    "\v": "\\v",
                }[ch]
            )
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        elif ch == " " or ch.isprintable():
            out.append(ch)
        elif o < 0x10000:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    out.append('"')
    return "".join(out)


def _quote_char(c: int) -> str:
    """encoding/json's quoteChar for one input byte."""
    if c == 0x27:
        return "'\\''"
    if c == 0x22:
        return "'\"'"
    return "'" + _go_quote(chr(c))[1:-1] + "'"


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


# --- decoding ------------------------------------------------------------------------------

_WS: Final = re.compile(r"[ \t\n\r]*")
scanstring: Callable[[str, int], tuple[str, int]] = _json_decoder.scanstring  # type: ignore[attr-defined]


def _ws(text: str, pos: int) -> int:
    """The position past the white space at pos."""
    m = _WS.match(text, pos)
    assert m is not None
    return m.end()


_NUMBER: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(?:(\.[0-9]+)?([eE][-+]?[0-9]+)?)")


def _parse_raw(text: str) -> Any:
    """Valid JSON text to values, scalars (but true, false, null) as _Raw with their text."""
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
            value = _Raw(s, text[pos:end])
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
            value = _Raw(float(tok) if m.group(1) or m.group(2) else int(tok), tok)
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


def _decode_patch(patch: bytes) -> list[dict[str, Any] | None]:
    """DecodePatch: json.Unmarshal into a jsonpatch.Patch ([]map[string]*json.RawMessage)."""
    try:
        orjson.loads(patch)
    except orjson.JSONDecodeError as e:
        message = go_syntax_error(patch)
        if message is None:
            # Valid for Go, refused by orjson: nesting deeper than 1024, invalid UTF-8, a lone
            # surrogate escape, a number beyond float64.
            message = "exceeded max depth" if "depth" in str(e) else f"invalid JSON: {e}"
        raise JsonPatchError(message, decode=True) from None
    ops = _parse_raw(patch.decode("utf-8"))
    if ops is None:
        return []
    if not isinstance(ops, list):
        raise JsonPatchError(
            f"json: cannot unmarshal {_kind(ops)} into Go value of type jsonpatch.Patch",
            decode=True,
        )
    for op in ops:
        if op is not None and not isinstance(op, dict):
            raise JsonPatchError(
                f"json: cannot unmarshal {_kind(op)} into Go value of type jsonpatch.Operation",
                decode=True,
            )
    return ops


# --- the operations ------------------------------------------------------------------------


class _Err(Exception):
    """An apply error on its way out (message = Go's err.Error())."""


_KEY_ESCAPE: Final = re.compile(r"~[01]")
_ATOI: Final = re.compile(r"[+-]?[0-9]+")
_MISSING: Final = "missing value"
_INVALID_INDEX: Final = "invalid index referenced"


def _decode_key(k: str) -> str:
    return _KEY_ESCAPE.sub(lambda m: "/" if m.group() == "~1" else "~", k) if "~" in k else k


def _atoi(key: str) -> int:
    """strconv.Atoi."""
    if not _ATOI.fullmatch(key):
        raise _Err(f"strconv.Atoi: parsing {_go_quote(key)}: invalid syntax")
    n = int(key)
    if not -(2**63) <= n < 2**63:
        raise _Err(f"strconv.Atoi: parsing {_go_quote(key)}: value out of range")
    return n


def _invalid_index(idx: int) -> _Err:
    return _Err(f"Unable to access invalid index: {idx}: {_INVALID_INDEX}")


def _get(con: dict[str, Any] | list[Any], key: str) -> Any:
    if isinstance(con, dict):
        return con.get(key)
    idx = _atoi(key)
    if idx < 0:
        if idx < -len(con):
            raise _invalid_index(idx)
        idx += len(con)
    if idx >= len(con):
        raise _invalid_index(idx)
    return con[idx]


def _set(con: dict[str, Any] | list[Any], key: str, val: Any) -> None:
    if isinstance(con, dict):
        con[key] = val
        return
    idx = _atoi(key)
    if idx < 0:
        if idx < -len(con):
            raise _invalid_index(idx)
        idx += len(con)
    con[idx] = val  # replace has checked the index with get


def _add(con: dict[str, Any] | list[Any], key: str, val: Any) -> None:
    if isinstance(con, dict):
        con[key] = val
        return
    if key == "-":
        con.append(val)
        return
    try:
        idx = _atoi(key)
    except _Err as e:
        raise _Err(f"value was not a proper array index: '{key}': {e}") from None
    size = len(con) + 1
    if idx >= size:
        raise _invalid_index(idx)
    if idx < 0:
        if idx < -size:
            raise _invalid_index(idx)
        idx += size
    con.insert(idx, val)


def _remove(con: dict[str, Any] | list[Any], key: str) -> None:
    if isinstance(con, dict):
        if key not in con:
            raise _Err(f"Unable to remove nonexistent key: {key}: {_MISSING}")
        del con[key]
        return
    idx = _atoi(key)
    if idx >= len(con):
        raise _invalid_index(idx)
    if idx < 0:
        if idx < -len(con):
            raise _invalid_index(idx)
        idx += len(con)
    del con[idx]


def _find(root: Any, path: str) -> tuple[dict[str, Any] | list[Any] | None, str]:
    """findObject: the container of the path's last token, and that token decoded."""
    split = path.split("/")
    if len(split) < 2:
        return None, ""
    doc = root
    for part in split[1:-1]:
        try:
            nxt = _get(doc, _decode_key(part))
        except _Err:
            return None, ""
        if not isinstance(nxt, dict | list):  # nil, a value-less node, or a scalar
            return None, ""
        doc = nxt
    return doc, _decode_key(split[-1])


def _op_string(op: dict[str, Any], field: str, missing: str) -> str:
    """Operation.Path / Operation.From: the field as a string, or _Err (Go's error)."""
    v = op.get(field)
    if v is None:
        raise _Err(f"{missing}: {_MISSING}")
    if isinstance(v, _Raw) and isinstance(v.value, str):
        return v.value
    raise _Err(f"json: cannot unmarshal {_kind(v)} into Go value of type string")


_NO_VALUE: Final = object()


def _op_value(op: dict[str, Any]) -> Any:
    """Operation.value(): _NO_VALUE without the field, _NULL_NODE for null."""
    if "value" not in op:
        return _NO_VALUE
    v = op["value"]
    return _NULL_NODE if v is None else v


def _stored(v: Any) -> Any:
    """A value as an add or replace stores it (a missing value is a nil node)."""
    return None if v is _NO_VALUE else v


def _equal(n: Any, o: Any) -> bool:
    """lazyNode.equal, iteratively; raises JsonPatchPanic where evanphx dereferences nil."""
    stack: list[tuple[Any, Any]] = [(n, o)]
    while stack:
        n, o = stack.pop()
        if n is None or o is None or o is _NO_VALUE:
            raise JsonPatchPanic()
        if isinstance(n, dict):
            if not isinstance(o, dict) or len(n) != len(o):
                return False
            children: list[tuple[Any, Any]] = []
            for k, v in n.items():
                if k not in o:
                    return False
                ov = o[k]
                if (v is None) != (ov is None):
                    return False
                if v is not None:
                    children.append((v, ov))
            stack.extend(reversed(children))
        elif isinstance(n, list):
            if not isinstance(o, list) or len(n) != len(o):
                return False
            stack.extend(reversed(list(zip(n, o, strict=True))))
        elif n is _NULL_NODE:
            if o is not _NULL_NODE:
                return False
        elif isinstance(o, dict | list) or o is _NULL_NODE or _scalar_text(n) != _scalar_text(o):
            return False
    return True


def _walk(root: Any) -> list[Any]:
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


def _copy_tree(v: Any) -> Any:
    """An iterative deep copy of JSON values (the _Raw leaves are immutable and shared)."""
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


def _deep_copy(val: Any) -> tuple[Any, int]:
    """deepCopy: the copy as evanphx re-reads it from json.Marshal, and that text's size."""
    if val is None:
        return None, 0
    if val is _NULL_NODE:
        return None, 4  # evanphx: a node with the text null; see the module notes
    copy = _copy_tree(val)
    size = 0
    for node in _walk(copy):
        if isinstance(node, dict):
            size += 2 + max(len(node) - 1, 0)
            for k, child in node.items():
                size += len(_go_string(k).encode()) + 1
                if isinstance(child, _Raw):
                    node[k] = _escaped(child)
                elif child is _NULL_NODE:
                    node[k] = None
        elif isinstance(node, list):
            size += 2 + max(len(node) - 1, 0)
            for i, child in enumerate(node):
                if isinstance(child, _Raw):
                    node[i] = _escaped(child)
                elif child is _NULL_NODE:
                    node[i] = None
        elif node is None or node is _NULL_NODE:
            size += 4
        else:
            size += len(_scalar_text(node).translate(_HTML_ESCAPES).encode())
    if isinstance(copy, _Raw):
        copy = _escaped(copy)
    return copy, size


def _escaped(v: _Raw) -> _Raw:
    """A patch scalar after json.Marshal of its raw text (compacted, HTML-escaped)."""
    raw = v.raw.translate(_HTML_ESCAPES)
    return v if raw == v.raw else _Raw(v.value, raw)


def _apply_op(root: Any, op: dict[str, Any] | None, copied: list[int]) -> Any:
    """One operation; returns the (possibly new) root."""
    kind = "unknown"
    if op is not None:
        k = op.get("op")
        if isinstance(k, _Raw) and isinstance(k.value, str):
            kind = k.value
    if op is None or kind not in ("add", "remove", "replace", "move", "test", "copy"):
        raise _Err(f"Unexpected kind: {kind}")

    if kind in ("add", "remove"):
        try:
            path = _op_string(op, "path", "operation missing path field")
        except _Err:
            raise _Err(f"{kind} operation failed to decode path: {_MISSING}") from None
        con, key = _find(root, path)
        if con is None:
            raise _Err(
                f'{kind} operation does not apply: doc is missing path: "{path}": {_MISSING}'
            )
        try:
            if kind == "add":
                _add(con, key, _stored(_op_value(op)))
            else:
                _remove(con, key)
        except _Err as e:
            raise _Err(f"error in {kind} for path: '{path}': {e}") from None
        return root

    if kind == "replace":
        try:
            path = _op_string(op, "path", "operation missing path field")
        except _Err as e:
            raise _Err(f"replace operation failed to decode path: {e}") from None
        if path == "":
            val = _op_value(op)
            if val is _NO_VALUE:
                raise JsonPatchPanic()
            if not isinstance(val, dict | list):
                raise _Err("replace operation value must be object or array: %!w(<nil>)")
            return val
        con, key = _find(root, path)
        if con is None:
            raise _Err(f"replace operation does not apply: doc is missing path: {path}: {_MISSING}")
        try:
            _get(con, key)
        except _Err:
            raise _Err(
                f"replace operation does not apply: doc is missing key: {path}: {_MISSING}"
            ) from None
        try:
            _set(con, key, _stored(_op_value(op)))
        except _Err as e:
            raise _Err(f"error in remove for path: '{path}': {e}") from None
        return root

    if kind == "move":
        try:
            from_ = _op_string(op, "from", "operation, missing from field")
        except _Err as e:
            raise _Err(f"move operation failed to decode from: {e}") from None
        con, key = _find(root, from_)
        if con is None:
            raise _Err(
                f"move operation does not apply: doc is missing from path: {from_}: {_MISSING}"
            )
        try:
            val = _get(con, key)
            _remove(con, key)
        except _Err as e:
            raise _Err(f"error in move for path: '{key}': {e}") from None
        try:
            path = _op_string(op, "path", "operation missing path field")
        except _Err as e:
            raise _Err(f"move operation failed to decode path: {e}") from None
        con, key = _find(root, path)
        if con is None:
            raise _Err(
                f"move operation does not apply: doc is missing destination path: {path}: {_MISSING}"
            )
        try:
            _add(con, key, val)
        except _Err as e:
            raise _Err(f"error in move for path: '{path}': {e}") from None
        return root

    if kind == "test":
        try:
            path = _op_string(op, "path", "operation missing path field")
        except _Err as e:
            raise _Err(f"test operation failed to decode path: {e}") from None
        failed = _Err(f"testing value {path} failed: test failed")
        value = _op_value(op)
        if path == "":
            if _equal(root, value):
                return root
            raise failed
        con, key = _find(root, path)
        if con is None:
            raise _Err(f"test operation does not apply: is missing path: {path}: {_MISSING}")
        try:
            val = _get(con, key)
        except _Err as e:
            raise _Err(f"error in test for path: '{path}': {e}") from None
        if val is None:
            if value is _NO_VALUE or value is _NULL_NODE:
                return root
            raise failed
        if value is _NO_VALUE:
            raise failed
        if _equal(val, value):
            return root
        raise failed

    # copy
    try:
        from_ = _op_string(op, "from", "operation, missing from field")
    except _Err as e:
        raise _Err(f"copy operation failed to decode from: {e}") from None
    con, key = _find(root, from_)
    if con is None:
        raise _Err(f"copy operation does not apply: doc is missing from path: {from_}: {_MISSING}")
    try:
        val = _get(con, key)
    except _Err as e:
        raise _Err(f"error in copy for from: '{from_}': {e}") from None
    try:
        path = _op_string(op, "path", "operation missing path field")
    except _Err:
        raise _Err(f"copy operation failed to decode path: {_MISSING}") from None
    con, key = _find(root, path)
    if con is None:
        raise _Err(
            f"copy operation does not apply: doc is missing destination path: {path}: {_MISSING}"
        )
    val_copy, size = _deep_copy(val)
    copied[0] += size
    if copied[0] > ACCUMULATED_COPY_SIZE_LIMIT:
        raise _Err(
            "Unable to complete the copy, the accumulated size increase of copy is "
            f"{copied[0]}, exceeding the limit {ACCUMULATED_COPY_SIZE_LIMIT}"
        )
    try:
        _add(con, key, val_copy)
    except _Err as e:
        raise _Err(f"error while adding value during copy: {e}") from None
    return root


def _plain(root: Any) -> Any:
    """The working tree as plain JSON values (in place: the tree is ours)."""
    if isinstance(root, _Raw):
        return root.value
    if root is _NULL_NODE:
        return None
    for node in _walk(root):
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(v, _Raw):
                    node[k] = v.value
                elif v is _NULL_NODE:
                    node[k] = None
        elif isinstance(node, list):
            for i, v in enumerate(node):
                if isinstance(v, _Raw):
                    node[i] = v.value
                elif v is _NULL_NODE:
                    node[i] = None
    return root


def copy_json(value: Any) -> Any:
    """A deep copy of decoded JSON, without recursion."""
    return _copy_tree(value)


def apply_json_patch(document: dict[str, Any], patch: bytes) -> dict[str, Any]:
    """Apply a JSON patch (the body of an application/json-patch+json request) to a decoded
    object, as kube-apiserver does; ``document`` is left untouched.

    Raises JsonPatchError, TooManyOperations, JsonPatchPanic (where evanphx panics) and
    NonObjectResult (a root replaced by an array)."""
    ops = _decode_patch(patch)
    if len(ops) > MAX_OPERATIONS:
        raise TooManyOperations(len(ops))
    root: Any = _copy_tree(document)
    copied = [0]
    for op in ops:
        try:
            root = _apply_op(root, op, copied)
        except _Err as e:
            raise JsonPatchError(str(e), decode=False) from None
    result = _plain(root)
    if not isinstance(result, dict):
        raise NonObjectResult(result)
    return result
