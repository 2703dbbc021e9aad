"""Who owns what after an update or an apply: structured-merge-diff merge/update.go
(Updater.Update, Updater.Apply, prune, addBackOwnedItems, addBackDanglingItems) and
merge/conflict.go.

Managers are keyed by their identifier (the JSON of a managedFields entry without fields and
time, see managedfields.py). A manager's set is recorded at the apiVersion it wrote; a write
at another version compares, fits and prunes that set there, on the objects converted to that
version (managedfields' versionConverter), as kube-apiserver does for a CRD's versions.
"""

from __future__ import annotations

import weakref
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any, Protocol

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


class Versions(Protocol):
    """The resource's versions as field management sees them (managedfields'
    versionConverter and the type converter's models)."""

    def known(self, api_version: str) -> bool:
        """Whether the resource has this version (else its managers are dropped)."""
        ...

    def root(self, api_version: str) -> Atom:
        """The root type of objects at a known version (versions with equal schemas share
        one)."""
        ...

    def moves_fields(self) -> bool:
        """Whether converting changes more than apiVersion (rules or a webhook)."""
        ...

    async def convert(self, obj: Any, api_version: str) -> Any:
        """`obj` (left unchanged) at another known version, validated against its root;
        raises ValidationErrors or a StatusError when it cannot be converted."""
        ...


class _Converted:
    """Objects converted during one update or apply (Go converts them again each time)."""

    def __init__(self, versions: Versions | None) -> None:
        self._versions = versions
        self._done: dict[tuple[int, str], tuple[Any, Any]] = {}

    async def __call__(self, obj: Any, api_version: str) -> Any:
        """versionConverter.Convert: an object already at `api_version` is itself."""
        if self._versions is None or (
            isinstance(obj, dict) and obj.get("apiVersion") == api_version
        ):
            return obj
        key = (id(obj), api_version)
        done = self._done.get(key)
        if done is None or done[0] is not obj:
            done = self._done[key] = (obj, await self._versions.convert(obj, api_version))
        return done[1]


class Updater:
    def __init__(
        self,
        root: Atom,
        api_version: str,
        reset: FieldSet | None,
        versions: Versions | None,
        reset_versions: frozenset[str] = frozenset(),
    ) -> None:
        self.root = root
        self.api_version = api_version  # the version `root` is of
        self.reset = reset  # the IgnoreFilter: fields this (sub)resource never owns
        # The other versions whose managers' comparisons are filtered too: a CRD's status
        # resets its fields at every version with a status (getStatusResetFields); the main
        # resource's reset is keyed by its own version alone.
        self.reset_versions = reset_versions
        self.versions = versions  # None: one version, every apiVersion an alias of it
        # Sets reconcile leaves as they are, by id and version (a weak reference tells a live
        # one from a reused id). Decoded sets are shared (managedfields keeps them), so the
        # same set comes back write after write, and reconcile is a pure function of it and
        # the schema.
        self._fitting: dict[tuple[int, str], weakref.ref[FieldSet]] = {}

    def _version_of(self, vs: VersionedSet) -> str:
        """The version a set is compared at: its own, or this one when there is only one."""
        return vs.api_version if self.versions is not None else self.api_version

    def _root(self, api_version: str) -> Atom:
        if api_version == self.api_version or self.versions is None:
            return self.root
        return self.versions.root(api_version)

    def _reconcile(self, managers: ManagedFields) -> None:
        """reconcileManagedFieldsWithSchemaChanges: managers of versions the converter does
        not know are dropped; the others are fitted to their version's schema."""
        for manager, vs in list(managers.items()):
            if self.versions is not None and not self.versions.known(vs.api_version):
                del managers[manager]
                continue
            key = (id(vs.set), vs.api_version)
            known = self._fitting.get(key)
            if known is not None and known() is vs.set:
                continue
            fitted = reconcile(vs.set, self._root(vs.api_version))
            if fitted is not None:
                managers[manager] = VersionedSet(fitted, vs.api_version, vs.applied)
                continue
            if len(self._fitting) >= _MAX_FITTING:
                del self._fitting[next(iter(self._fitting))]
            self._fitting[key] = weakref.ref(vs.set)

    def _same_objects(self, api_version: str) -> bool:
        """Whether objects at `api_version` are this version's but for apiVersion, with the
        same schema: their comparison is this version's, unfiltered (a CRD of several
        versions with one schema and no conversion: no copy, no second walk)."""
        versions = self.versions
        return (
            versions is not None
            and not versions.moves_fields()
            and versions.root(api_version) is self.root
        )

    def _filter(self, s: FieldSet) -> FieldSet:
        return s.recursive_difference(self.reset) if self.reset is not None else s

    async def _update(
        self,
        old: Any,
        new: Any,
        managers: ManagedFields,
        workflow: str,
        force: bool,
        old_valid: bool,
        converted: _Converted,
    ) -> Comparison:
        whole = compare(old, new, self.root, lhs_valid=old_valid)
        cmp = whole.filtered(self.reset)
        # What changed, at each version a manager recorded its set at (filtered at the
        # versions the reset fields are keyed by).
        changes = {self.api_version: (cmp.modified.union(cmp.added), cmp.removed)}
        conflicts: dict[str, FieldSet] = {}
        removed: dict[str, FieldSet] = {}
        for manager, vs in managers.items():
            if manager == workflow:
                continue
            version = self._version_of(vs)
            change = changes.get(version)
            reset_here = version in self.reset_versions
            if change is None and self._same_objects(version):
                same = cmp if reset_here else whole
                change = changes[version] = (same.modified.union(same.added), same.removed)
            if change is None:
                at = compare(
                    await converted(old, version),
                    await converted(new, version),
                    self._root(version),
                    lhs_valid=True,
                )
                if reset_here:
                    at = at.filtered(self.reset)
                change = changes[version] = (at.modified.union(at.added), at.removed)
            changed, gone = change
            clash = vs.set.intersection(changed)
            if not clash.empty():
                conflicts[manager] = clash
            if not gone.empty():
                removed[manager] = gone
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

    async def update(
        self,
        live: Any,
        new: Any,
        managers: ManagedFields,
        manager: str,
        *,
        live_valid: bool = False,
    ) -> None:
        """Updater.Update: `manager` takes whatever changed; others lose what it changed.
        live_valid: `live` passed typed.validate against this updater's root."""
        self._reconcile(managers)
        cmp = await self._update(
            live, new, managers, manager, True, live_valid, _Converted(self.versions)
        )
        prior = managers.get(manager)
        owned = prior.set if prior else EMPTY
        owned = owned.difference(cmp.removed).union(cmp.modified).union(cmp.added)
        owned = self._filter(owned)
        if owned.empty():
            managers.pop(manager, None)
        else:
            managers[manager] = VersionedSet(owned, self.api_version, False)

    async def apply(
        self,
        live: Any,
        config: Any,
        managers: ManagedFields,
        manager: str,
        force: bool,
        *,
        live_valid: bool = False,
    ) -> Any:
        """Updater.Apply: the new object, or MISSING when applying changed nothing.
        live_valid: `live` passed typed.validate against this updater's root."""
        self._reconcile(managers)
        converted = _Converted(self.versions)
        merged = merge(live, config, self.root)
        last = managers.get(manager)
        managers[manager] = VersionedSet(
            self._filter(to_field_set(config, self.root)), self.api_version, True
        )
        new = await self._prune(merged, managers, last, converted)
        await self._update(live, new, managers, manager, force, live_valid, converted)
        return MISSING if values.equals(live, new) else new

    async def _prune(
        self, merged: Any, managers: ManagedFields, last: VersionedSet | None, convert: _Converted
    ) -> Any:
        """Remove what the applier applied last time and no longer applies, unless another
        manager (or the new configuration) still owns it; at the version it applied at."""
        if last is None or last.set.empty():
            return merged
        at_last = self._version_of(last)
        root = self._root(at_last)
        merged = await convert(merged, at_last)
        last_set = ensure_named_fields_are_members(last.set, root)
        pruned = remove_items(merged, last_set, root)
        # addBackOwnedItems, one version at a time, the pruned version first.
        by_version: dict[str, FieldSet] = {}
        for vs in managers.values():
            v = self._version_of(vs)
            by_version[v] = by_version.get(v, EMPTY).union(vs.set)
        # Nothing below changes `merged`: Go computes its set again for the dangling items,
        # the one made at `at_last` here will do.
        merged_sets: dict[str, FieldSet] = {}
        for version in sorted(by_version, key=lambda v: (v != at_last, v)):
            r = self._root(version)
            at = await convert(merged, version)
            merged_sets[version] = ensure_named_fields_are_members(to_field_set(at, r), r)
            pruned = await convert(pruned, version)
            keep = ensure_named_fields_are_members(to_field_set(pruned, r), r).union(
                ensure_named_fields_are_members(by_version[version], r)
            )
            pruned = remove_items(at, merged_sets[version].difference(keep), r)
        # addBackDanglingItems
        pruned = await convert(pruned, at_last)
        pruned_set = ensure_named_fields_are_members(to_field_set(pruned, root), root)
        merged_set = merged_sets.get(at_last)
        if merged_set is None:
            merged_set = ensure_named_fields_are_members(to_field_set(merged, root), root)
        dangling = merged_set.difference(pruned_set).intersection(last_set)
        return await convert(remove_items(merged, dangling, root), self.api_version)
