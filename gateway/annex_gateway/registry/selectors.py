"""Label and field selectors with k8s.io/apimachinery's syntax and matching rules.

Labels: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, `a>1`, `a<1`,
joined by commas. Fields: `path=value`, `path==value`, `path!=value`, joined by commas,
with `\\`, `\\,` and `\\=` escapes; which paths are supported is the resource's choice.
A selector that does not parse is a 400 BadRequest, as in kube-apiserver.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from annex_core.gotext import go_quote
from annex_core.schema.names import label_value_errors, qualified_name_errors
from annex_gateway import apierrors


@dataclass(frozen=True)
class Requirement:
    key: str
    operator: str  # =, !=, in, notin, exists, !, gt, lt
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        has = self.key in labels
        value = labels.get(self.key)
        if self.operator in ("=", "in"):
            return has and value in self.values
        if self.operator in ("!=", "notin"):
            return not has or value not in self.values
        if self.operator == "exists":
            return has
        if self.operator == "!":
            return not has
        # gt and lt compare integers; a label that is not one never matches
        number, bound = _integer(value or ""), _integer(self.values[0])
        if number is None or bound is None:
            return False
        return number > bound if self.operator == "gt" else number < bound


@dataclass(frozen=True)
class LabelSelector:
    requirements: tuple[Requirement, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        return all(r.matches(labels) for r in self.requirements)

    @property
    def empty(self) -> bool:
        return not self.requirements


def _integer(text: str) -> int | None:
    """`text` as Go's strconv.ParseInt(text, 10, 64) reads it: ASCII digits after an optional
    sign (no spaces or underscores, which Python's int() would take), within int64. Label
    values never start with a sign, so what Gt and Lt compare are plain digits."""
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


# k8s.io/apimachinery/pkg/labels' lexer and parser (selector.go), ported with their errors.
_END, _IDENTIFIER = "end of string", "identifier"
_SYMBOLS = frozenset({")", ",", "!", "==", "=", ">", "<", "!=", "("})
_KEYWORDS = frozenset({"in", "notin"})
_SPECIAL = frozenset(b"=!(),><")
_WHITESPACE = frozenset(b" \t\r\n")
_BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt"


def _lex(text: str) -> list[tuple[str, str]]:
    """Lexer.Lex until the end of the string: (token, literal) pairs, symbols and keywords as
    their own token. Go reads bytes, and any NUL byte as 0, which ends a token (and, where a
    token would start, the string)."""
    data = text.encode()
    items: list[tuple[str, str]] = []
    pos = 0

    def read() -> int:
        nonlocal pos
        if pos < len(data):
            pos += 1
            return data[pos - 1]
        return 0

    while True:
        ch = read()
        while ch in _WHITESPACE:
            ch = read()
        if ch == 0:
            items.append((_END, ""))
            return items
        pos -= 1
        buffer = b""
        if ch in _SPECIAL:  # scanSpecialSymbol: the longest symbol read
            # Every special character is a symbol by itself: one is always found (Go's
            # ErrorToken for none cannot happen).
            last = ""
            while (ch := read()) != 0:
                if ch not in _SPECIAL:
                    pos -= 1
                    break
                buffer += bytes([ch])
                if buffer.decode() in _SYMBOLS:
                    last = buffer.decode()
                elif last:
                    pos -= 1
                    break
            items.append((last, last))
            continue
        while (ch := read()) != 0:  # scanIDOrKeyword
            if ch in _SPECIAL or ch in _WHITESPACE:
                pos -= 1
                break
            buffer += bytes([ch])
        literal = buffer.decode(errors="replace")
        items.append((literal if literal in _KEYWORDS else _IDENTIFIER, literal))


class _LabelParser:
    def __init__(self, text: str) -> None:
        self.items = _lex(text)
        self.pos = 0

    def lookahead(self, values: bool = True) -> tuple[str, str]:
        token, literal = self.items[self.pos]
        return (_IDENTIFIER if values and token in _KEYWORDS else token), literal

    def consume(self, values: bool = True) -> tuple[str, str]:
        found = self.lookahead(values)
        self.pos += 1
        return found

    def parse(self) -> LabelSelector:
        requirements: list[Requirement] = []
        while True:
            token, literal = self.lookahead()
            if token in (_IDENTIFIER, "!"):
                try:
                    requirements.append(self.requirement())
                except _ParseError as e:
                    raise apierrors.bad_request(f"unable to parse requirement: {e}") from None
                token, literal = self.consume()
                if token == _END:
                    break
                if token == ",":
                    after, literal = self.lookahead()
                    if after not in (_IDENTIFIER, "!"):
                        raise apierrors.bad_request(
                            f"found '{literal}', expected: identifier after ','"
                        )
                    continue
                raise apierrors.bad_request(f"found '{literal}', expected: ',' or 'end of string'")
            if token == _END:
                break
            raise apierrors.bad_request(
                f"found '{literal}', expected: !, identifier, or 'end of string'"
            )
        return LabelSelector(tuple(sorted(requirements, key=lambda r: r.key)))

    def requirement(self) -> Requirement:
        negated = False
        token, literal = self.consume()
        if token == "!":
            negated = True
            token, literal = self.consume()
        if token != _IDENTIFIER:
            raise _ParseError(f"found '{literal}', expected: identifier")
        key = literal
        errors = qualified_name_errors(key)
        if errors:  # the parser's own check, with no field path
            raise _ParseError(f"<nil>: Invalid value: {go_quote(key)}: {'; '.join(errors)}")
        if negated or self.lookahead()[0] in (_END, ","):
            return _requirement(key, "!" if negated else "exists", [])
        token, literal = self.consume(values=False)
        operator = {
            "in": "in",
            "notin": "notin",
            "=": "=",
            "==": "=",
            "!=": "!=",
            ">": "gt",
            "<": "lt",
        }.get(token)
        if operator is None:
            raise _ParseError(f"found '{literal}', expected: {_BINARY_OPERATORS}")
        values = self.values() if operator in ("in", "notin") else self.exact_value()
        return _requirement(key, operator, sorted(values))

    def values(self) -> set[str]:
        token, literal = self.consume()
        if token != "(":
            raise _ParseError(f"found '{literal}' expected: '('")
        token, literal = self.lookahead()
        if token == ")":  # "()"
            self.consume()
            return {""}
        if token not in (_IDENTIFIER, ","):
            raise _ParseError(f"found '{literal}', expected: ',', ')' or identifier")
        found = self.identifiers()
        if self.consume()[0] != ")":
            raise _ParseError(f"found '{literal}', expected: ')'")
        return found

    def identifiers(self) -> set[str]:
        found: set[str] = set()
        while True:
            token, literal = self.consume()
            if token == _IDENTIFIER:
                found.add(literal)
                after, next_literal = self.lookahead()
                if after == ",":
                    continue
                if after == ")":
                    return found
                raise _ParseError(f"found '{next_literal}', expected: ',' or ')'")
            if token == ",":
                if not found:
                    found.add("")  # "(,"
                after = self.lookahead()[0]
                if after in (")", ","):
                    found.add("")  # ",)" and ",,"
                if after == ")":
                    return found
                continue
            raise _ParseError(f"found '{literal}', expected: ',', or identifier")

    def exact_value(self) -> set[str]:
        if self.lookahead()[0] in (_END, ","):
            return {""}
        token, literal = self.consume()
        if token == _IDENTIFIER:
            return {literal}
        raise _ParseError(f"found '{literal}', expected: identifier")


class _ParseError(Exception):
    pass


def _requirement(key: str, operator: str, values: list[str]) -> Requirement:
    """NewRequirement: its checks of the values (the key was checked), errors aggregated."""
    errors: list[str] = []
    if operator in ("gt", "lt"):
        errors += [
            f"values[{i}]: Invalid value: {go_quote(v)}: for 'Gt', 'Lt' operators, the value "
            "must be an integer"
            for i, v in enumerate(values)
            if _integer(v) is None
        ]
    for i, value in enumerate(values):
        problems = label_value_errors(value)
        if problems:
            errors.append(
                f"values[{i}][{key}]: Invalid value: {go_quote(value)}: {'; '.join(problems)}"
            )
    if len(errors) == 1:
        raise _ParseError(errors[0])
    if errors:
        raise _ParseError(f"[{', '.join(errors)}]")
    return Requirement(key, operator, tuple(values))


# Controllers list and watch with the same few selectors over and over: each parsed once. A
# selector is immutable, and a refused one raises, so is never kept.
@functools.lru_cache(maxsize=256)
def parse_labels(text: str | None) -> LabelSelector:
    if not text or not text.strip():
        return LabelSelector()
    return _LabelParser(text).parse()


@dataclass(frozen=True)
class FieldRequirement:
    field: str
    value: str
    negated: bool


@dataclass(frozen=True)
class FieldSelector:
    requirements: tuple[FieldRequirement, ...] = ()

    def matches(self, fields: Mapping[str, str]) -> bool:
        return all((fields.get(r.field) == r.value) != r.negated for r in self.requirements)

    @property
    def empty(self) -> bool:
        return not self.requirements

    def exact(self, field: str) -> str | None:
        """The value `field` must equal, if the selector pins it (`metadata.name=x`)."""
        return next(
            (r.value for r in self.requirements if r.field == field and not r.negated), None
        )


def _split_terms(text: str) -> list[str]:
    """Split on commas not escaped by a backslash, keeping the escapes (fields.splitTerms)."""
    parts, start, in_slash = [], 0, False
    for i, ch in enumerate(text):
        if in_slash:
            in_slash = False
        elif ch == "\\":
            in_slash = True
        elif ch == ",":
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _unescape(value: str) -> str:
    """A field selector value as fields.UnescapeValue reads it: only `\\\\`, `\\,` and `\\=`
    are escapes, and an unescaped `,` or `=` or any other escape is an error (400)."""
    out, in_slash = [], False
    for ch in value:
        if in_slash:
            if ch not in "\\,=":
                raise apierrors.bad_request(
                    f"invalid field selector: invalid escape sequence: \\{ch}"
                )
            out.append(ch)
            in_slash = False
        elif ch == "\\":
            in_slash = True
        elif ch in ",=":
            raise apierrors.bad_request(
                f"invalid field selector: unescaped character in value: {ch}"
            )
        else:
            out.append(ch)
    if in_slash:
        raise apierrors.bad_request("invalid field selector: invalid escape sequence: \\")
    return "".join(out)


def parse_fields(text: str | None, supported: Collection[str] | None) -> FieldSelector:
    """`supported`: the fields the resource can select by (None: any, as a parse alone).

    As fields.ParseSelector, then the handler's field label conversion: the terms sorted,
    nothing trimmed (` a = b` names the field ` a `), each parsed and its value unescaped,
    then each field checked; the first failure is the answer."""
    if not text:
        return FieldSelector()
    parsed = []
    for term in sorted(_split_terms(text)):  # sort.Strings: byte order, as code points
        if term == "":
            continue
        found = _split_requirement(term)
        if found is None:
            raise apierrors.bad_request(f"invalid selector: '{text}'; can't understand '{term}'")
        parsed.append(found)
    if supported is not None:
        for field, _, _ in parsed:
            if field not in supported:
                raise apierrors.bad_request(f"field label not supported: {field}")
    return FieldSelector(tuple(FieldRequirement(f, v, n) for f, v, n in parsed))


def _split_requirement(term: str) -> tuple[str, str, bool] | None:
    """`field`, `value` and whether the operator is `!=`, or None if there is no operator.

    As fields.splitTerm: the first position holding `!=`, `==` or `=` splits the term, so
    `a=b!=c` is field `a` with value `b!=c`, which the unescaping then refuses.
    """
    for i in range(len(term)):
        for op in ("!=", "==", "="):
            if term.startswith(op, i):
                return term[:i], _unescape(term[i + len(op) :]), op == "!="
    return None


def object_fields(obj: Mapping[str, Any], namespaced: bool) -> dict[str, str]:
    """The fields every resource supports in field selectors (CRDs add selectableFields later)."""
    meta: Mapping[str, Any] = obj.get("metadata") or {}
    fields = {"metadata.name": str(meta.get("name", ""))}
    if namespaced:
        fields["metadata.namespace"] = str(meta.get("namespace", ""))
    return fields
