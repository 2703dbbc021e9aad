"""Metadata and DeleteOptions checked against the Go structs kube-apiserver decodes them into;
the messages are kube-apiserver's for the same bodies (v1.37, a custom resource)."""

from __future__ import annotations

from typing import Any

import pytest

from annex_gateway.endpoints.gotypes import DELETE_OPTIONS, OBJECT_META, first_error


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({"name": 4242}, "number into Go struct field ObjectMeta.name of type string"),
        ({"name": ["a"]}, "array into Go struct field ObjectMeta.name of type string"),
        (
            {"generateName": 12345},
            "number into Go struct field ObjectMeta.generateName of type string",
        ),
        ({"labels": {"a": 1}}, "number into Go struct field ObjectMeta.labels of type string"),
        (
            {"labels": "x"},
            "string into Go struct field ObjectMeta.labels of type map[string]string",
        ),
        (
            {"annotations": ["a"]},
            "array into Go struct field ObjectMeta.annotations of type map[string]string",
        ),
        (
            {"annotations": {"a": True}},
            "bool into Go struct field ObjectMeta.annotations of type string",
        ),
        (
            {"ownerReferences": "str"},
            "string into Go struct field ObjectMeta.ownerReferences of type []v1.OwnerReference",
        ),
        (
            {"ownerReferences": ["str"]},
            "string into Go struct field ObjectMeta.ownerReferences of type v1.OwnerReference",
        ),
        (
            {"ownerReferences": [{"apiVersion": 5}]},
            "number into Go struct field OwnerReference.ownerReferences.apiVersion of type string",
        ),
        (
            {"ownerReferences": [{"controller": "yes"}]},
            "string into Go struct field OwnerReference.ownerReferences.controller of type bool",
        ),
        (
            {"managedFields": "garbage"},
            "string into Go struct field ObjectMeta.managedFields of type []v1.ManagedFieldsEntry",
        ),
        (
            {"managedFields": ["x"]},
            "string into Go struct field ObjectMeta.managedFields of type v1.ManagedFieldsEntry",
        ),
        (
            {"managedFields": [{"manager": 5}]},
            "number into Go struct field ManagedFieldsEntry.managedFields.manager of type string",
        ),
        ({"finalizers": "x"}, "string into Go struct field ObjectMeta.finalizers of type []string"),
        ({"finalizers": [5]}, "number into Go struct field ObjectMeta.finalizers of type string"),
        ({"uid": 5}, "number into Go struct field ObjectMeta.uid of type types.UID"),
        (
            {"creationTimestamp": 5},
            "number into Go struct field ObjectMeta.creationTimestamp of type string",
        ),
        ({"generation": "x"}, "string into Go struct field ObjectMeta.generation of type int64"),
        (
            {"generation": 1.5},
            "number 1.5 into Go struct field ObjectMeta.generation of type int64",
        ),
        (
            {"generation": 2.0**63},
            "number 9223372036854776000 into Go struct field ObjectMeta.generation of type int64",
        ),
        (
            {"deletionGracePeriodSeconds": "x"},
            "string into Go struct field ObjectMeta.deletionGracePeriodSeconds of type int64",
        ),
        # Metadata is decoded after it is marshalled again, so keys are met in sorted order.
        (
            {"name": 5, "generateName": 6, "labels": "x"},
            "number into Go struct field ObjectMeta.generateName of type string",
        ),
    ],
)
def test_metadata_of_the_wrong_type(meta: dict[str, Any], message: str) -> None:
    assert first_error(meta, OBJECT_META, sorted_keys=True) == f"json: cannot unmarshal {message}"


def test_metadata_that_is_no_object() -> None:
    assert first_error("str", OBJECT_META) == (
        "json: cannot unmarshal string into Go value of type v1.ObjectMeta"
    )


@pytest.mark.parametrize(
    "meta",
    [
        {},
        {"name": "a", "labels": {"a": None}, "finalizers": [None], "generation": 2.0},
        {"ownerReferences": [None, {"controller": None}], "managedFields": [{"fieldsV1": [1]}]},
        {"creationTimestamp": "2024-02-29T23:59:59Z", "deletionTimestamp": None},
        {"creationTimestamp": "2024-02-29T23:59:59.123+02:00", "colour": 5},
    ],
)
def test_metadata_go_decodes(meta: dict[str, Any]) -> None:
    assert first_error(meta, OBJECT_META, sorted_keys=True) is None


@pytest.mark.parametrize(
    ("stamp", "message"),
    [
        (
            "garbage",
            'parsing time "garbage" as "2006-01-02T15:04:05Z07:00": cannot parse "garbage" as "2006"',
        ),
        (
            "2024-1-01T00:00:00Z",
            'parsing time "2024-1-01T00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse "1-01T00:00:00Z" as "01"',
        ),
        (
            "2024-01-01",
            'parsing time "2024-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"',
        ),
        ("2024-13-01T00:00:00Z", 'parsing time "2024-13-01T00:00:00Z": month out of range'),
        ("2024-01-01T00:00:00Zjunk", 'parsing time "2024-01-01T00:00:00Zjunk": extra text: "junk"'),
    ],
)
def test_timestamps_parse_as_rfc_3339(stamp: str, message: str) -> None:
    assert first_error({"creationTimestamp": stamp}, OBJECT_META) == message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"preconditions": ["x"]},
            "array into Go struct field DeleteOptions.preconditions of type v1.Preconditions",
        ),
        (
            {"preconditions": {"uid": 5}},
            "number into Go struct field Preconditions.preconditions.uid of type types.UID",
        ),
        (
            {"gracePeriodSeconds": "x"},
            "string into Go struct field DeleteOptions.gracePeriodSeconds of type int64",
        ),
        (
            {"gracePeriodSeconds": 1.5},
            "number 1.5 into Go struct field DeleteOptions.gracePeriodSeconds of type int64",
        ),
        (
            {"propagationPolicy": 5},
            "number into Go struct field DeleteOptions.propagationPolicy of type v1.DeletionPropagation",
        ),
        ({"dryRun": "All"}, "string into Go struct field DeleteOptions.dryRun of type []string"),
        ({"dryRun": [5]}, "number into Go struct field DeleteOptions.dryRun of type string"),
        (
            {"orphanDependents": "yes"},
            "string into Go struct field DeleteOptions.orphanDependents of type bool",
        ),
    ],
)
def test_delete_options_of_the_wrong_type(body: dict[str, Any], message: str) -> None:
    assert first_error(body, DELETE_OPTIONS) == f"json: cannot unmarshal {message}"
