"""One resource at one served version, compiled: its definition, its REST objects (the main
store and its subresources) and what discovery says of them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from annex_core.apidef import Resource, ResourceVersion
from annex_gateway.admission.schema import SchemaAdmission
from annex_gateway.endpoints.table import TableConverter
from annex_gateway.registry.resource import ResourceInfo
from annex_gateway.registry.store import ResourceStore


@dataclass(frozen=True)
class ServedResource:
    group: str
    version: str
    resource: Resource
    definition: ResourceVersion
    rest: ResourceStore
    subresources: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    table: TableConverter = field(default_factory=lambda: TableConverter.for_columns(()))
    scale_table: TableConverter | None = None  # Desired/Available/Age, with a scale subresource
    schema: SchemaAdmission | None = None  # pruning, defaulting and validation (None: no schema)

    @property
    def info(self) -> ResourceInfo:
        return self.rest.info

    @property
    def plural(self) -> str:
        return self.resource.names.plural

    @property
    def kind(self) -> str:
        return self.resource.names.kind

    @property
    def namespaced(self) -> bool:
        return self.resource.namespaced

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}"

    @property
    def storage_key(self) -> str:
        return self.info.storage_prefix

    def table_for(self, subresource: str) -> TableConverter:
        """The columns of the addressed object: a Scale has its own (getScaleColumnsForVersion)."""
        if subresource == "scale" and self.scale_table is not None:
            return self.scale_table
        return self.table

    def target(self, subresource: str) -> object | None:
        """The REST object a request addresses: the main store or a subresource (None: none)."""
        return self.rest if not subresource else self.subresources.get(subresource)
