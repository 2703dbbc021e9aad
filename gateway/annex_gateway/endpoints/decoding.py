"""Request bodies decoded into objects of the kind a route serves (the handlers' shared
first step), with kube-apiserver's checks of apiVersion, kind and namespace."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from annex_core.gotext import go_json
from annex_core.schema import fielderrors
from annex_gateway import apierrors
from annex_gateway.admission.metadata import coerce_object_meta, parse_group_version
from annex_gateway.endpoints import gotypes, jsonbody, negotiation, yamlbody
from annex_gateway.endpoints.scope import VerbRequest
from annex_gateway.patch import gojson

JSON = dict[str, Any]
SCALE = ("autoscaling/v1", "Scale")


def expected_type(req: VerbRequest) -> tuple[str, str]:
    """The apiVersion and kind a body sent to this route must carry."""
    if req.subresource == "scale":
        return SCALE
    return req.served.api_version, req.served.kind


async def decode_object(req: VerbRequest) -> tuple[JSON, list[str]]:
    """The body as an object of the route's kind, and the warnings decoding it gave."""
    try:
        obj = await negotiation.decode_body(req.body, req.content_type, req.limits)
    except jsonbody.Unreadable as e:
        raise unrecognized(expected_type(req)[1], e.decoder_error, req.body) from None
    except jsonbody.NumberOutOfRange as e:
        # Go's decoder got as far as apiVersion and kind: it fails to decode *this* kind.
        read = jsonbody.lenient_object(req.body)
        if isinstance(read, dict) and read.get("kind"):
            raise NotHandled(read, expected_type(req), e.reason_text) from None
        raise
    problem = kind_probe_error(obj)
    if problem is None and (obj is None or (isinstance(obj, dict) and not obj.get("kind"))):
        # The JSON the decoder read: the body, or what the YAML body converted to.
        is_json = negotiation.is_json(req.content_type)
        read = req.body.decode(errors="replace") if is_json else go_json(obj)
        problem = f"Object 'Kind' is missing in '{read}'"
    if problem is not None:
        raise unrecognized(expected_type(req)[1], problem, req.body)
    duplicates: list[str] = []
    if req.query.get("fieldValidation") != "Ignore":
        if negotiation.is_json(req.content_type):
            found = jsonbody.duplicate_fields(req.body, obj)
            duplicates = [f'duplicate field "{p}"' for p in found]
        else:
            repeated = await asyncio.to_thread(yamlbody.duplicate_keys, req.body)
            duplicates = [repeated] if repeated else []
    try:
        return check_object(req, obj, req.body, duplicates=duplicates)
    except NotHandled:
        if req.subresource == "scale":
            raise _not_a_scale() from None  # where a patched Scale's is a 422 (patch handler)
        raise


def check_object(
    req: VerbRequest,
    obj: Any,
    raw: bytes,
    *,
    coerce: bool = True,
    strict: bool = True,
    duplicates: list[str] | None = None,
    patched: bool = False,
) -> tuple[JSON, list[str]]:
    """The object decoded as a CRD's decoder does: checked type, ObjectMeta, and (`coerce`:
    not for an apply configuration, which the field manager reads as it is) pruned and
    defaulted by the schema, its unknown fields refused (`strict`: here; else the caller
    decides), warned of or ignored as `fieldValidation` says. `patched`: the result of a
    patch, decoded into the object as it is, not as the route's group-version: an apiVersion
    of another is the strategy's to refuse (422), not the decoder's (400)."""
    if not isinstance(obj, dict):
        raise apierrors.bad_request("the body of the request must be a JSON or YAML object")
    api_version, kind = expected_type(req)
    if not obj.get("kind"):
        raise apierrors.bad_request(
            f"Object 'Kind' is missing in '{raw[:200].decode(errors='replace')}'"
        )
    if obj.get("metadata") is None:
        obj["metadata"] = {}  # null is no metadata, as Go decodes it
    if req.subresource == "scale":
        # A typed autoscaling/v1 Scale, decoded whole, in the order the document has.
        problem = gotypes.first_error(
            obj, gotypes.SCALE, as_written=patched or negotiation.is_json(req.content_type)
        )
    else:
        # A custom resource's metadata is decoded into an ObjectMeta on its own, before the
        # handler looks any further.
        problem = gotypes.first_error(obj["metadata"], gotypes.OBJECT_META, sorted_keys=True)
    if problem is not None:
        raise NotHandled(obj, (api_version, kind), problem)
    if obj.get("apiVersion") != api_version and not (patched and req.subresource != "scale"):
        raise apierrors.bad_request(
            f"the API version in the data ({obj.get('apiVersion') or ''}) does not match the expected "
            f"API version ({api_version})"
        )
    if obj["kind"] != kind and req.subresource == "scale":
        raise _not_a_scale()
    if obj["kind"] != kind and not isinstance(obj["kind"], str):
        # Any other kind is refused by the strategy's validation, as kube does it (422).
        raise apierrors.bad_request(
            f"the kind in the data ({obj['kind']}) does not match the expected kind ({kind})"
        )
    unknown = list(duplicates or ())
    if req.subresource == "scale":
        # The typed Scale's unknown fields, its metadata's included, in document order.
        unknown += [f'unknown field "{p}"' for p in gotypes.unknown_fields(obj, gotypes.SCALE)]
        coerce_metadata(req, obj)
    else:
        unknown += coerce_metadata(req, obj)
    schema = req.served.schema if req.subresource != "scale" else None
    if coerce and schema is not None:
        unknown += [f'unknown field "{path}"' for path in schema.coerce(obj)]
        if schema.has_embedded:
            embedded: list[str] = []
            problem = _coerce_embedded(obj, schema.schema, None, embedded)
            if problem is not None:
                raise NotHandled(obj, (api_version, kind), problem)
            unknown += [f'unknown field "{path}"' for path in sorted(embedded)]
        schema.default(obj)
    validation = req.query.get("fieldValidation") or "Warn"
    if strict and validation == "Strict" and unknown:
        raise NotHandled(obj, (api_version, kind), "strict decoding error: " + ", ".join(unknown))
    return obj, [w for e in unknown for w in _warnings(e)] if validation != "Ignore" else []


def _not_a_scale() -> apierrors.StatusError:
    """The typed Scale decoder's words for a body of any other kind, or one of a field's
    wrong type (its source line included)."""
    return apierrors.bad_request(
        'no kind is registered for the type v1.Scale in scheme "pkg/runtime/scheme.go:111"'
    )


_YAML_ERRORS = "yaml: unmarshal errors:\n"


def _warnings(strict_error: str) -> list[str]:
    """parseYAMLWarnings: go-yaml's multi-line error is one warning per line."""
    if not strict_error.startswith(_YAML_ERRORS):
        return [strict_error]
    return [line.strip() for line in strict_error[len(_YAML_ERRORS) :].split("\n")]


def _coerce_embedded(x: Any, s: Any, path: str | None, unknown: list[str]) -> str | None:
    """schemaobjectmeta.Coerce: inside x-kubernetes-embedded-resource objects, apiVersion and
    kind must be strings and metadata an ObjectMeta, reshaped as one (its unknown fields
    dropped, their paths collected). The first problem, as a decode error's text."""
    if not isinstance(s, Mapping):
        return None
    if isinstance(x, dict):
        if s.get("x-kubernetes-embedded-resource") is True:
            for key in ("apiVersion", "kind"):
                if key in x and not isinstance(x[key], str):
                    return str(fielderrors.invalid(_child(path, key), x[key], "must be a string"))
            meta = x.get("metadata")
            if meta is not None:
                problem = gotypes.first_error(meta, gotypes.OBJECT_META, sorted_keys=True)
                if problem is not None:
                    return str(fielderrors.invalid(_child(path, "metadata"), meta, problem))
                prefix = _child(path, "metadata")
                for warning in coerce_object_meta(meta):  # unknown field "metadata.<key>"
                    unknown.append(f"{prefix}.{warning[len(_META_WARNING) : -1]}")
        props = s.get("properties") or {}
        extra = s.get("additionalProperties")
        for key, value in x.items():
            if key in props:
                problem = _coerce_embedded(value, props[key], _child(path, key), unknown)
            elif isinstance(extra, Mapping):
                problem = _coerce_embedded(value, extra, f"{path or ''}[{key}]", unknown)
            else:
                continue
            if problem is not None:
                return problem
    elif isinstance(x, list):
        for i, value in enumerate(x):
            problem = _coerce_embedded(value, s.get("items"), f"{path or ''}[{i}]", unknown)
            if problem is not None:
                return problem
    return None


_META_WARNING = 'unknown field "metadata.'


def _child(path: str | None, key: str) -> str:
    return f"{path}.{key}" if path else key


# How Go prints the type SimpleMetaFactory.Interpret reads apiVersion and kind into.
_KIND_PROBE = (
    'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; '
    'Kind string "json:\\"kind,omitempty\\"" }'
)


def kind_probe_error(value: Any) -> str | None:
    """What SimpleMetaFactory.Interpret fails on, reading only apiVersion and kind from the
    decoded body with encoding/json (keys matched case-insensitively, null taken as unset),
    then parsing the group-version; None when it reads them."""
    if value is None:
        return None
    prefix = "couldn't get version/kind; json parse error: json: cannot unmarshal"
    if not isinstance(value, dict):
        return f"{prefix} {gojson.kind(value)} into Go value of type {_KIND_PROBE}"
    api_version = ""
    for key, field in value.items():
        name = {"apiversion": "apiVersion", "kind": "kind"}.get(key.casefold())
        if name is None or field is None:
            continue
        if not isinstance(field, str):
            return f"{prefix} {gojson.kind(field)} into Go struct field .{name} of type string"
        if name == "apiVersion":
            api_version = field
    if parse_group_version(api_version) is None:
        return f"unexpected GroupVersion string: {api_version}"
    return None


def unrecognized(kind: str, decoder_error: str, body: bytes) -> apierrors.StatusError:
    """transformDecodeError for a body whose own apiVersion and kind could not be read."""
    return apierrors.bad_request(
        f"the object provided is unrecognized (must be of type {kind}): {decoder_error} "
        f"({_summary(body)})"
    )


def _summary(body: bytes, limit: int = 30) -> str:
    """summarizeData: the body's start, as text if it looks like a JSON object, else hex."""
    if not body:
        return "<empty>"
    head = body[:limit].decode("utf-8", "replace") if body[:1] == b"{" else body[:limit].hex()
    return head + (" ..." if len(body) > limit else "")


class NotHandled(apierrors.StatusError):
    """transformDecodeError: what the body says it is, and why it cannot be the route's;
    `problem` is the decoder's own error (a patch handler words it otherwise)."""

    def __init__(self, obj: JSON, expected: tuple[str, str], problem: str) -> None:
        self.problem = problem
        # The decoder defaults a version the body does not give to the route's.
        api_version, kind = expected
        version = str(obj.get("apiVersion") or api_version).rpartition("/")[2]
        super().__init__(
            400,
            "BadRequest",
            f'{obj.get("kind")} in version "{version}" cannot be handled as a {kind}: {problem}',
        )


def coerce_metadata(req: VerbRequest, obj: JSON) -> list[str]:
    """metadata shaped as ObjectMeta round-trips it, the namespace from the URL; the unknown
    fields it dropped, as warnings."""
    meta = obj["metadata"]
    warnings = coerce_object_meta(meta)
    body_namespace = meta.get("namespace") or ""
    if req.served.namespaced:
        if body_namespace and body_namespace != req.namespace:
            raise apierrors.bad_request(
                "the namespace of the provided object does not match the namespace sent on the request"
            )
        meta["namespace"] = req.namespace
    else:
        meta.pop("namespace", None)
    return warnings
