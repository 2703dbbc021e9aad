"""The write verbs beyond create and replace, straight through the handlers over SQLite:
patch (merge, JSON, strategic → 415), the status and scale subresources, deletecollection,
and the finalizer state machine (contract sections 5.7, 5.10, 6.1, 6.2, 7)."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import orjson
import pytest

from annex_core import apidef
from annex_gateway import routes
from annex_gateway.apierrors import StatusError
from annex_gateway.endpoints.handlers import HANDLERS
from annex_gateway.endpoints.scope import VerbRequest, VerbResult
from annex_gateway.endpoints.served import ServedResource
from annex_gateway.patch.apply import FieldManager
from annex_gateway.storage import ObjectKey, SqliteStore, guaranteed_update
from tests.unit.gateway.endpoints import defs

JSON = dict[str, Any]
MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
GROUP = "widgets.example.com"


WIDGET_SCHEMA = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "properties": {"replicas": {"type": "integer"}, "color": {"type": "string"}},
        },
        "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
    },
}


def widgets_definition() -> apidef.ApiDefinition:
    """A namespaced Widget with status and scale subresources."""
    return apidef.parse(
        {
            "apiVersion": apidef.API_VERSION,
            "kind": apidef.KIND,
            "metadata": {"name": GROUP},
            "spec": {
                "group": GROUP,
                "resources": [
                    {
                        "names": {"plural": "widgets", "kind": "Widget"},
                        "scope": "Namespaced",
                        "versions": [
                            {
                                "name": "v1",
                                "served": True,
                                "storage": True,
                                "schema": {"openAPIV3Schema": WIDGET_SCHEMA},
                                "subresources": {
                                    "status": {},
                                    "scale": {
                                        "specReplicasPath": ".spec.replicas",
                                        "statusReplicasPath": ".status.replicas",
                                        "labelSelectorPath": ".status.selector",
                                    },
                                },
                            }
                        ],
                    }
                ],
            },
        }
    )


@pytest.fixture
def widgets(store: SqliteStore) -> ServedResource:
    backends = routes.Backends(store, None, FieldManager)
    table = routes.compile_routes([widgets_definition(), defs.fleet()], backends)
    served = table.lookup(GROUP, "v1", "widgets")
    assert served is not None
    return served


async def call(
    verb: str,
    served: ServedResource,
    *,
    name: str = "",
    sub: str = "",
    body: Any = None,
    content_type: str | None = None,
    **query: str,
) -> VerbResult:
    raw = body if isinstance(body, bytes) else (orjson.dumps(body) if body is not None else b"")
    return await HANDLERS[verb](
        VerbRequest(
            served=served,
            namespace="default" if served.namespaced else "",
            name=name,
            subresource=sub,
            query=query,
            body=raw,
            content_type=content_type,
            user_agent="kubectl/v1.37.2 (linux/amd64)",
        )
    )


async def fails(verb: str, served: ServedResource, **kwargs: Any) -> StatusError:
    with pytest.raises(StatusError) as caught:
        await call(verb, served, **kwargs)
    return caught.value


def widget(name: str, replicas: int = 1, **more: Any) -> JSON:
    return {
        "apiVersion": f"{GROUP}/v1",
        "kind": "Widget",
        "metadata": {"name": name, **more.pop("metadata", {})},
        "spec": {"replicas": replicas, "color": "blue"},
        **more,
    }


async def create(served: ServedResource, obj: JSON) -> JSON:
    result = await call("create", served, body=obj)
    assert result.status == 201
    return result.body


# -- patch ------------------------------------------------------------------------------------


async def test_merge_patch_changes_labels_without_a_new_generation(
    widgets: ServedResource,
) -> None:
    created = await create(widgets, widget("w"))
    result = await call(
        "patch", widgets, name="w", body={"metadata": {"labels": {"a": "b"}}}, content_type=MERGE
    )
    assert result.status == 200
    assert result.body["metadata"]["labels"] == {"a": "b"}
    assert result.body["metadata"]["generation"] == 1
    assert int(result.body["metadata"]["resourceVersion"]) > int(
        created["metadata"]["resourceVersion"]
    )
    spec = await call(
        "patch", widgets, name="w", body={"spec": {"color": "red"}}, content_type=MERGE
    )
    assert spec.body["metadata"]["generation"] == 2
    assert spec.body["spec"] == {"replicas": 1, "color": "red"}


async def test_merge_patch_with_a_stale_resource_version_is_a_conflict(
    widgets: ServedResource,
) -> None:
    """The garbage collector's owner-reference patches carry resourceVersion: it is enforced."""
    created = await create(widgets, widget("w"))
    stale = created["metadata"]["resourceVersion"]
    await call("patch", widgets, name="w", body={"spec": {"color": "red"}}, content_type=MERGE)
    error = await fails(
        "patch",
        widgets,
        name="w",
        body={"metadata": {"resourceVersion": stale}, "spec": {"color": "green"}},
        content_type=MERGE,
    )
    assert (error.code, error.reason) == (409, "Conflict")


async def test_json_patch_with_a_failed_test_is_422_as_kopf_expects(
    widgets: ServedResource,
) -> None:
    """kopf adds finalizers with a `test` of resourceVersion and relies on this 422."""
    created = await create(widgets, widget("w"))
    rv = created["metadata"]["resourceVersion"]
    ops = [
        {"op": "test", "path": "/metadata/resourceVersion", "value": rv},
        {"op": "add", "path": "/metadata/finalizers", "value": ["example.com/x"]},
    ]
    ok = await call("patch", widgets, name="w", body=ops, content_type=JSON_PATCH)
    assert ok.body["metadata"]["finalizers"] == ["example.com/x"]
    error = await fails("patch", widgets, name="w", body=ops, content_type=JSON_PATCH)
    assert (error.code, error.reason) == (422, "Invalid")
    assert error.message == "the server rejected our request due to an error in our request"
    assert error.details == {}  # kube-apiserver drops the patch's own error message
    assert error.status()["details"] == {}
    malformed = await fails("patch", widgets, name="w", body={"op": "add"}, content_type=JSON_PATCH)
    assert malformed.code == 400


async def test_patch_of_a_missing_object_is_404(widgets: ServedResource) -> None:
    error = await fails("patch", widgets, name="nope", body={"spec": {}}, content_type=MERGE)
    assert (error.code, error.message) == (404, 'widgets.widgets.example.com "nope" not found')


@pytest.mark.parametrize(
    "content_type",
    ["application/strategic-merge-patch+json", "application/json", None, "text/plain"],
)
async def test_unsupported_patch_types_are_415(
    widgets: ServedResource, content_type: str | None
) -> None:
    await create(widgets, widget("w"))
    error = await fails("patch", widgets, name="w", body={}, content_type=content_type)
    assert error.code == 415
    assert error.message.endswith(
        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
    )


async def test_force_is_refused_on_a_merge_patch(widgets: ServedResource) -> None:
    await create(widgets, widget("w"))
    error = await fails("patch", widgets, name="w", body={}, content_type=MERGE, force="true")
    assert error.code == 422
    assert error.details is not None
    assert error.details["causes"][0]["field"] == "force"


async def test_a_patch_may_not_rename_the_object(widgets: ServedResource) -> None:
    await create(widgets, widget("w"))
    error = await fails(
        "patch", widgets, name="w", body={"metadata": {"name": "x"}}, content_type=MERGE
    )
    assert (error.code, error.message) == (
        400,
        "the name of the object (x) does not match the name on the URL (w)",
    )


async def test_dry_run_patch_writes_nothing(widgets: ServedResource, store: SqliteStore) -> None:
    await create(widgets, widget("w"))
    before = await store.current_revision()
    result = await call(
        "patch",
        widgets,
        name="w",
        body={"spec": {"color": "red"}},
        content_type=MERGE,
        dryRun="All",
    )
    assert result.body["spec"]["color"] == "red"
    assert await store.current_revision() == before
    assert (await call("get", widgets, name="w")).body["spec"]["color"] == "blue"


# -- server-side apply -----------------------------------------------------------------------

APPLY = "application/apply-patch+yaml"


async def test_apply_creates_then_merges_and_records_ownership(widgets: ServedResource) -> None:
    created = await call(
        "patch", widgets, name="w", body=widget("w"), content_type=APPLY, fieldManager="alice"
    )
    assert created.status == 201
    entries = created.body["metadata"]["managedFields"]
    assert [(e["manager"], e["operation"]) for e in entries] == [("alice", "Apply")]
    assert entries[0]["fieldsV1"] == {"f:spec": {"f:color": {}, "f:replicas": {}}}
    again = await call(
        "patch", widgets, name="w", body=widget("w"), content_type=APPLY, fieldManager="alice"
    )
    assert again.status == 200
    assert again.body["metadata"]["resourceVersion"] == created.body["metadata"]["resourceVersion"]


async def test_apply_conflicts_name_each_field_and_manager(widgets: ServedResource) -> None:
    await call("patch", widgets, name="w", body=widget("w"), content_type=APPLY, fieldManager="a")
    other = widget("w")
    other["spec"]["color"] = "red"
    error = await fails(
        "patch", widgets, name="w", body=other, content_type=APPLY, fieldManager="b"
    )
    assert (error.code, error.reason) == (409, "Conflict")
    assert error.message == 'Apply failed with 1 conflict: conflict with "a": .spec.color'
    assert error.details is not None
    assert error.details["causes"] == [
        {"reason": "FieldManagerConflict", "message": 'conflict with "a"', "field": ".spec.color"}
    ]
    forced = await call(
        "patch", widgets, name="w", body=other, content_type=APPLY, fieldManager="b", force="true"
    )
    assert forced.body["spec"]["color"] == "red"
    owners = {e["manager"]: e["fieldsV1"] for e in forced.body["metadata"]["managedFields"]}
    assert owners == {
        "a": {"f:spec": {"f:replicas": {}}},
        "b": {"f:spec": {"f:color": {}, "f:replicas": {}}},
    }


async def test_apply_removes_fields_the_applier_stopped_applying(widgets: ServedResource) -> None:
    await call("patch", widgets, name="w", body=widget("w"), content_type=APPLY, fieldManager="a")
    smaller = widget("w")
    del smaller["spec"]["color"]
    result = await call(
        "patch", widgets, name="w", body=smaller, content_type=APPLY, fieldManager="a"
    )
    assert result.body["spec"] == {"replicas": 1}


async def test_apply_names_come_from_the_configuration_or_the_object(
    widgets: ServedResource,
) -> None:
    """checkName runs on the applied result: a new object needs the name in its configuration,
    an existing one has it already; a uid for an object that does not exist is a conflict."""
    nameless = widget("w")
    del nameless["metadata"]["name"]
    missing = await fails(
        "patch", widgets, name="w", body=nameless, content_type=APPLY, fieldManager="a"
    )
    assert (missing.code, missing.message) == (
        400,
        "the name of the object (w based on URL) was undeterminable: name must be provided",
    )
    with_uid = widget("w", metadata={"uid": "1234"})
    uid = await fails(
        "patch", widgets, name="w", body=with_uid, content_type=APPLY, fieldManager="a"
    )
    assert uid.code == 409
    assert uid.message.endswith(
        "uid mismatch: the provided object specified uid 1234, and no existing object was found"
    )
    await call("patch", widgets, name="w", body=widget("w"), content_type=APPLY, fieldManager="a")
    nameless["spec"]["color"] = "green"
    updated = await call(
        "patch", widgets, name="w", body=nameless, content_type=APPLY, fieldManager="a"
    )
    assert updated.body["spec"]["color"] == "green"
    renamed = await fails(
        "patch", widgets, name="w", body=widget("x"), content_type=APPLY, fieldManager="a"
    )
    assert renamed.code == 400


async def test_apply_needs_a_field_manager(widgets: ServedResource) -> None:
    error = await fails("patch", widgets, name="w", body=widget("w"), content_type=APPLY)
    assert error.code == 422
    assert error.details is not None
    assert error.details["causes"][0]["field"] == "fieldManager"


async def test_updates_are_recorded_per_manager_and_subresource(widgets: ServedResource) -> None:
    await create(widgets, widget("w"))
    await call(
        "patch",
        widgets,
        name="w",
        sub="status",
        body={"status": {"replicas": 1}},
        content_type=MERGE,
    )
    obj = (await call("get", widgets, name="w")).body
    entries = [
        (e["manager"], e["operation"], e.get("subresource"))
        for e in obj["metadata"]["managedFields"]
    ]
    assert entries == [("kubectl", "Update", None), ("kubectl", "Update", "status")]


# -- status -----------------------------------------------------------------------------------


async def test_status_writes_change_only_status(widgets: ServedResource) -> None:
    created = await create(widgets, widget("w", status={"replicas": 9}))
    assert "status" not in created  # dropped on create with a status subresource
    sent = copy.deepcopy(created)
    sent["status"] = {"replicas": 3}
    sent["spec"]["color"] = "red"
    sent["metadata"]["labels"] = {"ignored": "yes"}
    result = await call("update", widgets, name="w", sub="status", body=sent)
    assert result.body["status"] == {"replicas": 3}
    assert result.body["spec"]["color"] == "blue"
    assert "labels" not in result.body["metadata"]
    assert result.body["metadata"]["generation"] == 1
    patched = await call(
        "patch",
        widgets,
        name="w",
        sub="status",
        body={"status": {"ready": True}},
        content_type=MERGE,
    )
    assert patched.body["status"] == {"replicas": 3, "ready": True}
    assert (await call("get", widgets, name="w", sub="status")).body == patched.body


async def test_main_resource_writes_leave_status_alone(widgets: ServedResource) -> None:
    created = await create(widgets, widget("w"))
    await call(
        "patch",
        widgets,
        name="w",
        sub="status",
        body={"status": {"replicas": 2}},
        content_type=MERGE,
    )
    result = await call(
        "patch", widgets, name="w", body={"status": {"replicas": 7}}, content_type=MERGE
    )
    assert result.body["status"] == {"replicas": 2}
    assert result.body["metadata"]["generation"] == created["metadata"]["generation"]


async def test_a_resource_without_status_subresource_has_no_status_route(
    store: SqliteStore,
) -> None:
    table = routes.compile_routes([defs.fleet()], routes.Backends(store))
    clusters = table.lookup(defs.CLUSTERS_GROUP, "v1", "clusters")
    assert clusters is not None
    error = await fails("get", clusters, name="c", sub="status")
    assert error.code == 404


# -- scale ------------------------------------------------------------------------------------


async def test_scale_is_projected_from_the_object(widgets: ServedResource) -> None:
    created = await create(widgets, widget("w", replicas=2))
    await call(
        "patch",
        widgets,
        name="w",
        sub="status",
        body={"status": {"replicas": 2, "selector": "app=w"}},
        content_type=MERGE,
    )
    scale = (await call("get", widgets, name="w", sub="scale")).body
    assert scale["kind"] == "Scale"
    assert scale["apiVersion"] == "autoscaling/v1"
    assert scale["spec"] == {"replicas": 2}
    assert scale["status"] == {"replicas": 2, "selector": "app=w"}
    assert scale["metadata"]["uid"] == created["metadata"]["uid"]


async def test_scale_writes_spec_replicas(widgets: ServedResource) -> None:
    await create(widgets, widget("w", replicas=1))
    patched = await call(
        "patch", widgets, name="w", sub="scale", body={"spec": {"replicas": 5}}, content_type=MERGE
    )
    assert patched.body["spec"] == {"replicas": 5}
    obj = (await call("get", widgets, name="w")).body
    assert obj["spec"] == {"replicas": 5, "color": "blue"}
    assert obj["metadata"]["generation"] == 2
    (scale_entry,) = [e for e in obj["metadata"]["managedFields"] if e.get("subresource")]
    assert scale_entry["subresource"] == "scale"
    assert "time" not in scale_entry  # as kube-apiserver records scale writes
    scale = (await call("get", widgets, name="w", sub="scale")).body
    scale["spec"]["replicas"] = 3
    replaced = await call("update", widgets, name="w", sub="scale", body=scale)
    assert replaced.body["spec"] == {"replicas": 3}


def _replicas_owners(obj: dict[str, Any]) -> list[str]:
    return [
        f"{e['manager']}/{e.get('subresource', '')}"
        for e in obj["metadata"]["managedFields"]
        if "f:replicas" in e["fieldsV1"].get("f:spec", {})
    ]


async def test_scale_to_zero_leaves_the_replicas_owned_by_no_one(
    widgets: ServedResource,
) -> None:
    """kube-apiserver's field manager sees a Scale whose spec.replicas is omitempty: 0 is the
    field removed, not set, so nobody owns it after. A count again stays unowned: the Scale
    has no managers then, and an update of an object without managers records none
    (skipNonApplied; the differential case scale-to-zero-and-back shows the CRD's)."""
    created = await create(widgets, widget("w", replicas=2))
    assert _replicas_owners(created) == ["kubectl/"]

    async def scale_to(replicas: int) -> dict[str, Any]:
        body = {"spec": {"replicas": replicas}}
        await call("patch", widgets, name="w", sub="scale", body=body, content_type=MERGE)
        return (await call("get", widgets, name="w")).body

    zero = await scale_to(0)
    assert zero["spec"]["replicas"] == 0
    assert _replicas_owners(zero) == []
    assert not [e for e in zero["metadata"]["managedFields"] if e.get("subresource")]
    assert _replicas_owners(await scale_to(0)) == []
    assert _replicas_owners(await scale_to(4)) == []


async def test_scale_checks_its_resource_version_and_replicas(widgets: ServedResource) -> None:
    await create(widgets, widget("w"))
    scale = (await call("get", widgets, name="w", sub="scale")).body
    await call("patch", widgets, name="w", body={"spec": {"color": "red"}}, content_type=MERGE)
    stale = await fails("update", widgets, name="w", sub="scale", body=scale)
    assert stale.code == 409
    negative = await fails(
        "patch", widgets, name="w", sub="scale", body={"spec": {"replicas": -1}}, content_type=MERGE
    )
    assert negative.code == 422  # the Widget's own validation refuses it, as for a CRD
    assert negative.message == (
        'Widget.widgets.example.com "w" is invalid: .spec.replicas: Invalid value: -1: '
        "should be a non-negative integer"
    )


# -- deletion ---------------------------------------------------------------------------------


async def test_removing_the_last_finalizer_of_a_deleting_object_deletes_it(
    widgets: ServedResource,
) -> None:
    await create(widgets, widget("w", metadata={"finalizers": ["example.com/hold"]}))
    marked = await call("delete", widgets, name="w")
    assert marked.status == 200
    assert marked.body["metadata"]["deletionTimestamp"]
    assert marked.body["metadata"]["generation"] == 2
    added = await fails(
        "patch",
        widgets,
        name="w",
        body={"metadata": {"finalizers": ["example.com/hold", "example.com/more"]}},
        content_type=MERGE,
    )
    assert added.code == 422
    assert 'found new finalizers []string{"example.com/more"}' in added.message
    await call(
        "patch", widgets, name="w", body={"metadata": {"finalizers": None}}, content_type=MERGE
    )
    gone = await fails("get", widgets, name="w")
    assert gone.code == 404


@pytest.mark.parametrize(
    ("policy", "finalizer"), [("Foreground", "foregroundDeletion"), ("Orphan", "orphan")]
)
async def test_propagation_policies_set_the_gc_finalizers(
    widgets: ServedResource, policy: str, finalizer: str
) -> None:
    await create(widgets, widget("w"))
    result = await call(
        "delete", widgets, name="w", body={"kind": "DeleteOptions", "propagationPolicy": policy}
    )
    assert result.body["metadata"]["finalizers"] == [finalizer]
    again = await call(
        "delete",
        widgets,
        name="w",
        body={"kind": "DeleteOptions", "propagationPolicy": "Background"},
    )
    assert (again.body["kind"], again.body["details"]["name"]) == ("Status", "w")
    assert (await fails("get", widgets, name="w")).code == 404


async def test_the_update_that_empties_the_finalizers_answers_its_own_object(
    widgets: ServedResource,
) -> None:
    """store.deleteWithoutFinalizers: the object is deleted, and the answer is the update's
    object, which was never stored (its resourceVersion is the one it replaced)."""
    await create(widgets, widget("w", metadata={"finalizers": ["example.com/hold"]}))
    marked = (await call("delete", widgets, name="w")).body
    assert marked["metadata"]["deletionTimestamp"]
    released = await call(
        "patch",
        widgets,
        name="w",
        body={"metadata": {"finalizers": None}, "spec": {"color": "red"}},
        content_type=MERGE,
    )
    assert released.status == 200
    assert "finalizers" not in released.body["metadata"]
    assert released.body["spec"]["color"] == "red"
    assert released.body["metadata"]["resourceVersion"] == marked["metadata"]["resourceVersion"]
    assert (await fails("get", widgets, name="w")).code == 404


async def listed_items(served: ServedResource) -> list[JSON]:
    result = await call("list", served)
    assert result.listed is not None
    items: list[JSON] = (await result.listed.to_json())["items"]
    return items


async def test_deletecollection_deletes_what_the_selector_selects(widgets: ServedResource) -> None:
    await create(widgets, widget("a", metadata={"labels": {"tier": "x"}}))
    await create(widgets, widget("b", metadata={"labels": {"tier": "y"}}))
    await create(widgets, widget("c", metadata={"labels": {"tier": "x"}}))
    dry = await call("deletecollection", widgets, labelSelector="tier=x", dryRun="All")
    assert [i["metadata"]["name"] for i in dry.body["items"]] == ["a", "c"]
    assert len(await listed_items(widgets)) == 3
    deleted = await call("deletecollection", widgets, labelSelector="tier=x")
    assert deleted.body["kind"] == "WidgetList"
    assert [i["metadata"]["name"] for i in deleted.body["items"]] == ["a", "c"]
    left = await listed_items(widgets)
    assert [i["metadata"]["name"] for i in left] == ["b"]


async def test_concurrent_patches_are_never_lost(widgets: ServedResource) -> None:
    """Every patch re-reads and retries on a lost race (guaranteed_update): none is lost."""
    await create(widgets, widget("w"))
    await asyncio.gather(
        *(
            call(
                "patch",
                widgets,
                name="w",
                body={"metadata": {"labels": {f"l{i}": "x"}}},
                content_type=MERGE,
            )
            for i in range(20)
        )
    )
    labels = (await call("get", widgets, name="w")).body["metadata"]["labels"]
    assert labels == {f"l{i}": "x" for i in range(20)}


# -- guaranteed_update --------------------------------------------------------------------------


async def test_guaranteed_update_retries_a_lost_race_on_the_new_state(store: SqliteStore) -> None:
    key = ObjectKey("r", "ns", "n")
    await store.create(key, {"metadata": {"name": "n"}, "count": 0})
    attempts = 0

    async def increment(current: JSON) -> JSON:
        nonlocal attempts
        attempts += 1
        if attempts == 1:  # another writer wins the race meanwhile
            other = await store.get(key)
            other["count"] += 10
            await store.update(
                key, other, expected_revision=int(other["metadata"]["resourceVersion"])
            )
        current["count"] += 1
        return current

    result, deleted = await guaranteed_update(store, key, increment)
    assert (attempts, result["count"], deleted) == (2, 11, False)


async def test_guaranteed_update_writes_nothing_for_no_change(store: SqliteStore) -> None:
    key = ObjectKey("r", "ns", "n")
    created = await store.create(key, {"metadata": {"name": "n"}})

    async def same(current: JSON) -> JSON:
        return current

    result, _ = await guaranteed_update(store, key, same)
    assert result == created
    assert await store.current_revision() == int(created["metadata"]["resourceVersion"])
