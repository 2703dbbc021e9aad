"""Label and field selectors with k8s.io/apimachinery's syntax and matching rules.

Labels: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, `a>1`, `a<1`,
joined by commas. Fields: `path=value`, `path==value`, `path!=value`, joined by commas,
with `\\`, `\\,` and `\\=` escapes; which paths are supported is the resource's choice.
A selector that does not parse is a 400 BadRequest, as in kube-apiserver.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from annex_core.schema.names import label_value_errors, qualified_name_errors
from annex_gateway import apierrors

_TOKEN = re.compile(r"\s*(!=|==|=|\(|\)|,|!|<|>|[^\s!=(),<>]+)")


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


def _label_error(message: str) -> apierrors.StatusError:
    return apierrors.bad_request(f"unable to parse requirement: {message}")


def _integer(text: str) -> int | None:
    """`text` as Go's strconv.ParseInt(text, 10, 64) reads a label value: ASCII digits only
    (no sign, spaces or underscores, which Python's int() would take), within int64."""
    if not re.fullmatch(r"[0-9]+", text):
        return None
    value = int(text)
    return value if value < 2**63 else None


def _check_key(key: str) -> None:
    errors = qualified_name_errors(key)
    if errors:
        raise _label_error(f'key: Invalid value: "{key}": {"; ".join(errors)}')


def _check_value(value: str) -> None:
    errors = label_value_errors(value)
    if errors:
        raise _label_error(f'values[0]: Invalid value: "{value}": {"; ".join(errors)}')


class _LabelParser:
    def __init__(self, text: str) -> None:
        self.tokens = [m.group(1) for m in _TOKEN.finditer(text)]
        if "".join(self.tokens) != re.sub(r"\s+", "", text):
            raise _label_error(f'invalid selector: "{text}"')
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise _label_error("found '', expected: identifier")
        self.pos += 1
        return token

    def values(self) -> tuple[str, ...]:
        """`(x,y)` as k8s.io/apimachinery's parseValues reads it: values need commas between
        them (`(x y)` is an error), and an empty place (`()`, `(,x)`, `(x,)`) is the value ""."""
        if self.take() != "(":
            raise _label_error("found '', expected: '('")
        values: set[str] = set()
        want_value = True  # at the start, or just after a comma
        while True:
            token = self.take()
            if token in (")", ","):
                if want_value:
                    values.add("")
                if token == ")":
                    return tuple(sorted(values))
                want_value = True
                continue
            if not want_value:
                raise _label_error(f"found '{token}', expected: ',' or ')'")
            _check_value(token)
            values.add(token)
            want_value = False

    def requirement(self) -> Requirement:
        token = self.take()
        if token == "!":
            key = self.take()
            _check_key(key)
            return Requirement(key, "!")
        key = token
        _check_key(key)
        op = self.peek()
        if op is None or op == ",":
            return Requirement(key, "exists")
        self.take()
        if op in ("=", "=="):
            value = self._single_value()
            return Requirement(key, "=", (value,))
        if op == "!=":
            return Requirement(key, "!=", (self._single_value(),))
        if op in ("in", "notin"):
            return Requirement(key, op, self.values())
        if op in (">", "<"):
            value = self.take()
            # k8s wants an int64 that is also a valid label value: plain decimal digits.
            if _integer(value) is None:
                raise _label_error(
                    f"for 'Gt', 'Lt' operators, the value must be an integer: {value}"
                )
            return Requirement(key, "gt" if op == ">" else "lt", (value,))
        raise _label_error(f"found '{op}', expected: in, notin, =, ==, !=, gt, lt")

    def _single_value(self) -> str:
        token = self.peek()
        if token is None or token == ",":
            return ""
        value = self.take()
        _check_value(value)
        return value

    def parse(self) -> LabelSelector:
        requirements = []
        while self.peek() is not None:
            requirements.append(self.requirement())
            token = self.peek()
            if token is None:
                break
            if token != ",":
                raise _label_error(f"found '{token}', expected: ','")
            self.take()
            if self.peek() is None:  # `a=b,`: k8s wants a requirement after every comma
                raise _label_error("found '', expected: identifier after ','")
        return LabelSelector(tuple(requirements))


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


def parse_fields(text: str | None, supported: Collection[str]) -> FieldSelector:
    if not text or not text.strip():
        return FieldSelector()
    requirements = []
    for term in _split_terms(text):
        if not term.strip():
            continue
        found = _split_requirement(term)
        if found is None:
            raise apierrors.bad_request(f"invalid selector: '{text}'; can't understand '{term}'")
        field, value, negated = found
        if field not in supported:
            raise apierrors.bad_request(f"field label not supported: {field}")
        requirements.append(FieldRequirement(field, value, negated))
    return FieldSelector(tuple(requirements))


def _split_requirement(term: str) -> tuple[str, str, bool] | None:
    """`field`, `value` and whether the operator is `!=`, or None if there is no operator.

    As fields.splitTerm: the first position holding `!=`, `==` or `=` splits the term, so
    `a=b!=c` is field `a` with value `b!=c`, which the unescaping then refuses.
    """
    for i in range(len(term)):
        for op in ("!=", "==", "="):
            if term.startswith(op, i):
                return term[:i].strip(), _unescape(term[i + len(op) :].strip()), op == "!="
    return None


def object_fields(obj: Mapping[str, Any], namespaced: bool) -> dict[str, str]:
    """The fields every resource supports in field selectors (CRDs add selectableFields later)."""
    meta: Mapping[str, Any] = obj.get("metadata") or {}
    fields = {"metadata.name": str(meta.get("name", ""))}
    if namespaced:
        fields["metadata.namespace"] = str(meta.get("namespace", ""))
    return fields
