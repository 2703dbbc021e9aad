"""What structured-merge-diff's typed/ walkers share (typed/helpers.go): how a value meets an
atom (deduce, face, `which`), scalar checks and list item path elements, and the errors,
worded as Go's. typed.py, typedmerge.py and reconcile.py walk with these.

Go tells "absent" (nil Value) from JSON null; here absent is `values.MISSING`.
"""

from __future__ import annotations

from typing import Any

from annex_core.gotext import go_quote
from annex_gateway.patch import values
from annex_gateway.patch.fieldpath import PathElement
from annex_gateway.patch.schema import ASSOCIATIVE, INVALID, Atom, ListType
from annex_gateway.patch.values import MISSING


class ValidationErrors(ValueError):
    """typed.ValidationErrors: (path, message) pairs, worded as Go's Error()."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__(self.message)

    @property
    def message(self) -> str:
        def one(path: str, msg: str) -> str:
            return f"{path}: {msg}" if path else msg

        if len(self.errors) == 1:
            return one(*self.errors[0])
        return "\n".join(["errors:", *("  " + one(p, m) for p, m in self.errors)])


def deduce(atom: Atom, v: Any) -> str:
    """deduceAtom: which face of an untyped atom a value shows ("all" = undecided)."""
    if v is MISSING:
        return "all"
    if values.is_scalar(v):
        return "scalar" if atom.scalar else "all"
    if isinstance(v, list):
        return "list" if atom.list else "all"
    if isinstance(v, dict):
        return "map" if atom.map else "all"
    return "all"


def face(atom: Atom, facet: str) -> str | None:
    """handleAtom: map first, then scalar, then list; None is a schema error."""
    if facet != "all":
        return facet
    if atom.map:
        return "map"
    if atom.scalar:
        return "scalar"
    if atom.list:
        return "list"
    return None


def which(atom: Atom, v: Any) -> str | None:
    """face(atom, deduce(atom, v)) in one step: "scalar", "list", "map" or None (a schema
    error). Plain JSON values are told apart by their exact type; others take the long way."""
    t = type(v)
    if t is dict:
        if atom.map:
            return "map"
    elif t is list:
        if atom.list:
            return "list"
    elif t is str or t is int or t is float or t is bool:
        if atom.scalar:
            return "scalar"
    elif v is not None and v is not MISSING:
        return face(atom, deduce(atom, v))
    if atom.map:
        return "map"
    if atom.scalar:
        return "scalar"
    if atom.list:
        return "list"
    return None


def invalid_atom(atom: Atom) -> str:
    if atom.name and atom is not INVALID:
        return f"schema error: invalid atom: named type: {atom.name}"
    return "schema error: invalid atom: inlined"


def ref(v: Any) -> str:
    """%v of a value.Value: Go prints the pointer to its wrapper as &{...}."""
    return "&{" + values.go_v(v) + "}"


def _sharp(v: Any) -> str:
    if isinstance(v, str):
        return go_quote(v)
    if isinstance(v, list):
        return "[]interface {}{" + ", ".join(_sharp(x) for x in v) + "}"
    if isinstance(v, dict):
        inner = ", ".join(f"{go_quote(k)}:{_sharp(x)}" for k, x in sorted(v.items()))
        return "map[string]interface {}{" + inner + "}"
    return values.go_v(v)


def validate_scalar(kind: str, v: Any, prefix: str) -> str | None:
    if v is MISSING or v is None:
        return None
    if kind == "numeric" and not values.is_number(v):
        return f"{prefix}expected numeric (int or float), got {values.go_type(v)}"
    if kind == "string" and not isinstance(v, str):
        return f"{prefix}expected string, got &value.valueUnstructured{{Value:{_sharp(v)}}}"
    if kind == "boolean" and not isinstance(v, bool):
        return f"{prefix}expected boolean, got {ref(v)}"
    if kind == "untyped" and not values.is_scalar(v):
        return f"{prefix}expected any scalar, got {ref(v)}"
    return None


def list_item_pe(t: ListType, child: Any) -> PathElement:
    """listItemToPathElement; raises ValueError worded as Go."""
    if t.relationship != ASSOCIATIVE:
        raise ValueError("invalid indexing of non-associative list")
    if t.keys:
        if child is None:
            raise ValueError("associative list with keys may not have a null element")
        if not isinstance(child, dict):
            raise ValueError("associative list with keys may not have non-map elements")
        fields: list[tuple[str, Any]] = []
        for name in t.keys:
            if name in child:
                fields.append((name, child[name]))
                continue
            elem = t.element
            if elem is None or elem.map is None:
                raise ValueError(
                    f"couldn't find default value for {name}: "
                    + (
                        "associative list may not have non-map types"
                        if elem is not None
                        else "invalid elementType for list"
                    )
                )
            default = elem.map.defaults.get(name)
            if default is not None:
                fields.append((name, default))
        if not fields:
            quoted = " ".join(go_quote(k) for k in t.keys)
            raise ValueError(
                "associative list with keys has an element that omits all key fields "
                f"[{quoted}] (and doesn't have default values for any key fields)"
            )
        return PathElement.key(fields)
    if isinstance(child, dict):
        raise ValueError("associative list without keys has an element that's a map type")
    if isinstance(child, list):
        raise ValueError("not supported: associative list with lists as elements")
    if child is None:
        raise ValueError("associative list without keys has an element that's an explicit null")
    return PathElement.value(child)


def atom_of(t: Atom | None) -> Atom:
    return INVALID if t is None else t
