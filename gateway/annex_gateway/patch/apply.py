"""The field manager kube-apiserver runs for custom resources (k8s.io/apimachinery
pkg/util/managedfields/internal/fieldmanager.go and the managers it stacks, outermost first):

    versionCheck > lastAppliedUpdater > lastAppliedManager > skipNonApplied > capManagers
    > buildManagerInfo > managedFieldsUpdater > stripMeta > structuredMerge

plus the update handler's IgnoreManagedFieldsTimestampsTransformer (k8s.io/apiserver
pkg/endpoints/handlers/fieldmanager/equality.go): a write that changes nothing keeps the
managers' timestamps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from annex_gateway.apierrors import StatusError
from annex_gateway.jsoncopy import copy_json
from annex_gateway.patch import lastapplied, managedfields, values
from annex_gateway.patch.defaulting import tidy, tidy_metadata
from annex_gateway.patch.errors import ApplyConflict, FieldConflict, bad_request, unconvertible
from annex_gateway.patch.fieldpath import FieldSet, PathElement
from annex_gateway.patch.managedfields import APPLY, UPDATE, Managed
from annex_gateway.patch.schema import from_openapi
from annex_gateway.patch.typed import ValidationErrors, validate
from annex_gateway.patch.updater import Conflicts, Updater, VersionedSet, Versions
from annex_gateway.patch.values import MISSING

__all__ = ["ApplyConflict", "FieldConflict", "FieldManager"]

MAX_UPDATE_MANAGERS = 10  # DefaultMaxUpdateManagers
ANCIENT_CHANGES = "ancient-changes"
BEFORE_FIRST_APPLY = "before-first-apply"
_CURRENT = "current-operation"

# stripmeta.go: fields no manager ever owns
_STRIP = FieldSet.of(
    [
        (PathElement.field("apiVersion"),),
        (PathElement.field("kind"),),
        (PathElement.field("metadata"),),
    ]
    + [
        (PathElement.field("metadata"), PathElement.field(f))
        for f in (
            "name",
            "namespace",
            "creationTimestamp",
            "selfLink",
            "uid",
            "clusterName",
            "generation",
            "managedFields",
            "resourceVersion",
        )
    ]
)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _meta(obj: Any) -> dict[str, Any]:
    m = obj.get("metadata") if isinstance(obj, dict) else None
    return m if isinstance(m, dict) else {}


def _gvk(obj: Mapping[str, Any]) -> str:
    """GroupVersionKind.String(): `example.com/v1, Kind=Widget`."""
    av = obj.get("apiVersion")
    av = av if isinstance(av, str) else ""
    group, _, version = av.rpartition("/")
    kind = obj.get("kind")
    return f"{group}/{version}, Kind={kind if isinstance(kind, str) else ''}"


def _gvknn(obj: Mapping[str, Any]) -> str:
    """objectGVKNN: `namespace/name; group/version, Kind=Kind`."""
    meta = _meta(obj)
    return f"{meta.get('namespace', '')}/{meta.get('name', '')}; {_gvk(obj)}"


class FieldManager:
    """Compiled once per served resource version."""

    def __init__(
        self,
        schema: Mapping[str, Any] | None,
        api_version: str,
        reset_fields: Mapping[str, tuple[str, ...]] | None = None,
        *,
        kind: str | None = None,
        versions: Versions | None = None,
        status_versions: Iterable[str] = (),
    ) -> None:
        """schema: the version's openAPIV3Schema (None: untyped). reset_fields: per subresource
        ("" = main resource) the top-level fields it never owns; kube-apiserver uses
        {"": ("status",), "status": ("metadata", "spec")} when the status subresource exists.
        kind: checked against applied configurations when given (versioncheck.go).
        versions: every version of the resource (patch.versions.ResourceVersions); managers
        recorded at any other are dropped on the next write, as the CRD converter's
        missing-version error makes kube do. None: a single version, every manager's
        apiVersion taken for this one. status_versions: the apiVersions of the resource
        with a status subresource, where a status write's reset fields apply too."""
        self.schema = schema
        # A root the versions share: a manager at a version of the same schema is compared
        # with this version's comparison.
        self.root = (
            versions.root(api_version)
            if versions is not None and versions.known(api_version)
            else from_openapi(schema)
        )
        self.api_version = api_version
        self.kind = kind
        self._plain = Updater(self.root, api_version, None, versions)
        self._updaters: dict[str, Updater] = {}
        for sub, fields in (reset_fields or {}).items():
            reset = FieldSet.of((PathElement.field(f),) for f in fields) if fields else None
            also = frozenset(status_versions) if sub == "status" else frozenset()
            self._updaters[sub] = Updater(self.root, api_version, reset, versions, also)

    def _updater(self, subresource: str) -> Updater:
        return self._updaters.get(subresource, self._plain)

    def _empty(self, kind: Any) -> dict[str, Any]:
        """What runtime.ObjectCreater.New gives for a custom resource."""
        return {"apiVersion": self.api_version, "kind": kind if kind is not None else self.kind}

    # --- Update ------------------------------------------------------------------------

    async def update(
        self,
        live: dict[str, Any] | None,
        new: dict[str, Any],
        manager: str,
        *,
        subresource: str = "",
        now: str | None = None,
    ) -> dict[str, Any]:
        """Create (live None), update or non-apply patch: `new` with managedFields as k8s
        stores them. Never raises for bad managedFields: k8s falls back to the live ones."""
        now = managedfields.format_time(now) if now else _now()
        live_obj = live if live is not None else self._empty(new.get("kind"))
        out = copy_json(new)
        # CR metadata goes through ObjectMeta before the field manager sees it: null and
        # empty omitempty fields (managedFields: [] too) are gone by then.
        tidy_metadata(out)
        live_entries = managedfields.read_entries(_meta(live_obj).get("managedFields"))
        try:
            managed = self._decode_live_or_new(live_entries, _meta(out), subresource != "")
            group = self.api_version.rpartition("/")[0]
            if any(vs.api_version.rpartition("/")[0] != group for vs in managed.fields.values()):
                # The version converter cannot take a custom resource to another group: the
                # update fails, and UpdateNoErrors keeps the live object's managedFields.
                raise ValueError("a manager's apiVersion is not of the resource's group")
            _meta_set(out, None)
            managed = await self._skip_non_applied_update(
                live_obj, out, managed, manager, subresource, now
            )
        except (ValueError, StatusError):
            # UpdateNoErrors: restore the live object's managedFields and carry on.
            _meta_set(out, _meta(live_obj).get("managedFields"))
            return out
        _meta_set(out, managedfields.encode(managed))
        if live is not None:
            _keep_unchanged_times(live, out)
        return out

    def _decode_live_or_new(
        self, live_entries: list[dict[str, Any]] | None, new_meta: dict[str, Any], is_sub: bool
    ) -> Managed:
        def live_or_empty() -> Managed:
            try:
                return managedfields.decode(live_entries)
            except ValueError:
                return Managed()

        if is_sub:
            return live_or_empty()
        new_entries = managedfields.read_entries(new_meta.get("managedFields"))
        if managedfields.is_reset(new_entries):
            return Managed()
        try:
            managed = managedfields.decode(new_entries)
        except ValueError:
            return live_or_empty()
        return managed if managed.fields else live_or_empty()

    async def _skip_non_applied_update(
        self, live: Any, new: Any, managed: Managed, manager: str, sub: str, now: str
    ) -> Managed:
        # skipnonapplied.go: objects that existed untracked stay untracked until an apply.
        if not managed.fields and _meta(live).get("uid"):
            return managed
        return await self._cap_update(live, new, managed, manager, sub, now)

    async def _cap_update(
        self, live: Any, new: Any, managed: Managed, manager: str, sub: str, now: str
    ) -> Managed:
        ident = managedfields.manager_identifier(
            manager or "unknown", UPDATE, self.api_version, sub
        )
        managed = await self._fields_updater_update(live, new, managed, ident, sub, now)
        return _cap_managers(managed)

    async def _fields_updater_update(
        self, live: Any, new: Any, managed: Managed, ident: str, sub: str, now: str
    ) -> Managed:
        managed = managed.copy()
        await self._structured_update(live, new, managed, sub)
        current = managed.fields.pop(_CURRENT, None)
        if current is not None:
            prior = managed.fields.get(ident)
            s = current.set.union(prior.set) if prior else current.set
            managed.fields[ident] = VersionedSet(s, current.api_version, current.applied)
            managed.times[ident] = now
        return managed

    async def _structured_update(self, live: Any, new: Any, managed: Managed, sub: str) -> None:
        try:
            validate(new, self.root, allow_duplicates=True)
        except ValidationErrors as e:
            raise unconvertible(
                f"failed to convert new object ({_gvknn(new)}) to smd typed: {e.message}"
            ) from None
        try:
            validate(live, self.root, allow_duplicates=True)
        except ValidationErrors as e:
            raise unconvertible(
                f"failed to convert live object ({_gvknn(live)}) to smd typed: {e.message}"
            ) from None
        await self._updater(sub).update(live, new, managed.fields, _CURRENT, live_valid=True)
        _strip(managed, _CURRENT)

    # --- Apply -------------------------------------------------------------------------

    async def apply(
        self,
        live: dict[str, Any] | None,
        config: dict[str, Any],
        manager: str,
        *,
        force: bool,
        subresource: str = "",
        now: str | None = None,
    ) -> dict[str, Any]:
        """Server-side apply: the new object with its managedFields. Raises ApplyConflict
        (409) unless `force`, StatusError 400 for configurations k8s rejects."""
        now = managedfields.format_time(now) if now else _now()
        if not isinstance(config, dict):
            raise bad_request(
                "error decoding patch: error unmarshaling JSON: while decoding JSON: "
                "json: cannot unmarshal "
                f"{_json_kind(config)} into Go value of type map[string]interface {{}}"
            )
        live_obj = live if live is not None else self._empty(config.get("kind"))
        try:
            managed = managedfields.decode(
                managedfields.read_entries(_meta(live_obj).get("managedFields"))
            )
        except ValueError as e:
            raise unconvertible(f"failed to decode managed fields: {e}") from None
        if config.get("apiVersion") != self.api_version or (
            config.get("kind") != (self.kind or live_obj.get("kind"))
        ):
            raise bad_request(f"invalid object type: {_gvk(config)}")
        obj, managed = await self._last_applied_manager(
            live_obj, config, managed, manager, force, subresource, now
        )
        if manager == lastapplied.KUBECTL and lastapplied.has_last_applied(obj):
            lastapplied.set_last_applied(obj, lastapplied.build(config))
        _meta_set(obj, managedfields.encode(managed))
        if live is not None:
            _keep_unchanged_times(live, obj)
        return obj

    async def _last_applied_manager(
        self,
        live: Any,
        config: Any,
        managed: Managed,
        manager: str,
        force: bool,
        sub: str,
        now: str,
    ) -> tuple[dict[str, Any], Managed]:
        try:
            return await self._skip_non_applied_apply(
                live, config, managed, manager, force, sub, now
            )
        except Conflicts as c:
            if manager != lastapplied.KUBECTL:
                raise ApplyConflict(c.conflicts) from None
            allowed = lastapplied.allowed_conflicts(live, self.root, self.api_version)
            if allowed is None:
                raise ApplyConflict(c.conflicts) from None
            remaining = [x for x in c.conflicts if not allowed.has(x.path)]
            if remaining:
                raise ApplyConflict(remaining) from None
        try:
            return await self._skip_non_applied_apply(
                live, config, managed, manager, True, sub, now
            )
        except Conflicts as c:  # pragma: no cover - force never conflicts
            raise ApplyConflict(c.conflicts) from None

    async def _skip_non_applied_apply(
        self,
        live: Any,
        config: Any,
        managed: Managed,
        manager: str,
        force: bool,
        sub: str,
        now: str,
    ) -> tuple[dict[str, Any], Managed]:
        if not managed.fields:
            # Whatever an untracked object already holds goes to "before-first-apply".
            empty = self._empty(config.get("kind"))
            managed = await self._cap_update(empty, live, managed, BEFORE_FIRST_APPLY, sub, now)
        ident = managedfields.manager_identifier(manager or "unknown", APPLY, subresource=sub)
        managed = managed.copy()
        new = await self._structured_apply(live, config, managed, ident, force, sub)
        _strip(managed, ident)
        if new is MISSING:
            obj = copy_json(live)
            _meta_set(obj, None)
        else:
            obj = new
            managed.times[ident] = now
        return obj, managed

    async def _structured_apply(
        self, live: Any, config: Any, managed: Managed, ident: str, force: bool, sub: str
    ) -> Any:
        if managedfields.read_entries(_meta(config).get("managedFields")) is not None:
            raise bad_request("metadata.managedFields must be nil")
        try:
            validate(config, self.root, allow_duplicates=False)
        except ValidationErrors as e:
            raise unconvertible(
                f"failed to create typed patch object ({_gvknn(config)}): {e.message}"
            ) from None
        try:
            validate(live, self.root, allow_duplicates=True)
        except ValidationErrors as e:
            raise unconvertible(
                f"failed to create typed live object ({_gvknn(live)}): {e.message}"
            ) from None
        try:
            new = await self._updater(sub).apply(
                live, config, managed.fields, ident, force, live_valid=True
            )
        except ValidationErrors as e:
            raise unconvertible(f"failed to merge config: {e.message}") from None
        if new is MISSING:
            return MISSING
        new = copy_json(new)
        tidy(new, self.schema)
        return new


def _json_kind(v: Any) -> str:
    if isinstance(v, list):
        return "array"
    if isinstance(v, str):
        return "string"
    if isinstance(v, bool):
        return "bool"
    if values.is_number(v):
        return "number"
    return "null"


def _meta_set(obj: dict[str, Any], entries: Any) -> None:
    """SetManagedFields: None removes the field."""
    if entries is None:
        meta = obj.get("metadata")
        if isinstance(meta, dict):
            meta.pop("managedFields", None)
        return
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        meta = obj["metadata"] = {}
    meta["managedFields"] = entries


def _strip(managed: Managed, ident: str) -> None:
    vs = managed.fields.get(ident)
    if vs is None:
        return
    s = vs.set.difference(_STRIP)
    if s.empty():
        del managed.fields[ident]
    else:
        managed.fields[ident] = VersionedSet(s, vs.api_version, vs.applied)


def _cap_managers(managed: Managed) -> Managed:
    """capmanagers.go: past 10 Update managers the oldest merge into "ancient-changes"."""
    updaters = [m for m, vs in managed.fields.items() if not vs.applied]
    if len(updaters) <= MAX_UPDATE_MANAGERS:
        return managed
    updaters.sort(key=lambda m: (managedfields.unix(managed.times.get(m)), m))
    first_by_version: dict[str, str] = {}
    length = len(updaters)
    for manager in updaters:
        if length <= MAX_UPDATE_MANAGERS:
            break
        vs = managed.fields[manager]
        t = managed.times.get(manager)
        bucket = managedfields.manager_identifier(ANCIENT_CHANGES, UPDATE, vs.api_version)
        first = first_by_version.get(vs.api_version)
        if first is None:
            first_by_version[vs.api_version] = manager
            continue
        if bucket not in managed.fields:
            managed.fields[bucket] = managed.fields.pop(first)
        b = managed.fields[bucket]
        managed.fields[bucket] = VersionedSet(vs.set.union(b.set), vs.api_version, vs.applied)
        del managed.fields[manager]
        length -= 1
        managed.times[bucket] = t
    return managed


def _keep_unchanged_times(old: dict[str, Any], new: dict[str, Any]) -> None:
    """IgnoreManagedFieldsTimestampsTransformer: if nothing but managers' times changed,
    keep the old times."""
    old_mf = _meta(old).get("managedFields")
    new_mf = _meta(new).get("managedFields")
    if not isinstance(old_mf, list) or not isinstance(new_mf, list):
        return
    if len(old_mf) != len(new_mf) or not new_mf:
        return
    if all(
        isinstance(o, dict) and o.get("time") == n.get("time")
        for o, n in zip(old_mf, new_mf, strict=True)
    ):
        return

    def untimed(entries: list[Any]) -> list[Any]:
        return [
            {k: v for k, v in e.items() if k != "time"} if isinstance(e, dict) else e
            for e in entries
        ]

    if not values.equals(untimed(old_mf), untimed(new_mf)):
        return
    rest_old = {**old, "metadata": {k: v for k, v in _meta(old).items() if k != "managedFields"}}
    rest_new = {**new, "metadata": {k: v for k, v in _meta(new).items() if k != "managedFields"}}
    if not values.equals(rest_old, rest_new):
        return
    for o, n in zip(old_mf, new_mf, strict=True):
        if isinstance(o, dict) and "time" in o:
            n["time"] = o["time"]
        else:
            n.pop("time", None)
