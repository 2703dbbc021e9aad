"""Apis: ApiDefinitions in, one route table swapped in."""

from __future__ import annotations

from typing import Any, cast

import pytest

from annex_core.kube import KubeClient
from annex_gateway import apis as apis_module
from annex_gateway.apis import APIDEFINITIONS_PATH, Apis
from annex_gateway.routes import Backends
from annex_gateway.storage import SqliteStore
from tests.unit.gateway.endpoints import defs


def test_the_informer_reloads_the_registry_on_every_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[tuple[str, Any]] = []

    def informer(client: KubeClient, path: str, on_change: Any) -> Any:
        made.append((path, on_change))
        return on_change

    monkeypatch.setattr(apis_module, "Informer", informer)
    registry = Apis(Backends(SqliteStore(":memory:")))

    registry.informer(cast(KubeClient, object()))

    ((path, on_change),) = made
    assert path == APIDEFINITIONS_PATH
    assert on_change == registry._on_change  # the bound method itself, no wrapper
    on_change({"fleet": defs.fleet_raw()})
    assert set(registry.routes.groups) == {defs.CLUSTERS_GROUP}
    assert registry.routes.generation == 1
