"""Who owns what after an update or an apply: structured-merge-diff merge/update.go
(Updater.Update, Updater.Apply, prune, addBackOwnedItems, addBackDanglingItems) and
merge/conflict.go.

Managers are keyed by their identifier (the JSON of a managedFields entry without fields and
time, see managedfields.py). Custom resources here have a single schema for every version, so
the version converter is the identity: a manager's set recorded at another apiVersion is
compared against the same objects.
"""

from __future__ import annotations

import weakref
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from annex_gateway.patch import values
from annex_gateway.patch.fieldpath import EMPTY, FieldSet, Path
from annex_gateway.patch.reconcile import reconcile
from annex_gateway.patch.schema import Atom
from annex_gateway.patch.typed import (
    Comparison,
    compare,
    ensure_named_fields_are_members,
    remove_items,
    to_field_set,
)
from annex_gateway.patch.typedmerge import merge
from annex_gateway.patch.values import MISSING


@dataclass(frozen=True)
class VersionedSet:
    set: FieldSet
    api_version: str
    applied: bool


ManagedFields = MutableMapping[str, VersionedSet]


@dataclass(frozen=True)
class Conflict:
    manager: str  # the manager's identifier
    path: Path


class Conflicts(Exception):
    def __init__(self, conflicts: list[Conflict]) -> None:
        super().__init__(f"{len(conflicts)} conflict(s)")
        self.conflicts = conflicts


def conflicts_from_managers(sets: dict[str, FieldSet]) -> list[Conflict]:
    # Go walks a map here (random order); sorting the managers keeps us deterministic.
    return [Conflict(m, p) for m in sorted(sets) for p in sets[m].iterate()]


_MAX_FITTING = 1024


class Updater:
    def __init__(
        self, root: Atom, reset: FieldSet | None, versions: frozenset[str] | None = None
    ) -> None:
        self.root = root
        self.reset = reset  # the IgnoreFilter: fields this (sub)resource never owns
        self.versions = versions  # apiVersions the converter knows; None: all of them
        # Sets reconcile leaves as they are, by id (a weak reference tells a live one from a
        # reused id). Decoded sets are shared (managedfields keeps them), so the same set comes
        # back write after write, and reconcile is a pure function of it and the schema.
        self._fitting: dict[int, weakref.ref[FieldSet]] = {}

    def _reconcile(self, managers: ManagedFields) -> None:
        """reconcileManagedFieldsWithSchemaChanges: managers of versions the converter does
        not know are dropped; the others are fitted to the current schema."""
        for manager, vs in list(managers.items()):
            if self.versions is not None and vs.api_version not in self.versions:
                del managers[manager]
                continue
            known = self._fitting.get(id(vs.set))
            if known is not None and known() is vs.set:
                continue
            fitted = reconcile(vs.set, self.root)
            if fitted is not None:
                managers[manager] = VersionedSet(fitted, vs.api_version, vs.applied)
                continue
            if len(self._fitting) >= _MAX_FITTING:
                del self._fitting[next(iter(self._fitting))]
            self._fitting[id(vs.set)] = weakref.ref(vs.set)

    def _filter(self, s: FieldSet) -> FieldSet:
        return s.recursive_difference(self.reset) if self.reset is not None else s

    def _update(
        self,
        old: Any,
        new: Any,
        managers: ManagedFields,
        workflow: str,
        force: bool,
        old_valid: bool,
    ) -> Comparison:
        cmp = compare(old, new, self.root, lhs_valid=old_valid).filtered(self.reset)
        conflicts: dict[str, FieldSet] = {}
        removed: dict[str, FieldSet] = {}
        changed = cmp.modified.union(cmp.added)
        for manager, vs in managers.items():
            if manager == workflow:
                continue
            clash = vs.set.intersection(changed)
            if not clash.empty():
                conflicts[manager] = clash
            if not cmp.removed.empty():
                removed[manager] = cmp.removed
        if not force and conflicts:
            raise Conflicts(conflicts_from_managers(conflicts))
        for manager, clash in conflicts.items():
            vs = managers[manager]
            managers[manager] = VersionedSet(vs.set.difference(clash), vs.api_version, vs.applied)
        for manager, gone in removed.items():
            vs = managers[manager]
            managers[manager] = VersionedSet(vs.set.difference(gone), vs.api_version, vs.applied)
        for manager in [m for m, vs in managers.items() if vs.set.empty()]:
            del managers[manager]
        return cmp

    def update(
        self,
        live: Any,
        new: Any,
        version: str,
        managers: ManagedFields,
        manager: str,
        *,
        live_valid: bool = False,
    ) -> None:
        """Updater.Update: `manager` takes whatever changed; others lose what it changed.
        live_valid: `live` passed typed.validate against this updater's root."""
        self._reconcile(managers)
        cmp = self._update(live, new, managers, manager, True, live_valid)
        prior = managers.get(manager)
        owned = prior.set if prior else EMPTY
        owned = owned.difference(cmp.removed).union(cmp.modified).union(cmp.added)
        owned = self._filter(owned)
        if owned.empty():
            managers.pop(manager, None)
        else:
            managers[manager] = VersionedSet(owned, version, False)

    def apply(
        self,
        live: Any,
        config: Any,
        version: str,
        managers: ManagedFields,
        manager: str,
        force: bool,
        *,
        live_valid: bool = False,
    ) -> Any:
        """Updater.Apply: the new object, or MISSING when applying changed nothing.
        live_valid: `live` passed typed.validate against this updater's root."""
        self._reconcile(managers)
        merged = merge(live, config, self.root)
        last = managers.get(manager)
        managers[manager] = VersionedSet(
            self._filter(to_field_set(config, self.root)), version, True
        )
        new = self._prune(merged, managers, manager, last)
        self._update(live, new, managers, manager, force, live_valid)
        return MISSING if values.equals(live, new) else new

    def _ens(self, s: FieldSet) -> FieldSet:
        return ensure_named_fields_are_members(s, self.root)

    def _prune(
        self, merged: Any, managers: ManagedFields, applying: str, last: VersionedSet | None
    ) -> Any:
        """Remove what `applying` applied last time and no longer applies, unless another
        manager (or the new configuration) still owns it."""
        if last is None or last.set.empty():
            return merged
        last_set = self._ens(last.set)
        pruned = remove_items(merged, last_set, self.root)
        # `merged` does not change below: Go recomputes its set each time, once will do.
        merged_set = self._ens(to_field_set(merged, self.root))
        # addBackOwnedItems, one version at a time, the pruned version first.
        by_version: dict[str, FieldSet] = {}
        for vs in managers.values():
            by_version[vs.api_version] = by_version.get(vs.api_version, EMPTY).union(vs.set)
        order = sorted(by_version, key=lambda v: v != last.api_version)
        for version in order:
            pruned_set = self._ens(to_field_set(pruned, self.root))
            keep = pruned_set.union(self._ens(by_version[version]))
            pruned = remove_items(merged, merged_set.difference(keep), self.root)
        # addBackDanglingItems
        pruned_set = self._ens(to_field_set(pruned, self.root))
        dangling = merged_set.difference(pruned_set).intersection(last_set)
        return remove_items(merged, dangling, self.root)
