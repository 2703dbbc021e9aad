"""One resource at one served version: what a request to it needs from its ApiDefinition."""

from __future__ import annotations

from dataclasses import dataclass

from annex_core.apidef import Resource, ResourceVersion, storage_key


@dataclass(frozen=True)
class ServedResource:
    """One resource at one served version."""

    group: str
    version: str
    resource: Resource
    definition: ResourceVersion

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
        return storage_key(self.group, self.plural)
