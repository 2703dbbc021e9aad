"""Request paths to RequestInfo, as k8s.io/apiserver's RequestInfoFactory reads them."""

from __future__ import annotations

import pytest

from annex_gateway.filters import requestinfo
from annex_gateway.filters.requestinfo import RequestInfo

G = "images.example.com"
NS_ITEM = f"/apis/{G}/v1alpha1/namespaces/team-a/images/debian"


def parse(method: str, path: str, **query: str) -> RequestInfo:
    return requestinfo.parse(method, path, query)


# fmt: off
RESOURCE_REQUESTS = [
    # method, path, query: verb, namespace, resource, name, subresource
    # namespaced collection and items
    ("GET", f"/apis/{G}/v1alpha1/namespaces/team-a/images", {}, "list", "team-a", "images", "", ""),
    ("HEAD", f"/apis/{G}/v1alpha1/namespaces/team-a/images", {}, "list", "team-a", "images", "", ""),
    ("POST", f"/apis/{G}/v1alpha1/namespaces/team-a/images", {}, "create", "team-a", "images", "", ""),
    ("POST", f"/apis/{G}/v1alpha1/namespaces/team-a/images/x", {}, "create", "team-a", "images", "x", ""),
    ("DELETE", f"/apis/{G}/v1alpha1/namespaces/team-a/images", {}, "deletecollection", "team-a", "images", "", ""),
    ("GET", NS_ITEM, {}, "get", "team-a", "images", "debian", ""),
    ("HEAD", NS_ITEM, {}, "get", "team-a", "images", "debian", ""),
    ("PUT", NS_ITEM, {}, "update", "team-a", "images", "debian", ""),
    ("PATCH", NS_ITEM, {}, "patch", "team-a", "images", "debian", ""),
    ("DELETE", NS_ITEM, {}, "delete", "team-a", "images", "debian", ""),
    # subresources
    ("GET", NS_ITEM + "/status", {}, "get", "team-a", "images", "debian", "status"),
    ("PUT", NS_ITEM + "/status", {}, "update", "team-a", "images", "debian", "status"),
    ("PATCH", NS_ITEM + "/scale", {}, "patch", "team-a", "images", "debian", "scale"),
    # all namespaces, and cluster-scoped resources
    ("GET", f"/apis/{G}/v1alpha1/images", {}, "list", "", "images", "", ""),
    ("POST", f"/apis/{G}/v1alpha1/clusters", {}, "create", "", "clusters", "", ""),
    ("DELETE", f"/apis/{G}/v1alpha1/clusters", {}, "deletecollection", "", "clusters", "", ""),
    ("GET", f"/apis/{G}/v1alpha1/clusters/c1", {}, "get", "", "clusters", "c1", ""),
    ("PUT", f"/apis/{G}/v1alpha1/clusters/c1", {}, "update", "", "clusters", "c1", ""),
    ("DELETE", f"/apis/{G}/v1alpha1/clusters/c1", {}, "delete", "", "clusters", "c1", ""),
    ("PUT", f"/apis/{G}/v1alpha1/clusters/c1/status", {}, "update", "", "clusters", "c1", "status"),
    # watch is a list with ?watch
    ("GET", f"/apis/{G}/v1alpha1/namespaces/team-a/images", {"watch": "true"}, "watch", "team-a", "images", "", ""),
    ("GET", f"/apis/{G}/v1alpha1/images", {"watch": "1"}, "watch", "", "images", "", ""),
    ("GET", f"/apis/{G}/v1alpha1/images", {"watch": "True"}, "watch", "", "images", "", ""),
    ("GET", f"/apis/{G}/v1alpha1/images", {"watch": "false"}, "list", "", "images", "", ""),
    ("GET", f"/apis/{G}/v1alpha1/images", {"watch": "0"}, "list", "", "images", "", ""),
    # ?watch on an item does not make it a watch, nor does it on other methods
    ("GET", NS_ITEM, {"watch": "true"}, "get", "team-a", "images", "debian", ""),
    ("POST", f"/apis/{G}/v1alpha1/images", {"watch": "true"}, "create", "", "images", "", ""),
    # the deprecated special-verb paths: watch of a collection or an object; proxy
    ("GET", f"/apis/{G}/v1alpha1/watch/namespaces/team-a/images", {}, "watch", "team-a", "images", "", ""),
    ("GET", f"/apis/{G}/v1alpha1/watch/namespaces/team-a/images/debian", {}, "watch", "team-a", "images", "debian", ""),
    ("GET", f"/apis/{G}/v1alpha1/watch/images", {}, "watch", "", "images", "", ""),
    ("GET", f"/apis/{G}/v1alpha1/watch/clusters/c1/status", {}, "watch", "", "clusters", "c1", "status"),
    ("GET", f"/apis/{G}/v1alpha1/proxy/namespaces/team-a/images/debian/x", {}, "proxy", "team-a", "images", "debian", ""),
    # a list or watch whose field selector pins the name names the object (RBAC resourceNames)
    ("GET", f"/apis/{G}/v1alpha1/images", {"fieldSelector": "metadata.name=debian"}, "list", "", "images", "debian", ""),
    ("GET", f"/apis/{G}/v1alpha1/images", {"watch": "1", "fieldSelector": "metadata.name=a,spec.x=y"}, "watch", "", "images", "a", ""),
    ("GET", f"/apis/{G}/v1alpha1/images", {"fieldSelector": "metadata.name!=debian"}, "list", "", "images", "", ""),
    ("GET", f"/apis/{G}/v1alpha1/images", {"fieldSelector": "metadata.name=.."}, "list", "", "images", "", ""),
    ("GET", f"/apis/{G}/v1alpha1/images", {"fieldSelector": "metadata.name=a%b"}, "list", "", "images", "", ""),
    ("GET", f"/apis/{G}/v1alpha1/images", {"fieldSelector": "metadata.name==a=b"}, "list", "", "images", "", ""),
    ("DELETE", f"/apis/{G}/v1alpha1/images", {"fieldSelector": "metadata.name=a"}, "deletecollection", "", "images", "", ""),
    # the core group
    ("GET", "/api/v1/namespaces/default/pods", {}, "list", "default", "pods", "", ""),
    ("GET", "/api/v1/namespaces/default/pods/p1/log", {}, "get", "default", "pods", "p1", "log"),
    ("GET", "/api/v1/nodes", {}, "list", "", "nodes", "", ""),
    ("GET", "/api/v1/namespaces", {}, "list", "", "namespaces", "", ""),
]
# fmt: on


@pytest.mark.parametrize(
    ("method", "path", "query", "verb", "namespace", "resource", "name", "subresource"),
    RESOURCE_REQUESTS,
)
def test_resource_requests(
    method: str,
    path: str,
    query: dict[str, str],
    verb: str,
    namespace: str,
    resource: str,
    name: str,
    subresource: str,
) -> None:
    info = requestinfo.parse(method, path, query)

    assert info.is_resource_request
    assert (info.verb, info.namespace, info.resource, info.name, info.subresource) == (
        verb,
        namespace,
        resource,
        name,
        subresource,
    )
    assert info.path == path


def test_group_version_and_prefix() -> None:
    info = parse("GET", NS_ITEM)
    assert (info.api_prefix, info.group, info.version) == ("apis", G, "v1alpha1")
    core = parse("GET", "/api/v1/namespaces/default/pods")
    assert (core.api_prefix, core.group, core.version) == ("api", "", "v1")


@pytest.mark.parametrize("value", ["true", "1", "yes", ""])
def test_any_watch_value_but_false_or_0_is_a_watch(value: str) -> None:
    """k8s.io/apimachinery's Convert_Slice_string_To_bool: only "false" and "0" are false."""
    assert parse("GET", f"/apis/{G}/v1alpha1/images", watch=value).verb == "watch"


@pytest.mark.parametrize("value", ["false", "FALSE", "0"])
def test_watch_false_is_a_list(value: str) -> None:
    assert parse("GET", f"/apis/{G}/v1alpha1/images", watch=value).verb == "list"


def test_trailing_slash_and_double_slashes_are_ignored() -> None:
    info = parse("GET", f"/apis/{G}/v1alpha1//namespaces/team-a/images/debian/")
    assert (info.namespace, info.resource, info.name) == ("team-a", "images", "debian")


def test_percent_escapes_are_decoded() -> None:
    info = parse("GET", f"/apis/{G}/v1alpha1/namespaces/team%2Da/images/deb%69an")
    assert (info.namespace, info.name) == ("team-a", "debian")


def test_other_methods_have_no_verb_on_resources() -> None:
    """RequestInfoFactory leaves the verb empty: "is not supported" then names none."""
    assert parse("OPTIONS", NS_ITEM).verb == ""
    assert parse("TRACE", f"/apis/{G}/v1alpha1/images").verb == ""
    assert parse("OPTIONS", "/healthz").verb == "options"  # not a resource: the method


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/apis",
        "/apis/",
        f"/apis/{G}",
        f"/apis/{G}/",
        f"/apis/{G}/v1alpha1",
        f"/apis/{G}/v1alpha1/",
        "/api",
        "/api/v1",
        "/healthz",
        "/livez",
        "/readyz",
        "/version",
        "/metrics",
        "/openapi/v2",
        "/openapi/v3",
        f"/openapi/v3/apis/{G}/v1alpha1",
    ],
)
def test_discovery_and_other_paths_are_non_resource(path: str) -> None:
    info = parse("GET", path)
    assert info == RequestInfo(path=path, verb="get")
    assert not info.is_resource_request


def test_non_resource_verb_is_the_lowercase_method() -> None:
    assert parse("POST", "/apis").verb == "post"
    assert parse("HEAD", f"/apis/{G}/v1alpha1").verb == "head"


def test_namespaces_with_a_resource_named_like_a_namespace() -> None:
    """`namespaces/<ns>/<plural>`: a collection inside the namespace."""
    info = parse("GET", f"/apis/{G}/v1alpha1/namespaces/namespaces/images")
    assert (info.namespace, info.resource, info.name) == ("namespaces", "images", "")


def test_parts_past_the_subresource_are_not_interpreted() -> None:
    """RequestInfoFactory: resource/name/subresource/other/stuff — the rest is ignored, so a
    CRD answers for the subresource (its object, or "not found" without one)."""
    info = parse("GET", "/apis/g/v1/namespaces/ns/things/a/status/more/parts")
    assert info.is_resource_request
    assert (info.resource, info.name, info.subresource, info.verb) == (
        "things",
        "a",
        "status",
        "get",
    )
