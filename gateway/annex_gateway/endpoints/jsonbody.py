"""JSON request bodies decoded as kube-apiserver decodes a custom resource's.

sigs.k8s.io/json (UnmarshalCaseSensitivePreserveInts): an integer that fits int64 is an
int64, any other number a float64, and a number beyond float64 is an error. Go's decoder also
takes what orjson refuses: invalid UTF-8 and lone surrogate escapes (both become U+FFFD). So
orjson reads every body first (fast), and only what it refuses is read again the slow way.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import orjson

from annex_gateway import apierrors
from annex_gateway.endpoints.limits import DecodeLimits, check_json_body, too_deep
from annex_gateway.jsoncopy import replace_leaves
from annex_gateway.patch.gojson import go_syntax_error

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# orjson reads integers up to 2**64 - 1 as int: only a body with a 19-digit run may hold one
# beyond int64, so only such a body is walked for them (found by translate and find: C speed).
_DIGITS_AS_ZEROS = bytes(ord("0") if chr(b).isdigit() and b < 128 else ord(" ") for b in range(256))
_LONG_RUN = b"0" * 19
_SURROGATES = re.compile("[\ud800-\udfff]")


def decode_error(reason: str) -> apierrors.StatusError:
    return apierrors.bad_request(f"error decoding request body: {reason}")


class Unreadable(apierrors.StatusError):
    """A body no decoder reads at all: `decoder_error` is what kube's serializer returns for
    it (JSON: its kind probe's parse error; YAML: the conversion's error), which a handler
    that decodes an object words as transformDecodeError does."""

    def __init__(self, decoder_error: str, reason: str) -> None:
        self.decoder_error = decoder_error
        super().__init__(400, "BadRequest", f"error decoding request body: {reason}")


class _Infinite(Exception):
    """A number json.loads read as an infinity."""


class NumberOutOfRange(apierrors.StatusError):
    """A number no float64 holds. Go's decoder fails on it after reading apiVersion and
    kind, so a handler that knows them words it as a failure to decode that kind."""

    def __init__(self, literal: str) -> None:
        self.reason_text = f"json: cannot unmarshal number {literal} into Go value of type float64"
        super().__init__(400, "BadRequest", f"error decoding request body: {self.reason_text}")


_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def _overflowing_literal(body: bytes) -> str:
    """The first number of `body` that is infinite as a float64 (as Go prints it)."""
    for m in _NUMBER.finditer(body):
        try:
            if math.isinf(float(m.group())):
                return m.group().decode()
        except OverflowError:
            return m.group().decode()
    return ""


def lenient_object(body: bytes) -> Any:
    """The body's JSON with out-of-range numbers as 0: enough to read apiVersion and kind."""
    try:
        return json.loads(body, parse_float=lambda _: 0.0, parse_constant=lambda _: 0.0)
    except (ValueError, RecursionError):
        return None


def decode_json(body: bytes, limits: DecodeLimits) -> Any:
    """The body's JSON value within the limits; 400 when Go's decoder would refuse it too."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as e:
        if "depth" in str(e):  # beyond orjson's 1024 levels, so beyond ours
            raise too_deep(limits) from None
        value = _decode_as_go(body, limits)
    return checked(value, body, limits)


def checked(value: Any, body: bytes, limits: DecodeLimits) -> Any:
    """`value`, which orjson read from `body`, with numbers as Go has them, within the limits."""
    if _LONG_RUN in body.translate(_DIGITS_AS_ZEROS):
        value = int64_or_float(value)
    check_json_body(value, body, limits)
    return value


def _decode_as_go(body: bytes, limits: DecodeLimits) -> Any:
    message = go_syntax_error(body)
    if message is not None:
        raise Unreadable(f"couldn't get version/kind; json parse error: {message}", message)
    try:
        # Valid for Go, refused by orjson: invalid UTF-8, lone surrogates, huge numbers.
        value = json.loads(body.decode("utf-8", errors="replace"))
    except RecursionError:
        raise too_deep(limits) from None
    except ValueError:  # an integer of more than 4300 digits
        raise decode_error("json: cannot unmarshal number into Go value of type float64") from None
    try:
        return _without_surrogates(value)
    except _Infinite:
        raise NumberOutOfRange(_overflowing_literal(body)) from None


def int64_or_float(value: Any) -> Any:
    """Integers outside int64 as float64, as Go decodes them; a float64 overflow is an error."""
    return replace_leaves(value, lambda leaf: _as_float(leaf) if _is_big(leaf) else leaf)


def _is_big(value: Any) -> bool:
    return type(value) is int and not INT64_MIN <= value <= INT64_MAX


def _as_float(value: int) -> float:
    try:
        result = float(value)
    except OverflowError:
        result = math.inf
    if math.isinf(result):
        raise decode_error(
            f"json: cannot unmarshal number {str(value)[:40]} into Go value of type float64"
        )
    return result


def _without_surrogates(value: Any) -> Any:
    """Lone surrogates (json.loads keeps them; no encoder will) as U+FFFD, as Go decodes them;
    numbers beyond float64 refused."""
    if isinstance(value, str):
        return _SURROGATES.sub("\ufffd", value)
    if isinstance(value, float) and math.isinf(value):
        raise _Infinite
    if not isinstance(value, dict | list):
        return value
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            cleaned = {_without_surrogates(k): v for k, v in node.items()}
            node.clear()
            node.update(cleaned)
        for key, child in list(node.items() if isinstance(node, dict) else enumerate(node)):
            if isinstance(child, dict | list):
                stack.append(child)
            else:
                node[key] = _without_surrogates(child)
    return value


# A key: a JSON string followed by a colon. Counting them (C speed) against the keys decoded
# tells whether any object repeated one, without a slow parse of every body.
# Possessive: a long string must not leave a backtracking point per character (a 700 KB value
# cost 80 MB with a plain `*`).
_KEY_TOKEN = re.compile(rb'"(?:[^"\\]++|\\.)*+"\s*:')


class _Pairs(dict[str, Any]):
    """An object that remembers its members as given, repeated keys included."""

    given: list[tuple[str, Any]]


def _pairs(pairs: list[tuple[str, Any]]) -> _Pairs:
    obj = _Pairs(pairs)
    obj.given = pairs
    return obj


def duplicate_fields(body: bytes, value: Any) -> list[str]:
    """The paths of fields `body` gave twice (`spec.items[0].name`), in document order, as
    Go's strict decoder reports them with `duplicate field "..."`; the last value is the one
    kept, as in Go."""
    if len(_KEY_TOKEN.findall(body)) <= _count_keys(value):
        return []
    try:
        parsed = json.loads(body.decode("utf-8", errors="replace"), object_pairs_hook=_pairs)
    except (ValueError, RecursionError):
        return []
    found: list[str] = []
    stack: list[tuple[str, Any, bool]] = [("", parsed, False)]
    while stack:
        path, node, repeated = stack.pop()
        if repeated:
            found.append(path)
        if isinstance(node, _Pairs):
            seen: set[str] = set()
            children = []
            for k, v in node.given:
                children.append((f"{path}.{k}" if path else k, v, k in seen))
                seen.add(k)
        elif isinstance(node, list):
            children = [(f"{path}[{i}]", v, False) for i, v in enumerate(node)]
        else:
            continue
        stack.extend(reversed(children))
    return list(dict.fromkeys(found))


def _count_keys(value: Any) -> int:
    # On every JSON write: strings and integers (most leaves) are passed over on their exact
    # type, before isinstance; no generator (22 -> 9 µs on bench/schema.py's Widget).
    count, stack = 0, [value]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        if isinstance(node, dict):
            count += len(node)
            for v in node.values():
                if type(v) is not str and type(v) is not int and isinstance(v, dict | list):
                    push(v)
        elif isinstance(node, list):
            for v in node:
                if type(v) is not str and type(v) is not int and isinstance(v, dict | list):
                    push(v)
    return count
