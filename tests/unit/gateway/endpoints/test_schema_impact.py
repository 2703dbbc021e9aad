"""How many stored objects a changed schema refuses (registry.impact), over SQLite."""

from __future__ import annotations

from typing import Any

import pytest

from annex_core import apidef
from annex_gateway import routes
from annex_gateway.admission.schema import _compile
from annex_gateway.apis import PREVIEW_BUSY, Apis
from annex_gateway.patch.apply import FieldManager
from annex_gateway.registry import impact
from annex_gateway.storage import SqliteStore
from tests.unit.gateway.endpoints.test_schema_admission import (
    GROUP,
    tool,
    tools_definition,
)
from tests.unit.gateway.endpoints.test_schema_admission import tools_raw as admission_tools_raw
from tests.unit.gateway.endpoints.test_writes import call


def tools_raw(maximum: int | None = None) -> dict[str, Any]:
    """The Tool definition as written, spec.size at most `maximum` if given."""
    raw = admission_tools_raw()
    if maximum is not None:
        schema = raw["spec"]["resources"][0]["versions"][0]["schema"]["openAPIV3Schema"]
        schema["properties"]["spec"]["properties"]["size"]["maximum"] = maximum
        raw["metadata"]["generation"] = 2
    return raw


def stricter() -> apidef.ApiDefinition:
    """The Tool definition with spec.size at most 5."""
    return apidef.parse(tools_raw(5))


async def test_the_objects_a_stricter_schema_refuses_are_counted(store: SqliteStore) -> None:
    backends = routes.Backends(store, None, FieldManager)
    lax = routes.compile_routes([tools_definition()], backends).lookup(GROUP, "v1", "tools")
    assert lax is not None
    await call("create", lax, body=tool("a", mode="slow"))
    await call("create", lax, body=tool("b", mode="fast"))
    await call("create", lax, body=tool("c", mode="slow", size=9))

    strict = routes.compile_routes([stricter()], backends).lookup(GROUP, "v1", "tools")
    assert strict is not None
    found = await impact.assess(store, strict.info, strict.rest.strategy)
    assert (found.checked, found.invalid) == (3, 1)
    assert found.examples == (
        "default/c: spec.size: Invalid value: 9: spec.size in body should be less than or "
        "equal to 5",
    )
    condition = impact.condition([found], 2, "2026-12-02T00:00:00Z")
    assert condition["status"] == "False"
    assert condition["reason"] == "InvalidObjects"
    assert str(condition["message"]).startswith("1 of 3 stored tools at v1 are invalid")

    again = await impact.assess(store, lax.info, lax.rest.strategy)
    assert (again.checked, again.invalid) == (3, 0)
    assert impact.condition([again], 3, "now")["message"] == "all 3 stored tools at v1 are valid"


async def test_a_preview_counts_before_the_change_takes_effect(store: SqliteStore) -> None:
    apis = Apis(routes.Backends(store, None, FieldManager))
    apis.load([tools_raw()])
    served = apis.routes.lookup(GROUP, "v1", "tools")
    assert served is not None
    await call("create", served, body=tool("a", mode="slow"))
    await call("create", served, body=tool("c", mode="slow", size=9))

    assert await apis.preview(tools_raw(5)) == [
        "1 of 2 stored tools at v1 would be invalid under the new schema (updates to them "
        "must fix them)"
    ]
    assert apis.routes.lookup(GROUP, "v1", "tools") is served  # nothing changed yet
    assert await apis.preview(tools_raw()) == []  # the same schema: nothing to check
    assert await apis.preview({"kind": "ApiDefinition", "spec": {}}) == []  # invalid: none


async def test_a_preview_out_of_time_says_how_far_it_got(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    apis = Apis(routes.Backends(store, None, FieldManager))
    apis.load([tools_raw()])
    served = apis.routes.lookup(GROUP, "v1", "tools")
    assert served is not None
    for i in range(impact.BATCH + 1):
        await call("create", served, body=tool(f"t{i}", mode="slow", size=9))
    monkeypatch.setattr("annex_gateway.apis.PREVIEW_SECONDS", -1.0)
    assert await apis.preview(tools_raw(5)) == [
        f"{impact.BATCH} of the first {impact.BATCH} stored tools at v1 would be invalid under "
        "the new schema (not all were checked in time)"
    ]


async def test_a_preview_while_another_runs_is_answered_at_once(store: SqliteStore) -> None:
    apis = Apis(routes.Backends(store, None, FieldManager))
    apis.load([tools_raw()])
    async with apis._previewing:  # another preview scanning
        assert await apis.preview(tools_raw(5)) == [PREVIEW_BUSY]
    assert await apis.preview(tools_raw(5)) == []  # nothing stored: nothing invalid


def test_a_previewed_schema_is_not_kept(store: SqliteStore) -> None:
    definition = apidef.parse(tools_raw(7))
    resource = definition.resources[0]
    before = _compile.cache_info().currsize
    _, strategy = routes.compile_checks(
        definition,
        "v1",
        resource,
        resource.versions[0],
        routes.Backends(store, None, FieldManager),
        cached=False,
    )
    assert strategy.schema is not None
    assert _compile.cache_info().currsize == before
