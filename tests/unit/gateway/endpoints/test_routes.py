"""The route table and its discovery documents (contract section 3.2)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import orjson
import pytest

from annex_gateway import routes
from annex_gateway.endpoints.handlers import HANDLERS
from annex_gateway.registry.rest import verbs
from annex_gateway.routes import RouteTable
from annex_gateway.storage import SqliteStore
from tests.unit.gateway.endpoints import defs

IMAGES = defs.IMAGES_GROUP
FLEET = defs.CLUSTERS_GROUP


@pytest.fixture(scope="module")
def table() -> RouteTable:
    return routes.compile_routes(
        [defs.images(), defs.fleet()], routes.Backends(SqliteStore(":memory:")), generation=3
    )


def discovery(table: RouteTable, group: str, version: str) -> dict[str, Any]:
    gv = table.group_version(group, version)
    assert gv is not None
    document: dict[str, Any] = orjson.loads(gv.discovery)
    return document


# -- storageVersionHash -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "version", "kind", "expected"),
    [
        # as kube-apiserver publishes them for built-in resources
        ("apps", "v1", "Deployment", "8aSe+NMegvE="),
        ("", "v1", "Pod", "xPOwRZ+Yhw8="),
    ],
)
def test_storage_version_hash_matches_kubernetes(
    group: str, version: str, kind: str, expected: str
) -> None:
    assert routes.storage_version_hash(group, version, kind) == expected


def test_storage_version_hash_is_base64_of_8_bytes_of_sha256() -> None:
    digest = hashlib.sha256(b"images.example.com/v1alpha1/Image").digest()[:8]
    assert routes.storage_version_hash(IMAGES, "v1alpha1", "Image") == (
        base64.b64encode(digest).decode()
    )


# -- discovery documents ----------------------------------------------------------------------


def test_images_discovery_document(table: RouteTable) -> None:
    assert discovery(table, IMAGES, "v1alpha1") == {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": "images.example.com/v1alpha1",
        "resources": [
            {
                "name": "images",
                "singularName": "image",
                "namespaced": True,
                "kind": "Image",
                # apiextensions' order
                "verbs": [
                    "delete",
                    "deletecollection",
                    "get",
                    "list",
                    "patch",
                    "create",
                    "update",
                    "watch",
                ],
                "storageVersionHash": routes.storage_version_hash(IMAGES, "v1alpha1", "Image"),
                "shortNames": ["img"],
                "categories": ["all"],
            },
            {
                "name": "images/status",
                "singularName": "",
                "namespaced": True,
                "kind": "Image",
                "verbs": ["get", "patch", "update"],
            },
        ],
    }


def test_every_resource_has_the_always_serialized_keys(table: RouteTable) -> None:
    for group, served in table.groups.items():
        for version in served.versions:
            for resource in discovery(table, group, version)["resources"]:
                assert {"name", "singularName", "namespaced", "kind", "verbs"} <= resource.keys()
                assert resource["kind"]
                assert len(set(resource["verbs"])) == len(resource["verbs"])


def test_discovery_advertises_exactly_what_each_rest_object_can_do(table: RouteTable) -> None:
    """Verbs come from the REST objects' capabilities, and each has a handler."""
    for group, served in table.groups.items():
        for version, gv in served.versions.items():
            listed = {r["name"]: r["verbs"] for r in discovery(table, group, version)["resources"]}
            for plural, resource in gv.resources.items():
                assert listed[plural] == list(verbs(resource.rest))
                assert set(listed[plural]) <= set(HANDLERS)
                for sub, target in resource.subresources.items():
                    assert listed[f"{plural}/{sub}"] == list(verbs(target))


def test_main_resources_serve_every_write_verb(table: RouteTable) -> None:
    images = table.lookup("images.example.com", "v1alpha1", "images")
    assert images is not None
    assert verbs(images.rest) == (  # in the order apiextensions lists a CRD's
        "delete",
        "deletecollection",
        "get",
        "list",
        "patch",
        "create",
        "update",
        "watch",
    )


def test_status_subresource_is_listed_with_its_kind(table: RouteTable) -> None:
    resources = discovery(table, "images.example.com", "v1alpha1")["resources"]
    status = next(r for r in resources if r["name"] == "images/status")
    assert status == {
        "name": "images/status",
        "singularName": "",
        "namespaced": True,
        "kind": "Image",
        "verbs": ["get", "patch", "update"],
    }


def test_singular_name_defaults_to_the_lowercase_kind(table: RouteTable) -> None:
    (clusters,) = discovery(table, FLEET, "v1")["resources"]
    assert clusters["singularName"] == "cluster"


def test_empty_short_names_and_categories_are_omitted(table: RouteTable) -> None:
    clusters, nodes = discovery(table, FLEET, "v1beta1")["resources"]
    assert clusters["shortNames"] == ["cl", "clu"]
    assert "categories" not in clusters
    assert nodes["categories"] == ["all", "fleet"]
    assert "shortNames" not in nodes


def test_cluster_scoped_resources_are_not_namespaced(table: RouteTable) -> None:
    clusters, nodes = discovery(table, FLEET, "v1beta1")["resources"]
    assert clusters["namespaced"] is False
    assert nodes["namespaced"] is True


def test_storage_version_hash_uses_the_storage_version(table: RouteTable) -> None:
    """The hash names the version objects are stored at, whichever version serves them."""
    expected = routes.storage_version_hash(FLEET, "v1", "Cluster")
    v1beta1_clusters = discovery(table, FLEET, "v1beta1")["resources"][0]
    v1_clusters = discovery(table, FLEET, "v1")["resources"][0]
    assert v1beta1_clusters["storageVersionHash"] == v1_clusters["storageVersionHash"] == expected


def test_a_version_lists_only_the_resources_it_serves(table: RouteTable) -> None:
    assert [r["name"] for r in discovery(table, FLEET, "v1")["resources"]] == ["clusters"]
    assert [r["name"] for r in discovery(table, FLEET, "v1beta1")["resources"]] == [
        "clusters",
        "nodes",
    ]
    assert table.group_version(FLEET, "v1alpha1") is None  # defined, not served


def test_discovery_is_compact_json_with_json_encoders_newline(table: RouteTable) -> None:
    gv = table.group_version(IMAGES, "v1alpha1")
    assert gv is not None
    assert gv.discovery.endswith(b"}\n")
    assert b"\n" not in gv.discovery[:-1]
    assert gv.discovery == orjson.dumps(orjson.loads(gv.discovery)) + b"\n"


# -- groups and versions ----------------------------------------------------------------------


def test_preferred_version_and_version_order(table: RouteTable) -> None:
    fleet = table.groups[FLEET]
    assert list(fleet.versions) == ["v1", "v1beta1"]
    assert fleet.preferred_version == "v1"
    assert table.groups[IMAGES].preferred_version == "v1alpha1"


def test_api_group(table: RouteTable) -> None:
    assert table.groups[FLEET].api_group() == {
        "name": FLEET,
        "versions": [
            {"groupVersion": f"{FLEET}/v1", "version": "v1"},
            {"groupVersion": f"{FLEET}/v1beta1", "version": "v1beta1"},
        ],
        "preferredVersion": {"groupVersion": f"{FLEET}/v1", "version": "v1"},
    }


def test_api_group_list_is_sorted_by_group(table: RouteTable) -> None:
    document = table.api_group_list()
    assert (document["kind"], document["apiVersion"]) == ("APIGroupList", "v1")
    assert [g["name"] for g in document["groups"]] == [FLEET, IMAGES]
    assert document["groups"][1] == table.groups[IMAGES].api_group()


def test_empty_route_table() -> None:
    table = routes.compile_routes([], routes.Backends(SqliteStore(":memory:")))
    assert table.api_group_list() == {"kind": "APIGroupList", "apiVersion": "v1", "groups": []}
    assert table.lookup(IMAGES, "v1alpha1", "images") is None
    assert table.generation == 0


# -- lookup -----------------------------------------------------------------------------------


def test_lookup(table: RouteTable) -> None:
    served = table.lookup(IMAGES, "v1alpha1", "images")
    assert served is not None
    assert (served.group, served.version, served.plural, served.kind) == (
        IMAGES,
        "v1alpha1",
        "images",
        "Image",
    )
    assert served.namespaced
    assert served.api_version == "images.example.com/v1alpha1"
    assert served.storage_key == "images.example.com/images"
    assert served.definition.status_subresource
    assert served.resource.names.list_kind == "ImageList"


@pytest.mark.parametrize(
    ("group", "version", "plural"),
    [
        ("other.example.com", "v1alpha1", "images"),
        (IMAGES, "v1", "images"),
        (IMAGES, "v1alpha1", "image"),  # the singular is not a route
        (IMAGES, "v1alpha1", "img"),  # neither is a short name
        (IMAGES, "v1alpha1", "Image"),
        (FLEET, "v1", "nodes"),  # nodes are not served at v1
        (FLEET, "v1alpha1", "clusters"),  # not served
    ],
)
def test_lookup_misses(table: RouteTable, group: str, version: str, plural: str) -> None:
    assert table.lookup(group, version, plural) is None


def test_one_storage_key_for_every_version(table: RouteTable) -> None:
    v1 = table.lookup(FLEET, "v1", "clusters")
    v1beta1 = table.lookup(FLEET, "v1beta1", "clusters")
    assert v1 is not None
    assert v1beta1 is not None
    assert v1.storage_key == v1beta1.storage_key == "fleet.example.com/clusters"
    assert (v1.api_version, v1beta1.api_version) == (f"{FLEET}/v1", f"{FLEET}/v1beta1")
    assert not v1.namespaced


def test_the_table_is_immutable(table: RouteTable) -> None:
    with pytest.raises(TypeError):
        table.groups["x"] = table.groups[IMAGES]  # type: ignore[index]
    gv = table.group_version(IMAGES, "v1alpha1")
    assert gv is not None
    with pytest.raises(TypeError):
        gv.resources["x"] = gv.resources["images"]  # type: ignore[index]
    assert table.generation == 3
