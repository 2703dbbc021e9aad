"""The parser of `k8s.io/client-go/util/jsonpath` (`parser.go`): a template such as
`{.status.conditions[?(@.type=="Ready")].status}` into its node tree (jsonpath.py evaluates it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DICT_KEY = re.compile(r"'([^']*)'")
_SLICE = re.compile(r"(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?")
_FILTER = re.compile(r"([^!<>=]+)([!<>=]+)(.+?)")
_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
_MAX_INT = 2**63 - 1
_TERMINATORS = frozenset(" \t\r\n.,[]$@{}")
_EOF = ""


class JSONPathError(ValueError):
    """A template that does not parse, or (internally) an evaluation error."""


@dataclass
class ListNode:
    nodes: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class TextNode:
    text: str


@dataclass(frozen=True)
class FieldNode:
    name: str


@dataclass(frozen=True)
class Param:
    value: int = 0
    known: bool = False
    derived: bool = False


@dataclass(frozen=True)
class ArrayNode:
    params: tuple[Param, Param, Param]


@dataclass(frozen=True)
class FilterNode:
    left: ListNode
    right: ListNode
    operator: str


@dataclass(frozen=True)
class LiteralNode:
    """IntNode, FloatNode and BoolNode: the literal once per input value."""

    value: int | float | bool


@dataclass(frozen=True)
class WildcardNode:
    pass


@dataclass(frozen=True)
class RecursiveNode:
    pass


@dataclass(frozen=True)
class UnionNode:
    branches: tuple[ListNode, ...]


@dataclass(frozen=True)
class IdentifierNode:
    name: str


Node = (
    ListNode
    | TextNode
    | FieldNode
    | ArrayNode
    | FilterNode
    | LiteralNode
    | WildcardNode
    | RecursiveNode
    | UnionNode
    | IdentifierNode
)


def _alphanumeric(c: str) -> bool:
    return c == "_" or c.isalpha() or c.isdecimal()


def _terminator(c: str) -> bool:
    return c == _EOF or c in _TERMINATORS


class _Parser:
    def __init__(self, text: str) -> None:
        self.input = text
        self.pos = self.start = self.width = 0
        self.root = ListNode()

    def next(self) -> str:
        if self.pos >= len(self.input):
            self.width = 0
            return _EOF
        self.width = 1
        self.pos += 1
        return self.input[self.pos - 1]

    def backup(self) -> None:
        self.pos -= self.width

    def consume(self) -> str:
        value = self.input[self.start : self.pos]
        self.start = self.pos
        return value

    def parse(self) -> ListNode:
        while True:
            brace = self.input.find("{", self.pos)
            self.pos = len(self.input) if brace < 0 else brace
            if self.pos > self.start:
                self.root.nodes.append(TextNode(self.consume()))
            if brace < 0:
                return self.root
            self.pos += 1
            self.consume()
            action = ListNode()
            self.root.nodes.append(action)
            self.inside_action(action)

    def inside_action(self, cur: ListNode) -> None:
        while True:
            rest = self.input[self.pos :]
            if rest.startswith("}"):
                self.pos += 1
                self.consume()
                return
            if rest.startswith("[?("):
                self.filter(cur)
                continue
            if rest.startswith(".."):
                self.recursive(cur)
                continue
            r = self.next()
            if r == _EOF or r in "\r\n":
                raise JSONPathError("unclosed action")
            if r == " " or r in "@$":
                self.consume()
            elif r == "[":
                self.array(cur)
            elif r in "\"'":
                self.quote(cur, r)
            elif r == ".":
                self.field(cur)
            elif r in "+-" or r.isdecimal():
                self.backup()
                self.number(cur)
            elif _alphanumeric(r):
                self.backup()
                self.identifier(cur)
            else:
                raise JSONPathError(f"unrecognized character in action: U+{ord(r):04X} {r!r}")

    def identifier(self, cur: ListNode) -> None:
        while not _terminator(self.next()):
            pass
        self.backup()
        value = self.consume()
        cur.nodes.append(
            LiteralNode(value == "true") if value in ("true", "false") else IdentifierNode(value)
        )

    def recursive(self, cur: ListNode) -> None:
        if cur.nodes and isinstance(cur.nodes[-1], RecursiveNode):
            raise JSONPathError("invalid multiple recursive descent")
        self.pos += 2
        self.consume()
        cur.nodes.append(RecursiveNode())
        if self.pos < len(self.input) and _alphanumeric(self.input[self.pos]):
            self.field(cur)

    def number(self, cur: ListNode) -> None:
        if self.input[self.pos : self.pos + 1] in ("+", "-"):
            self.next()
        while True:
            r = self.next()
            if r != "." and not r.isdecimal():
                self.backup()
                break
        value = self.consume()
        if _INT.fullmatch(value) and abs(int(value)) <= _MAX_INT:
            cur.nodes.append(LiteralNode(int(value)))
        elif _FLOAT.fullmatch(value):
            cur.nodes.append(LiteralNode(float(value)))
        else:
            raise JSONPathError(f"cannot parse number {value}")

    def array(self, cur: ListNode) -> None:
        while (r := self.next()) != "]":
            if r in (_EOF, "\n"):
                raise JSONPathError("unterminated array")
        text = self.consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            cur.nodes.append(UnionNode(tuple(_action(f"[{p.strip(' ')}]") for p in parts)))
            return
        if key := _DICT_KEY.fullmatch(text):
            cur.nodes.extend(_action(f".{key.group(1)}").nodes)
            return
        groups = _SLICE.fullmatch(text)
        if groups is None:
            raise JSONPathError(f"invalid array index {text}")
        params: list[Param] = []
        for i, raw in enumerate(groups.groups(default="")):
            if raw:
                raw = raw[1:] if i > 0 else raw
                if i > 0 and not raw:
                    params.append(Param())
                elif not _INT.fullmatch(raw):
                    raise JSONPathError(f"array index {raw} is not a number")
                else:
                    params.append(Param(int(raw), known=True))
            elif i == 1:
                params.append(Param(params[0].value + 1, known=True, derived=True))
            else:
                params.append(Param())
        cur.nodes.append(ArrayNode((params[0], params[1], params[2])))

    def filter(self, cur: ListNode) -> None:
        self.pos += 3
        self.consume()
        begin = end = False
        pair = ""
        while True:
            r = self.next()
            if r in (_EOF, "\n"):
                raise JSONPathError("unterminated filter")
            if r in "\"'":
                if not begin:
                    begin, pair = True, r
                    continue
                if self.input[self.pos - 2] != "\\" and r == pair:
                    end = True
            elif r == ")" and begin == end:
                break
        if self.next() != "]":
            raise JSONPathError("unclosed array expect ]")
        text = self.consume()[:-2]
        parts = _FILTER.fullmatch(text)
        if parts is None:
            cur.nodes.append(FilterNode(_action(text), ListNode(), "exists"))
        else:
            left, op, right = parts.groups()
            cur.nodes.append(FilterNode(_action(left), _action(right), op))

    def quote(self, cur: ListNode, end: str) -> None:
        while True:
            r = self.next()
            if r in (_EOF, "\n"):
                raise JSONPathError("unterminated quoted string")
            if r == end and self.input[self.pos - 2] != "\\":
                break
        cur.nodes.append(TextNode(_unquote(self.consume())))

    def field(self, cur: ListNode) -> None:
        self.consume()
        while True:
            r = self.next()
            if r == "\\":
                self.next()
            elif _terminator(r):
                self.backup()
                break
        value = self.consume()
        cur.nodes.append(WildcardNode() if value == "*" else FieldNode(value.replace("\\", "")))


def _action(text: str) -> ListNode:
    """parseAction: `text` parsed as `{text}`, its first action."""
    first = _Parser("{" + text + "}").parse().nodes[0]
    assert isinstance(first, ListNode)
    return first


_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_ESCAPE = re.compile(
    r"\\(?:([abfnrtv\\'\"])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|"
    r"U([0-9a-fA-F]{8})|([0-7]{3}))|(.)",
    re.DOTALL,
)


def _unquote(quoted: str) -> str:
    """UnquoteExtend: Go's strconv.Unquote, for single quotes too."""
    quote, body = quoted[0], quoted[1:-1]
    if len(quoted) < 2 or quoted[-1] != quote:
        raise JSONPathError(f"unquote string {quoted} error invalid syntax")
    out: list[str] = []
    for m in _ESCAPE.finditer(body):
        simple, hex2, hex4, hex8, octal, plain = m.groups()
        if plain is not None:
            if plain == quote or plain == "\\":
                raise JSONPathError(f"unquote string {quoted} error invalid syntax")
            out.append(plain)
        elif simple is not None:
            if simple in "'\"" and simple != quote:
                raise JSONPathError(f"unquote string {quoted} error invalid syntax")
            out.append(_SIMPLE_ESCAPES.get(simple, simple))
        else:
            code = int(hex2 or hex4 or hex8 or "0", 16) if octal is None else int(octal, 8)
            if (hex4 or hex8) and (code > 0x10FFFF or 0xD800 <= code < 0xE000):
                raise JSONPathError(f"unquote string {quoted} error invalid syntax")
            if octal is not None and code > 255:
                raise JSONPathError(f"unquote string {quoted} error invalid syntax")
            out.append(chr(code))
    return "".join(out)


def parse(template: str) -> ListNode:
    """The parse tree of a template such as `{.status.phase}`; JSONPathError if it has none."""
    return _Parser(template).parse()
