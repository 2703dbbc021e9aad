"""FieldManager: the manager chain of k8s.io/apimachinery pkg/util/managedfields/internal
(fieldmanager.go and the managers it stacks) and the handler's timestamp transformer
(k8s.io/apiserver pkg/endpoints/handlers/fieldmanager/equality.go)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from annex_gateway.apierrors import StatusError
from annex_gateway.patch.apply import ApplyConflict, FieldManager
from annex_gateway.patch.versions import ResourceVersions

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "properties": {
                "replicas": {"type": "integer"},
                "image": {"type": "string"},
                "mode": {"type": "string", "default": "auto"},
                "tags": {
                    "type": "array",
                    "x-kubernetes-list-type": "set",
                    "items": {"type": "string"},
                },
            },
        },
        "status": {"type": "object", "properties": {"phase": {"type": "string"}}},
    },
}
V = "example.com/v1"
T0, T1, T2, T3 = (f"2024-01-01T00:00:0{i}Z" for i in range(4))


def fm() -> FieldManager:
    return FieldManager(SCHEMA, V, {"": ("status",), "status": ("metadata", "spec")}, kind="W")


def obj(spec: dict[str, Any] | None = None, **meta: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"apiVersion": V, "kind": "W", "metadata": {"name": "w", **meta}}
    if spec is not None:
        out["spec"] = spec
    return out


def mf(o: dict[str, Any]) -> list[tuple[str, str, str | None, str]]:
    """(manager, operation, time, fieldsV1 as JSON) per entry."""
    return [
        (
            e["manager"],
            e["operation"],
            e.get("time"),
            json.dumps(e["fieldsV1"], separators=(",", ":")),
        )
        for e in o["metadata"].get("managedFields", [])
    ]


def stored(o: dict[str, Any], uid: str = "u1") -> dict[str, Any]:
    o = copy.deepcopy(o)
    o["metadata"].update(uid=uid, resourceVersion="1")
    return o


async def test_create_records_the_updater_with_dot_markers() -> None:
    new = obj({"replicas": 1, "tags": ["a"]}, labels={"x": "y"})
    out = await fm().update(None, new, "creator", now=T0)
    assert mf(out) == [
        (
            "creator",
            "Update",
            T0,
            '{"f:metadata":{"f:labels":{".":{},"f:x":{}}},'
            '"f:spec":{".":{},"f:replicas":{},"f:tags":{".":{},"v:\\"a\\"":{}}}}',
        )
    ]
    assert "managedFields" not in new["metadata"]  # inputs are not mutated


async def test_untracked_objects_stay_untracked_until_applied() -> None:
    # skipnonapplied.go: an existing object without managers is not tracked by updates ...
    live = stored(obj({"replicas": 1}))
    out = await fm().update(live, obj({"replicas": 2}), "editor", now=T1)
    assert "managedFields" not in out["metadata"]
    # ... but an apply first gives what it holds to "before-first-apply".
    out = await fm().apply(live, obj({"image": "i"}), "ssa", force=False, now=T1)
    assert mf(out) == [
        ("ssa", "Apply", T1, '{"f:spec":{"f:image":{}}}'),
        ("before-first-apply", "Update", T1, '{"f:spec":{".":{},"f:replicas":{}}}'),
    ]
    assert out["spec"] == {"replicas": 1, "image": "i", "mode": "auto"}  # defaulted


async def test_client_managed_fields_replace_reset_or_fall_back() -> None:
    created = stored(await fm().update(None, obj({"replicas": 1}), "creator", now=T0))
    imported = {
        "manager": "imported",
        "operation": "Update",
        "apiVersion": V,
        "time": T0,
        "fieldsType": "FieldsV1",
        "fieldsV1": {"f:spec": {"f:image": {}}},
    }
    new = obj({"replicas": 1}, uid="u1", managedFields=[imported])
    assert mf(await fm().update(created, new, "editor", now=T1)) == [
        ("imported", "Update", T0, '{"f:spec":{"f:image":{}}}')
    ]
    # the updater takes what it changes from whoever owned it
    new = obj({"replicas": 1, "image": "i"}, uid="u1", managedFields=[imported])
    assert mf(await fm().update(created, new, "editor", now=T1)) == [
        ("editor", "Update", T1, '{"f:spec":{"f:image":{}}}')
    ]
    # one empty entry resets: the object is untracked afterwards
    new = obj({"replicas": 2}, uid="u1", managedFields=[{}])
    assert "managedFields" not in (await fm().update(created, new, "editor", now=T1))["metadata"]
    # invalid entries (and [] - ObjectMeta drops it) fall back to the live ones
    for bad in ([{**imported, "operation": "Nope"}], []):
        new = obj({"replicas": 3}, uid="u1", managedFields=bad)
        out = await fm().update(created, new, "editor", now=T1)
        assert [e[0] for e in mf(out)] == ["creator", "editor"]
    # subresources never take managedFields from the request
    new = obj({"replicas": 1}, uid="u1", managedFields=[imported])
    new["status"] = {"phase": "x"}
    out = await fm().update(created, new, "ctl", subresource="status", now=T1)
    assert [(e[0], e[3]) for e in mf(out)] == [
        ("creator", '{"f:spec":{".":{},"f:replicas":{}}}'),
        ("ctl", '{"f:status":{".":{},"f:phase":{}}}'),
    ]


async def test_conflicts_force_and_prune() -> None:
    f = fm()
    live = stored(await f.update(None, obj({"replicas": 1, "image": "a"}), "creator", now=T0))
    live = stored(await f.apply(live, obj({"image": "a", "tags": ["x"]}), "a", force=False, now=T1))
    with pytest.raises(ApplyConflict) as err:
        await f.apply(live, obj({"image": "b"}), "b", force=False, now=T2)
    assert err.value.message == (
        "Apply failed with 2 conflicts: "
        'conflicts with "a":\n- .spec.image\n'
        'conflicts with "creator" using example.com/v1:\n- .spec.image'
    )
    live = stored(await f.apply(live, obj({"image": "b"}), "b", force=True, now=T2))
    assert [e[0] for e in mf(live)] == ["a", "b", "creator"]
    assert mf(live)[0][3] == '{"f:spec":{"f:tags":{"v:\\"x\\"":{}}}}'
    # "a" stops applying tags: nobody else owns them, so they go (and so does "a")
    out = await f.apply(live, obj(), "a", force=False, now=T3)
    assert out["spec"] == {"replicas": 1, "image": "b", "mode": "auto"}
    assert [e[0] for e in mf(out)] == ["b", "creator"]


async def test_noop_apply_keeps_times_and_new_manager_has_none() -> None:
    f = fm()
    live = stored(await f.apply(None, obj({"replicas": 1}), "a", force=False, now=T0))
    again = await f.apply(live, obj({"replicas": 1}), "a", force=False, now=T2)
    assert again == live  # the no-op transformer keeps the old time
    # managedfieldsupdater.go: an apply that changes nothing stamps no time
    other = await f.apply(live, obj({"replicas": 1}), "b", force=False, now=T2)
    assert ("b", "Apply", None, '{"f:spec":{"f:replicas":{}}}') in mf(other)


async def test_status_subresource_resets() -> None:
    f = fm()
    live = stored(await f.apply(None, obj({"replicas": 1}), "a", force=False, now=T0))
    cfg = obj({"replicas": 5}, labels={"l": "1"})
    cfg["status"] = {"phase": "Ready"}
    out = await f.apply(live, cfg, "st", force=False, subresource="status", now=T1)
    # neither spec nor metadata is owned through /status, and no conflict with "a"
    assert ("st", "Apply", T1, '{"f:status":{"f:phase":{}}}') in mf(out)
    assert out["metadata"]["managedFields"][1]["subresource"] == "status"


async def test_cap_update_managers() -> None:
    f = fm()
    live = stored(await f.update(None, obj({}), "c", now=T0))
    for i in range(12):
        labels = {**live["metadata"].get("labels", {}), f"k{i}": "v"}
        new = {**live, "metadata": {**live["metadata"], "labels": labels}}
        live = stored(await f.update(live, new, f"u{i:02d}", now=f"2024-01-01T00:01:{i:02d}Z"))
    # capmanagers.go: past 10 updaters the oldest (by time, then name) are merged, per
    # version, into "ancient-changes", which takes the time of the last one merged in
    entries = live["metadata"]["managedFields"]
    assert [e["manager"] for e in entries] == ["ancient-changes"] + [
        f"u{i:02d}" for i in range(3, 12)
    ]
    assert entries[0]["time"] == "2024-01-01T00:01:02Z"
    assert entries[0]["fieldsV1"] == {
        "f:metadata": {"f:labels": {".": {}, "f:k0": {}, "f:k1": {}, "f:k2": {}}},
        "f:spec": {},
    } or entries[0]["fieldsV1"]["f:metadata"]["f:labels"] == {
        ".": {},
        "f:k0": {},
        "f:k1": {},
        "f:k2": {},
    }


async def test_kubectl_takes_over_from_client_side_apply() -> None:
    f = fm()
    applied = obj({"replicas": 1, "image": "a"})
    last = json.dumps(applied, sort_keys=True, separators=(",", ":")) + "\n"
    ann = {"kubectl.kubernetes.io/last-applied-configuration": last}
    live = stored(
        await f.update(
            None,
            obj({"replicas": 1, "image": "a"}, annotations=ann),
            "kubectl-client-side-apply",
            now=T0,
        )
    )
    # lastappliedmanager.go: conflicts on fields the last client-side apply set are forced
    cfg = obj({"replicas": 2, "image": "a"}, annotations=ann)
    out = await f.apply(live, cfg, "kubectl", force=False, now=T1)
    assert out["spec"]["replicas"] == 2
    # lastappliedupdater.go: the annotation follows the server-side configuration
    want = json.dumps(
        obj({"replicas": 2, "image": "a"}, annotations={}), sort_keys=True, separators=(",", ":")
    )
    assert (
        out["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
        == want + "\n"
    )
    # other managers get the conflict
    with pytest.raises(ApplyConflict):
        await f.apply(live, cfg, "someone", force=False, now=T1)


@pytest.mark.parametrize(
    ("config", "code", "message"),
    [
        (
            [1],
            400,
            "error decoding patch: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}",
        ),
        (
            {**obj(), "apiVersion": "example.com/v2"},
            400,
            "invalid object type: example.com/v2, Kind=W",
        ),
        (obj(managedFields=[]), 400, "metadata.managedFields must be nil"),
        (
            obj({"replicas": "x"}),
            400,  # kube-apiserver: 500, a plain error; the gateway: never 5xx for input
            "failed to create typed patch object (/w; example.com/v1, Kind=W): "
            ".spec.replicas: expected numeric (int or float), got string",
        ),
        (
            obj({"tags": ["a", "a"]}),
            400,  # kube-apiserver: 500, a plain error; the gateway: never 5xx for input
            "failed to create typed patch object (/w; example.com/v1, Kind=W): "
            '.spec.tags: duplicate entries for key [="a"]',
        ),
    ],
)
async def test_apply_errors(config: Any, code: int, message: str) -> None:
    with pytest.raises(StatusError) as err:
        await fm().apply(None, config, "m", force=False, now=T0)
    assert (err.value.code, err.value.message) == (code, message)


async def test_untyped_without_schema() -> None:
    f = FieldManager(None, V, kind="W")
    out = await f.apply(None, obj({"a": {"b": [1, 2]}}), "m", force=False, now=T0)
    # deduced: maps granular, lists atomic
    assert mf(out) == [("m", "Apply", T0, '{"f:spec":{".":{},"f:a":{".":{},"f:b":{}}}}')]


async def test_managers_of_unknown_versions_are_dropped() -> None:
    live = stored(await fm().apply(None, obj({"replicas": 1}), "a", force=False, now=T0))
    old = dict(live["metadata"]["managedFields"][0], manager="old", apiVersion="example.com/v0")
    old["operation"] = "Update"
    live["metadata"]["managedFields"].append(old)
    f = FieldManager(SCHEMA, V, kind="W", versions=ResourceVersions({V: SCHEMA}, None))
    out = await f.update(live, obj({"replicas": 2}, uid="u1"), "e", now=T1)
    assert [e[0] for e in mf(out)] == ["e"]
    # without the list of versions, other versions' managers are kept (and compared as is)
    out = await fm().update(live, obj({"replicas": 1, "image": "x"}, uid="u1"), "e", now=T1)
    assert [e[0] for e in mf(out)] == ["a", "old", "e"]


# --- managers at other versions ------------------------------------------------------------
# Image v1alpha1 `spec.image` is v1 `spec.baseImage`. The expected managedFields and errors are
# kube-apiserver's for a CRD converted by a webhook (tests/integration/test_conversion.py
# compares the two there, step by step).

ALPHA, BETA = "example.com/v1alpha1", "example.com/v1"
RENAMES = {(ALPHA, BETA): ("image", "baseImage"), (BETA, ALPHA): ("baseImage", "image")}


def _image_schema(field: str) -> dict[str, Any]:
    spec = {
        "type": "object",
        "properties": {field: {"type": "string"}, "size": {"type": "integer"}},
    }
    return {"type": "object", "properties": {"spec": spec}}


async def _rename(o: dict[str, Any], api_version: str) -> dict[str, Any]:
    old, new = RENAMES[(o["apiVersion"], api_version)]
    spec = o.get("spec")
    if isinstance(spec, dict) and old in spec:
        spec[new] = spec.pop(old)
    return {**o, "apiVersion": api_version}


def _at(api_version: str) -> FieldManager:
    versions = ResourceVersions(
        {ALPHA: _image_schema("image"), BETA: _image_schema("baseImage")}, _rename
    )
    field = "image" if api_version == ALPHA else "baseImage"
    return FieldManager(_image_schema(field), api_version, kind="Image", versions=versions)


def _image(api_version: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": api_version, "kind": "Image", "metadata": {"name": "i"}, "spec": spec}


async def _served(o: dict[str, Any], api_version: str) -> dict[str, Any]:
    """The stored object read at `api_version`, managedFields as they are."""
    return stored(
        await _rename(copy.deepcopy(o), api_version) if o["apiVersion"] != api_version else o
    )


def _owners(o: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(manager, apiVersion, fieldsV1 as JSON) per entry."""
    return [
        (e["manager"], e["apiVersion"], json.dumps(e["fieldsV1"], separators=(",", ":")))
        for e in o["metadata"].get("managedFields", [])
    ]


async def test_managers_at_other_versions_conflict_and_prune_there() -> None:
    alpha, beta = _at(ALPHA), _at(BETA)
    live = stored(
        await alpha.apply(
            None, _image(ALPHA, {"image": "debian", "size": 1}), "alpha", force=False, now=T0
        )
    )
    # the same field under its other name conflicts, reported at alpha's version
    with pytest.raises(ApplyConflict) as conflict:
        await beta.apply(
            await _served(live, BETA),
            _image(BETA, {"baseImage": "alpine"}),
            "beta",
            force=False,
            now=T1,
        )
    assert conflict.value.conflicts == [("alpha", ".spec.image", 'conflict with "alpha"')]
    live = await beta.apply(
        await _served(live, BETA), _image(BETA, {"baseImage": "alpine"}), "beta", force=True, now=T1
    )
    assert _owners(live) == [
        ("alpha", ALPHA, '{"f:spec":{"f:size":{}}}'),
        ("beta", BETA, '{"f:spec":{"f:baseImage":{}}}'),
    ]
    # alpha no longer applies the image beta took: it stays
    live = await alpha.apply(
        await _served(live, ALPHA), _image(ALPHA, {"size": 2}), "alpha", force=False, now=T2
    )
    assert live["spec"] == {"image": "alpine", "size": 2}
    # beta no longer applies it either, and nobody else owns it: it goes
    live = await beta.apply(
        await _served(live, BETA), _image(BETA, {"size": 2}), "beta", force=False, now=T3
    )
    assert live["spec"] == {"size": 2}
    assert _owners(live) == [
        ("alpha", ALPHA, '{"f:spec":{"f:size":{}}}'),
        ("beta", BETA, '{"f:spec":{"f:size":{}}}'),
    ]
    # an update at v1 takes size from both, at their own versions
    changed = copy.deepcopy(live)
    changed["spec"]["size"] = 3
    out = await beta.update(stored(live), changed, "gamma", now=T3)
    assert [e[0] for e in _owners(out)] == ["gamma"]


async def test_a_failed_conversion_keeps_the_live_managers_on_update() -> None:
    async def broken(o: dict[str, Any], api_version: str) -> dict[str, Any]:
        raise StatusError(500, "InternalError", "conversion webhook failed")

    versions = ResourceVersions(
        {ALPHA: _image_schema("image"), BETA: _image_schema("baseImage")}, broken
    )
    alpha = FieldManager(_image_schema("image"), ALPHA, kind="Image", versions=versions)
    beta = FieldManager(_image_schema("baseImage"), BETA, kind="Image", versions=versions)
    live = stored(
        await alpha.apply(None, _image(ALPHA, {"image": "debian"}), "alpha", force=False, now=T0)
    )
    at_beta = {**copy.deepcopy(live), "apiVersion": BETA, "spec": {"baseImage": "debian"}}
    changed = {**copy.deepcopy(at_beta), "spec": {"baseImage": "alpine"}}
    # UpdateNoErrors: the live object's managedFields, unchanged
    out = await beta.update(at_beta, changed, "gamma", now=T1)
    assert out["metadata"]["managedFields"] == live["metadata"]["managedFields"]
    # an apply has no such fallback: the conversion's error is the request's
    with pytest.raises(StatusError, match="conversion webhook failed"):
        await beta.apply(at_beta, _image(BETA, {"baseImage": "alpine"}), "beta", force=True, now=T1)


async def test_versions_of_one_schema_share_the_comparison() -> None:
    """Conversion None, one schema for both versions: a manager at the other version is
    compared on this version's comparison (no conversion), with the same answers."""
    versions = ResourceVersions({ALPHA: SCHEMA, BETA: SCHEMA}, None)
    alpha = FieldManager(SCHEMA, ALPHA, kind="W", versions=versions)
    beta = FieldManager(SCHEMA, BETA, kind="W", versions=versions)
    assert alpha.root is beta.root
    config = {**obj({"replicas": 1}), "apiVersion": ALPHA}
    live = stored(await alpha.apply(None, config, "a", force=False, now=T0))
    at_beta = {**copy.deepcopy(live), "apiVersion": BETA}
    with pytest.raises(ApplyConflict) as conflict:
        await beta.apply(
            at_beta, {**obj({"replicas": 2}), "apiVersion": BETA}, "b", force=False, now=T1
        )
    assert conflict.value.conflicts == [("a", ".spec.replicas", 'conflict with "a"')]
    changed = copy.deepcopy(at_beta)
    changed["spec"]["replicas"] = 3
    out = await beta.update(at_beta, changed, "c", now=T1)
    assert _owners(out) == [("c", BETA, '{"f:spec":{"f:replicas":{}}}')]
