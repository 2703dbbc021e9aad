"""The resource verbs against the real SQLite store (contract sections 5.3, 5.5, 5.6, 5.10, 6).

Requests go straight to the verb handlers, with routes compiled from the golden-image example
(namespaced, status subresource) and a cluster-scoped definition without a status subresource.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Mapping
from typing import Any

import orjson
import pytest
import pytest_asyncio

from annex_gateway import routes
from annex_gateway.apierrors import StatusError
from annex_gateway.endpoints.handlers import HANDLERS
from annex_gateway.endpoints.scope import VerbRequest, VerbResult
from annex_gateway.endpoints.served import ServedResource
from annex_gateway.registry import listing
from annex_gateway.registry import store as registry_store
from annex_gateway.registry.store import GENERATE_NAME_ALPHABET
from annex_gateway.routes import RouteTable
from annex_gateway.storage import SqliteStore
from annex_gateway.storage.index import Indexes
from tests.unit.gateway.endpoints import defs

IMAGES_V = "images.example.com/v1alpha1"
CLUSTERS_V = "fleet.example.com/v1"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")  # RFC 3339, seconds, UTC

JSON = dict[str, Any]


@pytest_asyncio.fixture(params=["indexed", "scanned"])
async def table(store: SqliteStore, request: pytest.FixtureRequest) -> AsyncIterator[RouteTable]:
    """Lists read from the in-memory index of each resource, or from storage object by object
    (as they are when a snapshot is older than the index)."""
    indexes = Indexes(store) if request.param == "indexed" else None
    yield routes.compile_routes(
        [defs.images(), defs.fleet()], routes.Backends(store, indexes=indexes)
    )
    if indexes is not None:
        await indexes.close()


@pytest.fixture
def images(table: RouteTable) -> ServedResource:
    served = table.lookup(defs.IMAGES_GROUP, "v1alpha1", "images")
    assert served is not None
    return served


@pytest.fixture
def clusters(table: RouteTable) -> ServedResource:
    served = table.lookup(defs.CLUSTERS_GROUP, "v1", "clusters")
    assert served is not None
    return served


class Verbs:
    """The verb handlers, by the names these tests call them."""

    create_object = staticmethod(HANDLERS["create"])
    get_object = staticmethod(HANDLERS["get"])
    list_objects = staticmethod(HANDLERS["list"])
    update_object = staticmethod(HANDLERS["update"])
    delete_object = staticmethod(HANDLERS["delete"])
    patch_object = staticmethod(HANDLERS["patch"])
    deletecollection = staticmethod(HANDLERS["deletecollection"])


@pytest.fixture
def api() -> Verbs:
    return Verbs()


def request(
    served: ServedResource,
    *,
    namespace: str = "",
    name: str = "",
    body: JSON | bytes | None = None,
    content_type: str | None = None,
    query: Mapping[str, str] | None = None,
    **params: str,
) -> VerbRequest:
    """A request; query parameters as `query` (for names like `continue`) and keywords."""
    raw = orjson.dumps(body) if isinstance(body, dict) else (body or b"")
    return VerbRequest(
        served=served,
        namespace=namespace,
        name=name,
        query={**(query or {}), **params},
        body=raw,
        content_type=content_type,
    )


def image(name: str = "", **more: Any) -> JSON:
    meta: JSON = {"name": name} if name else {}
    meta.update(more.pop("metadata", {}))
    return {
        "apiVersion": IMAGES_V,
        "kind": "Image",
        "metadata": meta,
        "spec": {"baseImage": "debian:12"},
        **more,
    }


def cluster(name: str, **more: Any) -> JSON:
    meta: JSON = {"name": name, **more.pop("metadata", {})}
    return {"apiVersion": CLUSTERS_V, "kind": "Cluster", "metadata": meta, **more}


async def fails(call: Awaitable[VerbResult]) -> StatusError:
    with pytest.raises(StatusError) as caught:
        await call
    return caught.value


async def create_image(
    api: Verbs, images: ServedResource, name: str, namespace: str = "default", **more: Any
) -> JSON:
    result = await api.create_object(request(images, namespace=namespace, body=image(name, **more)))
    assert result.status == 201
    return result.body


async def get_image(
    api: Verbs, images: ServedResource, name: str, namespace: str = "default"
) -> JSON:
    result = await api.get_object(request(images, namespace=namespace, name=name))
    assert result.status == 200
    return result.body


async def update_image(
    api: Verbs,
    images: ServedResource,
    obj: JSON,
    namespace: str = "default",
    **query: str,
) -> VerbResult:
    return await api.update_object(
        request(images, namespace=namespace, name=obj["metadata"]["name"], body=obj, query=query)
    )


async def list_images(api: Verbs, images: ServedResource, **query: str) -> JSON:
    namespace = query.pop("namespace", "")
    result = await api.list_objects(request(images, namespace=namespace, query=query))
    assert result.status == 200
    return await listed(result)


async def listed(result: VerbResult) -> JSON:
    assert result.listed is not None
    return await result.listed.to_json()


def names(listed: JSON) -> list[str]:
    return [item["metadata"]["name"] for item in listed["items"]]


def cause_fields(error: StatusError) -> list[tuple[str, str]]:
    assert error.details is not None
    return [(c["field"], c["reason"]) for c in error.details["causes"]]


# -- the verb table ---------------------------------------------------------------------------


def test_every_verb_has_one_handler() -> None:
    assert set(HANDLERS) == {
        "create",
        "delete",
        "deletecollection",
        "get",
        "list",
        "patch",
        "update",
        "watch",
    }


# -- create -----------------------------------------------------------------------------------


async def test_create_sets_what_the_server_owns(
    api: Verbs, images: ServedResource, store: SqliteStore
) -> None:
    before = await store.current_revision()
    result = await api.create_object(
        request(images, namespace="default", body=image("debian", metadata={"labels": {"a": "b"}}))
    )

    assert result.status == 201
    obj = result.body
    assert (obj["apiVersion"], obj["kind"]) == (IMAGES_V, "Image")
    meta = obj["metadata"]
    assert meta["name"] == "debian"
    assert meta["namespace"] == "default"
    assert meta["labels"] == {"a": "b"}
    assert uuid.UUID(meta["uid"]).version == 4
    assert TIMESTAMP.match(meta["creationTimestamp"])
    assert meta["generation"] == 1
    assert isinstance(meta["resourceVersion"], str)
    assert int(meta["resourceVersion"]) == before + 1 == await store.current_revision()
    assert obj["spec"] == {"baseImage": "debian:12"}
    assert await get_image(api, images, "debian") == obj


async def test_create_ignores_server_owned_fields_from_the_client(
    api: Verbs, images: ServedResource
) -> None:
    body = image(
        "debian",
        metadata={
            "uid": "not-a-uid",
            "creationTimestamp": "2000-01-01T00:00:00Z",
            "deletionTimestamp": "2000-01-01T00:00:00Z",
            "deletionGracePeriodSeconds": 30,
            "generation": 42,
            "selfLink": "/apis/x",
        },
    )
    meta = (await api.create_object(request(images, namespace="default", body=body))).body[
        "metadata"
    ]
    assert meta["uid"] != "not-a-uid"
    assert meta["creationTimestamp"] != "2000-01-01T00:00:00Z"
    assert meta["generation"] == 1
    for key in ("deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"):
        assert key not in meta


async def test_create_drops_status_with_a_status_subresource(
    api: Verbs, images: ServedResource
) -> None:
    obj = await create_image(api, images, "debian", status={"phase": "Ready"})
    assert "status" not in obj
    assert "status" not in await get_image(api, images, "debian")


async def test_create_keeps_status_without_a_status_subresource(
    api: Verbs, clusters: ServedResource
) -> None:
    result = await api.create_object(request(clusters, body=cluster("c1", status={"up": True})))
    assert result.body["status"] == {"up": True}


async def test_create_from_yaml(api: Verbs, images: ServedResource) -> None:
    body = (
        b"apiVersion: images.example.com/v1alpha1\nkind: Image\n"
        b"metadata: {name: from-yaml}\nspec: {baseImage: 'debian:12'}\n"
    )
    result = await api.create_object(
        request(images, namespace="default", body=body, content_type="application/yaml")
    )
    assert result.status == 201
    assert result.body["metadata"]["name"] == "from-yaml"


async def test_generate_name(api: Verbs, images: ServedResource) -> None:
    first = await create_image(api, images, "", metadata={"generateName": "build-"})
    second = await create_image(api, images, "", metadata={"generateName": "build-"})

    for obj in (first, second):
        name = obj["metadata"]["name"]
        assert name.startswith("build-")
        suffix = name.removeprefix("build-")
        assert len(suffix) == 5
        assert set(suffix) <= set(GENERATE_NAME_ALPHABET)
        assert obj["metadata"]["generateName"] == "build-"
    assert first["metadata"]["name"] != second["metadata"]["name"]
    await get_image(api, images, first["metadata"]["name"])


async def test_a_name_wins_over_generate_name(api: Verbs, images: ServedResource) -> None:
    obj = await create_image(api, images, "exact", metadata={"generateName": "build-"})
    assert obj["metadata"]["name"] == "exact"


async def test_a_long_generate_name_is_truncated_as_kubernetes_does(
    api: Verbs, images: ServedResource
) -> None:
    """k8s' SimpleNameGenerator keeps 58 characters of the prefix: names stay within 63."""
    prefix = "b" * 100
    obj = await create_image(api, images, "", metadata={"generateName": prefix})
    name = obj["metadata"]["name"]
    assert len(name) == 63
    assert name.startswith("b" * 58)


async def test_name_or_generate_name_is_required(api: Verbs, images: ServedResource) -> None:
    error = await fails(api.create_object(request(images, namespace="default", body=image())))
    assert (error.code, error.reason) == (422, "Invalid")
    assert cause_fields(error) == [("metadata.name", "FieldValueRequired")]
    assert "name or generateName is required" in error.message
    assert error.status()["details"]["kind"] == "Image"


@pytest.mark.parametrize("name", ["Debian", "debian_12", "-debian", "a" * 254])
async def test_invalid_name_is_422(api: Verbs, images: ServedResource, name: str) -> None:
    error = await fails(api.create_object(request(images, namespace="default", body=image(name))))
    assert (error.code, error.reason) == (422, "Invalid")
    assert cause_fields(error) == [("metadata.name", "FieldValueInvalid")]
    assert error.message.startswith(f'Image.images.example.com "{name}" is invalid: metadata.name')


async def test_invalid_metadata_is_422_with_every_cause(api: Verbs, images: ServedResource) -> None:
    body = image("ok", metadata={"labels": {"-bad": "x"}, "finalizers": ["Example.com/a"]})
    error = await fails(api.create_object(request(images, namespace="default", body=body)))
    assert error.code == 422
    assert cause_fields(error) == [
        ("metadata.labels", "FieldValueInvalid"),
        ("metadata.finalizers", "FieldValueInvalid"),
    ]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"apiVersion": "images.example.com/v1"}, "the API version in the data"),
        ({"apiVersion": "v1"}, "the API version in the data"),
        ({"kind": None}, "Object 'Kind' is missing"),
    ],
)
async def test_api_version_and_kind_must_match_the_url(
    api: Verbs, images: ServedResource, change: JSON, fragment: str
) -> None:
    body = {**image("debian"), **change}
    error = await fails(api.create_object(request(images, namespace="default", body=body)))
    assert (error.code, error.reason) == (400, "BadRequest")
    assert fragment in error.message


async def test_a_kind_not_the_resources_is_422_and_the_only_cause(
    api: Verbs, images: ServedResource
) -> None:
    """customResourceValidator.ValidateTypeMeta: checked first, alone when it fails; the Status
    names the kind the object says it is (BeforeCreate's ObjectKinds)."""
    body = {**image("debian", metadata={"labels": {"-bad": "x"}}), "kind": "Cluster"}
    error = await fails(api.create_object(request(images, namespace="default", body=body)))
    assert (error.code, error.reason) == (422, "Invalid")
    assert (
        error.message
        == 'Cluster.images.example.com "debian" is invalid: kind: Invalid value: "Cluster": must be Image'
    )
    assert cause_fields(error) == [("kind", "FieldValueInvalid")]


async def test_body_namespace_must_match_the_url(api: Verbs, images: ServedResource) -> None:
    body = image("debian", metadata={"namespace": "other"})
    error = await fails(api.create_object(request(images, namespace="default", body=body)))
    assert (error.code, error.reason) == (400, "BadRequest")
    assert error.message == (
        "the namespace of the provided object does not match the namespace sent on the request"
    )

    same = image("debian", metadata={"namespace": "default"})
    assert (await api.create_object(request(images, namespace="default", body=same))).status == 201


async def test_cluster_scoped_objects_have_no_namespace(
    api: Verbs, clusters: ServedResource
) -> None:
    body = cluster("c1", metadata={"namespace": "default"})
    obj = (await api.create_object(request(clusters, body=body))).body
    assert "namespace" not in obj["metadata"]
    got = (await api.get_object(request(clusters, name="c1"))).body
    assert got == obj


async def test_resource_version_on_create_is_400(api: Verbs, images: ServedResource) -> None:
    body = image("debian", metadata={"resourceVersion": "5"})
    error = await fails(api.create_object(request(images, namespace="default", body=body)))
    assert (error.code, error.reason) == (400, "BadRequest")
    assert "resourceVersion should not be set on objects to be created" in error.message


async def test_duplicate_is_409_already_exists(api: Verbs, images: ServedResource) -> None:
    await create_image(api, images, "debian")
    error = await fails(
        api.create_object(request(images, namespace="default", body=image("debian")))
    )
    assert (error.code, error.reason) == (409, "AlreadyExists")
    assert error.message == 'images.images.example.com "debian" already exists'
    assert error.details == {"group": "images.example.com", "kind": "images", "name": "debian"}


async def test_the_same_name_in_another_namespace(api: Verbs, images: ServedResource) -> None:
    a = await create_image(api, images, "debian", namespace="a")
    b = await create_image(api, images, "debian", namespace="b")
    assert a["metadata"]["uid"] != b["metadata"]["uid"]


@pytest.mark.parametrize("body", [b"[1, 2]", b'"text"', b"{"])
async def test_a_body_that_is_not_an_object_is_400(
    api: Verbs, images: ServedResource, body: bytes
) -> None:
    error = await fails(api.create_object(request(images, namespace="default", body=body)))
    assert (error.code, error.reason) == (400, "BadRequest")


async def test_create_dry_run_stores_nothing(
    api: Verbs, images: ServedResource, store: SqliteStore
) -> None:
    before = await store.current_revision()
    result = await api.create_object(
        request(images, namespace="default", body=image("debian"), dryRun="All")
    )

    assert result.status == 201
    meta = result.body["metadata"]
    assert meta["name"] == "debian"
    assert meta["generation"] == 1
    assert "uid" in meta
    assert "creationTimestamp" in meta
    assert await store.current_revision() == before
    error = await fails(api.get_object(request(images, namespace="default", name="debian")))
    assert error.code == 404


async def test_create_dry_run_of_an_existing_name_is_409(
    api: Verbs, images: ServedResource
) -> None:
    """A dry run runs everything but the write: the existence check included."""
    await create_image(api, images, "debian")
    error = await fails(
        api.create_object(request(images, namespace="default", body=image("debian"), dryRun="All"))
    )
    assert (error.code, error.reason) == (409, "AlreadyExists")


async def test_dry_run_other_values_are_422(api: Verbs, images: ServedResource) -> None:
    error = await fails(
        api.create_object(request(images, namespace="default", body=image("debian"), dryRun="Some"))
    )
    assert (error.code, error.reason) == (422, "Invalid")
    assert cause_fields(error) == [("dryRun", "FieldValueNotSupported")]


# -- get --------------------------------------------------------------------------------------


async def test_get(api: Verbs, images: ServedResource) -> None:
    created = await create_image(api, images, "debian")
    got = await get_image(api, images, "debian")
    assert got == created
    assert (got["apiVersion"], got["kind"]) == (IMAGES_V, "Image")


async def test_get_missing_is_a_404_status(api: Verbs, images: ServedResource) -> None:
    await create_image(api, images, "debian", namespace="other")
    error = await fails(api.get_object(request(images, namespace="default", name="debian")))

    assert error.status() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'images.images.example.com "debian" not found',
        "reason": "NotFound",
        "details": {"name": "debian", "group": "images.example.com", "kind": "images"},
        "code": 404,
    }


async def test_get_cluster_scoped(api: Verbs, clusters: ServedResource) -> None:
    await api.create_object(request(clusters, body=cluster("c1")))
    got = (await api.get_object(request(clusters, name="c1"))).body
    assert (got["apiVersion"], got["kind"], got["metadata"]["name"]) == (
        CLUSTERS_V,
        "Cluster",
        "c1",
    )
    error = await fails(api.get_object(request(clusters, name="c2")))
    assert error.details == {"name": "c2", "group": "fleet.example.com", "kind": "clusters"}


async def test_objects_are_served_at_every_version(api: Verbs, table: RouteTable) -> None:
    """Conversion strategy None: one stored object, apiVersion rewritten per version."""
    v1 = table.lookup(defs.CLUSTERS_GROUP, "v1", "clusters")
    v1beta1 = table.lookup(defs.CLUSTERS_GROUP, "v1beta1", "clusters")
    assert v1 is not None
    assert v1beta1 is not None
    await api.create_object(request(v1, body=cluster("c1")))
    got = (await api.get_object(request(v1beta1, name="c1"))).body
    assert got["apiVersion"] == "fleet.example.com/v1beta1"


async def test_an_identical_update_at_another_version_is_a_no_op(
    api: Verbs, table: RouteTable, store: SqliteStore
) -> None:
    """Objects are stored at the storage version: the same object sent at another served
    version is no change, as in kube-apiserver (no new resourceVersion)."""
    v1 = table.lookup(defs.CLUSTERS_GROUP, "v1", "clusters")
    v1beta1 = table.lookup(defs.CLUSTERS_GROUP, "v1beta1", "clusters")
    assert v1 is not None
    assert v1beta1 is not None
    await api.create_object(request(v1, body=cluster("c1", spec={"size": 3})))
    obj = (await api.get_object(request(v1beta1, name="c1"))).body
    before = await store.current_revision()

    result = await api.update_object(request(v1beta1, name="c1", body=obj))

    assert result.body == obj
    assert await store.current_revision() == before
    got = (await api.get_object(request(v1, name="c1"))).body
    assert got == {**obj, "apiVersion": CLUSTERS_V}


# -- list -------------------------------------------------------------------------------------


async def test_list_shape(api: Verbs, images: ServedResource, store: SqliteStore) -> None:
    await create_image(api, images, "b")
    await create_image(api, images, "a")

    listed = await list_images(api, images, namespace="default")

    assert (listed["apiVersion"], listed["kind"]) == (IMAGES_V, "ImageList")
    assert listed["metadata"] == {
        "continue": "",
        "resourceVersion": str(await store.current_revision()),
    }
    assert names(listed) == ["a", "b"]
    for item in listed["items"]:
        assert (item["apiVersion"], item["kind"]) == (IMAGES_V, "Image")


async def test_empty_list(api: Verbs, images: ServedResource) -> None:
    listed = await list_images(api, images, namespace="default")
    assert listed["items"] == []
    assert listed["metadata"]["continue"] == ""


async def test_list_all_namespaces_or_one(api: Verbs, images: ServedResource) -> None:
    await create_image(api, images, "x", namespace="b")
    await create_image(api, images, "y", namespace="a")
    await create_image(api, images, "z", namespace="b")

    everywhere = await list_images(api, images)
    assert [(i["metadata"]["namespace"], i["metadata"]["name"]) for i in everywhere["items"]] == [
        ("a", "y"),
        ("b", "x"),
        ("b", "z"),
    ]
    assert names(await list_images(api, images, namespace="b")) == ["x", "z"]
    assert names(await list_images(api, images, namespace="c")) == []


async def test_list_cluster_scoped(api: Verbs, clusters: ServedResource) -> None:
    for name in ("c2", "c1"):
        await api.create_object(request(clusters, body=cluster(name)))
    body = await listed(await api.list_objects(request(clusters)))
    assert body["kind"] == "ClusterList"
    assert names(body) == ["c1", "c2"]


async def test_list_label_selector(api: Verbs, images: ServedResource) -> None:
    await create_image(api, images, "web", metadata={"labels": {"app": "web", "tier": "1"}})
    await create_image(api, images, "db", metadata={"labels": {"app": "db", "tier": "2"}})
    await create_image(api, images, "bare")

    async def selected(selector: str) -> list[str]:
        return names(await list_images(api, images, labelSelector=selector))

    assert await selected("app=web") == ["web"]
    assert await selected("app!=web") == ["bare", "db"]
    assert await selected("app in (web,db)") == ["db", "web"]
    assert await selected("app") == ["db", "web"]
    assert await selected("!app") == ["bare"]
    assert await selected("tier>1") == ["db"]
    assert await selected("app=web,tier=2") == []
    assert await selected("") == ["bare", "db", "web"]


async def test_list_bad_label_selector_is_400(api: Verbs, images: ServedResource) -> None:
    error = await fails(api.list_objects(request(images, labelSelector="app in web")))
    assert (error.code, error.reason) == (400, "BadRequest")


async def test_list_field_selector(api: Verbs, images: ServedResource) -> None:
    await create_image(api, images, "debian", namespace="a")
    await create_image(api, images, "debian", namespace="b")
    await create_image(api, images, "alpine", namespace="a")

    async def selected(selector: str, namespace: str = "") -> list[tuple[str, str]]:
        listed = await list_images(api, images, namespace=namespace, fieldSelector=selector)
        return [(i["metadata"]["namespace"], i["metadata"]["name"]) for i in listed["items"]]

    assert await selected("metadata.name=debian") == [("a", "debian"), ("b", "debian")]
    assert await selected("metadata.name==debian", "b") == [("b", "debian")]
    assert await selected("metadata.name!=debian") == [("a", "alpine")]
    assert await selected("metadata.namespace=a") == [("a", "alpine"), ("a", "debian")]
    assert await selected("metadata.namespace!=a") == [("b", "debian")]
    assert await selected("metadata.namespace=a", "b") == []
    assert await selected("metadata.name=debian,metadata.namespace=b") == [("b", "debian")]


class StoreReads:
    """Which store reads the list makes: `list` (a scan) or `get` (one key)."""

    def __init__(self, store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        for method in ("get", "list"):
            original = getattr(store, method)

            def spy(*args: Any, _method: str = method, _original: Any = original, **kw: Any) -> Any:
                self.calls.append(_method)
                return _original(*args, **kw)

            monkeypatch.setattr(store, method, spy)


@pytest.mark.parametrize(
    ("namespace", "selector", "found"),
    [
        ("b", "metadata.name=debian", [("b", "debian")]),
        ("b", "metadata.name==debian", [("b", "debian")]),
        ("", "metadata.name=debian,metadata.namespace=b", [("b", "debian")]),
        ("a", "metadata.name=debian,metadata.namespace=b", []),  # the namespaces disagree
        ("a", "metadata.name=debian,metadata.name=alpine", []),
        ("a", "metadata.name=missing", []),
    ],
)
async def test_a_list_pinned_to_one_name_reads_one_key(
    api: Verbs,
    images: ServedResource,
    store: SqliteStore,
    monkeypatch: pytest.MonkeyPatch,
    namespace: str,
    selector: str,
    found: list[tuple[str, str]],
) -> None:
    """kubectl get/wait/delete NAME: `fieldSelector=metadata.name=NAME` in a namespace."""
    for ns in ("a", "b"):
        await create_image(api, images, "debian", namespace=ns)
        await create_image(api, images, "alpine", namespace=ns)
    reads = StoreReads(store, monkeypatch)

    listed = await list_images(api, images, namespace=namespace, fieldSelector=selector, limit="1")

    assert [(i["metadata"]["namespace"], i["metadata"]["name"]) for i in listed["items"]] == found
    assert reads.calls == ["get"]
    assert listed["metadata"] == {
        "continue": "",
        "resourceVersion": str(await store.current_revision()),
    }
    for item in listed["items"]:
        assert (item["apiVersion"], item["kind"]) == (IMAGES_V, "Image")


async def test_a_list_pinned_to_one_name_still_applies_the_label_selector(
    api: Verbs,
    images: ServedResource,
    store: SqliteStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await create_image(api, images, "web", metadata={"labels": {"app": "web"}})
    reads = StoreReads(store, monkeypatch)

    async def selected(labels: str) -> list[str]:
        listed = await list_images(
            api,
            images,
            namespace="default",
            fieldSelector="metadata.name=web",
            labelSelector=labels,
        )
        return names(listed)

    assert await selected("app=web") == ["web"]
    assert await selected("app=db") == []
    assert reads.calls == ["get", "get"]


async def test_a_cluster_scoped_list_pinned_to_one_name_reads_one_key(
    api: Verbs,
    clusters: ServedResource,
    store: SqliteStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("c1", "c2"):
        await api.create_object(request(clusters, body=cluster(name)))
    reads = StoreReads(store, monkeypatch)

    result = await api.list_objects(request(clusters, fieldSelector="metadata.name=c2"))

    body = await listed(result)
    assert names(body) == ["c2"]
    assert body["kind"] == "ClusterList"
    assert reads.calls == ["get"]


@pytest.mark.parametrize("rv", ["0", "NOW"])
async def test_a_list_pinned_to_one_name_keeps_not_older_than(
    api: Verbs,
    images: ServedResource,
    store: SqliteStore,
    monkeypatch: pytest.MonkeyPatch,
    rv: str,
) -> None:
    await create_image(api, images, "debian")
    current = str(await store.current_revision())
    reads = StoreReads(store, monkeypatch)
    query = {
        "fieldSelector": "metadata.name=debian",
        "resourceVersion": current if rv == "NOW" else rv,
    }

    listed = await list_images(api, images, namespace="default", **query)
    assert names(listed) == ["debian"]
    assert listed["metadata"]["resourceVersion"] == current

    future = str(int(current) + 10)
    error = await fails(
        api.list_objects(
            request(images, namespace="default", query={**query, "resourceVersion": future})
        )
    )
    assert (error.code, error.reason) == (504, "Timeout")
    assert reads.calls == ["get"]


async def test_a_list_pinned_to_one_name_scans_when_it_must(
    api: Verbs,
    images: ServedResource,
    store: SqliteStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every namespace, an exact older revision, or a continue token: the name may be in
    several namespaces, or the state wanted is not the current one."""
    for ns in ("a", "b"):
        await create_image(api, images, "debian", namespace=ns)
    old = str(await store.current_revision())
    await create_image(api, images, "debian", namespace="c")
    reads = StoreReads(store, monkeypatch)
    pinned = "metadata.name=debian"

    everywhere = await list_images(api, images, fieldSelector=pinned)
    assert [i["metadata"]["namespace"] for i in everywhere["items"]] == ["a", "b", "c"]
    exact = await list_images(
        api, images, fieldSelector=pinned, resourceVersion=old, resourceVersionMatch="Exact"
    )
    assert [i["metadata"]["namespace"] for i in exact["items"]] == ["a", "b"]
    first = await list_images(api, images, fieldSelector=pinned, limit="1")
    second = await list_images(
        api,
        images,
        namespace="b",
        fieldSelector=pinned,
        **{"continue": first["metadata"]["continue"]},
    )
    assert [i["metadata"]["namespace"] for i in second["items"]] == ["b"]
    assert "get" not in reads.calls


async def test_list_unsupported_field_is_400(
    api: Verbs, images: ServedResource, clusters: ServedResource
) -> None:
    error = await fails(api.list_objects(request(images, fieldSelector="spec.baseImage=x")))
    assert (error.code, error.reason, error.message) == (
        400,
        "BadRequest",
        "field label not supported: spec.baseImage",
    )
    error = await fails(api.list_objects(request(clusters, fieldSelector="metadata.namespace=a")))
    assert error.message == "field label not supported: metadata.namespace"


async def test_list_pages_with_continue(
    api: Verbs, images: ServedResource, store: SqliteStore
) -> None:
    for name in ("a", "b", "c", "d", "e"):
        await create_image(api, images, name)
    revision = str(await store.current_revision())

    first = await list_images(api, images, namespace="default", limit="2")
    assert names(first) == ["a", "b"]
    assert first["metadata"]["resourceVersion"] == revision
    assert first["metadata"]["remainingItemCount"] == 3
    token = first["metadata"]["continue"]
    assert isinstance(token, str)
    assert token

    # Written after the first page: later pages still show the first page's snapshot.
    await create_image(api, images, "bb")
    await create_image(api, images, "f")
    deleted = await api.delete_object(request(images, namespace="default", name="d"))
    assert deleted.status == 200

    second = await list_images(api, images, namespace="default", limit="2", **{"continue": token})
    assert names(second) == ["c", "d"]
    assert second["metadata"]["resourceVersion"] == revision
    assert second["metadata"]["remainingItemCount"] == 1

    third = await list_images(
        api, images, namespace="default", limit="2", **{"continue": second["metadata"]["continue"]}
    )
    assert names(third) == ["e"]
    assert third["metadata"]["resourceVersion"] == revision
    assert third["metadata"]["continue"] == ""

    fresh = await list_images(api, images, namespace="default")
    assert names(fresh) == ["a", "b", "bb", "c", "e", "f"]


async def test_list_pages_across_namespaces(api: Verbs, images: ServedResource) -> None:
    for namespace, name in (("a", "x"), ("a", "y"), ("b", "x"), ("c", "a")):
        await create_image(api, images, name, namespace=namespace)
    seen: list[tuple[str, str]] = []
    query: dict[str, str] = {"limit": "1"}
    for _ in range(10):
        page = await list_images(api, images, **query)
        assert len(page["items"]) <= 1
        seen += [(i["metadata"]["namespace"], i["metadata"]["name"]) for i in page["items"]]
        if not page["metadata"]["continue"]:
            break
        query = {"limit": "1", "continue": page["metadata"]["continue"]}
    assert seen == [("a", "x"), ("a", "y"), ("b", "x"), ("c", "a")]


async def test_list_pages_with_a_selector(api: Verbs, images: ServedResource) -> None:
    for i in range(7):
        labels = {"even": "yes"} if i % 2 == 0 else {}
        await create_image(api, images, f"img-{i}", metadata={"labels": labels})

    first = await list_images(api, images, labelSelector="even=yes", limit="2")
    assert names(first) == ["img-0", "img-2"]
    assert "remainingItemCount" not in first["metadata"]  # unknown with a selector
    second = await list_images(
        api,
        images,
        labelSelector="even=yes",
        limit="2",
        **{"continue": first["metadata"]["continue"]},
    )
    assert names(second) == ["img-4", "img-6"]
    assert second["metadata"]["continue"] == ""


async def test_a_selection_ending_at_the_limit_pages_on_while_objects_follow(
    api: Verbs, images: ServedResource
) -> None:
    """As the cacher: it stops at the limit-th selected object and pages on when any object,
    selected or not, follows it; the next page is then empty."""
    for name, labels in (("a", {"x": "1"}), ("b", {"x": "1"}), ("c", {})):
        await create_image(api, images, name, metadata={"labels": labels})
    first = await list_images(api, images, labelSelector="x=1", limit="2")
    assert names(first) == ["a", "b"]
    token = first["metadata"]["continue"]
    assert token
    last = await list_images(api, images, labelSelector="x=1", limit="2", **{"continue": token})
    assert (names(last), last["metadata"]["continue"]) == ([], "")
    deleted = await api.delete_object(request(images, namespace="default", name="c"))
    assert deleted.status == 200
    ending = await list_images(api, images, labelSelector="x=1", limit="2")
    assert (names(ending), ending["metadata"]["continue"]) == (["a", "b"], "")  # nothing follows


async def test_a_limit_with_any_revision_is_ignored(api: Verbs, images: ServedResource) -> None:
    """resourceVersion "0" is the cacher's state, which it does not page (computeListLimit)."""
    for name in ("a", "b", "c"):
        await create_image(api, images, name)
    listed = await list_images(api, images, limit="1", resourceVersion="0")
    assert names(listed) == ["a", "b", "c"]
    assert listed["metadata"]["continue"] == ""
    first = await list_images(api, images, limit="1")
    rest = await list_images(
        api, images, limit="1", resourceVersion="0", **{"continue": first["metadata"]["continue"]}
    )
    assert (names(rest), rest["metadata"]["continue"]) == (["b", "c"], "")


async def test_limit_covering_everything_has_no_continue(
    api: Verbs, images: ServedResource
) -> None:
    for name in ("a", "b"):
        await create_image(api, images, name)
    for limit in ("2", "3", "500"):
        listed = await list_images(api, images, limit=limit)
        assert names(listed) == ["a", "b"]
        assert listed["metadata"]["continue"] == ""


@pytest.mark.parametrize("token", ["garbage", "e30", "eyJydiI6MSwic3RhcnQiOiIvIn0", "!!!"])
async def test_bad_continue_is_400(api: Verbs, images: ServedResource, token: str) -> None:
    error = await fails(api.list_objects(request(images, limit="1", query={"continue": token})))
    assert (error.code, error.reason) == (400, "BadRequest")


async def test_continue_with_a_resource_version_is_400(api: Verbs, images: ServedResource) -> None:
    for name in ("a", "b"):
        await create_image(api, images, name)
    first = await list_images(api, images, limit="1")
    token = first["metadata"]["continue"]
    error = await fails(
        api.list_objects(request(images, limit="1", resourceVersion="1", query={"continue": token}))
    )
    assert (error.code, error.reason) == (400, "BadRequest")
    # client-go's pager clears resourceVersion on later pages, but "0" is tolerated as in k8s
    second = await list_images(api, images, limit="1", resourceVersion="0", **{"continue": token})
    assert names(second) == ["b"]


async def test_continue_past_compaction_is_410_expired(
    api: Verbs, images: ServedResource, store: SqliteStore
) -> None:
    for name in ("a", "b", "c"):
        await create_image(api, images, name)
    first = await list_images(api, images, limit="1")
    await create_image(api, images, "d")
    await store.compact(await store.current_revision())

    error = await fails(
        api.list_objects(
            request(images, limit="1", query={"continue": first["metadata"]["continue"]})
        )
    )
    assert (error.code, error.reason) == (410, "Expired")
    # As kube-apiserver: the Status offers a token to go on at the latest state, which
    # lists the rest (with what was written meanwhile), page by page, at the new revision.
    assert "use the continue token in this response" in error.message
    token = error.status()["metadata"]["continue"]
    rest = await list_images(api, images, limit="2", **{"continue": token})
    assert names(rest) == ["b", "c"]
    assert rest["metadata"]["resourceVersion"] == str(await store.current_revision())
    last = await list_images(api, images, limit="2", **{"continue": rest["metadata"]["continue"]})
    assert (names(last), last["metadata"]["continue"]) == (["d"], "")


async def test_list_resource_version_semantics(
    api: Verbs, images: ServedResource, store: SqliteStore
) -> None:
    await create_image(api, images, "a")
    old = str(await store.current_revision())
    await create_image(api, images, "b")
    current = str(await store.current_revision())

    # "0" and any version up to the current one: the current state satisfies them
    for rv in ("0", old, current):
        listed = await list_images(api, images, resourceVersion=rv)
        assert names(listed) == ["a", "b"]
        assert listed["metadata"]["resourceVersion"] == current
    exact = await list_images(api, images, resourceVersion=old, resourceVersionMatch="Exact")
    assert names(exact) == ["a"]
    assert exact["metadata"]["resourceVersion"] == old


async def test_exact_list_at_a_compacted_revision_is_410(
    api: Verbs, images: ServedResource, store: SqliteStore
) -> None:
    await create_image(api, images, "a")
    old = await store.current_revision()
    await create_image(api, images, "b")
    await store.compact(await store.current_revision())

    error = await fails(
        api.list_objects(
            request(images, query={"resourceVersion": str(old), "resourceVersionMatch": "Exact"})
        )
    )

    assert (error.code, error.reason) == (410, "Expired")
    assert error.message.startswith(f"too old resource version: {old} (")


@pytest.mark.parametrize("match", [None, "NotOlderThan", "Exact"])
async def test_list_at_a_future_resource_version_is_504(
    api: Verbs, images: ServedResource, store: SqliteStore, match: str | None
) -> None:
    """client-go relists with resourceVersion="" on this cause (contract section 5.3)."""
    await create_image(api, images, "a")
    future = str(await store.current_revision() + 100)
    query = {"resourceVersion": future} | ({"resourceVersionMatch": match} if match else {})

    error = await fails(api.list_objects(request(images, query=query)))

    assert (error.code, error.reason) == (504, "Timeout")
    assert error.message.startswith(f"Timeout: Too large resource version: {future}")
    assert error.details is not None
    assert error.details["causes"][0]["reason"] == "ResourceVersionTooLarge"


async def test_resource_version_match_without_resource_version_is_422(
    api: Verbs, images: ServedResource
) -> None:
    error = await fails(api.list_objects(request(images, resourceVersionMatch="NotOlderThan")))
    assert (error.code, error.reason) == (422, "Invalid")


@pytest.mark.parametrize(
    ("query", "causes"),
    [
        (
            {"resourceVersionMatch": "NotOlderThan"},
            [("Forbidden", "resourceVersionMatch is forbidden unless resourceVersion is provided")],
        ),
        (
            {"resourceVersion": "0", "resourceVersionMatch": "Exact"},
            [("Forbidden", 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"')],
        ),
        (
            {"resourceVersion": "1", "resourceVersionMatch": "Newest"},
            [
                (
                    "NotSupported",
                    'Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""',
                )
            ],
        ),
        (
            {"resourceVersion": "1", "resourceVersionMatch": "NotOlderThan", "continue": "x"},
            [("Forbidden", "resourceVersionMatch is forbidden when continue is provided")],
        ),
        (
            {"resourceVersion": "0", "resourceVersionMatch": "Exact", "continue": "x"},
            [
                ("Forbidden", "resourceVersionMatch is forbidden when continue is provided"),
                ("Forbidden", 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'),
            ],
        ),
        (
            {"resourceVersionMatch": "Exact", "continue": "x"},
            [
                (
                    "Forbidden",
                    "resourceVersionMatch is forbidden unless resourceVersion is provided",
                ),
                ("Forbidden", "resourceVersionMatch is forbidden when continue is provided"),
            ],
        ),
    ],
)
async def test_list_options_are_validated_as_kube_apiserver_does(
    api: Verbs,
    images: ServedResource,
    query: dict[str, str],
    causes: list[tuple[str, str]],
) -> None:
    """k8s.io/apimachinery's ValidateListOptions: every error at once, as field.Forbidden and
    field.NotSupported word them, before the continue token is even read."""
    error = await fails(api.list_objects(request(images, query=query)))

    assert (error.code, error.reason) == (422, "Invalid")
    assert error.details is not None
    assert (error.details["group"], error.details["kind"]) == ("meta.k8s.io", "ListOptions")
    expected = [
        {
            "reason": f"FieldValue{reason}",
            "field": "resourceVersionMatch",
            "message": f"Forbidden: {detail}" if reason == "Forbidden" else detail,
        }
        for reason, detail in causes
    ]
    assert error.details["causes"] == expected
    summary = ", ".join(f"resourceVersionMatch: {c['message']}" for c in expected)
    if len(expected) > 1:
        summary = f"[{summary}]"
    assert error.message == f'ListOptions.meta.k8s.io "" is invalid: {summary}'


async def test_continue_with_resource_version_match_is_422_not_400(
    api: Verbs, images: ServedResource
) -> None:
    for name in "ab":
        await create_image(api, images, name)
    first = await list_images(api, images, limit="1")
    query = {
        "continue": first["metadata"]["continue"],
        "resourceVersion": first["metadata"]["resourceVersion"],
        "resourceVersionMatch": "NotOlderThan",
    }
    error = await fails(api.list_objects(request(images, limit="1", query=query)))
    assert (error.code, error.reason) == (422, "Invalid")
    assert cause_fields(error) == [("resourceVersionMatch", "FieldValueForbidden")]


# -- update -----------------------------------------------------------------------------------


async def test_update_without_resource_version_is_422(api: Verbs, images: ServedResource) -> None:
    await create_image(api, images, "debian")
    error = await fails(update_image(api, images, image("debian")))
    assert (error.code, error.reason) == (422, "Invalid")
    assert cause_fields(error) == [("metadata.resourceVersion", "FieldValueInvalid")]
    assert "must be specified for an update" in error.message


async def test_update_of_a_missing_object_is_404_before_the_resource_version_check(
    api: Verbs, images: ServedResource
) -> None:
    error = await fails(update_image(api, images, image("nowhere")))
    assert (error.code, error.reason) == (404, "NotFound")


async def test_update_with_a_stale_resource_version_is_409(
    api: Verbs, images: ServedResource
) -> None:
    obj = await create_image(api, images, "debian")
    obj["metadata"]["labels"] = {"v": "2"}
    assert (await update_image(api, images, obj)).status == 200

    obj["metadata"]["labels"] = {"v": "3"}
    error = await fails(update_image(api, images, obj))  # still the first resourceVersion
    assert (error.code, error.reason) == (409, "Conflict")
    assert error.message == (
        'Operation cannot be fulfilled on images.images.example.com "debian": the object has '
        "been modified; please apply your changes to the latest version and try again"
    )


async def test_update_of_a_missing_object_is_404(api: Verbs, images: ServedResource) -> None:
    body = image("ghost", metadata={"resourceVersion": "1"})
    error = await fails(update_image(api, images, body))
    assert (error.code, error.reason) == (404, "NotFound")


async def test_update_name_mismatch_is_400(api: Verbs, images: ServedResource) -> None:
    obj = await create_image(api, images, "debian")
    error = await fails(
        api.update_object(request(images, namespace="default", name="other", body=obj))
    )
    assert (error.code, error.reason) == (400, "BadRequest")
    assert "does not match the name on the URL" in error.message


async def test_update_without_a_name_is_400(api: Verbs, images: ServedResource) -> None:
    """kube-apiserver's checkName: an empty name is the namer's errEmptyName."""
    obj = await create_image(api, images, "debian")
    del obj["metadata"]["name"]
    error = await fails(
        api.update_object(request(images, namespace="default", name="debian", body=obj))
    )
    assert (error.code, error.reason) == (400, "BadRequest")
    assert error.message == (
        "the name of the object (debian based on URL) was undeterminable: name must be provided"
    )


async def test_update_namespace_mismatch_is_400(api: Verbs, images: ServedResource) -> None:
    obj = await create_image(api, images, "debian")
    obj["metadata"]["namespace"] = "other"
    error = await fails(update_image(api, images, obj))
    assert (error.code, error.reason) == (400, "BadRequest")


async def test_spec_changes_bump_generation(
    api: Verbs, images: ServedResource, store: SqliteStore
) -> None:
    obj = await create_image(api, images, "debian")
    obj["spec"]["packages"] = ["curl"]

    updated = (await update_image(api, images, obj)).body

    assert updated["metadata"]["generation"] == 2
    assert int(updated["metadata"]["resourceVersion"]) > int(obj["metadata"]["resourceVersion"])
    assert updated["metadata"]["resourceVersion"] == str(await store.current_revision())
    assert updated["spec"]["packages"] == ["curl"]
    assert await get_image(api, images, "debian") == updated


async def test_metadata_changes_do_not_bump_generation(api: Verbs, images: ServedResource) -> None:
    obj = await create_image(api, images, "debian")
    obj["metadata"]["labels"] = {"a": "b"}
    obj["metadata"]["annotations"] = {"note": "x"}

    updated = (await update_image(api, images, obj)).body

    assert updated["metadata"]["generation"] == 1
    assert updated["metadata"]["labels"] == {"a": "b"}
    assert updated["metadata"]["resourceVersion"] != obj["metadata"]["resourceVersion"]


async def test_status_changes_are_ignored_with_a_status_subresource(
    api: Verbs, images: ServedResource, store: SqliteStore
) -> None:
    obj = await create_image(api, images, "debian")
    before = await store.current_revision()
    obj["status"] = {"phase": "Ready"}

    result = await update_image(api, images, obj)

    assert result.status == 200
    assert "status" not in result.body
    assert result.body["metadata"]["resourceVersion"] == obj["metadata"]["resourceVersion"]
    assert await store.current_revision() == before  # nothing changed: nothing written

    obj["spec"]["schedule"] = "@daily"
    updated = (await update_image(api, images, obj)).body
    assert "status" not in updated
    assert updated["metadata"]["generation"] == 2


async def test_status_changes_bump_generation_without_a_status_subresource(
    api: Verbs, clusters: ServedResource
) -> None:
    obj = (
        await api.create_object(request(clusters, body=cluster("c1", status={"up": False})))
    ).body
    obj["status"] = {"up": True}

    updated = (await api.update_object(request(clusters, name="c1", body=obj))).body

    assert updated["status"] == {"up": True}
    assert updated["metadata"]["generation"] == 2


async def test_a_different_uid_is_a_failed_precondition(api: Verbs, images: ServedResource) -> None:
    """kube-apiserver treats the body's uid as a precondition (rest.defaultUpdatedObjectInfo)."""
    obj = await create_image(api, images, "debian")
    original = obj["metadata"]["uid"]
    obj["metadata"]["uid"] = other = str(uuid.uuid4())
    error = await fails(update_image(api, images, obj))
    assert (error.code, error.reason) == (409, "Conflict")
    assert (
        f"Precondition failed: UID in precondition: {other}, UID in object meta: {original}"
        in error.message
    )


async def test_server_owned_fields_survive_an_update(api: Verbs, images: ServedResource) -> None:
    obj = await create_image(api, images, "debian")
    sent = {
        **obj,
        "metadata": {
            "name": "debian",
            "resourceVersion": obj["metadata"]["resourceVersion"],
            "creationTimestamp": "2000-01-01T00:00:00Z",
            "generation": 99,
            "labels": {"a": "b"},
        },
    }
    updated = (await update_image(api, images, sent)).body
    for key in ("uid", "creationTimestamp", "generation", "namespace"):
        assert updated["metadata"][key] == obj["metadata"][key]


async def test_every_server_managed_field_is_the_servers_on_update(
    api: Verbs, images: ServedResource
) -> None:
    """What the client sends for SERVER_MANAGED fields is ignored: the stored value stays,
    or the field stays absent; generation moves only with the spec."""
    obj = await create_image(api, images, "debian", metadata={"finalizers": ["example.com/x"]})
    await api.delete_object(request(images, namespace="default", name="debian"))
    current = await get_image(api, images, "debian")  # now with deletionTimestamp set
    bogus: JSON = {
        "uid": str(uuid.uuid4()),
        "creationTimestamp": "2000-01-01T00:00:00Z",
        "deletionTimestamp": "2000-01-01T00:00:00Z",
        # Kept as it is: another value is immutable (422), below.
        "deletionGracePeriodSeconds": current["metadata"]["deletionGracePeriodSeconds"],
        "generation": 99,
        "selfLink": "/apis/x",
    }
    assert set(bogus) | {"resourceVersion"} == set(registry_store.SERVER_MANAGED)
    sent = {**current, "metadata": {**current["metadata"], **bogus, "labels": {"a": "b"}}}
    sent["metadata"].pop("uid")  # a uid in the body is a precondition (409)

    updated = (await update_image(api, images, sent)).body

    meta = updated["metadata"]
    for key in registry_store.SERVER_MANAGED:
        if key == "resourceVersion":
            assert int(meta[key]) > int(current["metadata"][key])
        elif key in current["metadata"]:
            assert meta[key] == current["metadata"][key], key
        else:
            assert key not in meta, key
    assert meta["labels"] == {"a": "b"}
    longer = {**updated, "metadata": {**meta, "deletionGracePeriodSeconds": 30}}
    longer["metadata"].pop("uid")
    error = await fails(update_image(api, images, longer))
    assert (error.code, error.message) == (
        422,
        'Image.images.example.com "debian" is invalid: metadata.deletionGracePeriodSeconds: '
        "Invalid value: 30: field is immutable",
    )
    assert meta["uid"] == obj["metadata"]["uid"]


async def test_a_dry_run_delete_that_would_mark_deleting_stores_nothing(
    api: Verbs, images: ServedResource, store: SqliteStore
) -> None:
    obj = await create_image(api, images, "debian", metadata={"finalizers": ["example.com/x"]})
    before = await store.current_revision()

    result = await api.delete_object(
        request(images, namespace="default", name="debian", dryRun="All")
    )

    assert "deletionTimestamp" in result.body["metadata"]
    assert result.body["metadata"]["generation"] == 2
    assert await store.current_revision() == before
    assert await get_image(api, images, "debian") == obj


async def test_a_not_older_than_revision_is_parsed_once(
    api: Verbs,
    images: ServedResource,
    store: SqliteStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await create_image(api, images, "debian")
    parsed: list[str] = []
    parse = listing.parse_revision

    def spy(text: str) -> int:
        parsed.append(text)
        return parse(text)

    monkeypatch.setattr(listing, "parse_revision", spy)
    current = str(await store.current_revision())
    listed = await list_images(api, images, resourceVersion=current)
    assert names(listed) == ["debian"]
    assert parsed == [current]


async def test_no_op_update_keeps_the_resource_version(
    api: Verbs, images: ServedResource, store: SqliteStore
) -> None:
    obj = await create_image(api, images, "debian")
    before = await store.current_revision()

    result = await update_image(api, images, obj)

    assert result.status == 200
    assert result.body == obj
    assert await store.current_revision() == before


async def test_update_invalid_metadata_is_422(api: Verbs, images: ServedResource) -> None:
    obj = await create_image(api, images, "debian")
    obj["metadata"]["labels"] = {"bad key": "x"}
    error = await fails(update_image(api, images, obj))
    assert error.code == 422
    # ObjectMeta's validation, the update's, then the strategy's again (as on a CRD)
    assert cause_fields(error) == [("metadata.labels", "FieldValueInvalid")] * 3


async def test_update_dry_run_stores_nothing(
    api: Verbs, images: ServedResource, store: SqliteStore
) -> None:
    obj = await create_image(api, images, "debian")
    before = await store.current_revision()
    obj["spec"]["packages"] = ["curl"]

    result = await update_image(api, images, obj, dryRun="All")

    assert result.body["spec"]["packages"] == ["curl"]
    assert result.body["metadata"]["generation"] == 2
    assert await store.current_revision() == before
    assert "packages" not in (await get_image(api, images, "debian"))["spec"]


# -- delete -----------------------------------------------------------------------------------


async def test_an_immediate_delete_answers_a_status_naming_the_object(
    api: Verbs, images: ServedResource
) -> None:
    """As a custom resource's store answers (finalizeDelete, ReturnDeletedObject unset)."""
    obj = await create_image(api, images, "debian")

    result = await api.delete_object(request(images, namespace="default", name="debian"))

    assert result.status == 200
    assert result.body == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": {
            "name": "debian",
            "group": "images.example.com",
            "kind": "images",
            "uid": obj["metadata"]["uid"],
        },
    }
    error = await fails(api.get_object(request(images, namespace="default", name="debian")))
    assert error.code == 404


async def test_delete_missing_is_404(api: Verbs, images: ServedResource) -> None:
    error = await fails(api.delete_object(request(images, namespace="default", name="ghost")))
    assert (error.code, error.reason) == (404, "NotFound")
    assert error.details == {"name": "ghost", "group": "images.example.com", "kind": "images"}


async def test_delete_with_kubectl_delete_options(api: Verbs, images: ServedResource) -> None:
    await create_image(api, images, "debian")
    body = {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"}
    result = await api.delete_object(request(images, namespace="default", name="debian", body=body))
    assert result.status == 200
    assert "deletionTimestamp" not in result.body["metadata"]
    assert (
        await fails(api.get_object(request(images, namespace="default", name="debian")))
    ).code == 404


@pytest.mark.parametrize("which", ["uid", "resourceVersion"])
async def test_delete_preconditions(api: Verbs, images: ServedResource, which: str) -> None:
    obj = await create_image(api, images, "debian")
    wrong = {"uid": str(uuid.uuid4()), "resourceVersion": "999"}[which]

    error = await fails(
        api.delete_object(
            request(
                images,
                namespace="default",
                name="debian",
                body={"preconditions": {which: wrong}},
            )
        )
    )
    assert (error.code, error.reason) == (409, "Conflict")
    label = {"uid": "UID", "resourceVersion": "ResourceVersion"}[which]
    # rest.BeforeDelete's words, the kind where the plural would be
    assert error.message.startswith(
        'Operation cannot be fulfilled on Image.images.example.com "debian": '
        f"the {label} in the precondition ({wrong}) does not match the {label} in record ("
    )
    assert (error.details or {}).get("kind") == "Image"
    await get_image(api, images, "debian")  # still there

    right = {"preconditions": {which: obj["metadata"][which]}}
    result = await api.delete_object(
        request(images, namespace="default", name="debian", body=right)
    )
    assert result.status == 200


async def test_finalizers_hold_the_object_until_removed(
    api: Verbs, images: ServedResource, store: SqliteStore
) -> None:
    obj = await create_image(api, images, "debian", metadata={"finalizers": ["example.com/hold"]})

    first = await api.delete_object(request(images, namespace="default", name="debian"))

    assert first.status == 200
    meta = first.body["metadata"]
    assert TIMESTAMP.match(meta["deletionTimestamp"])
    assert meta["deletionGracePeriodSeconds"] == 0
    assert meta["generation"] == obj["metadata"]["generation"] + 1
    assert meta["finalizers"] == ["example.com/hold"]
    assert await get_image(api, images, "debian") == first.body

    # A repeated delete changes nothing.
    revision = await store.current_revision()
    again = await api.delete_object(request(images, namespace="default", name="debian"))
    assert again.body == first.body
    assert await store.current_revision() == revision

    # An update cannot take the deletion back.
    held = await get_image(api, images, "debian")
    held["metadata"]["deletionTimestamp"] = None
    held["metadata"]["labels"] = {"still": "here"}
    relabelled = (await update_image(api, images, held)).body
    assert relabelled["metadata"]["deletionTimestamp"] == meta["deletionTimestamp"]
    assert relabelled["metadata"]["generation"] == meta["generation"]

    # The update removing the last finalizer deletes the object.
    relabelled["metadata"]["finalizers"] = []
    gone = await update_image(api, images, relabelled)
    assert gone.status == 200
    assert gone.body["metadata"]["uid"] == obj["metadata"]["uid"]
    error = await fails(api.get_object(request(images, namespace="default", name="debian")))
    assert error.code == 404


async def test_a_later_delete_may_change_the_gc_finalizers(
    api: Verbs, images: ServedResource
) -> None:
    await create_image(api, images, "debian", metadata={"finalizers": ["example.com/a"]})
    first = (await api.delete_object(request(images, namespace="default", name="debian"))).body

    second = (
        await api.delete_object(
            request(images, namespace="default", name="debian", propagationPolicy="Orphan")
        )
    ).body

    assert second["metadata"]["finalizers"] == ["example.com/a", "orphan"]
    for key in ("deletionTimestamp", "generation"):  # set once, by the first delete
        assert second["metadata"][key] == first["metadata"][key]


async def test_no_new_finalizers_while_deleting(api: Verbs, images: ServedResource) -> None:
    await create_image(api, images, "debian", metadata={"finalizers": ["example.com/a"]})
    deleting = (await api.delete_object(request(images, namespace="default", name="debian"))).body

    deleting["metadata"]["finalizers"] = ["example.com/a", "example.com/b"]
    error = await fails(update_image(api, images, deleting))

    assert (error.code, error.reason) == (422, "Invalid")
    # the update's metadata validation, then the strategy's again (as on a CRD)
    assert cause_fields(error) == [("metadata.finalizers", "FieldValueForbidden")] * 2
    assert "no new finalizers can be added if the object is being deleted" in error.message

    deleting["metadata"]["finalizers"] = ["example.com/b"]  # swapping one for another: new too
    error = await fails(update_image(api, images, deleting))
    assert error.code == 422


@pytest.mark.parametrize("where", ["body", "query"])
async def test_orphan_propagation_adds_the_orphan_finalizer(
    api: Verbs, images: ServedResource, where: str
) -> None:
    await create_image(api, images, "debian")
    if where == "body":
        req = request(
            images, namespace="default", name="debian", body={"propagationPolicy": "Orphan"}
        )
    else:
        req = request(images, namespace="default", name="debian", propagationPolicy="Orphan")

    result = await api.delete_object(req)

    meta = result.body["metadata"]
    assert meta["finalizers"] == ["orphan"]
    assert "deletionTimestamp" in meta
    assert meta["generation"] == 2

    # The garbage collector orphans the dependents, then removes the finalizer.
    obj = await get_image(api, images, "debian")
    obj["metadata"]["finalizers"] = []
    await update_image(api, images, obj)
    assert (
        await fails(api.get_object(request(images, namespace="default", name="debian")))
    ).code == 404


async def test_orphan_dependents_true_means_orphan(api: Verbs, images: ServedResource) -> None:
    await create_image(api, images, "debian")
    result = await api.delete_object(
        request(images, namespace="default", name="debian", body={"orphanDependents": True})
    )
    assert result.body["metadata"]["finalizers"] == ["orphan"]


async def test_foreground_propagation(api: Verbs, images: ServedResource) -> None:
    await create_image(api, images, "debian", metadata={"finalizers": ["example.com/a"]})
    result = await api.delete_object(
        request(images, namespace="default", name="debian", propagationPolicy="Foreground")
    )
    assert result.body["metadata"]["finalizers"] == ["example.com/a", "foregroundDeletion"]


async def test_background_removes_gc_finalizers_and_deletes(
    api: Verbs, images: ServedResource
) -> None:
    await create_image(api, images, "debian")
    await api.delete_object(
        request(images, namespace="default", name="debian", propagationPolicy="Orphan")
    )
    result = await api.delete_object(
        request(images, namespace="default", name="debian", propagationPolicy="Background")
    )
    assert result.status == 200
    assert (
        await fails(api.get_object(request(images, namespace="default", name="debian")))
    ).code == 404


async def test_existing_gc_finalizers_decide_without_a_policy(
    api: Verbs, images: ServedResource
) -> None:
    await create_image(api, images, "debian", metadata={"finalizers": ["orphan"]})
    result = await api.delete_object(request(images, namespace="default", name="debian"))
    assert result.body["metadata"]["finalizers"] == ["orphan"]
    assert "deletionTimestamp" in result.body["metadata"]


@pytest.mark.parametrize(
    "options",
    [
        {"propagationPolicy": "Everything"},
        {"propagationPolicy": "orphan"},
        {"propagationPolicy": "Orphan", "orphanDependents": True},
    ],
)
async def test_invalid_delete_options_are_422(
    api: Verbs, images: ServedResource, options: JSON
) -> None:
    await create_image(api, images, "debian")
    error = await fails(
        api.delete_object(request(images, namespace="default", name="debian", body=options))
    )
    assert (error.code, error.reason) == (422, "Invalid")
    assert cause_fields(error)[0][0] == "propagationPolicy"
    await get_image(api, images, "debian")


async def test_delete_options_must_be_an_object(api: Verbs, images: ServedResource) -> None:
    await create_image(api, images, "debian")
    error = await fails(
        api.delete_object(request(images, namespace="default", name="debian", body=b"[]"))
    )
    assert (error.code, error.reason) == (400, "BadRequest")


@pytest.mark.parametrize("where", ["body", "query"])
async def test_delete_dry_run_keeps_the_object(
    api: Verbs, images: ServedResource, store: SqliteStore, where: str
) -> None:
    obj = await create_image(api, images, "debian")
    before = await store.current_revision()
    if where == "body":
        req = request(images, namespace="default", name="debian", body={"dryRun": ["All"]})
    else:
        req = request(images, namespace="default", name="debian", dryRun="All")

    result = await api.delete_object(req)

    assert result.status == 200
    assert (result.body["kind"], result.body["details"]["uid"]) == (
        "Status",
        obj["metadata"]["uid"],
    )
    assert await store.current_revision() == before
    assert await get_image(api, images, "debian") == obj


async def test_delete_cluster_scoped(api: Verbs, clusters: ServedResource) -> None:
    created = await api.create_object(request(clusters, body=cluster("c1")))
    result = await api.delete_object(request(clusters, name="c1"))
    assert result.body["details"] == {
        "name": "c1",
        "group": clusters.info.group,
        "kind": "clusters",
        "uid": created.body["metadata"]["uid"],
    }
    assert (await fails(api.get_object(request(clusters, name="c1")))).code == 404
