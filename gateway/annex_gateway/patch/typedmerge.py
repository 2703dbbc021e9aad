"""TypedValue.Merge with ruleKeepRHS: how server-side apply lays an applied configuration over
the live object (structured-merge-diff typed/merge.go).

Maps merge key by key, associative lists (set / map) item by item in the order merge.go
settles on, atomic lists and maps and scalars are replaced whole by the right-hand side.
"""

from __future__ import annotations

from typing import Any

from annex_gateway.patch.fieldpath import Path, PathElement, path_string
from annex_gateway.patch.schema import ATOMIC, Atom, ListType
from annex_gateway.patch.typedhelpers import (
    ValidationErrors,
    atom_of,
    deduce,
    face,
    invalid_atom,
    list_item_pe,
    validate_scalar,
)
from annex_gateway.patch.values import MISSING


def merge(lhs: Any, rhs: Any, atom: Atom) -> Any:
    """The merged value; MISSING when nothing comes out (Go's nil `out`)."""
    errors: list[tuple[str, str]] = []
    out = _merge(lhs, rhs, atom, (), errors)
    if errors:
        raise ValidationErrors(errors)
    return out


def _merge(lhs: Any, rhs: Any, atom: Atom, path: Path, errs: list[tuple[str, str]]) -> Any:
    if lhs is MISSING and rhs is MISSING:
        errs.append((path_string(path), "at least one of lhs and rhs must be provided"))
        return MISSING
    fl, fr = deduce(atom, lhs), deduce(atom, rhs)
    if rhs is MISSING:
        return _handle(lhs, rhs, atom, fl, path, errs)
    if lhs is MISSING or fl == fr:
        return _handle(lhs, rhs, atom, fr, path, errs)
    _handle(lhs, rhs, atom, fl, path, errs)  # Go walks lhs's face on a copy, then drops it
    return _handle(lhs, rhs, atom, fr, path, errs)


def _keep_rhs(lhs: Any, rhs: Any) -> Any:
    return rhs if rhs is not MISSING else lhs


def _handle(
    lhs: Any, rhs: Any, atom: Atom, facet: str, path: Path, errs: list[tuple[str, str]]
) -> Any:
    which = face(atom, facet)
    if which is None:
        errs.append((path_string(path), invalid_atom(atom)))
        return MISSING
    if which == "scalar":
        assert atom.scalar is not None
        le = validate_scalar(atom.scalar, lhs, "lhs: ")
        re_ = validate_scalar(atom.scalar, rhs, "rhs: ")
        if le and re_:
            errs.extend([(path_string(path), le), (path_string(path), re_)])
            return MISSING
        return _keep_rhs(lhs, rhs)
    if which == "list":
        assert atom.list is not None
        ll = lhs if isinstance(lhs, list) else None
        rl = rhs if isinstance(rhs, list) else None
        if atom.list.relationship == ATOMIC or (not ll and not rl):
            return _keep_rhs(lhs, rhs)
        if ll is None and rl is None:
            return MISSING
        return _merge_list(ll or [], rl or [], atom.list, path, errs)
    assert atom.map is not None
    lm = lhs if isinstance(lhs, dict) else None
    rm = rhs if isinstance(rhs, dict) else None
    if atom.map.relationship == ATOMIC or (not lm and not rm):
        return _keep_rhs(lhs, rhs)
    if lm is None and rm is None:
        return MISSING
    lm, rm = lm or {}, rm or {}
    out: dict[str, Any] = {}
    for key in [*lm, *(k for k in rm if k not in lm)]:
        sub = atom_of(atom.map.field_type(key))
        merged = _merge(
            lm.get(key, MISSING), rm.get(key, MISSING), sub, (*path, PathElement.field(key)), errs
        )
        if merged is not MISSING:
            out[key] = merged
    return out or MISSING


def _index(
    items: list[Any], t: ListType, allow_duplicates: bool, path: Path, errs: list[tuple[str, str]]
) -> tuple[list[PathElement], dict[PathElement, Any]]:
    """indexListPathElements: the path elements in order, and the first value of each (a
    duplicated element maps to null)."""
    pes: list[PathElement] = []
    observed: dict[PathElement, Any] = {}
    for i, child in enumerate(items):
        try:
            pe = list_item_pe(t, child)
        except ValueError as e:
            errs.append((path_string(path), f"element {i}: {e}"))
            continue
        if pe in observed:
            if not allow_duplicates:
                errs.append((path_string(path), f"duplicate entries for key {pe}"))
                continue
            observed[pe] = None
        else:
            observed[pe] = child
        pes.append(pe)
    return pes, observed


def _merge_list(
    lhs: list[Any], rhs: list[Any], t: ListType, path: Path, errs: list[tuple[str, str]]
) -> Any:
    """visitListItems: keeps the live order, placing applied items where merge.go does."""
    n = len(errs)
    rpes, robs = _index(rhs, t, False, path, errs)
    lpes, lobs = _index(lhs, t, True, path, errs)
    if len(errs) != n:
        return MISSING
    elem = atom_of(t.element)
    shared = [pe for pe in rpes if pe in lobs]
    next_shared: PathElement | None = shared.pop(0) if shared else None
    merged_rhs: set[PathElement] = set()
    out: list[Any] = []

    def item(pe: PathElement, lchild: Any, rchild: Any) -> None:
        v = _merge(lchild, rchild, elem, (*path, pe), errs)
        if v is not MISSING:
            out.append(v)

    li = ri = 0
    while li < len(lpes) or ri < len(rpes):
        if li < len(lpes) and ri < len(rpes):
            pe = lpes[li]
            if pe == rpes[ri]:
                merged_rhs.add(pe)
                item(pe, lobs.get(pe, MISSING), robs.get(pe, MISSING))
                li += 1
                ri += 1
                next_shared = shared.pop(0) if shared else None
                continue
            if pe in robs and next_shared is not None and next_shared != pe:
                li += 1
                continue
        if li < len(lpes):
            pe = lpes[li]
            if pe not in robs:
                item(pe, lhs[li], MISSING)
                li += 1
                continue
            if pe in merged_rhs:
                li += 1
        if ri < len(rpes):
            pe = rpes[ri]
            merged_rhs.add(pe)
            item(pe, lobs.get(pe, MISSING), robs.get(pe, MISSING))
            ri += 1
            if next_shared is not None and next_shared == pe:
                next_shared = shared.pop(0) if shared else None
    return out or MISSING
