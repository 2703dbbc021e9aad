"""The status and scale subresources, wrapping the main store (apiextensions-apiserver's
customresource StatusREST and ScaleREST)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from annex_core.apidef import ScaleSubresource
from annex_gateway import apierrors
from annex_gateway.admission import scale as scale_checks
from annex_gateway.patch import managedfields, values
from annex_gateway.registry.fields import FieldManager
from annex_gateway.registry.options import PatchOptions, Preconditions, WriteOptions
from annex_gateway.registry.rest import UpdatedObject, WriteResult
from annex_gateway.registry.store import ResourceStore, now_rfc3339
from annex_gateway.registry.strategy import StatusStrategy

JSON = dict[str, Any]
SCALE_API_VERSION = managedfields.SCALE_API_VERSION
INVALID_REPLICAS = -(2**31)  # marks "no spec replicas in the object" (scaleUpdatedObjectInfo)


@dataclass(frozen=True)
class StatusREST:
    """get, update, patch on /status: writes change .status only."""

    main: ResourceStore
    # The main store with the status strategy: built once, with the route table.
    store: ResourceStore = field(init=False)

    def __post_init__(self) -> None:
        main = self.main.strategy
        strategy = StatusStrategy(
            main.kind,
            main.namespaced,
            status_subresource=True,
            schema=main.schema,
            scale=main.scale,
            api_version=main.api_version,
        )
        object.__setattr__(
            self, "store", replace(self.main, strategy=strategy, subresource="status")
        )

    async def get(self, namespace: str, name: str, *, at_least: int | None = None) -> JSON:
        return await self.main.get(namespace, name, at_least=at_least)

    async def update(
        self,
        namespace: str,
        name: str,
        updated: UpdatedObject,
        options: WriteOptions,
        *,
        create_if_missing: bool = False,
        preconditions: Preconditions | None = None,
    ) -> WriteResult:
        # A status write never creates (CRDs: the status store refuses to).
        return await self.store.update(
            namespace, name, updated, options, preconditions=preconditions
        )

    async def apply(
        self, namespace: str, name: str, config: JSON, options: PatchOptions
    ) -> WriteResult:
        # A status write never creates (the object may be gone since the handler read it).
        return await self.store.apply(namespace, name, config, options, create_if_missing=False)


def _nested_int(obj: JSON, dotted: str) -> tuple[int, bool]:
    """NestedInt64 for reading a Scale: absent is 0, a wrong type 400."""
    value, error = scale_checks.nested_typed(obj, dotted, int, "int64")
    if error is not None:
        raise apierrors.bad_request(error)
    return (0, False) if value is None else (value, True)


# autoscaling/v1 Scale as the field manager types it (its metadata an ObjectMeta, as a
# custom resource's).
SCALE_SCHEMA: JSON = {
    "type": "object",
    "properties": {
        "spec": {"type": "object", "properties": {"replicas": {"type": "integer"}}},
        "status": {
            "type": "object",
            "properties": {"replicas": {"type": "integer"}, "selector": {"type": "string"}},
        },
    },
}


@dataclass(frozen=True)
class ScaleREST:
    """get, update, patch on /scale: an autoscaling/v1 Scale projected from the object.

    A write's field ownership is the Scale's, as kube-apiserver's scaleUpdatedObjectInfo
    keeps it: the parent's managers of the replicas become the Scale's (ToSubresource), the
    Scale's field manager records the write, and the parent takes the result back
    (ToParent)."""

    main: ResourceStore
    paths: ScaleSubresource
    # The Scale's field manager (None: managedFields are not maintained), and the replicas'
    # path in every version of the resource.
    fields: FieldManager | None = None
    replicas_paths: managedfields.ReplicasPaths = field(default_factory=dict)
    # The main store, writing for subresource "scale"; its field manager is the Scale's.
    store: ResourceStore = field(init=False)

    def __post_init__(self) -> None:
        store = replace(self.main, subresource="scale", field_manager=None)
        object.__setattr__(self, "store", store)

    def to_scale(self, obj: JSON) -> tuple[JSON, bool]:
        """scaleFromCustomResource: the counts read as int64s, kept as Go's int32(...) keeps
        them (wrapped: 2**31 is -2**31; the object's own validation refuses such counts)."""
        spec, found = _nested_int(obj, self.paths.spec_replicas_path)
        status, _ = _nested_int(obj, self.paths.status_replicas_path)
        spec, status = _int32(spec), _int32(status)
        scale_status: JSON = {"replicas": status}
        if self.paths.label_selector_path:
            selector, _, _ = scale_checks.nested(
                obj, scale_checks.fields_of(self.paths.label_selector_path)
            )
            if isinstance(selector, str) and selector:
                scale_status["selector"] = selector
        meta = obj["metadata"]
        scale_meta = {
            k: meta[k]
            for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
            if meta.get(k)
        }
        scale = {
            "kind": "Scale",
            "apiVersion": SCALE_API_VERSION,
            "metadata": scale_meta,
            "spec": {"replicas": spec} if spec else {},
            "status": scale_status,
        }
        return scale, found

    async def get(self, namespace: str, name: str, *, at_least: int | None = None) -> JSON:
        scale, found = self.to_scale(await self.main.get(namespace, name, at_least=at_least))
        if not found:
            raise apierrors.internal(
                f'the spec replicas field "{self.paths.spec_replicas_path}" does not exist'
            )
        return scale

    async def update(
        self,
        namespace: str,
        name: str,
        updated: UpdatedObject,
        options: WriteOptions,
        *,
        create_if_missing: bool = False,
        preconditions: Preconditions | None = None,
    ) -> WriteResult:
        """`preconditions`: a Scale's (scaleUpdatedObjectInfo passes the request's on)."""

        async def updated_object(current: JSON | None) -> JSON:
            assert current is not None  # the main store never creates here
            old_scale, found = self.to_scale(current)
            if not found:
                old_scale["spec"]["replicas"] = INVALID_REPLICAS
            # A patch applies to the Scale with its managers, as kube-apiserver's does (one
            # that cannot decode quotes them).
            parent_managers = current["metadata"].get("managedFields")
            managers = managedfields.to_subresource(parent_managers, self.replicas_paths)
            if managers:
                old_scale["metadata"]["managedFields"] = managers
            scale = await updated(old_scale)
            if self.fields is not None:
                kept = await self._parent_managers(
                    parent_managers, old_scale, scale, options.field_manager
                )
                if kept:
                    current["metadata"]["managedFields"] = kept
                else:  # nobody manages anything now (SetManagedFields of none)
                    current["metadata"].pop("managedFields", None)
            replicas = (scale.get("spec") or {}).get("replicas")
            if replicas is None:  # absent or null: the typed Scale's zero
                replicas = 0
            if replicas == INVALID_REPLICAS:
                raise apierrors.bad_request(
                    f'the spec replicas field "{self.paths.spec_replicas_path}" cannot be empty'
                )
            self._validate(replicas)
            node = current
            *parents, leaf = scale_checks.fields_of(self.paths.spec_replicas_path)
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = replicas
            rv = (scale.get("metadata") or {}).get("resourceVersion")
            if rv:
                current["metadata"]["resourceVersion"] = rv  # the client's precondition
            return current

        result = await self.store.update(
            namespace, name, updated_object, options, preconditions=preconditions
        )
        scale, _ = self.to_scale(result.object)
        return WriteResult(scale, False, result.warnings)

    async def _parent_managers(
        self, parent: Any, old_scale: JSON, scale: JSON, manager: str
    ) -> list[JSON] | None:
        """The parent's managedFields after the Scale's field manager recorded the write."""
        assert self.fields is not None
        recorded = await self.fields.update(
            _typed_scale(old_scale),
            _typed_scale(scale),
            manager,
            subresource="scale",
            now=now_rfc3339(),
        )
        try:
            return managedfields.to_parent(
                managedfields.read_entries(parent),
                managedfields.read_entries(recorded["metadata"].get("managedFields")),
                self.main.info.api_version,
                self.replicas_paths,
            )
        except ValueError:  # the parent's entries do not decode: they stay as they are
            return parent if isinstance(parent, list) else None

    @staticmethod
    def _validate(replicas: Any) -> None:
        # A negative count is the resource's to refuse: its strategy's ValidateScaleSpec and
        # its schema, on the object the Scale was written into (as for a CRD).
        if not values.is_int(replicas):
            raise apierrors.bad_request("spec.replicas must be an integer")


def _int32(value: int) -> int:
    """Go's int32(v) of an int64: the low 32 bits, signed."""
    return (value + 2**31) % 2**32 - 2**31


def _typed_scale(scale: JSON) -> JSON:
    """A Scale as the field manager sees it, decoded into autoscaling/v1's struct and back
    (ToUnstructured): fields it does not have are gone, a zero spec.replicas and an empty
    selector omitted (omitempty: a write that sets the replicas to 0 removes them, which
    leaves them owned by no one). Of its metadata only what the field manager reads."""
    meta = scale.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    spec, status = scale.get("spec"), scale.get("status")
    spec = spec if isinstance(spec, dict) else {}
    status = status if isinstance(status, dict) else {}
    replicas, selector = spec.get("replicas"), status.get("selector")
    typed_status: JSON = {"replicas": status.get("replicas", 0)}
    if isinstance(selector, str) and selector:
        typed_status["selector"] = selector
    return {
        "apiVersion": SCALE_API_VERSION,
        "kind": "Scale",
        "metadata": {
            k: meta[k] for k in ("name", "namespace", "uid", "managedFields") if k in meta
        },
        "spec": {"replicas": replicas} if values.is_int(replicas) and replicas != 0 else {},
        "status": typed_status,
    }
