"""Aggregated discovery (contract section 3.3): the APIGroupDiscoveryList of the route table,
its ETag, and the Accept clauses that ask for it."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
import pytest

from annex_gateway import routes
from annex_gateway.endpoints import aggregated
from annex_gateway.registry.rest import verbs
from annex_gateway.routes import RouteTable
from annex_gateway.storage import SqliteStore
from tests.unit.gateway.endpoints import defs
from tests.unit.gateway.endpoints.test_writes import widgets_definition

# in the order apiextensions lists a CRD's
ALL_VERBS = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"]
V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"


def compile_routes(*definitions: Any) -> RouteTable:
    return routes.compile_routes(definitions, routes.Backends(SqliteStore(":memory:")))


@pytest.fixture(scope="module")
def table() -> RouteTable:
    return compile_routes(defs.images(), defs.fleet(), widgets_definition())


def document(table: RouteTable, version: str = "v2") -> dict[str, Any]:
    parsed: dict[str, Any] = orjson.loads(table.aggregated_discovery.bodies[version])
    return parsed


def group(table: RouteTable, name: str) -> dict[str, Any]:
    items: list[dict[str, Any]] = document(table)["items"]
    (item,) = [i for i in items if i["metadata"]["name"] == name]
    return item


def test_the_document_lists_every_group_sorted_by_name(table: RouteTable) -> None:
    parsed = document(table)
    assert (parsed["kind"], parsed["apiVersion"], parsed["metadata"]) == (
        "APIGroupDiscoveryList",
        "apidiscovery.k8s.io/v2",
        {},
    )
    names = [i["metadata"]["name"] for i in parsed["items"]]
    assert names == sorted(names) == sorted(table.groups)


def test_images_group_as_kube_apiserver_publishes_a_crd(table: RouteTable) -> None:
    kind = {"group": defs.IMAGES_GROUP, "version": "v1alpha1", "kind": "Image"}
    assert group(table, defs.IMAGES_GROUP) == {
        "metadata": {"name": defs.IMAGES_GROUP},
        "versions": [
            {
                "version": "v1alpha1",
                "resources": [
                    {
                        "resource": "images",
                        "responseKind": kind,
                        "scope": "Namespaced",
                        "singularResource": "image",
                        "verbs": ALL_VERBS,
                        "shortNames": ["img"],
                        "categories": ["all"],
                        "subresources": [
                            {
                                "subresource": "status",
                                "responseKind": kind,
                                "verbs": ["get", "patch", "update"],
                            }
                        ],
                    }
                ],
                "freshness": "Current",
            }
        ],
    }


def test_versions_in_preferred_order_and_resources_sorted(table: RouteTable) -> None:
    fleet = group(table, defs.CLUSTERS_GROUP)
    served = table.groups[defs.CLUSTERS_GROUP]
    assert [v["version"] for v in fleet["versions"]] == list(served.versions)
    by_version = {v["version"]: v for v in fleet["versions"]}
    beta = [r["resource"] for r in by_version["v1beta1"]["resources"]]
    assert beta == ["clusters", "nodes"]
    clusters = by_version["v1"]["resources"][0]
    assert clusters["scope"] == "Cluster"
    assert clusters["singularResource"] == "cluster"
    assert clusters["shortNames"] == ["cl", "clu"]
    assert "categories" not in clusters
    assert "subresources" not in clusters  # omitempty, as Go serializes it


def test_scale_responds_with_autoscaling_v1_scale(table: RouteTable) -> None:
    (version,) = group(table, "widgets.example.com")["versions"]
    (widgets,) = version["resources"]
    assert widgets["subresources"] == [
        {
            "subresource": "status",
            "responseKind": {"group": "widgets.example.com", "version": "v1", "kind": "Widget"},
            "verbs": ["get", "patch", "update"],
        },
        {
            "subresource": "scale",
            "responseKind": {"group": "autoscaling", "version": "v1", "kind": "Scale"},
            "verbs": ["get", "patch", "update"],
        },
    ]


def test_verbs_are_what_each_rest_object_can_do(table: RouteTable) -> None:
    for name, served in table.groups.items():
        listed = {v["version"]: v for v in group(table, name)["versions"]}
        for version, gv in served.versions.items():
            resources = {r["resource"]: r for r in listed[version]["resources"]}
            for plural, resource in gv.resources.items():
                assert resources[plural]["verbs"] == list(verbs(resource.rest))
                subs = {s["subresource"]: s for s in resources[plural].get("subresources", [])}
                assert set(subs) == set(resource.subresources)
                for sub, target in resource.subresources.items():
                    assert subs[sub]["verbs"] == list(verbs(target))


def test_v2beta1_is_the_same_document_under_its_own_api_version(table: RouteTable) -> None:
    beta = document(table, "v2beta1")
    assert beta["apiVersion"] == "apidiscovery.k8s.io/v2beta1"
    assert beta["items"] == document(table)["items"]


def test_etag_is_a_quoted_hash_of_the_items(table: RouteTable) -> None:
    items = document(table)["items"]
    digest = hashlib.sha512(orjson.dumps({"items": items})).hexdigest().upper()
    assert table.aggregated_discovery.etag == f'"{digest}"'


def test_etag_changes_with_the_definitions_only() -> None:
    one = compile_routes(defs.images()).aggregated_discovery
    again = compile_routes(defs.images()).aggregated_discovery
    two = compile_routes(defs.images(), defs.fleet()).aggregated_discovery
    assert one.etag == again.etag
    assert one.etag != two.etag
    assert aggregated.EMPTY.etag not in (one.etag, two.etag)
    assert orjson.loads(aggregated.EMPTY.bodies["v2"])["items"] == []


@pytest.mark.parametrize(
    ("accept", "version"),
    [
        (V2, "v2"),
        (V2BETA1, "v2beta1"),
        (f"{V2},{V2BETA1}", "v2"),  # what kube 1.30-1.34 sends
        (f"{V2BETA1},{V2}", "v2beta1"),
        (f"{V2},application/json", "v2"),  # client-go's discovery client
        ("application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io", "v2"),
        (f"application/json, {V2}", None),  # legacy asked first
        ("application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList", None),
        (
            "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
            None,
        ),
        ("application/json;g=meta.k8s.io;v=v1;as=Table", None),
        (None, None),
        ("", None),
        ("*/*", None),
    ],
)
def test_negotiate(accept: str | None, version: str | None) -> None:
    assert aggregated.negotiate(accept) == version


def test_serve_sets_the_headers_kube_apiserver_sets(table: RouteTable) -> None:
    doc = table.aggregated_discovery
    served = aggregated.serve(doc, "v2", None)
    assert served.status == 200
    assert served.body == doc.bodies["v2"]
    assert served.headers == {
        "Content-Type": V2,
        "ETag": doc.etag,
        "Vary": "Accept",
        "Cache-Control": "public",
    }
    assert aggregated.serve(doc, "v2beta1", '"stale"').headers["Content-Type"] == V2BETA1


def test_serve_is_304_when_if_none_match_is_the_etag(table: RouteTable) -> None:
    doc = table.aggregated_discovery
    served = aggregated.serve(doc, "v2", doc.etag)
    assert (served.status, served.body) == (304, b"")
    assert served.headers["ETag"] == doc.etag
    assert aggregated.serve(doc, "v2", doc.etag.strip('"')).status == 200  # must be quoted
