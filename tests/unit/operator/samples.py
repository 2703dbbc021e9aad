"""Small ApiDefinitions for the operator's unit tests."""

from __future__ import annotations

from typing import Any

from annex_core import apidef

GROUP = "widgets.example.com"


def version(name: str, *, served: bool = True, storage: bool = False) -> dict[str, Any]:
    return {"name": name, "served": served, "storage": storage}


def body(*versions: dict[str, Any], generation: int = 3) -> dict[str, Any]:
    return {
        "apiVersion": apidef.API_VERSION,
        "kind": apidef.KIND,
        "metadata": {"name": GROUP, "generation": generation, "uid": "u-1"},
        "spec": {
            "group": GROUP,
            "resources": [
                {
                    "names": {"plural": "widgets", "kind": "Widget"},
                    "scope": "Namespaced",
                    "versions": list(versions) or [version("v1", storage=True)],
                }
            ],
        },
    }


def definition(*versions: dict[str, Any]) -> apidef.ApiDefinition:
    return apidef.parse(body(*versions))


def apiservice(
    name: str, *, available: str | None, reason: str = "", message: str = ""
) -> dict[str, Any]:
    status: dict[str, Any] = {}
    if available is not None:
        status["conditions"] = [
            {"type": "Available", "status": available, "reason": reason, "message": message}
        ]
    return {"metadata": {"name": name}, "status": status}
