"""Which APIs are served right now.

`Apis` turns ApiDefinitions (from an informer in a cluster, from files under `annex serve`)
into an immutable RouteTable and swaps it in with one assignment. Readers take `apis.routes`
once per request and never lock; a request in flight keeps the table it started with.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from annex_core import apidef, logs
from annex_core.informer import Informer
from annex_core.kube import KubeApiError, KubeClient, resource_path
from annex_gateway.endpoints.served import ServedResource
from annex_gateway.registry import impact
from annex_gateway.registry.migration import Migrator
from annex_gateway.registry.store import now_rfc3339
from annex_gateway.routes import Backends, RouteTable, compile_checks, compile_routes

log = logs.get(__name__)
JSON = dict[str, Any]

APIDEFINITIONS_PATH = resource_path(apidef.API_VERSION, apidef.PLURAL)
PREVIEW_SECONDS = 8.0  # within the admission webhook's timeoutSeconds (10)
PREVIEW_BUSY = "stored objects not checked against the new schema: another check is running"


class Apis:
    def __init__(self, backends: Backends) -> None:
        self.backends = backends
        self.routes = RouteTable()
        self._parsed: dict[tuple[str, str, str], apidef.ApiDefinition] = {}
        self._client: KubeClient | None = None  # writes status.storedVersions, if set
        self.migrator = Migrator(backends.storage)
        self._storage_versions: dict[tuple[str, str], str] = {}  # last seen, per resource
        self._checks: dict[str, asyncio.Task[None]] = {}  # schema impact checks, per group
        self._previewing = asyncio.Lock()  # one preview's scan at a time

    def load(self, objects: Iterable[Mapping[str, Any]]) -> RouteTable:
        """Compile every valid definition into a new table and swap it in.

        Definitions are parsed once per spec generation: the operator's status writes bump
        resourceVersion but not generation, and must not recompile or swap anything.
        """
        objects = list(objects)
        before = self.routes
        table = self._load(objects)
        self._migrate(objects, table)
        if table is not before and before.generation:
            self._check_schemas(objects, before, table)
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
        meanwhile."""

        def pruned(current: Mapping[str, Any]) -> JSON | None:
            try:
                definition = apidef.parse(current)
            except apidef.DefinitionError:
                return None
            resource = next((r for r in definition.resources if r.names.plural == plural), None)
            if resource is None or resource.storage_version != version:
                return None
            stored = (current.get("status") or {}).get("storedVersions") or {}
            if isinstance(stored, Mapping) and stored.get(plural) == [version]:
                return None
            return {"storedVersions": {plural: [version]}}

        if await self._patch_status(group, pruned):
            log.info("storedVersions pruned", group=group, resource=plural, version=version)

    async def _patch_status(
        self, group: str, change: Callable[[Mapping[str, Any]], JSON | None]
    ) -> bool:
        """Merge `change(current definition)` into the definition's status, as a
        compare-and-swap on its resourceVersion (the operator writes the status too); None
        from `change`: nothing to write. Whether it was written."""
        client = self._client
        assert client is not None
        path = resource_path(apidef.API_VERSION, apidef.PLURAL, name=group)
        for _ in range(5):
            current = await client.get_or_none(path)
            if current is None:
                return False
            status = change(current)
            if status is None:
                return False
            patch = {
                "metadata": {"resourceVersion": current["metadata"]["resourceVersion"]},
                "status": status,
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
            return True
        return False

    # -- what a schema change does to stored objects ----------------------------------------------

    def _check_schemas(
        self, objects: Iterable[Mapping[str, Any]], before: RouteTable, table: RouteTable
    ) -> None:
        """Check the stored objects of every served version whose schema changed, in the
        background; the definition's StoredObjectsValid condition tells the result."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # loaded before serving: nothing changed under anyone yet
        for obj in objects:
            group = table.groups.get(str((obj.get("spec") or {}).get("group")))
            if group is None:
                continue
            changed = [
                served
                for gv in group.versions.values()
                for served in gv.resources.values()
                if _schema_changed(
                    before, served.group, served.version, served.plural, served.definition.schema
                )
            ]
            if not changed:
                continue
            running = self._checks.pop(group.name, None)
            if running is not None:
                running.cancel()
            generation = int((obj.get("metadata") or {}).get("generation") or 0)
            self._checks[group.name] = asyncio.get_running_loop().create_task(
                self._check(group.name, generation, changed), name=f"schema check {group.name}"
            )

    async def preview(self, obj: Mapping[str, Any]) -> list[str]:
        """Before a changed ApiDefinition takes effect (its admission webhook): a warning per
        served version whose schema it changes and whose stored objects the new schema would
        refuse. An invalid definition gets none (its conditions say why, once written). One
        preview at a time: while one runs, others are answered at once that they were not."""
        try:
            definition = apidef.parse(obj)
        except apidef.DefinitionError:
            return []
        current, storage = self.routes, self.backends.storage
        warnings: list[str] = []
        if self._previewing.locked():  # answer at once: callers never pile up behind a scan
            return [PREVIEW_BUSY]
        deadline = time.monotonic() + PREVIEW_SECONDS
        async with self._previewing:
            for version in definition.served_versions:
                for resource, served in definition.resources_in(version):
                    plural = resource.names.plural
                    if not _schema_changed(
                        current, definition.group, version, plural, served.schema
                    ):
                        continue
                    # (the webhook answers anyone: what it compiles is not kept)
                    info, strategy = compile_checks(
                        definition, version, resource, served, self.backends, cached=False
                    )
                    found = await impact.assess(storage, info, strategy, deadline)
                    if found.invalid or not found.complete:
                        warnings.append(found.warning())
        return warnings

    async def _check(self, group: str, generation: int, changed: list[ServedResource]) -> None:
        storage = self.backends.storage
        try:
            impacts = [await impact.assess(storage, s.info, s.rest.strategy) for s in changed]
        except Exception as e:  # a webhook down, storage busy: say so in the log only
            log.warning(
                "stored objects not checked against the new schema", group=group, error=str(e)
            )
            return
        for found in impacts:
            log.info(
                "stored objects checked against the new schema",
                group=group,
                resource=found.plural,
                version=found.version,
                checked=found.checked,
                invalid=found.invalid,
            )
        if self._client is not None:
            try:
                await self._write_condition(
                    group, impact.condition(impacts, generation, now_rfc3339())
                )
            except KubeApiError as e:
                log.warning("schema check not reported", group=group, error=str(e))

    async def _write_condition(self, group: str, condition: JSON) -> None:
        """Set the condition in the definition's status, the others as they are."""

        def with_condition(current: Mapping[str, Any]) -> JSON:
            conditions = list((current.get("status") or {}).get("conditions") or [])
            old = next((c for c in conditions if c.get("type") == condition["type"]), None)
            if old is not None and old.get("status") == condition["status"]:
                condition["lastTransitionTime"] = old.get("lastTransitionTime")
            kept = [c for c in conditions if c.get("type") != condition["type"]]
            return {"conditions": [*kept, condition]}

        await self._patch_status(group, with_condition)

    async def close(self) -> None:
        checks = list(self._checks.values())
        self._checks = {}
        for task in checks:
            task.cancel()
        await asyncio.gather(*checks, return_exceptions=True)
        await self.migrator.close()

    def _on_change(self, objects: Mapping[str, Mapping[str, Any]]) -> None:
        self.load(objects.values())


def _schema_changed(
    before: RouteTable, group: str, version: str, plural: str, schema: Mapping[str, Any] | None
) -> bool:
    """Whether `before` served the resource at the version, under another schema."""
    previous = before.lookup(group, version, plural)
    return previous is not None and previous.definition.schema != schema


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
