"""Schema-aware walks over objects, ported from structured-merge-diff typed/: validation
(validate.go), the set of fields an object sets (tofieldset.go), what changed between two
objects (compare.go), removing owned fields (remove.go) and EnsureNamedFieldsAreMembers
(fieldpath/set.go). The shared helpers are in typedhelpers.py, the merge in typedmerge.py.

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
from annex_gateway.patch.schema import (
    ASSOCIATIVE,
    ATOMIC,
    DEDUCED,
    INVALID,
    UNTYPED_ATOMIC,
    Atom,
    ListType,
    MapType,
)
from annex_gateway.patch.typedhelpers import (
    ValidationErrors,
    atom_of,
    deduce,
    face,
    invalid_atom,
    list_item_pe,
    ref,
    validate_scalar,
    which,
)
from annex_gateway.patch.values import MISSING

__all__ = [
    "Comparison",
    "ValidationErrors",
    "compare",
    "ensure_named_fields_are_members",
    "remove_items",
    "to_field_set",
    "validate",
]

_SCALARS = (str, int, float, bool)


# --- validate.go ---------------------------------------------------------------------------


def validate(v: Any, atom: Atom, *, allow_duplicates: bool) -> None:
    errors: list[tuple[str, str]] = []
    _validate(v, atom, "", errors, allow_duplicates)
    if errors:
        raise ValidationErrors(errors)


# Where a value is, for the errors only: the path string, or (where its parent is, the step
# below it: ".field", a list index or a PathElement). Resolved by _at only when an error is
# reported: printing each list item's path element up front was a quarter of validate.
_Where = str | tuple[Any, Any]


def _at(where: _Where) -> str:
    steps: list[str] = []
    while type(where) is tuple:
        where, step = where
        steps.append(step if type(step) is str else f"[{step}]" if type(step) is int else str(step))
    assert isinstance(where, str)
    steps.append(where)
    return "".join(reversed(steps))


def _validate(v: Any, atom: Atom, path: _Where, errs: list[tuple[str, str]], dups: bool) -> None:
    if (atom is DEDUCED or atom is UNTYPED_ATOMIC) and _plain_json(v):
        return  # nothing plain JSON holds is invalid there
    w = which(atom, v)
    if w is None:
        errs.append((_at(path), invalid_atom(atom)))
    elif w == "scalar":
        assert atom.scalar is not None
        if msg := validate_scalar(atom.scalar, v, ""):
            errs.append((_at(path), msg))
    elif w == "list":
        assert atom.list is not None
        _validate_list(v, atom.list, path, errs, dups)
    else:
        assert atom.map is not None
        _validate_map(v, atom.map, path, errs, dups)


def _plain_json(v: Any) -> bool:
    """Only dicts with string keys, lists, strings, numbers, booleans and nulls, all of
    exactly those types."""
    stack = [v]
    while stack:
        x = stack.pop()
        t = type(x)
        if t is dict:
            for k in x:
                if type(k) is not str:
                    return False
            stack.extend(x.values())
        elif t is list:
            stack.extend(x)
        elif not (t is str or t is int or t is float or t is bool or x is None):
            return False
    return True


def _validate_list(
    v: Any, t: ListType, path: _Where, errs: list[tuple[str, str]], dups: bool
) -> None:
    if v is None:
        return
    if not isinstance(v, list):
        errs.append((_at(path), f"expected list, got {ref(v)}"))
        return
    seen: set[PathElement] = set()
    elem = atom_of(t.element)
    associative = t.relationship == ASSOCIATIVE
    for i, child in enumerate(v):
        if not associative:
            _validate(child, elem, (path, i), errs, dups)  # PathElement.index(i)
            continue
        try:
            pe = list_item_pe(t, child)
        except ValueError as e:
            errs.append((_at(path), f"element {i}: {e}"))
            return
        if pe in seen and not dups:
            errs.append((_at(path), f"duplicate entries for key {pe}"))
        seen.add(pe)
        _validate(child, elem, (path, pe), errs, dups)


def _validate_map(
    v: Any, t: MapType, path: _Where, errs: list[tuple[str, str]], dups: bool
) -> None:
    if v is None:
        return
    if not isinstance(v, dict):
        errs.append((_at(path), f"expected map, got {ref(v)}"))
        return
    fields, element = t.fields, t.element
    for key in sorted(v):  # Go's map order is random; sorted keeps us deterministic
        sub = fields.get(key, element)
        if sub is None:
            errs.append((_at(path) + "." + key, "field not declared in schema"))
            return
        val = v[key]
        kind = sub.scalar
        if kind and type(val) in _SCALARS:
            # which() is "scalar"; validate_scalar, for the values that pass it
            tv = type(val)
            if kind == "untyped" or (
                (tv is str)
                if kind == "string"
                else (tv is bool)
                if kind == "boolean"
                else (tv is int or tv is float)
            ):
                continue
        _validate(val, sub, (path, "." + key), errs, dups)


# --- tofieldset.go -------------------------------------------------------------------------


def to_field_set(v: Any, atom: Atom) -> FieldSet:
    b = SetBuilder()
    _to_set(v, atom, b, None)
    return b.build()


def _to_set(v: Any, atom: Atom, parent: SetBuilder, pe: PathElement | None) -> None:
    """Adds the fields of `v`, found at `pe` below `parent` (at the root: pe None, parent
    the root node, which nobody owns itself)."""
    w = which(atom, v)
    if w == "scalar":
        if pe is not None:
            parent.add(pe)
    elif w == "list":
        assert atom.list is not None
        t = atom.list
        if t.relationship == ATOMIC:
            if pe is not None:
                parent.add(pe)
        elif isinstance(v, list):
            _list_to_set(v, t, parent if pe is None else parent.child(pe))
    elif w == "map":
        assert atom.map is not None
        m = atom.map
        if m.relationship == ATOMIC:
            if pe is not None:
                parent.add(pe)
        elif isinstance(v, dict):
            node = parent if pe is None else parent.child(pe)
            fields, element = m.fields, m.element
            for key, val in v.items():
                kpe = PathElement.field(key)
                sub = fields.get(key, element)
                if sub is None:
                    sub = INVALID
                elif sub.scalar and type(val) in _SCALARS:
                    node.add(kpe)  # which() is "scalar"
                    continue
                _to_set(val, sub, node, kpe)
                if val is None or (isinstance(val, dict) and not val) or key not in fields:
                    node.add(kpe)


def _safe_pe(t: ListType, child: Any) -> PathElement:
    try:
        return list_item_pe(t, child)
    except ValueError:
        return PathElement(-1, None)  # Go's zero PathElement


def _list_to_set(v: list[Any], t: ListType, node: SetBuilder) -> None:
    pes = [_safe_pe(t, child) for child in v]
    seen: set[PathElement] = set()
    duplicates: set[PathElement] = set()
    for pe in pes:
        if pe in seen:
            if pe not in duplicates:
                node.add(pe)  # duplicated items are owned whole
                duplicates.add(pe)
        else:
            seen.add(pe)
    elem = atom_of(t.element)
    for pe, child in zip(pes, v, strict=True):
        if pe in duplicates:
            continue
        _to_set(child, elem, node, pe)
        node.add(pe)


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
    def __init__(self, skip_equal: bool) -> None:
        self.skip_equal = skip_equal
        self.removed = SetBuilder()
        self.modified = SetBuilder()
        self.added = SetBuilder()
        self.errors: list[tuple[str, str]] = []


def compare(lhs: Any, rhs: Any, atom: Atom, *, lhs_valid: bool = False) -> Comparison:
    """TypedValue.Compare: paths removed, modified and added going from lhs to rhs.

    lhs_valid: lhs passed validate() against `atom`. Equal subtrees then have nothing to
    report (no change, and no error: compare only fails where validate would) and are
    skipped whole."""
    c = _Cmp(lhs_valid)
    _compare(lhs, rhs, atom, (), c)
    if c.errors:
        raise ValidationErrors(c.errors)
    return Comparison(c.removed.build(), c.modified.build(), c.added.build())


def _compare(lhs: Any, rhs: Any, atom: Atom, path: Path, c: _Cmp) -> None:
    if lhs is MISSING and rhs is not MISSING and path:
        # All of rhs is new (most of a create): the same sets and errors as the general walk
        # below, without its per-node bookkeeping (a create's compare was ~2/3 of that).
        node = c.added
        for pe in path[:-1]:
            node = node.child(pe)
        _added(rhs, atom, path, node, c)
        return
    if c.skip_equal:
        t = type(lhs)
        if (
            t is type(rhs)
            and lhs == rhs
            and (t in _SCALARS or ((t is dict or t is list) and values.equals(lhs, rhs)))
        ):
            return
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


def _added(rhs: Any, atom: Atom, path: Path, parent: SetBuilder, c: _Cmp) -> None:
    """_compare(MISSING, rhs, atom, path, c) for a present rhs and a non-empty path, `parent`
    the `added` node at path[:-1]: path itself is added (as a leaf or as the node above its
    children), then what is below it, errors in the same order."""
    parent.add(path[-1])
    w = which(atom, rhs)  # = face(atom, deduce(atom, rhs)), deduce(MISSING) being "all"
    if w is None:
        c.errors.append((path_string(path), invalid_atom(atom)))
    elif w == "list":
        assert atom.list is not None
        t = atom.list
        if t.relationship == ATOMIC or not isinstance(rhs, list) or not rhs:
            return
        # _cmp_list([], rhs): items grouped by path element, in first-seen order.
        rvals: dict[PathElement, list[Any]] = {}
        for i, child in enumerate(rhs):
            try:
                pe = list_item_pe(t, child)
            except ValueError as e:
                c.errors.append((path_string(path), f"element {i}: {e}"))
                continue
            if pe in rvals:
                rvals[pe].append(child)
            else:
                rvals[pe] = [child]
        node = parent.child(path[-1])
        elem = atom_of(t.element)
        for pe, items in rvals.items():
            if len(items) == 1:
                _added(items[0], elem, (*path, pe), node, c)
            else:
                node.add(pe)  # duplicates: added whole
    elif w == "map":
        assert atom.map is not None
        m = atom.map
        if m.relationship == ATOMIC or not isinstance(rhs, dict) or not rhs:
            return
        node = parent.child(path[-1])
        fields, element = m.fields, m.element
        for key, val in rhs.items():
            sub = atom_of(fields.get(key, element))
            pe = PathElement.field(key)
            if sub.scalar and type(val) in _SCALARS:
                node.add(pe)  # which() is "scalar": a leaf
            else:
                _added(val, sub, (*path, pe), node, c)


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
    w = face(atom, facet)
    if w is None:
        c.errors.append((path_string(path), invalid_atom(atom)))
    elif w == "scalar":
        assert atom.scalar is not None
        le = validate_scalar(atom.scalar, lhs, "lhs: ")
        re_ = validate_scalar(atom.scalar, rhs, "rhs: ")
        if le and re_:
            ps = path_string(path)
            c.errors.extend([(ps, le), (ps, re_)])
            return
        _cmp_leaf(lhs, rhs, path, c, leaf)
    elif w == "list":
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
            fields, element = atom.map.fields, atom.map.element
            for key in [*lm, *(k for k in rm if k not in lm)]:
                sub = atom_of(fields.get(key, element))
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
    w = which(atom, v)
    if w == "scalar":
        return v
    if w == "list":
        assert atom.list is not None
        t = atom.list
        if not isinstance(v, list) or not v or t.relationship == ATOMIC:
            return None
        items = []
        for item in v:
            pe = _safe_pe(t, item)
            if pe in to_remove.members:
                continue
            subset = to_remove.with_prefix(pe)
            items.append(
                remove_items(item, subset, atom_of(t.element))
                if subset.members or subset.children
                else item
            )
        return items or None
    if w == "map":
        assert atom.map is not None
        m = atom.map
        if not isinstance(v, dict) or not v or m.relationship == ATOMIC:
            return None
        out = {}
        for key, val in v.items():
            pe = PathElement.field(key)
            if pe in to_remove.members:
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
