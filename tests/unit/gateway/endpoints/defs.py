"""ApiDefinitions the endpoint tests serve: the golden-image example and a cluster-scoped one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from annex_core import apidef
from annex_core.apidef import ApiDefinition

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "images" / "apidefinition.yaml"

IMAGES_GROUP = "images.example.com"
CLUSTERS_GROUP = "fleet.example.com"


def images() -> ApiDefinition:
    """`examples/images/apidefinition.yaml`: namespaced Image, status subresource."""
    return apidef.parse(yaml.safe_load(EXAMPLE.read_text()))


def fleet_raw() -> dict[str, Any]:
    """A cluster-scoped Cluster without a status subresource, served at v1 and v1beta1, and a
    namespaced Node served only at v1beta1."""
    return {
        "apiVersion": apidef.API_VERSION,
        "kind": apidef.KIND,
        "metadata": {"name": CLUSTERS_GROUP},
        "spec": {
            "group": CLUSTERS_GROUP,
            "resources": [
                {
                    "names": {
                        "plural": "clusters",
                        "kind": "Cluster",
                        "shortNames": ["cl", "clu"],
                    },
                    "scope": "Cluster",
                    "versions": [
                        {"name": "v1beta1", "served": True, "storage": False},
                        {"name": "v1", "served": True, "storage": True},
                        {"name": "v1alpha1", "served": False, "storage": False},
                    ],
                },
                {
                    "names": {
                        "plural": "nodes",
                        "singular": "node",
                        "kind": "Node",
                        "categories": ["all", "fleet"],
                    },
                    "scope": "Namespaced",
                    "versions": [{"name": "v1beta1", "served": True, "storage": True}],
                },
            ],
        },
    }


def fleet() -> ApiDefinition:
    return apidef.parse(fleet_raw())
