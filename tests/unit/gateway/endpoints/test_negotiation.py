"""Request body decoding and Accept negotiation (contract section 5.2)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import yaml

from annex_gateway.apierrors import StatusError
from annex_gateway.endpoints import negotiation, yamlbody, yamlout
from annex_gateway.endpoints.limits import DEFAULT_MAX_OBJECT_BYTES, DecodeLimits
from annex_gateway.endpoints.negotiation import JSON, YAML, MediaType

OBJECT = {"apiVersion": "images.example.com/v1alpha1", "kind": "Image", "metadata": {"name": "x"}}
JSON_BODY = b'{"apiVersion":"images.example.com/v1alpha1","kind":"Image","metadata":{"name":"x"}}\n'
YAML_BODY = b"apiVersion: images.example.com/v1alpha1\nkind: Image\nmetadata:\n  name: x\n"
TOO_DEEP = "error decoding request body: exceeded max depth of 200"


def status_error(call: Any, *args: Any) -> StatusError:
    with pytest.raises(StatusError) as caught:
        call(*args)
    return caught.value


async def decode_error(body: bytes, content_type: str | None) -> StatusError:
    with pytest.raises(StatusError) as caught:
        await negotiation.decode_body(body, content_type)
    return caught.value


# -- media types ------------------------------------------------------------------------------


def test_parse_media_type() -> None:
    media = negotiation.parse_media_type(
        ' Application/JSON ; as=Table;v=v1 ; g=meta.k8s.io ; profile="x" ;;'
    )
    assert media == MediaType(
        "application/json", (("as", "Table"), ("v", "v1"), ("g", "meta.k8s.io"), ("profile", "x"))
    )
    assert media.param("as") == "Table"
    assert media.param("missing") is None
    assert negotiation.parse_media_type("") == MediaType("")


# -- request bodies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "APPLICATION/JSON",
        None,  # client-go's scale client sends no Content-Type: that means JSON
        "",
    ],
)
async def test_json_bodies(content_type: str | None) -> None:
    assert await negotiation.decode_body(JSON_BODY, content_type) == OBJECT


@pytest.mark.parametrize("content_type", ["application/yaml", "application/yaml; charset=utf-8"])
async def test_yaml_bodies(content_type: str) -> None:
    assert await negotiation.decode_body(YAML_BODY, content_type) == OBJECT


async def test_json_is_yaml_too() -> None:
    assert await negotiation.decode_body(JSON_BODY, YAML) == OBJECT


async def test_json_sent_as_yaml_skips_the_yaml_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """kubectl sends apply configurations as JSON with the apply-patch+yaml type: orjson
    reads them inline; only real YAML (flow style included) goes to libyaml in a thread."""
    parsed: list[bytes] = []
    decode_yaml = yamlbody.decode_yaml

    def spy(body: bytes, limits: DecodeLimits) -> Any:
        parsed.append(body)
        return decode_yaml(body, limits)

    monkeypatch.setattr(yamlbody, "decode_yaml", spy)
    assert await negotiation.decode_body(JSON_BODY, YAML) == OBJECT
    assert parsed == []
    assert await negotiation.decode_body(b"{a: 1, b: [x]}", YAML) == {"a": 1, "b": ["x"]}
    assert await negotiation.decode_body(b"  [1, 2]", YAML) == [1, 2]
    assert parsed == [b"{a: 1, b: [x]}"]


async def test_yaml_is_not_json() -> None:
    error = await decode_error(YAML_BODY, None)
    assert (error.code, error.reason) == (400, "BadRequest")


@pytest.mark.parametrize(
    "content_type",
    [
        "application/vnd.kubernetes.protobuf",
        "application/cbor",
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/strategic-merge-patch+json",
        "application/merge-patch+json",
        "application/json-patch+json",
        "application/apply-patch+yaml",
    ],
)
async def test_other_body_types_are_415(content_type: str) -> None:
    error = await decode_error(JSON_BODY, content_type)
    assert (error.code, error.reason) == (415, "UnsupportedMediaType")
    assert error.message == (
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json, application/yaml, application/vnd.kubernetes.protobuf"
    )
    assert error.status()["code"] == 415


async def test_a_body_over_3_mib_is_413() -> None:
    body = b'{"a":"' + b"x" * (3 * 1024 * 1024) + b'"}'
    error = await decode_error(body, JSON)
    assert (error.code, error.reason) == (413, "RequestEntityTooLarge")


async def test_a_body_of_exactly_3_mib_is_read_whole() -> None:
    padding = negotiation.MAX_BODY_BYTES - len(b'{"a":""}')
    body = b'{"a":"' + b"x" * padding + b'"}'
    assert len(body) == negotiation.MAX_BODY_BYTES
    roomy = DecodeLimits(max_object_bytes=negotiation.MAX_BODY_BYTES)
    assert len((await negotiation.decode_body(body, JSON, roomy))["a"]) == padding


async def test_an_object_over_the_object_limit_is_413() -> None:
    """The wire limit is 3 MiB, the object's 1.5 MiB by default (etcd's request limit)."""
    body = b'{"a":"' + b"x" * DEFAULT_MAX_OBJECT_BYTES + b'"}'
    error = await decode_error(body, JSON)
    assert (error.code, error.reason) == (413, "RequestEntityTooLarge")
    assert error.message == (
        "Request entity too large: the object is larger than 1572864 bytes once decoded"
    )


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{", JSON),
        (b"", JSON),
        (b"{'single': 'quotes'}", JSON),
        (b"\xff\xfe", JSON),
        (b"a: [1, 2", YAML),
        (b"\xff\xfe\xfa", YAML),
    ],
)
async def test_malformed_bodies_are_400(body: bytes, content_type: str) -> None:
    error = await decode_error(body, content_type)
    assert (error.code, error.reason) == (400, "BadRequest")
    assert error.message.startswith("error decoding request body: ")
    assert "\n" not in error.message


async def test_yaml_is_read_safely() -> None:
    """No tag constructs anything: an unknown one leaves the value as YAML wrote it, as
    go-yaml leaves it (the handlers then refuse what is not an object)."""
    data = await negotiation.decode_body(b"!!python/object/apply:os.system ['true']", YAML)
    assert data == ["true"]


async def test_only_the_first_yaml_document_counts() -> None:
    """go-yaml (sigs.k8s.io/yaml) decodes the first document of a stream."""
    assert await negotiation.decode_body(b"a: 1\n---\nb: 2\n", YAML) == {"a": 1}


# -- Accept -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON),
        ("", JSON),
        ("  ", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        ("application/json", JSON),
        ("application/json;stream=watch", JSON),
        ("application/json, */*", JSON),
        ("Application/Json; charset=utf-8", JSON),
        ("application/yaml", YAML),
        ("application/yaml, application/json", YAML),
        ("text/html, application/yaml;q=0.9, */*;q=0.8", YAML),
        # clauses we cannot serve are skipped
        ("application/vnd.kubernetes.protobuf, application/json", JSON),
        ("application/cbor, application/yaml", YAML),
        # transformations (as=) are not implemented: fall through to the plain clause
        ("application/json;as=Table;v=v1;g=meta.k8s.io,application/json", JSON),
        (
            "application/json;as=Table;v=v1;g=meta.k8s.io,"
            "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
            JSON,
        ),
        (
            "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,"
            "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json",
            JSON,
        ),
        ("application/json;as=Table;g=meta.k8s.io;v=v1, application/yaml", YAML),
    ],
)
def test_accept(accept: str | None, expected: str) -> None:
    assert negotiation.choose_response_type(accept) == expected


@pytest.mark.parametrize(
    "accept",
    [
        "application/vnd.kubernetes.protobuf",
        "application/cbor",
        "text/html",
        "application/json;as=Table;v=v1;g=meta.k8s.io",
        "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1",
        "application/vnd.kubernetes.protobuf, text/plain",
        "application/apidiscovery.k8s.io.v2+json",  # not "application/json"
    ],
)
def test_nothing_acceptable_is_406(accept: str) -> None:
    error = status_error(negotiation.choose_response_type, accept)
    assert (error.code, error.reason) == (406, "NotAcceptable")
    assert error.message == (
        "only the following media types are accepted: application/json, application/yaml, "
        "application/vnd.kubernetes.protobuf"
    )


# -- encoding ---------------------------------------------------------------------------------


def test_encode_json_is_compact_with_a_newline_at_the_end_as_json_encoder_writes_it() -> None:
    assert negotiation.encode(OBJECT, JSON) == JSON_BODY
    assert negotiation.encode({"a": [1, {"b": None}]}, JSON) == b'{"a":[1,{"b":null}]}\n'


def test_encode_json_sorts_an_unstructured_objects_keys_and_escapes_as_go_does() -> None:
    data = {"z": "<a & b>", "a": {"y": 1, "b": "\u2028"}}
    assert negotiation.encode(data, JSON) == (
        b'{"z":"\\u003ca \\u0026 b\\u003e","a":{"y":1,"b":"\\u2028"}}\n'
    )
    assert negotiation.encode(data, JSON, sort=True) == (
        b'{"a":{"b":"\\u2028","y":1},"z":"\\u003ca \\u0026 b\\u003e"}\n'
    )


def test_encode_pretty_json_is_marshal_indent() -> None:
    data = {"b": [], "a": {}, "c": [1, {"d": "x,:{}"}]}
    assert negotiation.encode(data, JSON, pretty=True, sort=True) == (
        b'{\n  "a": {},\n  "b": [],\n  "c": [\n    1,\n    {\n      "d": "x,:{}"\n    }\n  ]\n}'
    )


def test_encode_yaml_as_sigs_k8s_io_yaml_writes_it() -> None:
    """Keys sorted; strings that would read back as another type double-quoted; multi-line
    strings as literal blocks (go-yaml v2, as kube-apiserver answers YAML)."""
    data = {"kind": "Image", "apiVersion": "v1", "n": {"rv": "12", "on": "y", "text": "a\nb\n"}}
    encoded = negotiation.encode(data, YAML)
    assert encoded == (
        b'apiVersion: v1\nkind: Image\n"n":\n  "on": "y"\n  rv: "12"\n  text: |\n    a\n    b\n'
    )
    assert yaml.safe_load(encoded) == data


def test_encode_yaml_is_safe_and_uses_libyaml_when_present() -> None:
    if yaml.__with_libyaml__:
        assert yamlout.GoYamlDumper.__mro__[1] is yaml.CSafeDumper
    with pytest.raises(yaml.representer.RepresenterError):
        negotiation.encode({"x": object()}, YAML)  # no Python-specific tags


@pytest.mark.parametrize("media_type", [JSON, YAML])
async def test_encode_response_is_encode(media_type: str) -> None:
    document = {"kind": "ImageList", "items": [OBJECT, {**OBJECT, "spec": {"n": [1, None]}}]}
    encoded = await negotiation.encode_response(document, media_type)
    assert encoded == negotiation.encode(document, media_type)


async def test_yaml_responses_are_encoded_off_the_event_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: dict[str, int] = {}
    encode = negotiation.encode

    def spy(data: Any, media_type: str, **options: bool) -> bytes:
        threads[media_type] = threading.get_ident()
        return encode(data, media_type, **options)

    monkeypatch.setattr(negotiation, "encode", spy)
    assert await negotiation.encode_response(OBJECT, YAML) == YAML_BODY
    assert await negotiation.encode_response(OBJECT, JSON) == JSON_BODY
    assert threads[YAML] != threading.get_ident()
    assert threads[JSON] == threading.get_ident()  # orjson is fast: inline


# -- hostile YAML ------------------------------------------------------------------------------


async def test_billion_laughs_is_refused_quickly() -> None:
    doc = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
    previous = "a"
    for name in "bcdefghi":
        doc += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 10) + "]\n"
        previous = name
    error = await decode_error(doc.encode(), YAML)
    assert (error.code, error.message) == (
        400,
        "error decoding request body: error converting YAML to JSON: yaml: document contains "
        "excessive aliasing",
    )


async def test_modest_aliasing_is_fine() -> None:
    data = await negotiation.decode_body(b"a: &x {k: v}\nb: *x\nc: *x\n", YAML)
    assert data == {"a": {"k": "v"}, "b": {"k": "v"}, "c": {"k": "v"}}


@pytest.mark.parametrize("depth", [600, 20_000, 1_000_000])
async def test_deep_flow_nesting_is_refused(depth: int) -> None:
    """Refused at the depth limit, whatever libyaml's own (1000 levels) would say."""
    error = await decode_error(b"a: " + b"[" * depth + b"]" * depth, YAML)
    assert (error.code, error.message) == (400, TOO_DEEP)


async def test_deep_block_nesting_is_refused() -> None:
    doc = "".join(" " * i + f"k{i}:\n" for i in range(600)) + " " * 600 + "leaf: 1\n"
    error = await decode_error(doc.encode(), YAML)
    assert (error.code, error.message) == (400, TOO_DEEP)


async def test_a_self_referencing_document_is_refused() -> None:
    error = await decode_error(b"a: &a [*a]\n", YAML)
    assert error.code == 400


async def test_deep_json_is_refused() -> None:
    error = await decode_error(b"[" * 2000 + b"]" * 2000, JSON)
    assert error.code == 400
