"""Owned fields after the schema changed: structured-merge-diff typed/reconcile_schema.go.

When a list or map that used to be granular becomes atomic, a manager that owned parts of
it now owns the whole of it (and none of the parts). Updater.Update and Updater.Apply run
this over every manager's set first.
"""

from __future__ import annotations

from collections.abc import Callable

from annex_gateway.patch.fieldpath import FIELD, FieldSet, Path, PathElement, SetBuilder
from annex_gateway.patch.schema import ATOMIC, DEDUCED, UNTYPED, Atom, MapType
from annex_gateway.patch.typedhelpers import face


def reconcile(owned: FieldSet, root: Atom) -> FieldSet | None:
    """ReconcileFieldSetWithSchema: the corrected set, or None when nothing changes."""
    remove, add = SetBuilder(), SetBuilder()
    changed = _walk(root, owned, (), False, remove, add)
    if not changed:
        return None
    return owned.recursive_difference(remove.build()).union(add.build())


def _is_deduced_map(m: MapType) -> bool:
    # isUntypedDeducedMap: an object without properties under preserve-unknown-fields
    el = m.element
    deduced = el is DEDUCED or (
        el is not None and el.scalar == UNTYPED and not el.list and not el.map
    )
    return deduced and not m.fields


def _walk(
    atom: Atom | None,
    owned: FieldSet | None,
    path: Path,
    is_atomic: bool,
    remove: SetBuilder,
    add: SetBuilder,
) -> bool:
    which = face(atom, "all") if atom is not None else None
    if atom is None or which is None or which == "scalar":
        return False
    if which == "list":
        assert atom.list is not None
        if not is_atomic and atom.list.relationship == ATOMIC:
            remove.insert(path)  # everything below goes; the list itself is owned whole
            add.insert(path)
            return True
        elem = atom.list.element
        return owned is not None and _children(owned, path, lambda _: elem, remove, add)
    m = atom.map
    assert m is not None
    if _is_deduced_map(m):
        return False
    if not is_atomic and m.relationship == ATOMIC:
        if owned is not None and not owned.empty():
            remove.insert(path)
            add.insert(path)
            return True
        return False

    def field_type(pe: PathElement) -> Atom | None:
        return m.field_type(pe.raw) if pe.kind == FIELD else m.element

    return owned is not None and _children(owned, path, field_type, remove, add)


def _children(
    owned: FieldSet,
    path: Path,
    type_of: Callable[[PathElement], Atom | None],
    remove: SetBuilder,
    add: SetBuilder,
) -> bool:
    changed = False
    # Children that are not members first, then the members (reconcile_schema.go order).
    order = [(pe, False) for pe in owned.children if pe not in owned.members]
    order += [(pe, True) for pe in owned.members]
    for pe, member in order:
        sub = type_of(pe)
        if sub is None:
            continue  # not in the schema: left alone
        child = owned.children.get(pe)
        changed |= _walk(sub, child, (*path, pe), member and child is None, remove, add)
    return changed
