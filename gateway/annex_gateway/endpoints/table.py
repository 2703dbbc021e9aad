"""Server-side `meta.k8s.io/v1` Tables, as kube-apiserver builds them for a CRD.

`k8s.io/apiextensions-apiserver/pkg/registry/customresource/tableconvertor/tableconvertor.go`
(`New`, `ConvertToTable`, `cellForJSONValue`) with the columns of
`pkg/apiserver/helpers.go` (`serveDefaultColumnsIfEmpty`: a lone `Age` column when a version
declares none), and the row objects of `k8s.io/apiserver/pkg/endpoints/handlers/response.go`
(`asTable`): `PartialObjectMetadata` for `includeObject=Metadata` (the default), the object for
`Object`, null for `None`.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import orjson

from annex_core.apidef import PrinterColumn
from annex_gateway import apierrors
from annex_gateway.endpoints.encodedcache import EncodedCache, Segments
from annex_gateway.endpoints.goformat import go_json, human_duration, is_zero_time, parse_rfc3339
from annex_gateway.endpoints.jsonbody import INT64_MIN
from annex_gateway.endpoints.jsonpath import JSONPath, JSONPathError, print_result
from annex_gateway.endpoints.partial import (
    META_V1,
    is_initial_events_end,
    to_partial_object_metadata,
)
from annex_gateway.endpoints.partial import list_meta as copy_list_meta
from annex_gateway.storage.codec import compact

log = logging.getLogger(__name__)

# metav1.ObjectMeta{}.SwaggerDoc() (apimachinery types_swagger_doc_generated.go)
NAME_DESCRIPTION = (
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
)
CREATION_TIMESTAMP_DESCRIPTION = (
    "CreationTimestamp is a timestamp representing the server time when this object was "
    "created. It is not guaranteed to be set in happens-before order across separate "
    "operations. Clients may not set this value. It is represented in RFC3339 form and is in "
    "UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
)
DEFAULT_COLUMNS = (
    PrinterColumn(
        name="Age",
        type="date",
        json_path=".metadata.creationTimestamp",
        description=CREATION_TIMESTAMP_DESCRIPTION,
    ),
)


class IncludeObject(StrEnum):
    NONE = "None"
    METADATA = "Metadata"
    OBJECT = "Object"


def include_object(value: str | None) -> IncludeObject:
    """The `includeObject` query parameter (its first value) of a Table request; 400 when kube's
    `ValidateTableOptions` refuses it. Only Table requests read it: others ignore any value."""
    if not value:
        return IncludeObject.METADATA
    try:
        return IncludeObject(value)
    except ValueError:
        raise apierrors.bad_request(
            "Unable to convert to Table as requested: includeObject: Invalid value: "
            f"{go_json(value)}: must be 'Metadata', 'Object', 'None', or empty"
        ) from None


@dataclass(frozen=True)
class _Column:
    type: str
    path: JSONPath


@dataclass(frozen=True)
class _Date:
    """A `date` cell before it is rendered: its age depends on when the row is sent."""

    value: str


_converters = itertools.count()
# Table rows by (converter, revision, includeObject, Table version): encoded but for their
# `date` cells, the dates' values left between the encoded parts. 32 MiB holds the rows of
# 50k objects like the example Image's (~550 bytes each, their managedFields shared).
ROWS = EncodedCache(32 * 1024 * 1024)
# Encoded managedFields shared between rows: objects written by the same managers in the
# same second have the same ones, about half of a row's PartialObjectMetadata.
_SHARED_MANAGED_FIELDS: dict[bytes, bytes] = {}
_SHARED_MAX = 4096


class TableConverter:
    """The columns of one resource version, their JSONPaths compiled once.

    Build it with `TableConverter.for_columns(version.printer_columns)` when a version is
    served, and keep it with the version.
    """

    def __init__(self, definitions: list[dict[str, Any]], columns: list[_Column]) -> None:
        self.column_definitions = definitions
        self._columns = columns
        self._id = next(_converters)  # its rows' share of `ROWS`: a reload starts afresh

    @classmethod
    def for_columns(cls, columns: Sequence[PrinterColumn]) -> TableConverter:
        """`tableconvertor.New(serveDefaultColumnsIfEmpty(columns))`.

        A JSONPath that does not parse ends the columns there, as kube's convertor does
        ("falling back to default printing": the columns before it, and Name, stay).
        """
        definitions: list[dict[str, Any]] = [
            {
                "name": "Name",
                "type": "string",
                "format": "name",
                "description": NAME_DESCRIPTION,
                "priority": 0,
            }
        ]
        compiled: list[_Column] = []
        for col in columns or DEFAULT_COLUMNS:
            try:
                path = JSONPath.compile("{" + col.json_path + "}")
            except JSONPathError as e:
                log.warning("unrecognized column definition %r: %s", col.json_path, e)
                break
            compiled.append(_Column(col.type, path))
            definitions.append(
                {
                    "name": col.name,
                    "type": col.type,
                    "format": col.format,
                    "description": col.description
                    or f"Custom resource definition column (in JSONPath format): {col.json_path}",
                    "priority": col.priority,
                }
            )
        return cls(definitions, compiled)

    def cells(self, obj: Mapping[str, Any], now: datetime) -> list[Any]:
        """One row's cells: the name, then each column's value (None when it has none)."""
        return [human_date(c.value, now) if type(c) is _Date else c for c in self._cells(obj)]

    def _cells(self, obj: Mapping[str, Any]) -> list[Any]:
        """`cells`, with each `date` cell that has a value as a `_Date` still to render."""
        metadata = obj.get("metadata")
        name = metadata.get("name") if isinstance(metadata, Mapping) else None
        cells: list[Any] = [name if isinstance(name, str) else ""]
        for column in self._columns:
            try:
                results = column.path.find_results(obj)
            except JSONPathError:
                cells.append(None)
                continue
            if not results or not results[0]:
                cells.append(None)
                continue
            value = results[0][0]  # a simple JSONPath: the first result is the value
            if column.type == "string":
                cells.append(print_result(value))
            elif column.type == "date":
                cells.append(_Date(value) if isinstance(value, str) else None)
            else:
                cells.append(cell_for_json_value(column.type, value, None))
        return cells

    def encode_rows(
        self,
        bodies: Sequence[bytes],
        revisions: Sequence[int] | None,
        to_served: Callable[[bytes], Mapping[str, Any]],
        *,
        include_object: IncludeObject,
        group_version: str,
        now: datetime,
    ) -> bytes:
        """The rows of stored bodies, comma-separated, as `to_table` encodes them
        (`to_served` decodes a body to the served object). With their revisions, rows are
        kept in `ROWS` and sent again with fresh ages, not rebuilt."""
        ages: dict[str, bytes] = {}
        rows = []
        include = str(include_object)  # a str hashes in C, an enum member in Python
        for i, body in enumerate(bodies):
            key = (self._id, revisions[i], include, group_version) if revisions else None
            segments = ROWS.get(key) if key is not None else None
            if segments is None:
                segments, size = self._segments(to_served(body), include_object, group_version)
                if key is not None:
                    ROWS.put(key, segments, size)
            rows.append(_render(segments, now, ages))
        return b",".join(rows)

    def _segments(
        self, obj: Mapping[str, Any], include_object: IncludeObject, group_version: str
    ) -> tuple[Segments, int]:
        """One row as `orjson.dumps({"cells": ..., "object": ...})` writes it, with each
        `date` cell's value in place of its encoding; and the bytes it holds alone (not
        counting managedFields shared with rows made before)."""
        segments: list[bytes | str] = []
        encoded = [b'{"cells":[']
        for n, cell in enumerate(self._cells(obj)):
            if n:
                encoded.append(b",")
            if type(cell) is _Date:
                segments.append(b"".join(encoded))
                segments.append(cell.value)
                encoded = []
            else:
                encoded.append(orjson.dumps(cell))
        encoded.append(b'],"object":')
        shared_size = 0
        row_obj = row_object(obj, include_object, group_version)
        managed = _pop_managed_fields(row_obj) if include_object is IncludeObject.METADATA else None
        if managed is None:
            encoded.append(orjson.dumps(row_obj))
        else:
            # {..."metadata":{...}} with `,"managedFields":[...]` spliced in before its end:
            # managedFields is ObjectMeta's last field, metadata PartialObjectMetadata's.
            head = orjson.dumps(row_obj)[:-2]
            encoded.append(head)
            encoded.append(b'"managedFields":' if head.endswith(b"{") else b',"managedFields":')
            segments.append(b"".join(encoded))
            shared, first = _shared(orjson.dumps(managed))
            segments.append(shared)
            shared_size = 0 if first else len(shared)
            encoded = [b"}}"]  # metadata, the PartialObjectMetadata; then the row
        encoded.append(b"}")
        segments.append(b"".join(encoded))
        size = sum(len(s) for s in segments) - shared_size
        return tuple(segments), size

    def to_table(
        self,
        objects: Sequence[Mapping[str, Any]],
        *,
        list_meta: Mapping[str, Any] | None,
        include_object: IncludeObject = IncludeObject.METADATA,
        now: datetime,
        group_version: str = META_V1,
        no_headers: bool = False,
    ) -> dict[str, Any]:
        """The Table of a list (`list_meta` its metadata) or of one object (`list_meta=None`,
        one object: the Table carries its resourceVersion, as for a get or a watch event).
        `now` must be timezone-aware: `date` cells are ages relative to it.

        `group_version` is the `g`/`v` the client asked for (`meta.k8s.io/v1` or `/v1beta1`);
        `no_headers` leaves out `columnDefinitions` (`null`), for watch events after the first.
        """
        if list_meta is None:
            single = objects[0].get("metadata") if len(objects) == 1 else None
            rv = single.get("resourceVersion") if isinstance(single, Mapping) else None
            meta = {"resourceVersion": rv} if isinstance(rv, str) and rv else {}
        else:
            meta = copy_list_meta(list_meta)
        return {
            "kind": "Table",
            "apiVersion": group_version,
            "metadata": meta,
            "columnDefinitions": None if no_headers else self.column_definitions,
            "rows": [
                {
                    "cells": self.cells(obj, now),
                    "object": row_object(obj, include_object, group_version),
                }
                for obj in objects
            ],
        }


def _pop_managed_fields(row_obj: Mapping[str, Any] | None) -> list[Any] | None:
    """A PartialObjectMetadata's managedFields, taken out of it (None: it has none)."""
    if not isinstance(row_obj, dict) or next(reversed(row_obj), None) != "metadata":
        return None
    metadata = row_obj["metadata"]
    if not isinstance(metadata, dict) or next(reversed(metadata), None) != "managedFields":
        return None
    managed: list[Any] = metadata.pop("managedFields")
    return managed


def _shared(encoded: bytes) -> tuple[bytes, bool]:
    """The one kept copy of `encoded`, and whether it is new."""
    found = _SHARED_MANAGED_FIELDS.get(encoded)
    if found is not None:
        return found, False
    if len(_SHARED_MANAGED_FIELDS) >= _SHARED_MAX:
        _SHARED_MANAGED_FIELDS.clear()  # the rows keep theirs; new rows share anew
    kept = compact(encoded)
    return _SHARED_MANAGED_FIELDS.setdefault(kept, kept), True


def _render(segments: Segments, now: datetime, ages: dict[str, bytes]) -> bytes:
    """A row's bytes with its ages as of `now` (`ages`: those rendered already, by value)."""
    out: list[bytes] = []
    for segment in segments:
        if isinstance(segment, bytes):
            out.append(segment)
        else:
            age = ages.get(segment)
            if age is None:
                age = ages[segment] = orjson.dumps(human_date(segment, now))
            out.append(age)
    return out[0] if len(out) == 1 else b"".join(out)


def row_object(
    obj: Mapping[str, Any], include: IncludeObject, group_version: str = META_V1
) -> Mapping[str, Any] | None:
    """`asTable`'s row object. The WatchList bookmark stays metadata even under `None`."""
    if include is IncludeObject.OBJECT:
        return obj
    if include is IncludeObject.METADATA or is_initial_events_end(obj):
        return to_partial_object_metadata(obj, group_version)
    return None


def cell_for_json_value(column_type: str, value: Any, now: datetime | None) -> Any:
    """`cellForJSONValue`: the cell of a non-string column, None when the value doesn't fit.

    Numbers come back as Python ints when Go's float64 would encode without a fraction, so
    the JSON is the same bytes kube writes (`5`, not `5.0`).
    """
    if value is None:
        return None
    is_int = type(value) is int  # not bool, nor a string's byte (Go's uint8)
    if column_type == "integer":
        if is_int:
            return value
        if isinstance(value, float):
            # Go's int64(f): toward zero; out of range, amd64 gives the "integer indefinite"
            # value (kube-apiserver's cell; a Python int beyond int64 would not encode).
            return int(value) if -(2.0**63) <= value < 2.0**63 else INT64_MIN
    elif column_type == "number":
        if is_int or isinstance(value, float):
            number = float(value)
            if number.is_integer() and abs(number) < 1e21:
                return _go_integral(number)
            return number
    elif column_type == "boolean":
        if isinstance(value, bool):
            return value
    elif column_type == "date" and isinstance(value, str) and now is not None:
        return human_date(value, now)
    return None


def _go_integral(number: float) -> int | float:
    """A whole float64 below 1e21 as Go's encoding/json writes it, without a fraction: its
    shortest digits, zero-padded (2**63 is 9223372036854776000, not ...5808). Beyond what
    JSON encoding takes as an integer (2**64), the float itself: the same number."""
    if abs(number) < 2**53:
        return int(number)  # exact, and the shortest digits too
    digits = int(format(Decimal(repr(number)).normalize(), "f"))
    return digits if INT64_MIN <= digits < 2**64 else number


def human_date(value: str, now: datetime) -> str:
    """A `date` cell: `<invalid>` if not RFC 3339, `<unknown>` if zero or empty, else the age."""
    if value in ("", "null"):
        return "<unknown>"
    when = parse_rfc3339(value)
    if when is None:
        return "<invalid>"
    if is_zero_time(when):
        return "<unknown>"
    return human_duration(now - when)
