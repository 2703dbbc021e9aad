"""Field paths and field sets as structured-merge-diff has them (fieldpath/element.go,
set.go, path.go, serialize.go, serialize-pe.go).

A `FieldSet` is what a manager owns; it serializes to the `fieldsV1` JSON of a managedFields
entry: keys `f:<field>`, `k:<json key>`, `v:<json value>`, `i:<index>`, each level sorted by
`PathElement` order, with `.` marking a node that is owned itself as well as having children.
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from annex_gateway.patch import values

FIELD, KEY, VALUE, INDEX = 0, 1, 2, 3

# Field elements by name, shared so that sets and walkers hash and compare them once; the
# cap bounds what arbitrary map keys can make it hold.
_FIELDS: dict[str, PathElement] = {}
_MAX_SHARED_FIELDS = 4096


class PathElement:
    """One step of a path. `raw` keeps the JSON value(s) of k:/v: elements for printing;
    `ident` is a hashable stand-in that is equal exactly when Go's Equals is. Treated as
    immutable; the hash is computed once, and field elements are shared (see `field`)."""

    __slots__ = ("_hash", "_serialized", "ident", "kind", "raw")

    def __init__(self, kind: int, ident: Any, raw: Any = None) -> None:
        self.kind = kind
        self.ident = ident
        self.raw = raw
        self._hash = hash((kind, ident))
        self._serialized: str | None = None

    @staticmethod
    def field(name: str) -> PathElement:
        pe = _FIELDS.get(name)
        if pe is None:
            pe = PathElement(FIELD, name, name)
            if len(_FIELDS) < _MAX_SHARED_FIELDS:
                _FIELDS[name] = pe
        return pe

    @staticmethod
    def index(i: int) -> PathElement:
        return PathElement(INDEX, i, i)

    @staticmethod
    def value(v: Any) -> PathElement:
        return PathElement(VALUE, values.hashable(v), v)

    @staticmethod
    def key(fields: Iterable[tuple[str, Any]]) -> PathElement:
        ordered = tuple(sorted(fields, key=lambda f: f[0]))
        return PathElement(KEY, tuple((n, values.hashable(v)) for n, v in ordered), ordered)

    def __eq__(self, other: object) -> bool:
        return self is other or (
            isinstance(other, PathElement) and self.kind == other.kind and self.ident == other.ident
        )

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"PathElement(kind={self.kind!r}, ident={self.ident!r}, raw={self.raw!r})"

    def compare(self, other: PathElement) -> int:
        """PathElement.Compare: fields < keys < values < indexes, then within each kind."""
        if self.kind != other.kind:
            return -1 if self.kind < other.kind else 1
        if self.kind in (FIELD, INDEX):
            return values.compare(self.raw, other.raw)
        if self.kind == VALUE:
            return values.compare(self.raw, other.raw)
        lhs, rhs = self.raw, other.raw
        for (ln, lv), (rn, rv) in zip(lhs, rhs, strict=False):
            if ln != rn:
                return -1 if ln < rn else 1
            if c := values.compare(lv, rv):
                return c
        return (len(lhs) > len(rhs)) - (len(lhs) < len(rhs))

    def __str__(self) -> str:
        """PathElement.String, as conflict messages print paths."""
        if self.kind == FIELD:
            return "." + str(self.raw)
        if self.kind == KEY:
            return "[" + ",".join(f"{n}={values.to_string(v)}" for n, v in self.raw) + "]"
        if self.kind == VALUE:
            return f"[={values.to_string(self.raw)}]"
        return f"[{self.raw}]"

    def serialize(self) -> str:
        """SerializePathElement: the key used in fieldsV1. Kept once made: every write
        encodes every manager's set, mostly of elements shared with earlier writes (field
        elements, and those of decoded sets)."""
        text = self._serialized
        if text is None:
            text = self._serialized = self._serialize()
        return text

    def _serialize(self) -> str:
        if self.kind == FIELD:
            return "f:" + str(self.raw)
        if self.kind == KEY:
            inner = ",".join(
                values.go_json_string(n) + ":" + values.go_json(v) for n, v in self.raw
            )
            return "k:{" + inner + "}"
        if self.kind == VALUE:
            return "v:" + values.go_json(self.raw)
        return f"i:{self.raw}"


def _compare(a: PathElement, b: PathElement) -> int:
    return a.compare(b)


sort_key = functools.cmp_to_key(_compare)
_first = operator.itemgetter(0)

Path = tuple[PathElement, ...]


def path_string(path: Path) -> str:
    return "".join(str(pe) for pe in path)


class UnknownPathElement(ValueError):
    """A key of a type this version does not know; the reader drops it, as Go does."""


def deserialize_path_element(s: str) -> PathElement:
    if len(s) < 2:
        raise ValueError("key must be 2 characters long:")
    if s[1] != ":":
        raise ValueError(f"missing colon: {s}")
    kind, body = s[0], s[2:]
    if kind == "f":
        return PathElement.field(body)
    if kind == "v":
        return PathElement.value(_strict_json(body))
    if kind == "k":
        obj = _strict_json(body)
        if not isinstance(obj, dict):
            raise ValueError(f"ReadObjectCB: expect {{ or n, but found {body[:1]}")
        return PathElement.key(obj.items())
    if kind == "i":
        try:
            return PathElement.index(int(body))
        except ValueError:
            raise ValueError(f'strconv.Atoi: parsing "{body}": invalid syntax') from None
    raise UnknownPathElement("unknown path element type")


def _strict_json(text: str) -> Any:
    """A k:/v: element's JSON as smd reads it (jsoniter, compatible with encoding/json): every
    number a float64, so an int beyond 2**53 comes back rounded (written again, 2**63-1 is
    9223372036854776000, as kube-apiserver writes it from the second write on)."""
    try:
        return json.loads(text, parse_int=float)
    except json.JSONDecodeError as e:
        raise ValueError(f"managedFields parsing: {e.msg}") from None


class FieldSet:
    """fieldpath.Set: `members` are owned paths ending here, `children` the subsets below.
    Sets are treated as immutable; every operation returns a new one. Children are never
    empty."""

    __slots__ = ("__weakref__", "children", "members")

    def __init__(
        self,
        members: Iterable[PathElement] = (),
        children: Mapping[PathElement, FieldSet] | None = None,
    ) -> None:
        self.members: frozenset[PathElement] = frozenset(members)
        self.children: dict[PathElement, FieldSet] = {
            pe: s for pe, s in (children or {}).items() if not s.empty()
        }

    @staticmethod
    def _made(members: frozenset[PathElement], children: dict[PathElement, FieldSet]) -> FieldSet:
        """A set from parts already as __init__ leaves them (no empty child)."""
        s = object.__new__(FieldSet)
        s.members = members
        s.children = children
        return s

    @staticmethod
    def of(paths: Iterable[Path]) -> FieldSet:
        b = SetBuilder()
        for p in paths:
            b.insert(p)
        return b.build()

    def empty(self) -> bool:
        return not self.members and not self.children

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, FieldSet)
            and self.members == other.members
            and self.children == other.children
        )

    def __hash__(self) -> int:  # pragma: no cover - sets are not used as keys
        raise TypeError("FieldSet is not hashable")

    def __repr__(self) -> str:
        return f"FieldSet({json.dumps(self.to_fields())})"

    def has(self, path: Path) -> bool:
        if not path:
            return False
        node: FieldSet | None = self
        for pe in path[:-1]:
            node = node.children.get(pe) if node else None
        return node is not None and path[-1] in node.members

    def with_prefix(self, pe: PathElement) -> FieldSet:
        return self.children.get(pe) or EMPTY

    def union(self, other: FieldSet) -> FieldSet:
        if other.empty():
            return self
        if self.empty():
            return other
        children = dict(self.children)
        for pe, s in other.children.items():
            mine = children.get(pe)
            children[pe] = mine.union(s) if mine else s
        return FieldSet._made(self.members | other.members, children)

    def intersection(self, other: FieldSet) -> FieldSet:
        children = {
            pe: s.intersection(other.children[pe])
            for pe, s in self.children.items()
            if pe in other.children
        }
        return FieldSet(self.members & other.members, children)

    def difference(self, other: FieldSet) -> FieldSet:
        """Set.Difference: parent - child = parent; child - parent = child."""
        if other.empty():
            return self
        children = {
            pe: (s.difference(other.children[pe]) if pe in other.children else s)
            for pe, s in self.children.items()
        }
        return FieldSet(self.members - other.members, children)

    def recursive_difference(self, other: FieldSet) -> FieldSet:
        """Set.RecursiveDifference: removing a member removes everything below it too."""
        if other.empty():
            return self
        children = {
            pe: (s.recursive_difference(other.children[pe]) if pe in other.children else s)
            for pe, s in self.children.items()
            if pe not in other.members
        }
        return FieldSet(self.members - other.members, children)

    def leaves(self) -> FieldSet:
        members = [pe for pe in self.members if pe not in self.children]
        return FieldSet(members, {pe: s.leaves() for pe, s in self.children.items()})

    def iterate(self, prefix: Path = ()) -> Iterator[Path]:
        """Set.Iterate: preorder, a node's members before its children, both sorted."""
        for pe in sorted(self.members, key=sort_key):
            yield (*prefix, pe)
        for pe in sorted(self.children, key=sort_key):
            yield from self.children[pe].iterate((*prefix, pe))

    def map_children(self, fn: Callable[[PathElement, FieldSet], FieldSet]) -> FieldSet:
        return FieldSet(self.members, {pe: fn(pe, s) for pe, s in self.children.items()})

    # --- fieldsV1 -----------------------------------------------------------------------

    def to_fields(self, *, smd_order: bool = False) -> dict[str, Any]:
        """Set.ToJSON as a dict, keys in the order a custom resource is served with.

        SMD writes each level in PathElement order (serialize.go emitContentsV1), but a
        custom resource is unstructured: its managedFields are stored and served as plain
        JSON maps, which Go writes with sorted keys. So "." < "f:" < "i:" < "k:" < "v:", and
        k:{"port":443} before k:{"port":80}. `smd_order` gives the SMD order instead."""
        return self._emit(include_self=False, smd_order=smd_order)

    def _emit(self, include_self: bool, smd_order: bool) -> dict[str, Any]:
        members, children = self.members, self.children
        out: dict[str, Any] = {".": {}} if include_self and (members or children) else {}
        if not children and not smd_order:  # most nodes: leaves only
            for key in sorted([pe.serialize() for pe in members]):
                out[key] = {}
            return out
        items = [(pe.serialize(), pe) for pe in members.union(children)]
        if smd_order:
            items.sort(key=lambda item: sort_key(item[1]))
        else:
            items.sort(key=_first)
        for key, pe in items:
            child = children.get(pe)
            out[key] = child._emit(pe in members, smd_order) if child else {}
        return out

    @staticmethod
    def from_fields(fields: Any) -> FieldSet:
        """Set.FromJSON over an already decoded fieldsV1 object; raises ValueError."""
        if not isinstance(fields, dict):
            raise ValueError("ReadMapCB: expect { or n, but found " + _found(fields))
        children, _ = _read(fields)
        return children or EMPTY


def _found(v: Any) -> str:
    return values.go_json(v)[:1] if v is not None else "n"


def _read(obj: dict[str, Any]) -> tuple[FieldSet | None, bool]:
    """readIterV1: returns (children, is_member); a node with no children is a member."""
    members: list[PathElement] = []
    children: dict[PathElement, FieldSet] = {}
    is_member = False
    for key, sub in obj.items():
        if key == ".":
            is_member = True
            continue
        try:
            pe = deserialize_path_element(key)
        except UnknownPathElement:
            continue
        except ValueError as e:
            raise ValueError(f"parsing key as path element: {e}") from None
        if sub is None:
            grandchildren, child_member = None, True
        elif isinstance(sub, dict):
            grandchildren, child_member = _read(sub)
        else:
            raise ValueError("ReadMapCB: expect { or n, but found " + _found(sub))
        if child_member:
            members.append(pe)
        if grandchildren is not None:
            prior = children.get(pe)
            children[pe] = prior.union(grandchildren) if prior else grandchildren
    if not members and not children:
        return None, True
    return FieldSet(members, children), is_member


class SetBuilder:
    """A mutable set for the walkers that build one path at a time."""

    __slots__ = ("_children", "_members")

    def __init__(self) -> None:
        self._members: set[PathElement] = set()
        self._children: dict[PathElement, SetBuilder] = {}

    def insert(self, path: Path) -> None:
        if not path:
            return  # nobody owns the whole object
        node = self
        for pe in path[:-1]:
            nxt = node._children.get(pe)
            if nxt is None:
                nxt = node._children[pe] = SetBuilder()
            node = nxt
        node._members.add(path[-1])

    def add(self, pe: PathElement) -> None:
        """Owns `pe` at this node."""
        self._members.add(pe)

    def child(self, pe: PathElement) -> SetBuilder:
        """The node below `pe` (made if need be; build() drops it if it stays empty)."""
        node = self._children.get(pe)
        if node is None:
            node = self._children[pe] = SetBuilder()
        return node

    def build(self) -> FieldSet:
        children = {}
        for pe, b in self._children.items():
            s = b.build()
            if s.members or s.children:
                children[pe] = s
        return FieldSet._made(frozenset(self._members), children)


EMPTY = FieldSet()
