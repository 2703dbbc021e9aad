"""Which APIs are served right now.

`Apis` turns ApiDefinitions (from an informer in a cluster, from files under `annex serve`)
into an immutable RouteTable and swaps it in with one assignment. Readers take `apis.routes`
once per request and never lock; a request in flight keeps the table it started with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from annex_core import apidef, logs
from annex_core.informer import Informer
from annex_core.kube import KubeClient, resource_path
from annex_gateway.routes import Backends, RouteTable, compile_routes

log = logs.get(__name__)

APIDEFINITIONS_PATH = resource_path(apidef.API_VERSION, apidef.PLURAL)


class Apis:
    def __init__(self, backends: Backends) -> None:
        self.backends = backends
        self.routes = RouteTable()
        self._parsed: dict[tuple[str, str, str], apidef.ApiDefinition] = {}

    def load(self, objects: Iterable[Mapping[str, Any]]) -> RouteTable:
        """Compile every valid definition into a new table and swap it in.

        Definitions are parsed once per spec generation: the operator's status writes bump
        resourceVersion but not generation, and must not recompile or swap anything.
        """
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
        return Informer(client, APIDEFINITIONS_PATH, self._on_change)

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
