"""Accept negotiation with transformations (`as=Table`, `as=PartialObjectMetadata[List]`).

kube-apiserver's algorithm (`k8s.io/apiserver/pkg/endpoints/handlers/negotiation/negotiate.go`
`NegotiateMediaTypeOptions`, `acceptMediaTypeOptions`; `handlers/rest.go`
`RequestScope.AllowsMediaTypeTransform`; clause parsing by `github.com/munnerz/goautoneg`):
the clauses, ordered by `q`, are tried in turn against the media types a CRD serves; the first
one whose parameters the endpoint allows wins. A CRD also serves protobuf (for Table-less
transformations only); the gateway does not, so it skips protobuf clauses and falls through.

Then the response object is transformed as `handlers/response.go` `doTransformObject` does it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from annex_gateway import apierrors
from annex_gateway.endpoints.partial import (
    META_V1,
    META_V1BETA1,
    to_partial_object_metadata,
    to_partial_object_metadata_list,
)
from annex_gateway.endpoints.table import IncludeObject, TableConverter

JSON = "application/json"
YAML = "application/yaml"
PROTOBUF = "application/vnd.kubernetes.protobuf"
# What a 406 lists: kube-apiserver's words for a CRD, which list its serializers, protobuf
# included (a CRD's objects are not served in protobuf either: a client asking only for it
# gets this 406 from both).
ACCEPTED = (JSON, YAML, PROTOBUF)
WATCH_ACCEPTED = (JSON + ";stream=watch", PROTOBUF + ";stream=watch")

TABLE = "Table"
PARTIAL = "PartialObjectMetadata"
PARTIAL_LIST = "PartialObjectMetadataList"
_META_GROUP_VERSIONS = {META_V1, META_V1BETA1}


@dataclass(frozen=True)
class Clause:
    """One clause of an Accept header, as goautoneg parses it (no case folding, no quotes)."""

    type: str
    subtype: str
    q: float = 1.0
    params: Mapping[str, str] = field(default_factory=dict)


def parse_accept(header: str) -> list[Clause]:
    """`goautoneg.ParseAccept`: the clauses, sorted as its `sort.Sort` leaves them."""
    clauses: list[Clause] = []
    for raw in header.split(","):
        part = raw.strip(" ")
        media, *raw_params = part.split(";")
        kind, slash, subtype = media.partition("/")
        kind = kind.strip(" ")
        if not slash or not subtype:
            if kind != "*":
                continue  # "text", "application/": not a media range
            subtype = "*"
        else:
            subtype, slash, rest = subtype.partition("/")
            if rest:
                continue  # "a/b/c"
        q, params = 1.0, {}
        for raw_param in raw_params:
            key, eq, value = raw_param.partition("=")
            if not eq or not value or "=" in value:
                continue
            if key.strip(" ") == "q":
                q = _parse_q(value)
            else:
                params[key.strip(" ")] = value.strip(" ")
        clauses.append(Clause(kind, subtype.strip(" "), q, params))
    return _insertion_sort(clauses)


def _parse_q(value: str) -> float:
    try:
        return float(value) if value.strip() == value and "_" not in value else 0.0
    except ValueError:
        return 0.0  # strconv.ParseFloat's error leaves 0


def _less(a: Clause, b: Clause) -> bool:
    return a.q > b.q or (a.type != "*" and b.type == "*") or (a.subtype != "*" and b.subtype == "*")


def _insertion_sort(clauses: list[Clause]) -> list[Clause]:
    """Go's sort.Sort on up to 12 elements (an insertion sort: stable), with goautoneg's
    `Less` (not a strict order). Longer headers: Go's pdqsort may order ties differently."""
    for i in range(1, len(clauses)):
        j = i
        while j > 0 and _less(clauses[j], clauses[j - 1]):
            clauses[j], clauses[j - 1] = clauses[j - 1], clauses[j]
            j -= 1
    return clauses


@dataclass(frozen=True)
class Transform:
    """A requested transformation: `kind` is Table, PartialObjectMetadata or
    PartialObjectMetadataList; `group_version` is `meta.k8s.io/v1` or `meta.k8s.io/v1beta1`
    (the apiVersion the result carries)."""

    kind: str
    group_version: str


@dataclass(frozen=True)
class Negotiated:
    """The outcome: encode the response as `media_type` (JSON or YAML), after `transform`."""

    media_type: str
    transform: Transform | None = None
    pretty: bool = False  # `pretty=1` in the clause


# (media type, has a stream serializer): JSON then YAML, in the CRD serializers' order.
_SERVED = ((JSON, True), (YAML, False))


def _options(params: Mapping[str, str], media_type: str, streams: bool) -> Negotiated | None:
    """`acceptMediaTypeOptions` with a CRD's `RequestScope` as the endpoint restrictions."""
    convert: dict[str, str] = {}
    pretty = False
    for key, value in params.items():
        if key in ("as", "g", "v"):
            convert[key] = value
        elif key == "stream" and value and (not streams or value != "watch"):
            return None  # only JSON streams, and only "watch"
        elif key == "sv" and value and value != "v1":  # the scope's MetaGroupVersion
            return None
        elif key == "pretty":
            pretty = value == "1"
    if not convert:
        return Negotiated(media_type, None, pretty)
    kind = convert.get("as", "")
    group_version = f"{convert.get('g', '')}/{convert.get('v', '')}"
    if group_version not in _META_GROUP_VERSIONS or kind not in (TABLE, PARTIAL, PARTIAL_LIST):
        return None
    return Negotiated(media_type, Transform(kind, group_version), pretty)


@functools.lru_cache(maxsize=256)
def _negotiate(accept: str | None) -> tuple[Negotiated, bool] | None:
    """Cached: clients send a handful of distinct Accept headers, which every request parsed
    again (4.6 us for JSON, 13 us for kubectl's Table header; 0.1 us cached); the answers
    are immutable."""
    if not accept:
        return Negotiated(JSON), True
    for clause in parse_accept(accept):
        for media_type, streams in _SERVED:
            kind, subtype = media_type.split("/")
            matches = (clause.type == kind and clause.subtype in (subtype, "*")) or (
                clause.type == "*" and clause.subtype == "*"
            )
            if matches and (chosen := _options(clause.params, media_type, streams)) is not None:
                return chosen, streams
    return None


def negotiate(accept: str | None) -> Negotiated:
    """The response encoding and transformation for a get, list, create, update, patch or
    delete; 406 NotAcceptable when no clause of `accept` can be served."""
    found = _negotiate(accept.strip() if accept else accept)
    if found is None:
        raise apierrors.not_acceptable(ACCEPTED)
    return found[0]


def negotiate_watch(accept: str | None) -> Negotiated:
    """As `negotiate`, for a watch: the chosen media type must stream, and YAML does not
    (kube answers 406 then, rather than trying the next clause)."""
    found = _negotiate(accept.strip() if accept else accept)
    if found is None:
        raise apierrors.not_acceptable(ACCEPTED)
    if not found[1]:
        raise apierrors.not_acceptable(WATCH_ACCEPTED)
    return found[0]


def _not_acceptable(message: str) -> apierrors.StatusError:
    return apierrors.StatusError(406, "NotAcceptable", message)


def _is_status(obj: Mapping[str, Any]) -> bool:
    return obj.get("kind") == "Status" and obj.get("apiVersion") == "v1"


def transform_object(
    obj: Mapping[str, Any],
    transform: Transform | None,
    *,
    table: TableConverter,
    include_object: IncludeObject = IncludeObject.METADATA,
    now: datetime | None = None,
) -> Mapping[str, Any]:
    """The body of a response holding one object (get, create, update, patch, delete).

    A `Status` passes through untouched. Asking for a PartialObjectMetadataList of one object
    is 406, as in kube.
    """
    if transform is None or _is_status(obj):
        return obj
    if transform.kind == TABLE:
        return table.to_table(
            [obj],
            list_meta=None,
            include_object=include_object,
            now=now or datetime.now(UTC),
            group_version=transform.group_version,
        )
    if transform.kind == PARTIAL:
        return to_partial_object_metadata(obj, transform.group_version)
    raise _not_acceptable(
        "you requested PartialObjectMetadataList, but the requested object is not a list "
        "(*unstructured.Unstructured)"
    )


def transform_list(
    list_obj: Mapping[str, Any],
    transform: Transform | None,
    *,
    table: TableConverter,
    include_object: IncludeObject = IncludeObject.METADATA,
    now: datetime | None = None,
) -> Mapping[str, Any]:
    """The body of a list response; asking for a PartialObjectMetadata of a list is 406."""
    if transform is None:
        return list_obj
    if transform.kind == TABLE:
        metadata = list_obj.get("metadata")
        return table.to_table(
            list_obj.get("items") or [],
            list_meta=metadata if isinstance(metadata, Mapping) else {},
            include_object=include_object,
            now=now or datetime.now(UTC),
            group_version=transform.group_version,
        )
    if transform.kind == PARTIAL_LIST:
        return to_partial_object_metadata_list(list_obj, transform.group_version)
    raise _not_acceptable(
        "you requested PartialObjectMetadata, but the requested object is a list "
        "(*unstructured.UnstructuredList)"
    )


class Unencodable(Exception):
    """A watch event the negotiated encoding cannot carry: the stream ends."""


class WatchTransformer:
    """The objects of one watch stream's events (`watchEmbeddedEncoder`).

    Call `event_object(obj)` for each event's object, bookmarks and ERROR statuses included,
    in order: the first Table carries `columnDefinitions`, later ones `null`. A transformation
    that fails on an event object (PartialObjectMetadataList of a single object) raises
    `Unencodable`: kube falls back to the object as it is, which the meta.k8s.io encoder it
    chose cannot write, and the stream ends there with nothing sent.
    """

    def __init__(
        self,
        transform: Transform | None,
        *,
        table: TableConverter,
        include_object: IncludeObject = IncludeObject.METADATA,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.transform = transform
        self.table = table
        self.include_object = include_object
        self.clock = clock
        self._headers_sent = False

    def event_object(self, obj: Mapping[str, Any]) -> Mapping[str, Any]:
        transform = self.transform
        try:
            if transform is None or _is_status(obj):
                return obj
            if transform.kind == TABLE:
                return self.table.to_table(
                    [obj],
                    list_meta=None,
                    include_object=self.include_object,
                    now=self.clock(),
                    group_version=transform.group_version,
                    no_headers=self._headers_sent,
                )
            if transform.kind == PARTIAL:
                return to_partial_object_metadata(obj, transform.group_version)
            raise Unencodable(transform.kind)
        finally:
            self._headers_sent = True
