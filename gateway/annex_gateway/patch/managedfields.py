"""`metadata.managedFields` in and out: k8s.io/apimachinery pkg/util/managedfields/internal
managedfields.go (DecodeManagedFields, BuildManagerIdentifier, encodeManagedFields,
sortEncodedManagedFields) and fields.go.

In between, managers are keyed by an identifier: the JSON of their entry without fieldsType,
fieldsV1 and time (and without apiVersion for Apply entries, so an applier keeps one entry
across versions).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

from annex_gateway.patch import values
from annex_gateway.patch.fieldpath import FieldSet, PathElement
from annex_gateway.patch.updater import VersionedSet

APPLY, UPDATE = "Apply", "Update"

# json:"..." order of metav1.ManagedFieldsEntry
_ENTRY_ORDER = (
    "manager",
    "operation",
    "apiVersion",
    "time",
    "fieldsType",
    "fieldsV1",
    "subresource",
)


@dataclass
class Managed:
    fields: dict[str, VersionedSet] = field(default_factory=dict)
    times: dict[str, str | None] = field(default_factory=dict)

    def copy(self) -> Managed:
        return Managed(dict(self.fields), dict(self.times))


@functools.lru_cache(maxsize=1024)
def manager_identifier(
    manager: str, operation: str, api_version: str = "", subresource: str = ""
) -> str:
    """BuildManagerIdentifier: json.Marshal of the entry's identifying fields (omitempty)."""
    if operation == APPLY:
        api_version = ""
    parts = [
        (k, v)
        for k, v in (
            ("manager", manager),
            ("operation", operation),
            ("apiVersion", api_version),
            ("subresource", subresource),
        )
        if v
    ]
    return "{" + ",".join(f'"{k}":{values.go_json_string(v)}' for k, v in parts) + "}"


def parse_identifier(identifier: str) -> dict[str, str]:
    return dict(_parse_identifier(identifier))


@functools.lru_cache(maxsize=1024)
def _parse_identifier(identifier: str) -> tuple[tuple[str, str], ...]:
    out = json.loads(identifier)
    assert isinstance(out, dict)
    return tuple((k, str(v)) for k, v in out.items())


@functools.lru_cache(maxsize=1024)
def format_time(t: str) -> str:
    """metav1.Time as it serializes: RFC 3339, seconds, UTC."""
    parsed = datetime.fromisoformat(t.replace("Z", "+00:00").replace("z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@functools.lru_cache(maxsize=1024)
def unix(t: str | None) -> int:
    if not t:
        return 0
    return int(datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp())


class MalformedManagedFields(ValueError):
    """Entries unstructured.GetManagedFields could not read: k8s treats them as absent."""


def read_entries(raw: Any) -> list[dict[str, Any]] | None:
    """unstructured.GetManagedFields: None when absent or unreadable, else the entries."""
    if not isinstance(raw, list):
        return None
    out: list[dict[str, Any]] = []
    for item in raw:
        if not isinstance(item, dict):
            return None
        entry: dict[str, Any] = {}
        for key in _ENTRY_ORDER:
            v = item.get(key)
            if v is None:
                continue
            if key == "fieldsV1":
                entry[key] = v
            elif not isinstance(v, str):
                return None
            elif key == "time":
                try:
                    entry[key] = format_time(v)
                except ValueError:
                    return None
            else:
                entry[key] = v
        out.append(entry)
    return out


def is_reset(entries: list[dict[str, Any]] | None) -> bool:
    """isResetManagedFields: an empty list, or one empty entry, wipes the managers."""
    if entries is None:
        return False
    return len(entries) == 0 or (len(entries) == 1 and not entries[0])


def decode(entries: list[dict[str, Any]] | None) -> Managed:
    """DecodeManagedFields; raises ValueError worded as Go."""
    managed = Managed()
    for i, e in enumerate(entries or []):
        op = e.get("operation", "")
        if op not in (APPLY, UPDATE):
            raise ValueError("operation must be `Apply` or `Update`")
        if not e.get("apiVersion"):
            raise ValueError("apiVersion must not be empty")
        ftype = e.get("fieldsType", "")
        if ftype == "":
            raise ValueError(f"missing fieldsType in managed fields entry {i}")
        if ftype != "FieldsV1":
            raise ValueError(f'invalid fieldsType "{ftype}" in managed fields entry {i}')
        ident = manager_identifier(
            e.get("manager", ""), op, e.get("apiVersion", ""), e.get("subresource", "")
        )
        try:
            s = _decoded(e.get("fieldsV1", {}))
        except ValueError as err:
            raise ValueError(
                f"error decoding versioned set from {_go_entry(e)}: error decoding set: {err}"
            ) from None
        managed.fields[ident] = VersionedSet(s, e["apiVersion"], op == APPLY)
        managed.times[ident] = e.get("time")
    return managed


# fieldsV1 (as JSON text) -> its FieldSet. Every write decodes the live object's managedFields,
# which most often are what an earlier write encoded for it or for objects like it (same
# manager, same fields): ~85 µs for a 30-field object, a few for the key. FieldSets are
# immutable, so one can be handed out any number of times. Bounded by the keys' bytes (a set
# takes ~10 times its text): first in, first out past 512 KiB; larger texts are not kept.
class _DecodedSets:
    def __init__(self, max_bytes: int, max_key: int) -> None:
        self.sets: dict[bytes, FieldSet] = {}
        self.bytes = 0
        self.max_bytes, self.max_key = max_bytes, max_key

    def get(self, fields: Any) -> FieldSet:
        try:
            key = orjson.dumps(fields)
        except TypeError:  # not JSON (orjson's JSONEncodeError): from_fields says why
            return FieldSet.from_fields(fields)
        s = self.sets.get(key)
        if s is None:
            s = FieldSet.from_fields(fields)  # a ValueError keeps nothing
            if len(key) <= self.max_key:
                while self.sets and self.bytes + len(key) > self.max_bytes:
                    oldest = next(iter(self.sets))
                    del self.sets[oldest]
                    self.bytes -= len(oldest)
                self.sets[key] = s
                self.bytes += len(key)
        return s


_decoded = _DecodedSets(512 * 1024, 32 * 1024).get


def _go_entry(e: dict[str, Any]) -> str:
    # %v of a ManagedFieldsEntry; close enough for a message nobody parses.
    return "{" + " ".join(str(e.get(k, "")) for k in _ENTRY_ORDER[:5]) + "}"


def encode(managed: Managed) -> list[dict[str, Any]] | None:
    """encodeManagedFields + sortEncodedManagedFields; None when nobody manages anything."""
    if not managed.fields:
        return None
    entries: list[dict[str, Any]] = []
    for ident, vs in managed.fields.items():
        info = parse_identifier(ident)
        entry: dict[str, Any] = {
            "manager": info.get("manager", ""),
            "operation": APPLY if vs.applied else info.get("operation", ""),
            "apiVersion": vs.api_version,
        }
        t = managed.times.get(ident)
        if t:
            entry["time"] = t
        entry["fieldsType"] = "FieldsV1"
        entry["fieldsV1"] = vs.set.to_fields()
        if info.get("subresource"):
            entry["subresource"] = info["subresource"]
        # Served as a JSON map, so with sorted keys (see FieldSet.to_fields).
        kept = {k: v for k, v in entry.items() if v != "" or k == "fieldsV1"}
        entries.append(dict(sorted(kept.items())))
    entries.sort(
        key=lambda e: (
            e.get("operation", ""),
            unix(e.get("time")),
            e.get("manager", ""),
            e.get("apiVersion", ""),
            e.get("subresource", ""),
        )
    )
    return entries


SCALE_API_VERSION = "autoscaling/v1"
_REPLICAS_IN_SCALE_PATH = (PathElement.field("spec"), PathElement.field("replicas"))
_REPLICAS_IN_SCALE = FieldSet.of([_REPLICAS_IN_SCALE_PATH])

# apiVersion -> the path of its spec replicas (None: that version has no scale subresource);
# every version of the resource is named (managedfields.ResourcePathMappings).
ReplicasPaths = Mapping[str, tuple[str, ...] | None]


def _replicas_path(paths: ReplicasPaths, api_version: str) -> tuple[PathElement, ...] | None:
    fields = paths.get(api_version)
    return None if fields is None else tuple(PathElement.field(f) for f in fields)


def to_subresource(
    entries: list[dict[str, Any]] | None, paths: ReplicasPaths
) -> list[dict[str, Any]] | None:
    """ScaleHandler.ToSubresource: the managers of the parent's replicas, as the
    autoscaling/v1 Scale's managers of spec.replicas (keyed as in the parent, their time
    kept), entries in the typed ManagedFieldsEntry's field order. None when nobody owns them,
    or when the parent's entries do not decode (kube-apiserver fails the write then; here the
    Scale has none)."""
    try:
        parent = decode(entries)
    except ValueError:
        return None
    converted = Managed()
    for ident, vs in parent.fields.items():
        path = _replicas_path(paths, vs.api_version)
        if path is not None and vs.set.has(path):
            converted.fields[ident] = VersionedSet(
                _REPLICAS_IN_SCALE, SCALE_API_VERSION, vs.applied
            )
            converted.times[ident] = parent.times.get(ident)
    encoded = encode(converted)
    if encoded is None:
        return None
    return [{k: e[k] for k in _ENTRY_ORDER if k in e} for e in encoded]


def to_parent(
    parent_entries: list[dict[str, Any]] | None,
    scale_entries: list[dict[str, Any]] | None,
    api_version: str,
    paths: ReplicasPaths,
) -> list[dict[str, Any]] | None:
    """ScaleHandler.ToParent: the parent's managers after a write through /scale at
    `api_version`. A parent manager of the replicas whose key the Scale's managers no longer
    hold loses them: an Update manager's key names its apiVersion, which the Scale's entries
    changed to autoscaling/v1, so it always does, and the Scale's manager of that key comes
    back with the replicas alone and no time (kube-apiserver writes the two entries, which
    name the same manager). Managers at a version the resource does not have are dropped.
    Raises ValueError when either side's entries do not decode."""
    parent, scale = decode(parent_entries), decode(scale_entries)
    scale_fields = dict(scale.fields)
    out = Managed()
    for ident, vs in parent.fields.items():
        if vs.api_version not in paths:
            continue
        path = _replicas_path(paths, vs.api_version)
        if path is None or not vs.set.has(path):
            out.fields[ident], out.times[ident] = vs, parent.times.get(ident)
        elif ident not in scale_fields:  # stolen
            rest = vs.set.difference(FieldSet.of([path]))
            if not rest.empty():
                out.fields[ident] = VersionedSet(rest, vs.api_version, vs.applied)
                out.times[ident] = parent.times.get(ident)
        else:  # not stolen: kept as it is
            out.fields[ident], out.times[ident] = vs, parent.times.get(ident)
            del scale_fields[ident]
    replicas = _replicas_path(paths, api_version)
    for ident, vs in scale_fields.items():
        if replicas is None or not vs.set.has(_REPLICAS_IN_SCALE_PATH):
            continue
        out.fields[ident] = VersionedSet(FieldSet.of([replicas]), api_version, vs.applied)
        out.times[ident] = parent.times.get(ident)
    return encode(out)
