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
    """ScaleHandler.ToSubresource: managers of the replicas at this version only, in the
    typed entry's field order, at autoscaling/v1."""
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
    scale = managedfields.scale_entries(entries, "x.test/v1", ("spec", "replicas"))
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
    assert managedfields.scale_entries(entries[1:2], "x.test/v1", ("spec", "replicas")) is None
    assert managedfields.scale_entries([{"operation": "Nope"}], "x.test/v1", ("spec",)) is None
