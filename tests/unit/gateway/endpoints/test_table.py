"""Server-side Tables (contract section 5.9).

Expected values follow kubernetes/apiextensions-apiserver
pkg/registry/customresource/tableconvertor/tableconvertor.go (New, ConvertToTable,
cellForJSONValue), pkg/apiserver/helpers.go (serveDefaultColumnsIfEmpty),
kubernetes/apiserver pkg/endpoints/handlers/response.go (asTable) and
kubernetes/apimachinery pkg/util/duration/duration.go (HumanDuration).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest

from annex_core.apidef import PrinterColumn
from annex_gateway.apierrors import StatusError
from annex_gateway.endpoints import table as table_mod
from annex_gateway.endpoints.encodedcache import EncodedCache
from annex_gateway.endpoints.goformat import human_duration
from annex_gateway.endpoints.table import IncludeObject, TableConverter, include_object

from .defs import images

NOW = datetime(2024, 5, 10, 12, 0, 0, tzinfo=UTC)


def image(name: str, phase: str | None = "Ready", age: timedelta = timedelta(minutes=5)) -> Any:
    obj: dict[str, Any] = {
        "apiVersion": "images.example.com/v1alpha1",
        "kind": "Image",
        "metadata": {
            "name": name,
            "namespace": "default",
            "uid": "u-" + name,
            "resourceVersion": "42",
            "generation": 1,
            "creationTimestamp": (NOW - age).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "labels": {"team": "a"},
        },
        "spec": {"baseImage": "debian:12"},
    }
    if phase is not None:
        obj["status"] = {"phase": phase}
    return obj


def image_converter() -> TableConverter:
    (_, version), *_ = images().resources_in("v1alpha1")
    return TableConverter.for_columns(version.printer_columns)


def column(name: str, type_: str, path: str, **more: Any) -> PrinterColumn:
    return PrinterColumn(name=name, type=type_, json_path=path, **more)


def cell(type_: str, path: str, obj: Any) -> Any:
    return TableConverter.for_columns([column("C", type_, path)]).cells(obj, NOW)[1]


# -- the example Image ------------------------------------------------------------------------


def test_image_table_for_a_list() -> None:
    table = image_converter().to_table(
        [image("a"), image("b", phase=None, age=timedelta(days=3, hours=2))],
        list_meta={"resourceVersion": "77", "continue": "tok", "remainingItemCount": 3},
        now=NOW,
    )
    assert table["kind"] == "Table"
    assert table["apiVersion"] == "meta.k8s.io/v1"
    assert table["metadata"] == {
        "resourceVersion": "77",
        "continue": "tok",
        "remainingItemCount": 3,
    }
    assert table["columnDefinitions"] == [
        {
            "name": "Name",
            "type": "string",
            "format": "name",
            "description": table_mod.NAME_DESCRIPTION,
            "priority": 0,
        },
        {
            "name": "Base",
            "type": "string",
            "format": "",
            "description": "Custom resource definition column (in JSONPath format): .spec.baseImage",
            "priority": 0,
        },
        {
            "name": "Phase",
            "type": "string",
            "format": "",
            "description": "Custom resource definition column (in JSONPath format): .status.phase",
            "priority": 0,
        },
        {
            "name": "Age",
            "type": "date",
            "format": "",
            "description": "Custom resource definition column (in JSONPath format): "
            ".metadata.creationTimestamp",
            "priority": 0,
        },
    ]
    assert [row["cells"] for row in table["rows"]] == [
        ["a", "debian:12", "Ready", "5m"],
        ["b", "debian:12", None, "3d2h"],  # a missing value is null
    ]
    assert table["rows"][0]["object"] == {
        "kind": "PartialObjectMetadata",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {
            "name": "a",
            "namespace": "default",
            "uid": "u-a",
            "resourceVersion": "42",
            "generation": 1,
            "creationTimestamp": "2024-05-10T11:55:00Z",
            "labels": {"team": "a"},
        },
    }


def test_name_description_is_object_meta_swagger_doc() -> None:
    assert table_mod.NAME_DESCRIPTION.startswith("Name must be unique within a namespace.")
    assert table_mod.NAME_DESCRIPTION.endswith("working-with-objects/names#names")


def test_single_object_table_carries_its_resource_version() -> None:
    table = image_converter().to_table([image("a")], list_meta=None, now=NOW)
    assert table["metadata"] == {"resourceVersion": "42"}
    assert len(table["rows"]) == 1


def test_empty_list_has_empty_rows() -> None:
    table = image_converter().to_table([], list_meta={"resourceVersion": "9"}, now=NOW)
    assert table["rows"] == []
    assert table["metadata"] == {"resourceVersion": "9"}


def test_no_headers_writes_null_column_definitions() -> None:
    table = image_converter().to_table([image("a")], list_meta=None, now=NOW, no_headers=True)
    assert table["columnDefinitions"] is None
    assert b'"columnDefinitions":null' in orjson.dumps(table)


def test_v1beta1_table() -> None:
    table = image_converter().to_table(
        [image("a")], list_meta=None, now=NOW, group_version="meta.k8s.io/v1beta1"
    )
    assert table["apiVersion"] == "meta.k8s.io/v1beta1"
    assert table["rows"][0]["object"]["apiVersion"] == "meta.k8s.io/v1beta1"


# -- columns ----------------------------------------------------------------------------------


def test_no_printer_columns_default_to_age() -> None:
    converter = TableConverter.for_columns(())
    assert [(c["name"], c["type"]) for c in converter.column_definitions] == [
        ("Name", "string"),
        ("Age", "date"),
    ]
    assert converter.column_definitions[1]["description"].startswith(
        "CreationTimestamp is a timestamp representing the server time"
    )
    assert converter.cells(image("a", age=timedelta(hours=2)), NOW) == ["a", "120m"]
    assert converter.cells({"metadata": {"name": "x"}}, NOW) == ["x", None]


def test_format_description_priority_are_copied() -> None:
    converter = TableConverter.for_columns(
        [column("Digest", "string", ".status.digest", format="byte", description="d", priority=1)]
    )
    assert converter.column_definitions[1] == {
        "name": "Digest",
        "type": "string",
        "format": "byte",
        "description": "d",
        "priority": 1,
    }


def test_priority_columns_still_have_cells() -> None:
    converter = TableConverter.for_columns(
        [
            column("Phase", "string", ".status.phase"),
            column("Base", "string", ".spec.baseImage", priority=1),
        ]
    )
    assert converter.cells(image("a"), NOW) == ["a", "Ready", "debian:12"]


def test_unparsable_jsonpath_ends_the_columns() -> None:
    converter = TableConverter.for_columns(
        [
            column("A", "string", ".status.phase"),
            column("B", "string", ".spec[?("),
            column("C", "string", ".spec.baseImage"),
        ]
    )
    assert [c["name"] for c in converter.column_definitions] == ["Name", "A"]


def test_object_without_name() -> None:
    assert image_converter().cells({"spec": {"baseImage": "x"}}, NOW) == ["", "x", None, None]


# -- cells ------------------------------------------------------------------------------------

OBJ = {
    "metadata": {"name": "n"},
    "spec": {
        "replicas": 3,
        "ratio": 1.5,
        "whole": 2.0,
        "big": 1e6,
        "on": True,
        "text": "hi",
        "nothing": None,
        "list": ["a", "<b>"],
        "map": {"z": 1, "a": [True, None]},
        "items": [{"name": "x", "n": 1}, {"name": "y", "n": 2}],
        "conditions": [
            {"type": "Ready", "status": "True"},
            {"type": "Synced", "status": "False"},
        ],
        "when": "2024-05-10T11:00:00Z",
        "huge": 1e30,
        "pow63": 2.0**63,
        "e20": 1e20,
    },
}


@pytest.mark.parametrize(
    ("type_", "path", "expected"),
    [
        ("integer", ".spec.replicas", 3),
        ("integer", ".spec.ratio", 1),  # int64(float64): truncated
        ("integer", ".spec.on", None),
        ("integer", ".spec.text", None),
        ("number", ".spec.replicas", 3),  # float64(3) encodes as 3
        ("number", ".spec.ratio", 1.5),
        ("number", ".spec.whole", 2),
        ("number", ".spec.text", None),
        # Beyond int64, Go's int64(float64) on amd64 is the "integer indefinite" value.
        ("integer", ".spec.huge", -(2**63)),
        ("integer", ".spec.pow63", -(2**63)),
        # A whole float64 below 1e21 is written as Go writes it: shortest digits, zero-padded;
        # beyond what a JSON integer holds here (2**64), the same number as a float.
        ("number", ".spec.pow63", 9223372036854776000),
        ("number", ".spec.e20", 1e20),
        ("number", ".spec.huge", 1e30),
        ("boolean", ".spec.on", True),
        ("boolean", ".spec.replicas", None),
        ("string", ".spec.text", "hi"),
        ("string", ".spec.replicas", "3"),  # PrintResults: fmt.Fprint
        ("string", ".spec.ratio", "1.5"),
        ("string", ".spec.big", "1e+06"),  # %v of a float64
        ("string", ".spec.on", "true"),
        ("string", ".spec.nothing", "<no value>"),  # a null value, printed
        ("integer", ".spec.nothing", None),
        ("string", ".spec.missing", None),
        ("string", ".spec.nothing.deeper", None),
        ("string", ".spec.list", '["a","\\u003cb\\u003e"]'),  # json.Marshal
        ("string", ".spec.map", '{"a":[true,null],"z":1}'),
        ("integer", ".spec.list", None),
        ("string", ".spec.list[1]", "<b>"),
        ("string", ".spec.list[*]", "a"),  # only the first result
        ("string", ".spec.items[*].name", "x"),
        ("integer", ".spec.items[-1].n", 2),
        ("string", ".spec.list[5]", None),  # out of bounds: an error, so null
        ("string", '.spec.conditions[?(@.type=="Ready")].status', "True"),
        ("string", ".spec.conditions[?(@.type=='Synced')].status", "False"),
        ("string", '.spec.conditions[?(@.type=="Gone")].status', None),
        ("date", ".spec.when", "60m"),
        ("date", ".spec.text", "<invalid>"),
        ("date", ".spec.replicas", None),
        ("date", ".spec.missing", None),
    ],
)
def test_cells(type_: str, path: str, expected: Any) -> None:
    got = cell(type_, path, OBJ)
    assert got == expected
    assert type(got) is type(expected)
    orjson.dumps(got)  # every cell encodes (a Python int beyond 64 bits would not)


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("", "<unknown>"),
        ("0001-01-01T00:00:00Z", "<unknown>"),
        ("2024-05-10T11:59:30Z", "30s"),
        ("2024-05-10T11:59:30.999999Z", "29s"),
        ("2024-05-10T13:30:00+02:00", "30m"),
        ("2024-05-10 11:00:00Z", "<invalid>"),
        ("2024-02-30T11:00:00Z", "<invalid>"),
        ("2024-05-10T12:00:05Z", "<invalid>"),  # 5s in the future
        ("2024-05-10T12:00:01Z", "0s"),  # a second of clock skew is tolerated
    ],
)
def test_date_cells(stamp: str, expected: str) -> None:
    assert (
        cell("date", ".metadata.creationTimestamp", {"metadata": {"creationTimestamp": stamp}})
        == expected
    )


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(seconds=-2), "<invalid>"),
        (timedelta(seconds=-1), "0s"),
        (timedelta(milliseconds=-1500), "0s"),
        (timedelta(0), "0s"),
        (timedelta(seconds=59), "59s"),
        (timedelta(seconds=119), "119s"),
        (timedelta(minutes=2), "2m"),
        (timedelta(minutes=2, seconds=5), "2m5s"),
        (timedelta(minutes=9, seconds=59), "9m59s"),
        (timedelta(minutes=10, seconds=30), "10m"),
        (timedelta(minutes=179), "179m"),
        (timedelta(hours=3), "3h"),
        (timedelta(hours=3, minutes=7), "3h7m"),
        (timedelta(hours=7, minutes=59), "7h59m"),
        (timedelta(hours=8, minutes=30), "8h"),
        (timedelta(hours=47), "47h"),
        (timedelta(days=2), "2d"),
        (timedelta(days=3, hours=2), "3d2h"),
        (timedelta(days=7, hours=23), "7d23h"),
        (timedelta(days=8, hours=5), "8d"),
        (timedelta(days=729), "729d"),
        (timedelta(days=730), "2y"),
        (timedelta(days=731), "2y1d"),
        (timedelta(days=365 * 8), "8y"),
    ],
)
def test_human_duration(delta: timedelta, expected: str) -> None:
    assert human_duration(delta) == expected


# -- includeObject ----------------------------------------------------------------------------


def test_include_object_values() -> None:
    assert include_object(None) is IncludeObject.METADATA
    assert include_object("") is IncludeObject.METADATA
    assert include_object("Object") is IncludeObject.OBJECT
    assert include_object("None") is IncludeObject.NONE


def test_include_object_invalid_is_400() -> None:
    with pytest.raises(StatusError) as caught:
        include_object("metadata")
    assert caught.value.code == 400
    assert caught.value.reason == "BadRequest"
    assert caught.value.message == (
        'Unable to convert to Table as requested: includeObject: Invalid value: "metadata": '
        "must be 'Metadata', 'Object', 'None', or empty"
    )


def test_row_objects_per_include_object() -> None:
    obj = image("a")
    converter = image_converter()

    def row(include: IncludeObject) -> Any:
        return converter.to_table([obj], list_meta=None, include_object=include, now=NOW)["rows"][0]

    assert row(IncludeObject.OBJECT)["object"] is obj
    assert row(IncludeObject.METADATA)["object"]["kind"] == "PartialObjectMetadata"
    none_row = row(IncludeObject.NONE)
    assert none_row["object"] is None
    assert b'"object":null' in orjson.dumps(none_row)


def test_initial_events_end_bookmark_keeps_metadata_under_none() -> None:
    bookmark = {
        "kind": "Image",
        "apiVersion": "images.example.com/v1alpha1",
        "metadata": {"resourceVersion": "7", "annotations": {"k8s.io/initial-events-end": "true"}},
    }
    table = image_converter().to_table(
        [bookmark], list_meta=None, include_object=IncludeObject.NONE, now=NOW
    )
    assert table["rows"] == [
        {
            "cells": ["", None, None, None],
            "object": {
                "kind": "PartialObjectMetadata",
                "apiVersion": "meta.k8s.io/v1",
                "metadata": {
                    "resourceVersion": "7",
                    "annotations": {"k8s.io/initial-events-end": "true"},
                },
            },
        }
    ]


# --- rows encoded for a streamed list, and kept by revision --------------------------------


def _rows_of(converter: TableConverter, objects: list[Any], **kwargs: Any) -> bytes:
    """The rows `to_table` makes, encoded as a list response holds them."""
    table = converter.to_table(objects, list_meta={}, now=NOW, **kwargs)
    return orjson.dumps(table["rows"])[1:-1]


def _encode(
    converter: TableConverter,
    objects: list[Any],
    revisions: list[int] | None,
    now: datetime = NOW,
    include: IncludeObject = IncludeObject.METADATA,
    group_version: str = "meta.k8s.io/v1",
) -> bytes:
    return converter.encode_rows(
        [orjson.dumps(o) for o in objects],
        revisions,
        orjson.loads,
        include_object=include,
        group_version=group_version,
        now=now,
    )


MANAGED = [
    {
        "manager": "kubectl",
        "operation": "Update",
        "apiVersion": "images.example.com/v1alpha1",
        "time": "2026-01-01T00:00:00Z",
        "fieldsType": "FieldsV1",
        "fieldsV1": {"f:spec": {".": {}, "f:baseImage": {}}},
    }
]
ODD = [
    image("a"),
    image("b", phase=None, age=timedelta(days=400)),
    {"metadata": {"name": "c", "creationTimestamp": "not a time"}, "spec": {"baseImage": 5}},
    {"metadata": {"name": "d", "creationTimestamp": 17}, "status": {"phase": ["x", {"y": 1}]}},
    {"spec": {}},
    # managedFields alone, then after other metadata, twice (shared between the rows)
    {"metadata": {"managedFields": MANAGED}},
    {"metadata": {"name": "f", "labels": {"a": "b"}, "managedFields": MANAGED}},
    {"metadata": {"name": "g", "managedFields": MANAGED}, "spec": {"baseImage": "x"}},
]
COLUMNS = [
    column("Phase", "string", ".status.phase"),
    column("Created", "date", ".metadata.creationTimestamp"),
    column("Gen", "integer", ".metadata.generation"),
    column("Again", "date", ".metadata.creationTimestamp"),
    column("Base", "string", ".spec.baseImage"),
]


@pytest.mark.parametrize("include", list(IncludeObject))
@pytest.mark.parametrize("group_version", ["meta.k8s.io/v1", "meta.k8s.io/v1beta1"])
@pytest.mark.parametrize("revisions", [None, [11, 12, 13, 14, 15, 16, 17, 18]])
def test_encoded_rows_are_the_rows_to_table_makes(
    include: IncludeObject, group_version: str, revisions: list[int] | None
) -> None:
    for converter in (TableConverter.for_columns(COLUMNS), image_converter()):
        expected = _rows_of(converter, ODD, include_object=include, group_version=group_version)
        for _ in range(2):  # made, then (with revisions) taken from the cache
            assert _encode(converter, ODD, revisions, NOW, include, group_version) == expected


def test_kept_rows_are_sent_with_their_ages_as_of_now() -> None:
    converter = TableConverter.for_columns(COLUMNS)
    revisions = list(range(1, len(ODD) + 1))
    _encode(converter, ODD, revisions)
    later = NOW + timedelta(hours=3)
    table = converter.to_table(ODD, list_meta={}, now=later)
    expected = orjson.dumps(table["rows"])[1:-1]
    assert _encode(converter, ODD, revisions, later) == expected
    assert b'"3h5m"' in expected


def test_rows_are_kept_by_revision_and_converter() -> None:
    first, second = TableConverter.for_columns(COLUMNS), TableConverter.for_columns(COLUMNS)
    _encode(first, [image("a", phase="Old")], [7])
    # The same revision read again is the same row, whatever the bytes (a revision's body
    # never changes): the kept row is what is sent.
    assert b'"Old"' in _encode(first, [image("a", phase="New")], [7])
    # Another converter (a reloaded route table, another version) keeps its own rows, and
    # bodies without revisions are never taken from the cache.
    assert b'"New"' in _encode(second, [image("a", phase="New")], [7])
    assert b'"New"' in _encode(first, [image("a", phase="New")], None)


def test_the_cache_stays_within_its_budget_and_keeps_a_share_of_a_longer_list() -> None:
    cache = EncodedCache(budget=50 * (EncodedCache.ENTRY_OVERHEAD + 100))
    row = (b"x" * 100,)
    for revision in range(200):
        cache.put(("c", revision), row)
        assert cache.size <= cache.budget
    assert cache.size > cache.budget - (cache.ENTRY_OVERHEAD + 100)
    kept = sum(cache.get(("c", revision)) is not None for revision in range(200))
    assert kept == 50
    # A row larger than the whole budget is not kept.
    cache.put(("c", "huge"), (b"x" * cache.budget,))
    assert cache.get(("c", "huge")) is None


def test_rows_share_their_managed_fields_and_count_them_once() -> None:
    converter = TableConverter.for_columns(COLUMNS)
    objects = [{"metadata": {"name": n, "managedFields": MANAGED}} for n in ("p", "q")]
    rows = [converter._segments(o, IncludeObject.METADATA, "meta.k8s.io/v1") for o in objects]
    encoded = orjson.dumps(MANAGED)
    (first, first_size), (second, second_size) = rows
    shared = [s for s in first if s == encoded]
    assert shared
    assert any(s is shared[0] for s in second)
    # The first row made with it pays for it (unless an earlier test did), the second not.
    assert first_size in (second_size, second_size + len(encoded))
    assert second_size == sum(len(s) for s in second) - len(encoded)
    # Other includes keep their whole encoding.
    _, whole = converter._segments(objects[0], IncludeObject.OBJECT, "meta.k8s.io/v1")
    assert whole > len(encoded)
