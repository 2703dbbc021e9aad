"""The discovery nudge's decisions (pure): served as declared, hashes, when to touch, backoff."""

from __future__ import annotations

import copy
from typing import Any

from annex_core import apidef
from annex_operator import manifests, served
from annex_operator.settings import DISCOVERY_HASH_ANNOTATION, OPENAPI_HASH_ANNOTATION
from tests.unit.operator import samples


def _definition() -> apidef.ApiDefinition:
    body = samples.body(samples.version("v1", storage=True), samples.version("v2"))
    widgets = body["spec"]["resources"][0]
    widgets["names"] |= {"shortNames": ["wd"], "categories": ["all"]}
    widgets["versions"][0]["subresources"] = {
        "status": {},
        "scale": {"specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas"},
    }
    gadgets = {
        "names": {"plural": "gadgets", "kind": "Gadget"},
        "scope": "Cluster",
        "versions": [samples.version("v1", storage=True)],
    }
    body["spec"]["resources"].append(gadgets)
    return apidef.parse(body)


def _resource_list() -> dict[str, Any]:
    """v1 as the gateway lists it: verbs and storageVersionHash are the gateway's own."""
    verbs = ["get", "list", "watch"]
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": f"{samples.GROUP}/v1",
        "resources": [
            {
                "name": "widgets",
                "singularName": "widget",
                "namespaced": True,
                "kind": "Widget",
                "verbs": verbs,
                "storageVersionHash": "abc=",
                "shortNames": ["wd"],
                "categories": ["all"],
            },
            {
                "name": "widgets/status",
                "singularName": "",
                "namespaced": True,
                "kind": "Widget",
                "verbs": ["get"],
            },
            {
                "name": "widgets/scale",
                "singularName": "",
                "namespaced": True,
                "group": "autoscaling",
                "version": "v1",
                "kind": "Scale",
                "verbs": ["get"],
            },
            {
                "name": "gadgets",
                "singularName": "gadget",
                "namespaced": False,
                "kind": "Gadget",
                "verbs": verbs,
                "storageVersionHash": "def=",
            },
        ],
    }


def test_the_gateways_list_shows_what_is_declared() -> None:
    assert served.lists_declared(_definition(), "v1", _resource_list())


def test_a_resource_not_listed_yet_is_not_served() -> None:
    listing = _resource_list()
    listing["resources"] = [r for r in listing["resources"] if r["name"] != "gadgets"]
    assert not served.lists_declared(_definition(), "v1", listing)


def test_a_resource_no_longer_declared_is_still_served() -> None:
    listing = _resource_list()
    listing["resources"].append({"name": "gizmos", "namespaced": True, "kind": "Gizmo"})
    assert not served.lists_declared(_definition(), "v1", listing)


def test_a_missing_subresource_is_not_served() -> None:
    listing = _resource_list()
    listing["resources"] = [r for r in listing["resources"] if r["name"] != "widgets/scale"]
    assert not served.lists_declared(_definition(), "v1", listing)


def test_names_and_scope_must_match() -> None:
    for field, value in [
        ("kind", "Widgit"),
        ("singularName", "wid"),
        ("shortNames", ["w"]),
        ("categories", []),
        ("namespaced", False),
    ]:
        listing = copy.deepcopy(_resource_list())
        listing["resources"][0][field] = value
        assert not served.lists_declared(_definition(), "v1", listing), field


def test_empty_short_names_and_categories_may_be_omitted() -> None:
    listing = _resource_list()
    gadgets = listing["resources"][3]
    assert "shortNames" not in gadgets
    assert "categories" not in gadgets
    gadgets |= {"shortNames": [], "categories": []}
    assert served.lists_declared(_definition(), "v1", listing)


def test_another_group_version_is_not_served_as_this_one() -> None:
    assert not served.lists_declared(_definition(), "v2", _resource_list())
    v2 = _resource_list() | {"groupVersion": f"{samples.GROUP}/v2"}
    v2["resources"] = [r for r in v2["resources"] if r["name"] == "widgets"]
    assert served.lists_declared(_definition(), "v2", v2)  # no subresources declared at v2


def test_hashes_ignore_key_order_and_change_with_content() -> None:
    a = served.content_hash({"a": 1, "b": [1, 2]})
    assert a == served.content_hash({"b": [1, 2], "a": 1})
    assert a != served.content_hash({"a": 1, "b": [2, 1]})
    seen = served.Seen.of(_resource_list(), {"openapi": "3.0.0"})
    assert seen.annotations() == {
        DISCOVERY_HASH_ANNOTATION: served.content_hash(_resource_list()),
        OPENAPI_HASH_ANNOTATION: served.content_hash({"openapi": "3.0.0"}),
    }


def test_an_apiservice_is_nudged_only_when_it_does_not_record_what_was_seen() -> None:
    seen = served.Seen("d1", "o1")
    apiservice: dict[str, Any] = {"metadata": {"name": "v1.widgets.example.com"}}
    assert served.needs_nudge(apiservice, seen)
    apiservice["metadata"]["annotations"] = {DISCOVERY_HASH_ANNOTATION: "d1"}
    assert served.needs_nudge(apiservice, seen)
    apiservice["metadata"]["annotations"][OPENAPI_HASH_ANNOTATION] = "o1"
    assert not served.needs_nudge(apiservice, seen)
    assert served.needs_nudge(apiservice, served.Seen("d1", "o2"))
    assert served.needs_nudge(apiservice, served.Seen("d2", "o1"))


def test_only_available_apiservices_are_polled() -> None:
    assert served.is_available(samples.apiservice("v1.x", available="True"))
    assert not served.is_available(samples.apiservice("v1.x", available="False"))
    assert not served.is_available(samples.apiservice("v1.x", available=None))


def test_backoff_doubles_up_to_its_cap_and_stops_at_its_bound() -> None:
    delays = list(served.backoff(first=0.5, cap=2.0, bound=7.0))
    assert delays == [0.5, 1.0, 2.0, 2.0]  # another 2.0 would pass 7.0
    default = list(served.backoff())
    assert default[0] == 0.2
    assert max(default) == 5.0
    assert sum(default) <= 60.0 < sum(default) + 5.0


def test_the_nudge_applies_only_its_annotations() -> None:
    intent = manifests.apiservice_annotations("v1.widgets.example.com", {"k": "v"})
    assert intent == {
        "apiVersion": "apiregistration.k8s.io/v1",
        "kind": "APIService",
        "metadata": {"name": "v1.widgets.example.com", "annotations": {"k": "v"}},
    }
