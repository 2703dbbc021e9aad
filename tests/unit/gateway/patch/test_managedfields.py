"""managedFields encoding (k8s.io/apimachinery pkg/util/managedfields/internal/managedfields.go)
and conflict wording (conflict.go)."""

from __future__ import annotations

from typing import Any

import pytest

from annex_gateway.patch import managedfields
from annex_gateway.patch.errors import ApplyConflict, conflict_message, print_manager
from annex_gateway.patch.fieldpath import FieldSet, PathElement
from annex_gateway.patch.managedfields import APPLY, UPDATE, Managed, manager_identifier
from annex_gateway.patch.updater import Conflict, VersionedSet

F = PathElement.field


def test_manager_identifier_is_the_entry_json() -> None:
    # BuildManagerIdentifier: json.Marshal in field order, omitempty, no apiVersion for Apply.
    assert (
        manager_identifier("kubectl", UPDATE, "example.com/v1")
        == '{"manager":"kubectl","operation":"Update","apiVersion":"example.com/v1"}'
    )
    assert (
        manager_identifier("a<b", APPLY, "example.com/v1", "status")
        == '{"manager":"a\\u003cb","operation":"Apply","subresource":"status"}'
    )


def _vs(path: str, applied: bool, version: str = "example.com/v1") -> VersionedSet:
    return VersionedSet(FieldSet.of([(F("spec"), F(path))]), version, applied)


def test_encode_sorts_like_sort_encoded_managed_fields() -> None:
    # Operation first ("Apply" < "Update"), then time (none = 0), then manager, version, subresource.
    m = Managed()
    entries = [
        ("z", UPDATE, "2024-01-01T00:00:02Z", ""),
        ("y", UPDATE, "2024-01-01T00:00:01Z", ""),
        ("x", UPDATE, None, ""),
        ("b", APPLY, "2024-01-01T00:00:05Z", ""),
        ("a", APPLY, "2024-01-01T00:00:05Z", "status"),
    ]
    for name, op, t, sub in entries:
        ident = manager_identifier(name, op, "example.com/v1", sub)
        m.fields[ident] = _vs(name, op == APPLY)
        m.times[ident] = t
    out = managedfields.encode(m)
    assert out is not None
    assert [(e["manager"], e["operation"]) for e in out] == [
        ("a", APPLY),
        ("b", APPLY),
        ("x", UPDATE),
        ("y", UPDATE),
        ("z", UPDATE),
    ]
    # keys as a custom resource serves them: sorted
    assert list(out[0]) == [
        "apiVersion",
        "fieldsType",
        "fieldsV1",
        "manager",
        "operation",
        "subresource",
        "time",
    ]
    assert "time" not in out[2]
    assert managedfields.encode(Managed()) is None


def test_decode_round_trip_and_errors() -> None:
    entry = {
        "manager": "m",
        "operation": "Update",
        "apiVersion": "example.com/v1",
        "time": "2024-01-01T02:00:00+02:00",
        "fieldsType": "FieldsV1",
        "fieldsV1": {"f:spec": {"f:x": {}}},
    }
    entries = managedfields.read_entries([entry])
    assert entries is not None
    assert entries[0]["time"] == "2024-01-01T00:00:00Z"  # metav1.Time: UTC seconds
    m = managedfields.decode(entries)
    assert managedfields.encode(m) == [
        {
            "apiVersion": "example.com/v1",
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:spec": {"f:x": {}}},
            "manager": "m",
            "operation": "Update",
            "time": "2024-01-01T00:00:00Z",
        }
    ]
    bad = [
        ({**entry, "operation": "Patch"}, "operation must be `Apply` or `Update`"),
        ({**entry, "apiVersion": ""}, "apiVersion must not be empty"),
        ({**entry, "fieldsType": ""}, "missing fieldsType in managed fields entry 0"),
        (
            {**entry, "fieldsType": "FieldsV2"},
            'invalid fieldsType "FieldsV2" in managed fields entry 0',
        ),
        ({**entry, "fieldsV1": {"f:x": 1}}, "error decoding set"),
    ]
    for e, message in bad:
        with pytest.raises(ValueError, match=message):
            managedfields.decode(managedfields.read_entries([e]))
    # unstructured.GetManagedFields: unreadable entries read as absent
    assert managedfields.read_entries([1]) is None
    assert managedfields.read_entries([{**entry, "time": "yesterday"}]) is None
    assert managedfields.is_reset([{}])
    assert managedfields.is_reset([])
    assert not managedfields.is_reset(None)


def test_conflict_wording() -> None:
    upd = manager_identifier("kubectl-edit", UPDATE, "example.com/v1")
    app = manager_identifier("ctl", APPLY, subresource="status")
    assert print_manager(upd) == '"kubectl-edit" using example.com/v1'
    assert print_manager(app) == '"ctl" with subresource "status"'
    one = [Conflict(upd, (F("spec"), F("replicas")))]
    assert conflict_message(one) == (
        'Apply failed with 1 conflict: conflict with "kubectl-edit" using example.com/v1: '
        ".spec.replicas"
    )
    many = [
        Conflict(upd, (F("spec"), F("a"))),
        Conflict(app, (F("status"), F("b"))),
        Conflict(upd, (F("spec"), F("c"))),
    ]
    # getConflictMessage: grouped per manager, managers in identifier order
    assert conflict_message(many) == (
        'Apply failed with 3 conflicts: conflicts with "ctl" with subresource "status":\n'
        "- .status.b\n"
        'conflicts with "kubectl-edit" using example.com/v1:\n'
        "- .spec.a\n"
        "- .spec.c"
    )
    err = ApplyConflict(one)
    assert err.code == 409
    assert [(c.manager, c.field) for c in err.conflicts] == [("kubectl-edit", ".spec.replicas")]
    assert err.status()["details"] == {
        "causes": [
            {
                "reason": "FieldManagerConflict",
                "message": 'conflict with "kubectl-edit" using example.com/v1',
                "field": ".spec.replicas",
            }
        ]
    }


def test_scale_entries_are_the_replicas_managers_as_the_scale_holds_them() -> None:
    """ScaleHandler.ToSubresource: managers of the replicas at versions with a scale
    subresource, in the typed entry's field order, at autoscaling/v1."""
    replicas: dict[str, Any] = {"f:spec": {"f:replicas": {}}}
    entries = [
        {
            "apiVersion": "x.test/v1",
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:spec": {".": {}, "f:replicas": {}, "f:color": {}}},
            "manager": "kubectl",
            "operation": "Update",
            "time": "2026-01-01T00:00:00Z",
        },
        {
            "apiVersion": "x.test/v1",
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:spec": {"f:color": {}}},
            "manager": "painter",
            "operation": "Apply",
            "time": "2026-01-01T00:00:01Z",
        },
        {
            "apiVersion": "x.test/v1",
            "fieldsType": "FieldsV1",
            "fieldsV1": replicas,
            "manager": "hpa",
            "operation": "Update",
            "subresource": "scale",
        },
        {
            "apiVersion": "x.test/v2",
            "fieldsType": "FieldsV1",
            "fieldsV1": replicas,
            "manager": "old",
            "operation": "Update",
        },
    ]
    paths = {"x.test/v1": ("spec", "replicas"), "x.test/v2": None}
    scale = managedfields.to_subresource(entries, paths)
    expected = [
        {
            "manager": "hpa",
            "operation": "Update",
            "apiVersion": "autoscaling/v1",
            "fieldsType": "FieldsV1",
            "fieldsV1": replicas,
            "subresource": "scale",
        },
        {
            "manager": "kubectl",
            "operation": "Update",
            "apiVersion": "autoscaling/v1",
            "time": "2026-01-01T00:00:00Z",
            "fieldsType": "FieldsV1",
            "fieldsV1": replicas,
        },
    ]
    assert scale == expected
    assert [list(e) for e in scale] == [list(e) for e in expected]  # the fields' order too
    assert managedfields.to_subresource(entries[1:2], paths) is None
    assert managedfields.to_subresource([{"operation": "Nope"}], paths) is None
    # a version whose scale has the replicas elsewhere: its managers of that path count
    other = {"x.test/v1": ("spec", "replicas"), "x.test/v2": ("spec", "replicas")}
    assert [e["manager"] for e in managedfields.to_subresource(entries, other) or []] == [
        "hpa",
        "old",  # no time: before kubectl's
        "kubectl",
    ]


def _entry(manager: str, operation: str, fields: dict[str, Any], **more: str) -> dict[str, Any]:
    return {
        "manager": manager,
        "operation": operation,
        "apiVersion": more.pop("apiVersion", "x.test/v1"),
        "fieldsType": "FieldsV1",
        "fieldsV1": fields,
        **more,
    }


REPLICAS: dict[str, Any] = {"f:spec": {"f:replicas": {}}}
PATHS = {"x.test/v1": ("spec", "replicas"), "x.test/v2": None}


def test_to_parent_splits_an_update_manager_the_scale_kept() -> None:
    """An Update manager's key names its apiVersion: through the Scale it comes back under
    another key, so the parent's entry loses the replicas and the Scale's entry of the same
    manager brings them back, without a time (kube-apiserver writes both entries)."""
    owner = _entry(
        "ctl",
        "Update",
        {"f:metadata": {"f:labels": {"f:a": {}}}, "f:spec": {".": {}, "f:replicas": {}}},
        time="2026-01-01T00:00:00Z",
    )
    scale = _entry("ctl", "Update", {"f:spec": {"f:replicas": {}}}, apiVersion="autoscaling/v1")
    parent = managedfields.to_parent([owner], [scale], "x.test/v1", PATHS)
    assert parent == [
        _entry("ctl", "Update", REPLICAS),
        _entry(
            "ctl",
            "Update",
            {"f:metadata": {"f:labels": {"f:a": {}}}, "f:spec": {}},
            time="2026-01-01T00:00:00Z",
        ),
    ]


def test_to_parent_keeps_an_applier_and_adds_the_scale_writer() -> None:
    """An Apply manager's key has no apiVersion: the Scale keeps it under the same key, so
    its entry stays whole. A manager the Scale gained (the writer, subresource scale) owns the
    replicas at the request's version, with no time; one that lost them is gone."""
    applier = _entry(
        "app", "Apply", {"f:spec": {"f:replicas": {}, "f:x": {}}}, time="2026-01-01T00:00:00Z"
    )
    loser = _entry("old", "Update", REPLICAS, time="2026-01-01T00:00:00Z")
    unknown = _entry("gone", "Update", REPLICAS, apiVersion="x.test/v9")
    in_scale = [
        _entry("app", "Apply", REPLICAS, apiVersion="autoscaling/v1"),
        _entry("hpa", "Update", REPLICAS, apiVersion="autoscaling/v1", subresource="scale"),
    ]
    parent = managedfields.to_parent([applier, loser, unknown], in_scale, "x.test/v1", PATHS)
    assert parent == [
        _entry(
            "app", "Apply", {"f:spec": {"f:replicas": {}, "f:x": {}}}, time="2026-01-01T00:00:00Z"
        ),
        _entry("hpa", "Update", REPLICAS, subresource="scale"),
    ]
