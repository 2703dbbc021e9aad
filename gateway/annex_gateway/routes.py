"""The route table: an immutable snapshot compiled from every accepted ApiDefinition.

Everything a request needs that depends only on the definitions is built here once: the
REST objects of each resource at each served version (the main store and its status and
scale subresources, over the shared storage) and the discovery documents (per group-version
and aggregated), whose verbs are what those REST objects can do. `apis.Apis` swaps whole
tables in one assignment; a request takes the table once and keeps it to the end.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import orjson

from annex_core.apidef import (
    ApiDefinition,
    PrinterColumn,
    Resource,
    ResourceVersion,
    ScaleSubresource,
)
from annex_gateway.admission import scale as scale_checks
from annex_gateway.admission.namespaces import NamespaceLookup
from annex_gateway.admission.schema import compile_schema
from annex_gateway.conversion import WebhookClients, converter_for
from annex_gateway.endpoints import aggregated, negotiation, openapi
from annex_gateway.endpoints.served import ServedResource
from annex_gateway.endpoints.table import CREATION_TIMESTAMP_DESCRIPTION, TableConverter
from annex_gateway.patch.versions import ResourceVersions
from annex_gateway.registry import listing, rest
from annex_gateway.registry.fields import FieldManager
from annex_gateway.registry.resource import ResourceInfo
from annex_gateway.registry.store import ResourceStore
from annex_gateway.registry.strategy import ResourceStrategy, StatusStrategy
from annex_gateway.registry.subresources import (
    SCALE_API_VERSION,
    SCALE_SCHEMA,
    ScaleREST,
    StatusREST,
)
from annex_gateway.storage import Store
from annex_gateway.storage.index import Indexes


@dataclass(frozen=True)
class GroupVersion:
    group: str
    version: str
    resources: Mapping[str, ServedResource]
    discovery: bytes  # the APIResourceList, serialized once
    openapi: openapi.Documents | None = None  # its OpenAPI v3 document and v2 parts


@dataclass(frozen=True)
class ServedGroup:
    name: str
    versions: Mapping[str, GroupVersion]  # preferred version first
    definition: ApiDefinition

    @property
    def preferred_version(self) -> str:
        return next(iter(self.versions))

    def api_group(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "versions": [{"groupVersion": f"{self.name}/{v}", "version": v} for v in self.versions],
            "preferredVersion": {
                "groupVersion": f"{self.name}/{self.preferred_version}",
                "version": self.preferred_version,
            },
        }


@dataclass(frozen=True)
class RouteTable:
    groups: Mapping[str, ServedGroup] = field(default_factory=dict)
    generation: int = 0  # increases with every swap; for logs and readiness
    openapi_v2: bytes = orjson.dumps(openapi.v2_document(()))  # every group-version merged
    openapi_v3_root: bytes = orjson.dumps(openapi.v3_root({}))
    aggregated_discovery: aggregated.Document = aggregated.EMPTY  # /apis as APIGroupDiscoveryList

    def group_version(self, group: str, version: str) -> GroupVersion | None:
        served = self.groups.get(group)
        return served.versions.get(version) if served else None

    def lookup(self, group: str, version: str, plural: str) -> ServedResource | None:
        gv = self.group_version(group, version)
        return gv.resources.get(plural) if gv else None

    def api_group_list(self) -> dict[str, Any]:
        return {
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": [g.api_group() for _, g in sorted(self.groups.items())],
        }


def storage_version_hash(group: str, version: str, kind: str) -> str:
    """As k8s.io/apiserver computes it: base64 of the first 8 bytes of sha256(g/v/kind)."""
    digest = hashlib.sha256(f"{group}/{version}/{kind}".encode()).digest()
    return base64.b64encode(digest[:8]).decode()


def _api_resources(served: ServedResource) -> list[dict[str, Any]]:
    """The APIResource entries of a resource and its subresources, from what each can do."""
    names = served.resource.names
    main: dict[str, Any] = {
        "name": names.plural,
        "singularName": names.singular,  # always present: kopf reads it unconditionally
        "namespaced": served.namespaced,
        "kind": names.kind,
        "verbs": list(rest.verbs(served.rest)),
        "storageVersionHash": storage_version_hash(
            served.group, served.resource.storage_version, names.kind
        ),
    }
    if names.short_names:
        main["shortNames"] = list(names.short_names)
    if names.categories:
        main["categories"] = list(names.categories)
    entries = [main]
    for sub, target in served.subresources.items():
        entry: dict[str, Any] = {
            "name": f"{names.plural}/{sub}",
            "singularName": "",
            "namespaced": served.namespaced,
        }
        if sub == "scale":
            entry |= {"group": "autoscaling", "version": "v1", "kind": "Scale"}
        else:
            entry["kind"] = names.kind
        entry["verbs"] = list(rest.verbs(target))
        entries.append(entry)
    return entries


def _discovery(group: str, version: str, resources: Iterable[ServedResource]) -> bytes:
    document = {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": f"{group}/{version}",
        "resources": [entry for r in resources for entry in _api_resources(r)],
    }
    return negotiation.encode(document, negotiation.JSON)  # as json.Encoder writes it


# (schema, apiVersion, reset fields per subresource, kind=, versions=) -> the version's
# field manager
FieldManagerFactory = Callable[..., FieldManager]


@dataclass(frozen=True)
class Backends:
    """What REST objects are built over: the storage, the namespaces admission checks and
    the field manager (None: managedFields are not maintained, apply is not served)."""

    storage: Store
    namespace_lookup: NamespaceLookup | None = None
    field_manager: FieldManagerFactory | None = None
    indexes: Indexes | None = None  # None: lists read and filter every object from storage
    webhooks: WebhookClients | None = None  # conversion webhook sessions, shared across tables


def compile_checks(
    definition: ApiDefinition,
    version: str,
    resource: Resource,
    served: ResourceVersion,
    backends: Backends,
    *,
    cached: bool = True,
) -> tuple[ResourceInfo, ResourceStrategy]:
    """What reads and checks objects of a resource at a version: its info (conversion, read
    defaults) and its strategy (validation). No index, no field manager: nothing is served.
    `cached` False: the schema's compilation is not kept (see compile_schema)."""
    schema = compile_schema(served.schema, cached=cached)
    info = ResourceInfo(
        group=definition.group,
        version=version,
        storage_version=resource.storage_version,
        plural=resource.names.plural,
        kind=resource.names.kind,
        list_kind=resource.names.list_kind,
        namespaced=resource.namespaced,
        selectable=served.selectable_fields,
        converter=converter_for(
            definition.group,
            resource.names.kind,
            [v.name for v in resource.versions],
            resource.conversion,
            backends.webhooks,
        ),
        read_defaulter=schema.default if schema is not None and schema.has_defaults else None,
    )
    strategy = ResourceStrategy(
        resource.names.kind,
        resource.namespaced,
        served.status_subresource,
        schema,
        served.scale_subresource,
        info.api_version,
    )
    return info, strategy


def compile_resource(
    definition: ApiDefinition,
    version: str,
    resource: Resource,
    served: ResourceVersion,
    backends: Backends,
) -> ServedResource:
    info, strategy = compile_checks(definition, version, resource, served, backends)
    schema = strategy.schema
    reset_fields = {"": strategy.reset_fields, "status": StatusStrategy.reset_fields_of_status}
    fields = (
        backends.field_manager(
            served.schema,
            info.api_version,
            reset_fields,
            kind=info.kind,
            versions=ResourceVersions(
                {f"{definition.group}/{v.name}": v.schema for v in resource.versions},
                info.converter.to_api_version if info.converter is not None else None,
            ),
            status_versions=[
                f"{definition.group}/{v.name}" for v in resource.versions if v.status_subresource
            ],
        )
        if backends.field_manager
        else None
    )
    index = (
        backends.indexes.get(info.storage_prefix, *listing.index_attrs(info))
        if backends.indexes and listing.indexable(info)
        else None
    )
    main = ResourceStore(
        info, backends.storage, strategy, backends.namespace_lookup, fields, index=index
    )
    subresources: dict[str, object] = {}
    if served.status_subresource:
        subresources["status"] = StatusREST(main)
    if served.scale_subresource is not None:
        subresources["scale"] = ScaleREST(
            main,
            served.scale_subresource,
            backends.field_manager(SCALE_SCHEMA, SCALE_API_VERSION, kind="Scale")
            if backends.field_manager
            else None,
            {
                f"{definition.group}/{v.name}": (
                    tuple(scale_checks.fields_of(v.scale_subresource.spec_replicas_path))
                    if v.scale_subresource is not None
                    else None
                )
                for v in resource.versions
            },
        )
    return ServedResource(
        definition.group,
        version,
        resource,
        served,
        main,
        MappingProxyType(subresources),
        TableConverter.for_columns(served.printer_columns),
        _scale_table(served.scale_subresource),
        schema,
    )


def _scale_table(scale: ScaleSubresource | None) -> TableConverter | None:
    """getScaleColumnsForVersion: replicas desired and available, read from the Scale."""
    if scale is None:
        return None
    columns = []
    if scale.spec_replicas_path:
        columns.append(
            PrinterColumn(
                "Desired", "integer", ".spec.replicas", description="Number of desired replicas"
            )
        )
    if scale.status_replicas_path:
        columns.append(
            PrinterColumn(
                "Available", "integer", ".status.replicas", description="Number of actual replicas"
            )
        )
    columns.append(
        PrinterColumn(
            "Age",
            "date",
            ".metadata.creationTimestamp",
            description=CREATION_TIMESTAMP_DESCRIPTION,
        )
    )
    return TableConverter.for_columns(columns)


def compile_group(definition: ApiDefinition, backends: Backends) -> ServedGroup:
    versions: dict[str, GroupVersion] = {}
    for version in definition.served_versions:
        served = [
            compile_resource(definition, version, resource, rv, backends)
            for resource, rv in definition.resources_in(version)
        ]
        versions[version] = GroupVersion(
            group=definition.group,
            version=version,
            resources=MappingProxyType({s.plural: s for s in served}),
            discovery=_discovery(definition.group, version, served),
            openapi=openapi.group_version_documents(
                definition.group, version, definition.resources_in(version)
            ),
        )
    return ServedGroup(definition.group, MappingProxyType(versions), definition)


def compile_routes(
    definitions: Iterable[ApiDefinition], backends: Backends, generation: int = 0
) -> RouteTable:
    groups = {d.group: compile_group(d, backends) for d in definitions}
    if backends.indexes is not None:
        backends.indexes.retire_unused()
    documents = {
        (gv.group, gv.version): gv.openapi
        for _, g in sorted(groups.items())
        for gv in g.versions.values()
        if gv.openapi is not None
    }
    return RouteTable(
        MappingProxyType(dict(sorted(groups.items()))),
        generation,
        openapi_v2=orjson.dumps(openapi.v2_document(documents.values())),
        openapi_v3_root=orjson.dumps(
            openapi.v3_root({gv: d.v3_hash for gv, d in documents.items()})
        ),
        aggregated_discovery=aggregated.Document.of(
            aggregated.group_discovery(
                name,
                (
                    aggregated.version_discovery(v, gv.resources.values())
                    for v, gv in g.versions.items()
                ),
            )
            for name, g in sorted(groups.items())
        ),
    )
