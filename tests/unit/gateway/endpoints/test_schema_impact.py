"""How many stored objects a changed schema refuses (registry.impact), over SQLite."""

from __future__ import annotations

import copy

from annex_core import apidef
from annex_gateway import routes
from annex_gateway.patch.apply import FieldManager
from annex_gateway.registry import impact
from annex_gateway.storage import SqliteStore
from tests.unit.gateway.endpoints.test_schema_admission import GROUP, tool, tools_definition
from tests.unit.gateway.endpoints.test_writes import call


def stricter() -> apidef.ApiDefinition:
    """The Tool definition with spec.size at most 5."""
    definition = tools_definition()
    resource = definition.resources[0]
    version = resource.versions[0]
    assert version.schema is not None
    schema = copy.deepcopy(dict(version.schema))
    schema["properties"]["spec"]["properties"]["size"]["maximum"] = 5
    raw = {
        "apiVersion": apidef.API_VERSION,
        "kind": apidef.KIND,
        "metadata": {"name": GROUP},
        "spec": {
            "group": GROUP,
            "resources": [
                {
                    "names": {"plural": "tools", "kind": "Tool"},
                    "versions": [
                        {
                            "name": "v1",
                            "served": True,
                            "storage": True,
                            "schema": {"openAPIV3Schema": schema},
                            "subresources": {"status": {}},
                        }
                    ],
                }
            ],
        },
    }
    return apidef.parse(raw)


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
