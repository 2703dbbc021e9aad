"""Which APIs are served right now.

`Apis` turns ApiDefinitions (from an informer in a cluster, from files under `annex serve`)
into an immutable RouteTable and swaps it in with one assignment. Readers take `apis.routes`
once per request and never lock; a request in flight keeps the table it started with.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from annex_core import apidef, logs
from annex_core.informer import Informer
from annex_core.kube import KubeApiError, KubeClient, resource_path
from annex_gateway.registry.migration import Migrator
from annex_gateway.routes import Backends, RouteTable, compile_routes

log = logs.get(__name__)

APIDEFINITIONS_PATH = resource_path(apidef.API_VERSION, apidef.PLURAL)


class Apis:
    def __init__(self, backends: Backends) -> None:
        self.backends = backends
        self.routes = RouteTable()
        self._parsed: dict[tuple[str, str, str], apidef.ApiDefinition] = {}
        self._client: KubeClient | None = None  # writes status.storedVersions, if set
        self.migrator = Migrator(backends.storage)
        self._storage_versions: dict[tuple[str, str], str] = {}  # last seen, per resource

    def load(self, objects: Iterable[Mapping[str, Any]]) -> RouteTable:
        """Compile every valid definition into a new table and swap it in.

        Definitions are parsed once per spec generation: the operator's status writes bump
        resourceVersion but not generation, and must not recompile or swap anything.
        """
        objects = list(objects)
        table = self._load(objects)
        self._migrate(objects, table)
        return table

    def _load(self, objects: Iterable[Mapping[str, Any]]) -> RouteTable:
        definitions: dict[str, apidef.ApiDefinition] = {}
        parsed: dict[tuple[str, str, str], apidef.ApiDefinition] = {}
        for obj in objects:
            meta = obj.get("metadata") or {}
            cache_key = (str(meta.get("name")), str(meta.get("uid")), str(meta.get("generation")))
            definition = self._parsed.get(cache_key)
            if definition is None:
                try:
                    definition = apidef.parse(obj)
                except apidef.DefinitionError as e:
                    log.warning(
                        "ignoring invalid ApiDefinition", name=meta.get("name"), errors=str(e)
                    )
                    continue
            if definition.group in definitions:
                log.warning("ignoring duplicate ApiDefinition", group=definition.group)
                continue
            parsed[cache_key] = definition
            definitions[definition.group] = definition
        if parsed.keys() == self._parsed.keys() and self.routes.generation:
            return self.routes  # nothing that is served changed
        self._parsed = parsed
        table = compile_routes(
            definitions.values(), self.backends, generation=self.routes.generation + 1
        )
        self.routes = table  # the atomic swap
        log.info("route table swapped", generation=table.generation, groups=sorted(table.groups))
        return table

    def informer(self, client: KubeClient) -> Informer:
        """An informer over ApiDefinitions that reloads the routes on every change."""
        self._client = client
        return Informer(client, APIDEFINITIONS_PATH, self._on_change)

    # -- storage version migration --------------------------------------------------------------

    def _migrate(self, objects: Iterable[Mapping[str, Any]], table: RouteTable) -> None:
        """Start migrating the resources stored at more versions than their storage version:
        as `status.storedVersions` says, or (definitions from files, no status) when the
        storage version changed since the last load."""
        try:
            asyncio.get_running_loop()
            serving = True
        except RuntimeError:
            serving = False  # loaded before serving (files, in a thread): only remembered
        for obj in objects:
            status = obj.get("status")
            stored = status.get("storedVersions") if isinstance(status, Mapping) else None
            group = table.groups.get(str((obj.get("spec") or {}).get("group")))
            if group is None:
                continue
            for resource in group.definition.resources:
                plural, target = resource.names.plural, resource.storage_version
                before = self._storage_versions.get((group.name, plural))
                self._storage_versions[(group.name, plural)] = target
                versions = stored.get(plural) if isinstance(stored, Mapping) else None
                listed = isinstance(versions, list) and any(v != target for v in versions)
                if not serving or (not listed and before in (None, target)):
                    continue
                info = next(
                    (
                        gv.resources[plural].info
                        for gv in group.versions.values()
                        if plural in gv.resources
                    ),
                    None,
                )
                if info is not None:
                    self.migrator.schedule(info, self._prune if self._client else None)

    async def _prune(self, group: str, plural: str, version: str) -> None:
        """status.storedVersions[plural] = [version], unless the storage version changed
        meanwhile (a compare-and-swap on the definition's resourceVersion)."""
        client = self._client
        assert client is not None
        path = resource_path(apidef.API_VERSION, apidef.PLURAL, name=group)
        for _ in range(5):
            current = await client.get_or_none(path)
            if current is None:
                return
            try:
                definition = apidef.parse(current)
            except apidef.DefinitionError:
                return
            resource = next((r for r in definition.resources if r.names.plural == plural), None)
            if resource is None or resource.storage_version != version:
                return
            stored = (current.get("status") or {}).get("storedVersions") or {}
            if isinstance(stored, Mapping) and stored.get(plural) == [version]:
                return
            patch = {
                "metadata": {"resourceVersion": current["metadata"]["resourceVersion"]},
                "status": {"storedVersions": {plural: [version]}},
            }
            try:
                await client.merge_patch(
                    resource_path(
                        apidef.API_VERSION, apidef.PLURAL, name=group, subresource="status"
                    ),
                    patch,
                )
            except KubeApiError as e:
                if e.status == 409:
                    continue
                raise
            log.info("storedVersions pruned", group=group, resource=plural, version=version)
            return

    async def close(self) -> None:
        await self.migrator.close()

    def _on_change(self, objects: Mapping[str, Mapping[str, Any]]) -> None:
        self.load(objects.values())


def read_definition_files(directory: Path) -> list[dict[str, Any]]:
    """Every ApiDefinition in the YAML/JSON files of `directory` (multi-document files too)."""
    found: list[dict[str, Any]] = []
    paths = [directory] if directory.is_file() else sorted(directory.rglob("*"))
    for path in paths:
        if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
            continue
        with path.open(encoding="utf-8") as f:
            for doc in yaml.safe_load_all(f):
                if isinstance(doc, dict) and doc.get("kind") == apidef.KIND:
                    found.append(doc)
    return found
