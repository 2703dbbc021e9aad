"""Accept negotiation with transformations, and the transformed responses (contract 5.2, 5.9).

Expected values follow kubernetes/apiserver pkg/endpoints/handlers/negotiation/negotiate.go
(NegotiateMediaTypeOptions, acceptMediaTypeOptions), pkg/endpoints/handlers/rest.go
(AllowsMediaTypeTransform), pkg/endpoints/handlers/response.go (doTransformObject,
asPartialObjectMetadata[List], watchEmbeddedEncoder), github.com/munnerz/goautoneg autoneg.go,
and kubernetes/apiextensions-apiserver pkg/apiserver/customresource_handler.go (a CRD's
serializers: JSON, YAML, protobuf; only JSON streams here).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from annex_gateway.apierrors import StatusError
from annex_gateway.endpoints import transform
from annex_gateway.endpoints.partial import (
    object_meta,
    to_partial_object_metadata,
    to_partial_object_metadata_list,
)
from annex_gateway.endpoints.table import IncludeObject, TableConverter
from annex_gateway.endpoints.transform import (
    JSON,
    YAML,
    Negotiated,
    Transform,
    Unencodable,
    WatchTransformer,
    negotiate,
    negotiate_watch,
    parse_accept,
)

NOW = datetime(2024, 5, 10, 12, 0, 0, tzinfo=UTC)
TABLE_V1 = Transform("Table", "meta.k8s.io/v1")
TABLE_V1BETA1 = Transform("Table", "meta.k8s.io/v1beta1")
POM = Transform("PartialObjectMetadata", "meta.k8s.io/v1")
POML = Transform("PartialObjectMetadataList", "meta.k8s.io/v1")
KUBECTL_GET = (
    "application/json;as=Table;v=v1;g=meta.k8s.io,"
    "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
)
METADATA_CLIENT_LIST = (
    "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,"
    "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
)
METADATA_CLIENT_WATCH = (
    "application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,"
    "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json"
)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, Negotiated(JSON)),
        ("", Negotiated(JSON)),
        ("  ", Negotiated(JSON)),
        ("*/*", Negotiated(JSON)),
        ("*", Negotiated(JSON)),
        ("application/*", Negotiated(JSON)),
        ("application/json", Negotiated(JSON)),
        ("application/yaml", Negotiated(YAML)),
        ("application/json;charset=utf-8", Negotiated(JSON)),
        ("application/json;stream=watch", Negotiated(JSON)),
        ("application/json;pretty=1", Negotiated(JSON, pretty=True)),
        (KUBECTL_GET, Negotiated(JSON, TABLE_V1)),
        ("application/json;as=Table;v=v1beta1;g=meta.k8s.io", Negotiated(JSON, TABLE_V1BETA1)),
        ("application/yaml;as=Table;v=v1;g=meta.k8s.io", Negotiated(YAML, TABLE_V1)),
        ("*/*;as=Table;v=v1;g=meta.k8s.io", Negotiated(JSON, TABLE_V1)),
        (METADATA_CLIENT_LIST, Negotiated(JSON, POML)),
        (METADATA_CLIENT_WATCH, Negotiated(JSON, POM)),
        # skipped clauses fall through to the next one
        ("application/vnd.kubernetes.protobuf, application/yaml", Negotiated(YAML)),
        ("application/cbor,application/json", Negotiated(JSON)),
        ("application/json;as=Table;v=v2;g=meta.k8s.io,application/yaml", Negotiated(YAML)),
        ("application/json;as=Table,application/yaml", Negotiated(YAML)),
        ("application/json;as=Foo;v=v1;g=meta.k8s.io,application/yaml", Negotiated(YAML)),
        ("application/json;g=meta.k8s.io;v=v1,application/yaml", Negotiated(YAML)),
        ("application/json;stream=other,application/yaml", Negotiated(YAML)),
        ("application/yaml;stream=watch,application/json", Negotiated(JSON)),
        ("application/json;sv=v2,application/yaml", Negotiated(YAML)),
        ("application/json;sv=v1", Negotiated(JSON)),
        # q orders the clauses; an unparsable q is 0, and q=0 still serves
        ("application/json;q=x", Negotiated(JSON)),
        ("application/json;q=0.5,application/yaml", Negotiated(YAML)),
        (
            "application/yaml;q=0.9,application/json;as=Table;v=v1;g=meta.k8s.io",
            Negotiated(JSON, TABLE_V1),
        ),
    ],
)
def test_negotiate(accept: str | None, expected: Negotiated) -> None:
    assert negotiate(accept) == expected


@pytest.mark.parametrize(
    "accept",
    [
        "text/plain",
        "application/vnd.kubernetes.protobuf",
        "application/JSON",  # goautoneg does not fold case
        "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1",
    ],
)
def test_not_acceptable(accept: str) -> None:
    with pytest.raises(StatusError) as caught:
        negotiate(accept)
    assert caught.value.code == 406
    assert caught.value.reason == "NotAcceptable"
    assert caught.value.message == (
        "only the following media types are accepted: application/json, application/yaml, "
        "application/vnd.kubernetes.protobuf"
    )


def test_table_as_protobuf_is_not_acceptable() -> None:
    with pytest.raises(StatusError):
        negotiate("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io")


def test_watch_negotiation() -> None:
    assert negotiate_watch(METADATA_CLIENT_WATCH) == Negotiated(JSON, POM)
    assert negotiate_watch(KUBECTL_GET) == Negotiated(JSON, TABLE_V1)
    assert negotiate_watch(None) == Negotiated(JSON)
    with pytest.raises(StatusError) as caught:
        negotiate_watch("application/yaml,application/json")  # YAML wins, and cannot stream
    assert caught.value.message == (
        "only the following media types are accepted: application/json;stream=watch, "
        "application/vnd.kubernetes.protobuf;stream=watch"
    )
    with pytest.raises(StatusError) as caught:
        negotiate_watch("text/html")
    assert caught.value.message.endswith(
        "application/json, application/yaml, application/vnd.kubernetes.protobuf"
    )


def test_parse_accept_like_goautoneg() -> None:
    clauses = parse_accept(" a/b ;x= 1 ;q=0.5;bad;y=1=2;z=, */*,c/*, d, e/f/g,h/i/")
    assert [(c.type, c.subtype, c.q, dict(c.params)) for c in clauses] == [
        ("h", "i", 1.0, {}),
        ("c", "*", 1.0, {}),
        ("*", "*", 1.0, {}),
        ("a", "b", 0.5, {"x": "1"}),
    ]


# -- transformed responses --------------------------------------------------------------------

IMAGE: dict[str, Any] = {
    "apiVersion": "images.example.com/v1alpha1",
    "kind": "Image",
    "metadata": {
        "name": "a",
        "namespace": "default",
        "uid": "u1",
        "resourceVersion": "5",
        "generation": 2,
        "creationTimestamp": "2024-05-10T11:00:00Z",
        "labels": {"x": "y"},
        "finalizers": ["f"],
        "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "c", "uid": "u0"}],
    },
    "spec": {"baseImage": "debian:12"},
}
LIST: dict[str, Any] = {
    "apiVersion": "images.example.com/v1alpha1",
    "kind": "ImageList",
    "metadata": {"resourceVersion": "9", "continue": "c1"},
    "items": [IMAGE],
}
CONVERTER = TableConverter.for_columns(())


def test_partial_object_metadata() -> None:
    assert to_partial_object_metadata(IMAGE) == {
        "kind": "PartialObjectMetadata",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": IMAGE["metadata"],
    }


def test_partial_object_metadata_list() -> None:
    assert to_partial_object_metadata_list(LIST) == {
        "kind": "PartialObjectMetadataList",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": "9", "continue": "c1"},
        "items": [to_partial_object_metadata(IMAGE)],
    }
    empty = to_partial_object_metadata_list({"metadata": {"resourceVersion": "3"}, "items": []})
    assert empty["items"] is None  # a nil Go slice, as kube writes it


def test_object_meta_is_rebuilt_as_kube_types_it() -> None:
    meta = object_meta(
        {
            "name": "a",
            "unknown": "dropped",
            "generation": 0,
            "labels": {},
            "creationTimestamp": "2024-05-10T13:00:00.123+02:00",
            "deletionTimestamp": "garbage",
            "deletionGracePeriodSeconds": 0,
            "ownerReferences": [{"name": "o", "controller": True}],
            "managedFields": [
                {
                    "manager": "m",
                    "operation": "Update",
                    "time": "2024-05-10T11:00:00Z",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:spec": {}},
                },
            ],
        }
    )
    assert meta == {
        "name": "a",
        "creationTimestamp": "2024-05-10T11:00:00Z",
        "deletionGracePeriodSeconds": 0,
        "ownerReferences": [
            {"apiVersion": "", "kind": "", "name": "o", "uid": "", "controller": True}
        ],
        "managedFields": [
            {
                "manager": "m",
                "operation": "Update",
                "time": "2024-05-10T11:00:00Z",
                "fieldsType": "FieldsV1",
                "fieldsV1": {"f:spec": {}},
            },
        ],
    }


def test_transform_object() -> None:
    kw: dict[str, Any] = {"table": CONVERTER, "now": NOW}
    assert transform.transform_object(IMAGE, None, **kw) is IMAGE
    assert transform.transform_object(IMAGE, POM, **kw) == to_partial_object_metadata(IMAGE)
    table = transform.transform_object(IMAGE, TABLE_V1, **kw)
    assert table["rows"][0]["cells"] == ["a", "60m"]
    assert table["metadata"] == {"resourceVersion": "5"}
    status = {"kind": "Status", "apiVersion": "v1", "status": "Success"}
    assert transform.transform_object(status, TABLE_V1, **kw) is status
    with pytest.raises(StatusError) as caught:
        transform.transform_object(IMAGE, POML, **kw)
    assert caught.value.code == 406
    assert caught.value.message == (
        "you requested PartialObjectMetadataList, but the requested object is not a list "
        "(*unstructured.Unstructured)"
    )


def test_transform_list() -> None:
    kw: dict[str, Any] = {"table": CONVERTER, "now": NOW}
    assert transform.transform_list(LIST, None, **kw) is LIST
    assert transform.transform_list(LIST, POML, **kw) == to_partial_object_metadata_list(LIST)
    table = transform.transform_list(LIST, TABLE_V1, include_object=IncludeObject.OBJECT, **kw)
    assert table["metadata"] == {"resourceVersion": "9", "continue": "c1"}
    assert table["rows"] == [{"cells": ["a", "60m"], "object": IMAGE}]
    with pytest.raises(StatusError) as caught:
        transform.transform_list(LIST, POM, **kw)
    assert caught.value.message == (
        "you requested PartialObjectMetadata, but the requested object is a list "
        "(*unstructured.UnstructuredList)"
    )


def test_watch_tables_carry_headers_once() -> None:
    watch = WatchTransformer(TABLE_V1, table=CONVERTER, clock=lambda: NOW)
    first = watch.event_object(IMAGE)
    second = watch.event_object(IMAGE)
    assert first["columnDefinitions"] == CONVERTER.column_definitions
    assert second["columnDefinitions"] is None
    assert second["rows"] == first["rows"]


def test_watch_status_passes_and_uses_up_the_headers() -> None:
    watch = WatchTransformer(TABLE_V1, table=CONVERTER, clock=lambda: NOW)
    status = {"kind": "Status", "apiVersion": "v1", "code": 410}
    assert watch.event_object(status) is status
    assert watch.event_object(IMAGE)["columnDefinitions"] is None


def test_watch_partial_object_metadata() -> None:
    assert WatchTransformer(POM, table=CONVERTER).event_object(IMAGE) == (
        to_partial_object_metadata(IMAGE)
    )
    assert WatchTransformer(None, table=CONVERTER).event_object(IMAGE) is IMAGE


def test_watch_of_a_list_transformation_cannot_encode_its_events() -> None:
    """kube falls back to the object, which its meta.k8s.io encoder cannot write: the stream
    ends at the first event (the differential case watch-metadata-list)."""
    watch = WatchTransformer(POML, table=CONVERTER)
    with pytest.raises(Unencodable):
        watch.event_object(IMAGE)
    status = {"kind": "Status", "apiVersion": "v1", "code": 410}
    assert watch.event_object(status) is status
