"""YAML request bodies read as kube-apiserver reads them: sigs.k8s.io/yaml's YAMLToJSON
(go.yaml.in/yaml/v2, then encoding/json), then the JSON decoder of jsonbody.

What that means for a body:
- the first document only; YAML 1.1 scalars resolved as go-yaml v2 resolves them (`yes` is
  true, `0x1F` is 31, `1_000` is 1000, a timestamp stays a string);
- tags other than the JSON types' change nothing (`!!set {a}` is a mapping of nulls, `!foo x`
  the string "x"), `!!binary` is decoded, an explicit tag the value does not fit is an error;
- keys that are numbers or booleans become strings as sigs.k8s.io/yaml writes them; null,
  sequence and mapping keys are errors; so are NaN and infinities (JSON has neither);
- merge keys (`<<`) merge as go-yaml v2 merges them;
- integers beyond int64 become float64, as the JSON decoder makes them.

The document is composed here from libyaml's events, iteratively: nesting is counted as it
opens, and every alias adds the size of what it repeats, so expansion stops at the object size
limit however small the body ("billion laughs", or one long string aliased many times).
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from annex_core.gotext import go_float_g, go_quote
from annex_gateway.endpoints.jsonbody import INT64_MAX, INT64_MIN, Unreadable
from annex_gateway.endpoints.limits import DecodeLimits, check_produced, too_deep, too_large
from annex_gateway.jsoncopy import copy_json

# libyaml's parser when PyYAML has it; else PyYAML's own (the same events, slower). Only
# their events are used: neither composer nor constructor runs.
_Parser: Callable[[bytes], Any] = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_TAG = "tag:yaml.org,2002:"
STR, BINARY, BOOL, INT, FLOAT, NULL, TIMESTAMP, MERGE = (
    _TAG + t for t in ("str", "binary", "bool", "int", "float", "null", "timestamp", "merge")
)
_RESOLVABLE = frozenset(("", STR, BOOL, INT, FLOAT, NULL, TIMESTAMP))
_MERGE_KEY = object()
_SPECIAL: dict[str, tuple[str, Any]] = {
    **{s: (BOOL, True) for s in ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE")},
    **{s: (BOOL, True) for s in ("on", "On", "ON")},
    **{s: (BOOL, False) for s in ("n", "N", "no", "No", "NO", "false", "False", "FALSE")},
    **{s: (BOOL, False) for s in ("off", "Off", "OFF")},
    **{s: (NULL, None) for s in ("", "~", "null", "Null", "NULL")},
    **{s: (FLOAT, math.nan) for s in (".nan", ".NaN", ".NAN")},
    **{s: (FLOAT, math.inf) for s in (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF")},
    **{s: (FLOAT, -math.inf) for s in ("-.inf", "-.Inf", "-.INF")},
}
_HINTS = {**dict.fromkeys("+-", "S"), **dict.fromkeys("0123456789", "D")}
_HINTS.update({**dict.fromkeys("yYnNtTfFoO~", "M"), ".": "."})
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_DOT_FLOAT = re.compile(r"\.[0-9]+([eE][-+]?[0-9]+)?\Z")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"([Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2})?)?\Z"
)
_DIGITS = {2: re.compile("[01]+\\Z"), 8: re.compile("[0-7]+\\Z"), 10: re.compile("[0-9]+\\Z")}
_DIGITS[16] = re.compile("[0-9a-fA-F]+\\Z")
_PREFIXES = {"0x": 16, "0X": 16, "0o": 8, "0O": 8, "0b": 2, "0B": 2}


class YamlError(Exception):
    """What go-yaml or sigs.k8s.io/yaml would fail with."""


def _unconvertible(problem: str) -> Unreadable:
    # kube's YAML serializer returns the YAML error as it is: no "converting" prefix there.
    return Unreadable(problem, f"error converting YAML to JSON: {problem}")


def decode_yaml(body: bytes, limits: DecodeLimits) -> Any:
    """The first document of `body` as JSON data, within the limits (run it off the loop:
    even libyaml's events take a while for megabytes)."""
    composer = _Composer(limits)
    parser = _Parser(body)
    try:
        value = composer.compose(parser)
    except YamlError as e:
        raise _unconvertible(str(e)) from None
    except yaml.YAMLError as e:
        if "maximum nesting depth" in str(e):  # libyaml's own limit, beyond ours
            raise too_deep(limits) from None
        raise _unconvertible(_go_yaml_error(e)) from None
    finally:
        parser.dispose()
    check_produced(value, limits)  # the estimate stopped expansion; this is the exact measure
    return value


def _go_yaml_error(error: yaml.YAMLError) -> str:
    """go-yaml v2's words for what its parser (a port of libyaml's) failed on, parser.fail():
    the problem, after the line of its mark (a scanner's counted from 1, a parser's from 0,
    as go-yaml does), or of the context's; no line when that is the first."""
    if isinstance(error, yaml.reader.ReaderError):
        problem = error.reason
        line = 0
    else:
        problem = getattr(error, "problem", None)
        problem_mark = getattr(error, "problem_mark", None)
        context_mark = getattr(error, "context_mark", None)
        line = 0
        if problem_mark is not None and problem_mark.line != 0:
            line = problem_mark.line + isinstance(error, yaml.scanner.ScannerError)
        elif context_mark is not None:
            line = context_mark.line
    where = f"line {line}: " if line else ""
    return f"yaml: {where}{problem or 'unknown problem parsing YAML content'}"


def _go_sharp_v(value: Any) -> str:
    """fmt's %#v of what go-yaml v2 decodes a node into (interface{} all through)."""
    if value is None:
        return "interface {}(nil)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float_g(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(_go_sharp_v(v) for v in value) + "}"
    entries = sorted(value.items())  # fmt prints a map's keys sorted
    inner = ", ".join(f"{_go_sharp_v(k)}:{_go_sharp_v(v)}" for k, v in entries)
    return "map[interface {}]interface {}{" + inner + "}"


# -- composing ----------------------------------------------------------------------------------


@dataclass
class _Open:
    """A sequence or mapping being composed."""

    value: list[Any] | dict[str, Any]
    anchor: str | None
    start_size: int  # the running size and node count when it opened
    start_nodes: int
    height: int = 1  # levels from here down, itself included
    key: Any = None  # a mapping's key waiting for its value
    has_key: bool = False


@dataclass(frozen=True)
class _Anchored:
    value: Any
    size: int  # estimated JSON bytes it expands to
    nodes: int  # YAML nodes it expands to
    height: int  # its nesting levels (0 for a scalar)


@dataclass
class _Composer:
    limits: DecodeLimits
    anchors: dict[str, _Anchored] = field(default_factory=dict)
    open: list[_Open] = field(default_factory=list)
    size: int = 0  # estimated JSON bytes so far, aliases expanded
    nodes: int = 0  # nodes so far, aliases expanded (go-yaml's decodeCount)
    aliased_nodes: int = 0  # of which repeated by an alias (its aliasCount)

    def compose(self, parser: Any) -> Any:
        root: list[Any] = []
        while True:
            event = parser.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent | yaml.DocumentEndEvent):
                break  # go-yaml decodes the first document only
            if isinstance(event, yaml.ScalarEvent):
                value = _scalar(event.tag, event.value, event.implicit[0])
                self.nodes += 1
                self._add(value, _scalar_size(value), 0, event.anchor, root)
            elif isinstance(event, yaml.AliasEvent):
                self._alias(event.anchor or "", root)
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                container: list[Any] | dict[str, Any] = (
                    [] if isinstance(event, yaml.SequenceStartEvent) else {}
                )
                self.open.append(_Open(container, event.anchor, self.size, self.nodes))
                self.size += 2
                self.nodes += 1
                if len(self.open) > self.limits.max_depth:
                    raise too_deep(self.limits)
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                done = self.open.pop()
                if done.anchor is not None:
                    self.anchors[done.anchor] = _Anchored(
                        done.value,
                        self.size - done.start_size,
                        self.nodes - done.start_nodes,
                        done.height,
                    )
                self._place(done.value, done.height, root)
        return root[0] if root else None

    def _alias(self, anchor: str, root: list[Any]) -> None:
        if any(o.anchor == anchor for o in self.open):
            # go-yaml's parser names a node as it opens: the alias is the node it is within.
            raise YamlError(f"yaml: anchor '{anchor}' value contains itself")
        anchored = self.anchors.get(anchor)
        if anchored is None:
            raise YamlError(f"yaml: unknown anchor '{anchor}' referenced")
        if len(self.open) + anchored.height > self.limits.max_depth:
            raise too_deep(self.limits)
        self.nodes += 1 + anchored.nodes
        self.aliased_nodes += anchored.nodes
        if _excessive_aliasing(self.nodes, self.aliased_nodes):
            raise YamlError("yaml: document contains excessive aliasing")
        # A copy: shared subtrees would change together wherever they are used later.
        value = anchored.value
        copied = copy_json(value) if isinstance(value, dict | list) else value
        self._add(copied, anchored.size, anchored.height, None, root)

    def _add(self, value: Any, cost: int, height: int, anchor: str | None, root: list[Any]) -> None:
        self.size += cost
        if self.size > 2 * self.limits.max_object_bytes:  # well beyond: stop expanding now
            raise too_large(self.limits)
        if anchor is not None:
            self.anchors[anchor] = _Anchored(value, cost, 1, height)
        self._place(value, height, root)

    def _place(self, value: Any, height: int, root: list[Any]) -> None:
        """`value` (a scalar as resolved, or a composed container) where it belongs."""
        if not self.open:
            root.append(json_value(value))
            return
        parent = self.open[-1]
        parent.height = max(parent.height, height + 1)
        container = parent.value
        if isinstance(container, list):
            container.append(json_value(value))
            self.size += 1
        elif not parent.has_key:
            if isinstance(value, dict | list):
                raise YamlError(f"yaml: invalid map key: {_go_sharp_v(value)}")
            parent.key, parent.has_key = value, True
        else:
            parent.has_key = False
            if parent.key is _MERGE_KEY:
                _merge(container, value)
            else:
                key = json_key(parent.key)
                container[key] = json_value(value)
                self.size += len(key) + 4  # quotes, colon, comma


def _excessive_aliasing(nodes: int, aliased: int) -> bool:
    """go-yaml v2's guard (decode.go allowedAliasRatio): counted in nodes, where ours in bytes
    is the object size limit; kube-apiserver answers it with a 400, and so do we."""
    if aliased <= 100 or nodes <= 1000:
        return False
    low, high = 400_000, 4_000_000
    if nodes <= low:
        allowed = 0.99
    elif nodes >= high:
        allowed = 0.10
    else:
        allowed = 0.99 - 0.89 * (nodes - low) / (high - low)
    return aliased / nodes > allowed


def _merge(target: dict[str, Any], value: Any) -> None:
    """go-yaml v2's merge: a mapping's entries, or a sequence of mappings' (earlier wins)."""
    sources = value if isinstance(value, list) else [value]
    if not all(isinstance(s, dict) for s in sources):
        raise YamlError("yaml: map merge requires map or sequence of maps as the value")
    for source in reversed(sources):
        target.update(source)


# -- scalars ------------------------------------------------------------------------------------


def _scalar(tag: str | None, text: str, plain: bool) -> Any:
    """A scalar's value as go-yaml v2 resolves it for an interface{} (json_value and json_key
    then make it what JSON holds)."""
    tag = tag or ""
    if tag.startswith("!!"):
        tag = _TAG + tag[2:]
    if tag == BINARY:
        try:
            decoded = base64.b64decode(text.replace("\n", ""), validate=True)
        except (binascii.Error, ValueError):
            raise YamlError("yaml: !!binary value contains invalid base64 data") from None
        return decoded.decode("utf-8", errors="replace")  # encoding/json's replacement
    if (plain and not tag and text == "<<") or tag == MERGE:
        return _MERGE_KEY  # a merge if it is a key (go-yaml's isMerge), else the text
    if tag not in _RESOLVABLE or (not tag and not plain):
        return text  # an unknown tag or a quoted scalar: the text
    resolved_tag, value = _resolve(tag, text)
    if tag and tag not in (resolved_tag, STR):
        if tag != FLOAT or resolved_tag != INT:
            raise YamlError(f"cannot decode {_short(resolved_tag)} `{text}` as a {_short(tag)}")
        value = float(value)
    return value


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG)


def json_value(value: Any) -> Any:
    """A resolved value as encoding/json writes it and the JSON decoder reads it back: NaN
    and infinities are errors, an integral float64 within int64 an integer again, an
    integer beyond int64 (a uint64) a float64."""
    if value is _MERGE_KEY:
        return "<<"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise YamlError(f"json: unsupported value: {_go_float_name(value)}")
        if value.is_integer() and INT64_MIN <= value < 2**63:
            return int(value)
    elif type(value) is int and not INT64_MIN <= value <= INT64_MAX:
        return float(value)
    return value


def _resolve(tag: str, text: str) -> tuple[str, Any]:
    hint = _HINTS.get(text[0]) if text else "M"
    if hint is None or tag == STR:
        return STR, text
    special = _SPECIAL.get(text)
    if special is not None:
        return special
    if hint == "." and _DOT_FLOAT.match(text):
        return FLOAT, float(text)
    if hint in ("D", "S"):
        if tag in ("", TIMESTAMP) and _TIMESTAMP.match(text):
            return TIMESTAMP, text  # kept as a string for an interface{}
        plain = text.replace("_", "")
        number = _go_parse_int(plain)
        if number is not None:
            return INT, number
        if _YAML_FLOAT.match(plain):
            as_float = float(plain)
            if math.isfinite(as_float):  # Go's ParseFloat fails on overflow: a string then
                return FLOAT, as_float
    return STR, text


def plain_tag(text: str) -> str:
    """The tag go-yaml resolves a plain scalar to (STR when it stays a string)."""
    return _resolve("", text)[0]


def _go_parse_int(text: str) -> int | None:
    """strconv.ParseInt(text, 0, 64), or ParseUint when beyond int64; None if neither."""
    sign = -1 if text[:1] == "-" else 1
    digits = text[1:] if text[:1] in ("-", "+") else text
    base = _PREFIXES.get(digits[:2])
    if base is not None:
        digits = digits[2:]
    elif len(digits) > 1 and digits[0] == "0":
        base, digits = 8, digits[1:]
    else:
        base = 10
    if len(digits) > 64 or not _DIGITS[base].match(digits):
        return None  # more digits than 64 bits have, in any base
    value = sign * int(digits, base)
    unsigned_ok = text[:1] not in ("-", "+") and value <= 2**64 - 1
    return value if INT64_MIN <= value <= INT64_MAX or unsigned_ok else None


def _scalar_size(value: Any) -> int:
    """A lower bound of the JSON text of a scalar: its characters, quotes for a string."""
    if isinstance(value, str):
        return len(value) + 2
    return len(str(value))


def _go_float_name(value: float) -> str:
    return "NaN" if math.isnan(value) else ("+Inf" if value > 0 else "-Inf")


# -- keys ---------------------------------------------------------------------------------------


def json_key(key: Any) -> str:
    """A mapping key as sigs.k8s.io/yaml's convertToJSONableObject writes it."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        if key > INT64_MAX:
            raise YamlError(f"unsupported map key of type: uint64, key: {key}")
        return str(key)
    if isinstance(key, float):
        return _go_float32_g(key)
    raise YamlError(f"unsupported map key of type: %!s(<nil>), key: {key!r}")


def _go_float32_g(value: float) -> str:
    """strconv.FormatFloat(value, 'g', -1, 32), with go-yaml's names for the specials."""
    if math.isnan(value):
        return ".nan"
    try:
        single = struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        single = math.copysign(math.inf, value)
    if math.isinf(single):
        return ".inf" if single > 0 else "-.inf"
    for precision in range(9):  # the shortest digits that read back as the same float32
        text = f"{single:.{precision}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            break
    mantissa, exponent = text.split("e")
    sign, digits, exp = mantissa[:1] == "-", mantissa.lstrip("-").replace(".", ""), int(exponent)
    digits = digits.rstrip("0") or "0"
    if exp < -4 or exp >= 6:  # Go's 'g' with the shortest digits: %e beyond these
        body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        body += f"e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    elif exp >= 0:
        whole = digits[: exp + 1].ljust(exp + 1, "0")
        body = whole + ("." + digits[exp + 1 :] if len(digits) > exp + 1 else "")
    else:
        body = "0." + "0" * (-exp - 1) + digits
    return ("-" if sign else "") + body


_NodeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def duplicate_keys(body: bytes) -> str | None:
    """go-yaml's strict error for keys a mapping of the first document repeats
    (`yaml: unmarshal errors:\\n  line 7: key "name" already set in map`), or None.
    YAMLToJSONStrict reports it; the value kept is the last, as in the lenient decoder."""
    try:
        root = next(iter(yaml.compose_all(body, Loader=_NodeLoader)), None)
    except yaml.YAMLError:
        return None  # the decoder itself reports what does not parse
    lines: list[str] = []
    stack = [root] if root is not None else []
    seen_nodes: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:  # aliases share nodes
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[Any] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        lines.append(
                            f"  line {key.start_mark.line + 1}: key {_go_quoted(key)} "
                            "already set in map"
                        )
                    keys.add(key.value)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    if not lines:
        return None
    lines.sort(key=lambda line: int(line.split()[1].rstrip(":")))
    return "yaml: unmarshal errors:\n" + "\n".join(lines)


def _go_quoted(key: yaml.ScalarNode) -> str:
    """`%#v` of the decoded key: strings quoted, plain numbers and booleans as they are."""
    text = str(key.value)
    if key.style is None and (re.fullmatch(r"-?\d+", text) or text in ("true", "false")):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
