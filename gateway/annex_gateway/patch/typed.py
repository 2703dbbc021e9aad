"""Schema-aware walks over objects, ported from structured-merge-diff typed/: validation
(validate.go, helpers.go), the set of fields an object sets (tofieldset.go), what changed
between two objects (compare.go), removing owned fields (remove.go) and
EnsureNamedFieldsAreMembers (fieldpath/set.go). The merge itself is in typedmerge.py.

Go tells "absent" (nil Value) from JSON null; here absent is `values.MISSING`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from annex_gateway.patch import values
from annex_gateway.patch.fieldpath import (
    FIELD,
    KEY,
    FieldSet,
    Path,
    PathElement,
    SetBuilder,
    path_string,
)
from annex_gateway.patch.schema import ASSOCIATIVE, ATOMIC, INVALID, Atom, ListType, MapType
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


# --- helpers.go ----------------------------------------------------------------------------


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


def invalid_atom(atom: Atom) -> str:
    if atom.name and atom is not INVALID:
        return f"schema error: invalid atom: named type: {atom.name}"
    return "schema error: invalid atom: inlined"


def ref(v: Any) -> str:
    """%v of a value.Value: Go prints the pointer to its wrapper as &{...}."""
    return "&{" + values.go_v(v) + "}"


def _sharp(v: Any) -> str:
    if isinstance(v, str):
        return values.go_quote(v)
    if isinstance(v, list):
        return "[]interface {}{" + ", ".join(_sharp(x) for x in v) + "}"
    if isinstance(v, dict):
        inner = ", ".join(f"{values.go_quote(k)}:{_sharp(x)}" for k, x in sorted(v.items()))
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
            quoted = " ".join(values.go_quote(k) for k in t.keys)
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


# --- validate.go ---------------------------------------------------------------------------


def validate(v: Any, atom: Atom, *, allow_duplicates: bool) -> None:
    errors: list[tuple[str, str]] = []
    _validate(v, atom, "", errors, allow_duplicates)
    if errors:
        raise ValidationErrors(errors)


def _validate(v: Any, atom: Atom, path: str, errs: list[tuple[str, str]], dups: bool) -> None:
    which = face(atom, deduce(atom, v))
    if which is None:
        errs.append((path, invalid_atom(atom)))
    elif which == "scalar":
        assert atom.scalar is not None
        if msg := validate_scalar(atom.scalar, v, ""):
            errs.append((path, msg))
    elif which == "list":
        assert atom.list is not None
        _validate_list(v, atom.list, path, errs, dups)
    else:
        assert atom.map is not None
        _validate_map(v, atom.map, path, errs, dups)


def _validate_list(v: Any, t: ListType, path: str, errs: list[tuple[str, str]], dups: bool) -> None:
    if v is None:
        return
    if not isinstance(v, list):
        errs.append((path, f"expected list, got {ref(v)}"))
        return
    seen: set[PathElement] = set()
    for i, child in enumerate(v):
        if t.relationship != ASSOCIATIVE:
            pe = PathElement.index(i)
        else:
            try:
                pe = list_item_pe(t, child)
            except ValueError as e:
                errs.append((path, f"element {i}: {e}"))
                return
            if pe in seen and not dups:
                errs.append((path, f"duplicate entries for key {pe}"))
            seen.add(pe)
        _validate(child, atom_of(t.element), path + str(pe), errs, dups)


def _validate_map(v: Any, t: MapType, path: str, errs: list[tuple[str, str]], dups: bool) -> None:
    if v is None:
        return
    if not isinstance(v, dict):
        errs.append((path, f"expected map, got {ref(v)}"))
        return
    for key in sorted(v):  # Go's map order is random; sorted keeps us deterministic
        sub = t.field_type(key)
        if sub is None:
            errs.append((path + "." + key, "field not declared in schema"))
            return
        _validate(v[key], sub, path + "." + key, errs, dups)


# --- tofieldset.go -------------------------------------------------------------------------


def to_field_set(v: Any, atom: Atom) -> FieldSet:
    b = SetBuilder()
    _to_set(v, atom, (), b)
    return b.build()


def _to_set(v: Any, atom: Atom, path: Path, b: SetBuilder) -> None:
    which = face(atom, deduce(atom, v))
    if which == "scalar":
        b.insert(path)
    elif which == "list":
        assert atom.list is not None
        t = atom.list
        if t.relationship == ATOMIC:
            b.insert(path)
        elif isinstance(v, list):
            _list_to_set(v, t, path, b)
    elif which == "map":
        assert atom.map is not None
        m = atom.map
        if m.relationship == ATOMIC:
            b.insert(path)
        elif isinstance(v, dict):
            for key, val in v.items():
                child = (*path, PathElement.field(key))
                _to_set(val, atom_of(m.field_type(key)), child, b)
                if val is None or (isinstance(val, dict) and not val) or key not in m.fields:
                    b.insert(child)


def _safe_pe(t: ListType, child: Any) -> PathElement:
    try:
        return list_item_pe(t, child)
    except ValueError:
        return PathElement(-1, None)  # Go's zero PathElement


def _list_to_set(v: list[Any], t: ListType, path: Path, b: SetBuilder) -> None:
    pes = [_safe_pe(t, child) for child in v]
    seen: set[PathElement] = set()
    duplicates: set[PathElement] = set()
    for pe in pes:
        if pe in seen:
            if pe not in duplicates:
                b.insert((*path, pe))  # duplicated items are owned whole
                duplicates.add(pe)
        else:
            seen.add(pe)
    for pe, child in zip(pes, v, strict=True):
        if pe in duplicates:
            continue
        _to_set(child, atom_of(t.element), (*path, pe), b)
        b.insert((*path, pe))


# --- compare.go ----------------------------------------------------------------------------


@dataclass
class Comparison:
    removed: FieldSet
    modified: FieldSet
    added: FieldSet

    def filtered(self, exclude: FieldSet | None) -> Comparison:
        """FilterFields with an exclude-set filter (the reset fields)."""
        if exclude is None:
            return self
        return Comparison(
            self.removed.recursive_difference(exclude),
            self.modified.recursive_difference(exclude),
            self.added.recursive_difference(exclude),
        )


class _Cmp:
    def __init__(self) -> None:
        self.removed = SetBuilder()
        self.modified = SetBuilder()
        self.added = SetBuilder()
        self.errors: list[tuple[str, str]] = []


def compare(lhs: Any, rhs: Any, atom: Atom) -> Comparison:
    """TypedValue.Compare: paths removed, modified and added going from lhs to rhs."""
    c = _Cmp()
    _compare(lhs, rhs, atom, (), c)
    if c.errors:
        raise ValidationErrors(c.errors)
    return Comparison(c.removed.build(), c.modified.build(), c.added.build())


def _compare(lhs: Any, rhs: Any, atom: Atom, path: Path, c: _Cmp) -> None:
    fl, fr = deduce(atom, lhs), deduce(atom, rhs)
    leaf = [False]  # the walker's inLeaf flag
    if rhs is MISSING:
        _cmp_handle(lhs, rhs, atom, fl, path, c, leaf)
    elif lhs is MISSING or fl == fr:
        _cmp_handle(lhs, rhs, atom, fr, path, c, leaf)
    else:
        _cmp_handle(lhs, rhs, atom, fl, path, c, [False])  # a copy of the walker
        _cmp_handle(lhs, rhs, atom, fr, path, c, leaf)
    if not leaf[0]:
        if lhs is MISSING:
            c.added.insert(path)
        elif rhs is MISSING:
            c.removed.insert(path)


def _cmp_leaf(lhs: Any, rhs: Any, path: Path, c: _Cmp, leaf: list[bool]) -> None:
    if leaf[0]:
        return
    leaf[0] = True
    if lhs is MISSING:
        c.added.insert(path)
    elif rhs is MISSING:
        c.removed.insert(path)
    elif not values.equals(rhs, lhs):
        c.modified.insert(path)


def _deref(v: Any, kind: type) -> Any:
    return v if isinstance(v, kind) else None


def _cmp_handle(
    lhs: Any, rhs: Any, atom: Atom, facet: str, path: Path, c: _Cmp, leaf: list[bool]
) -> None:
    which = face(atom, facet)
    ps = path_string(path)
    if which is None:
        c.errors.append((ps, invalid_atom(atom)))
    elif which == "scalar":
        assert atom.scalar is not None
        le = validate_scalar(atom.scalar, lhs, "lhs: ")
        re_ = validate_scalar(atom.scalar, rhs, "rhs: ")
        if le and re_:
            c.errors.extend([(ps, le), (ps, re_)])
            return
        _cmp_leaf(lhs, rhs, path, c, leaf)
    elif which == "list":
        assert atom.list is not None
        ll, rl = _deref(lhs, list), _deref(rhs, list)
        if atom.list.relationship == ATOMIC or (not ll and not rl):
            _cmp_leaf(lhs, rhs, path, c, leaf)
        elif ll is not None or rl is not None:
            _cmp_list(ll or [], rl or [], atom.list, path, c)
    else:
        assert atom.map is not None
        lm, rm = _deref(lhs, dict), _deref(rhs, dict)
        if atom.map.relationship == ATOMIC or (not lm and not rm):
            _cmp_leaf(lhs, rhs, path, c, leaf)
        elif lm is not None or rm is not None:
            lm, rm = lm or {}, rm or {}
            for key in [*lm, *(k for k in rm if k not in lm)]:
                sub = atom_of(atom.map.field_type(key))
                child = (*path, PathElement.field(key))
                _compare(lm.get(key, MISSING), rm.get(key, MISSING), sub, child, c)


def _cmp_list(lhs: list[Any], rhs: list[Any], t: ListType, path: Path, c: _Cmp) -> None:
    order: list[PathElement] = []
    lvals: dict[PathElement, list[Any]] = {}
    rvals: dict[PathElement, list[Any]] = {}
    for side, vals in ((lhs, lvals), (rhs, rvals)):
        for i, child in enumerate(side):
            try:
                pe = list_item_pe(t, child)
            except ValueError as e:
                c.errors.append((path_string(path), f"element {i}: {e}"))
                continue
            if pe in vals:
                vals[pe].append(child)
            else:
                vals[pe] = [child]
                if vals is lvals or pe not in lvals:
                    order.append(pe)
    elem = atom_of(t.element)
    for pe in order:
        ll, rl = lvals.get(pe, []), rvals.get(pe, [])
        child = (*path, pe)
        if not ll and not rl:
            return
        if len(ll) <= 1 and len(rl) <= 1:
            _compare(ll[0] if ll else MISSING, rl[0] if rl else MISSING, elem, child, c)
        elif len(ll) >= 2 and len(rl) >= 2:
            same = len(ll) == len(rl) and all(map(values.equals, ll, rl))
            if not same:
                c.modified.insert(child)
        elif len(ll) >= 2:
            if rl:
                _compare(MISSING, rl[0], elem, child, c)
            c.removed.insert(child)
        else:
            if ll:
                _compare(ll[0], MISSING, elem, child, c)
            c.added.insert(child)


# --- remove.go -----------------------------------------------------------------------------


def remove_items(v: Any, to_remove: FieldSet, atom: Atom) -> Any:
    """TypedValue.RemoveItems: drop every path in `to_remove`. Go leaves null where a list or
    map lost all its items; so does this."""
    which = face(atom, deduce(atom, v))
    if which == "scalar":
        return v
    if which == "list":
        assert atom.list is not None
        t = atom.list
        if not isinstance(v, list) or not v or t.relationship == ATOMIC:
            return None
        items = []
        for item in v:
            pe = _safe_pe(t, item)
            if to_remove.has((pe,)):
                continue
            subset = to_remove.with_prefix(pe)
            items.append(
                remove_items(item, subset, atom_of(t.element))
                if subset.members or subset.children
                else item
            )
        return items or None
    if which == "map":
        assert atom.map is not None
        m = atom.map
        if not isinstance(v, dict) or not v or m.relationship == ATOMIC:
            return None
        out = {}
        for key, val in v.items():
            pe = PathElement.field(key)
            if to_remove.has((pe,)):
                continue
            subset = to_remove.with_prefix(pe)
            if not subset.empty():
                val = remove_items(val, subset, atom_of(m.field_type(key)))
            out[key] = val
        return out or None
    return None


# --- fieldpath/set.go EnsureNamedFieldsAreMembers ------------------------------------------


def ensure_named_fields_are_members(s: FieldSet, atom: Atom | None) -> FieldSet:
    """Named (schema-declared) fields that have owned children count as owned themselves."""
    m = atom.map if atom else None
    lst = atom.list if atom else None
    members = set(s.members)
    children: dict[PathElement, FieldSet] = {}
    for pe, sub in s.children.items():
        sub_atom: Atom | None = None
        if pe.kind == FIELD and m is not None:
            if pe.raw in m.fields:
                members.add(pe)
            sub_atom = m.field_type(pe.raw)
        elif pe.kind == KEY and lst is not None:
            sub_atom = lst.element
        children[pe] = ensure_named_fields_are_members(sub, sub_atom)
    return FieldSet(members, children)
