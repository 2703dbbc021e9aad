"""OpenAPI documents of the served group-versions, as apiextensions-apiserver builds them for
a CRD (`pkg/controller/openapi/builder/builder.go`, `pkg/controller/openapiv3/`).

* v3, one document per group-version, served at `/openapi/v3/apis/<g>/<v>` and listed in
  the `/openapi/v3` root with a hash of the document: kube-apiserver lists the root's
  group-versions in its own root and proxies the documents (`kubectl explain`).
* v2, one document for the whole gateway at `/openapi/v2`: kube-aggregator downloads it and
  merges its definitions and paths into kube-apiserver's (`kubectl explain
  --output=plaintext-openapiv2`, client-side validation).

The kind's schema is the version's openAPIV3Schema with `apiVersion`, `kind` and a reference
to ObjectMeta added, and `x-kubernetes-group-version-kind`; the List kind refers to it. The
documents carry the Kubernetes types they refer to (ObjectMeta, ListMeta, Status,
DeleteOptions, Patch, Scale and what those refer to), copied from kube-apiserver's document
for a CRD, so kube-aggregator's v2 merge finds them identical to its own.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

import orjson

from annex_core.apidef import Resource, ResourceVersion
from annex_gateway.endpoints import openapi_paths
from annex_gateway.endpoints.openapi_paths import META, Names

BUILTINS: Mapping[str, Any] = orjson.loads(
    (Path(__file__).with_name("openapi_builtins.json")).read_bytes()
)
TITLE = {"title": "Kubernetes CRD Swagger", "version": "v0.1.0"}
OBJECT_META_DESCRIPTION = (
    "Standard object's metadata. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
)
LIST_META_DESCRIPTION = (
    "Standard list metadata. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"
)
EMBEDDED_API_VERSION = (
    "apiVersion defines the versioned schema of this representation of an object. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources"
)
EMBEDDED_KIND = (
    "kind is a string value representing the type of this object. In CamelCase. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"
)
OPENAPI_V3_PROTOBUF = "application/com.github.proto-openapi.spec.v3@v1.0+protobuf"


def model_name(group: str, version: str, kind: str) -> str:
    """gvkToModelName: the group reversed, `images.example.com` -> `com.example.images`."""
    return f"{'.'.join(reversed(group.split('.')))}.{version}.{kind}"


def _ref(model: str, v2: bool) -> str:
    return f"#/definitions/{model}" if v2 else f"#/components/schemas/{model}"


def _meta_ref(model: str, description: str, v2: bool) -> dict[str, Any]:
    """A reference with a description: v3 wraps it in allOf, v2 keeps it beside the $ref."""
    if v2:
        return {"description": description, "$ref": _ref(model, v2)}
    return {"description": description, "allOf": [{"$ref": _ref(model, v2)}]}


def _type_meta() -> dict[str, Any]:
    props: dict[str, Any] = BUILTINS["schemas"][META + "Status"]["properties"]
    return {"apiVersion": props["apiVersion"], "kind": props["kind"]}


def _unfold_int_or_string(schema: dict[str, Any]) -> None:
    """Structural.Unfold: x-kubernetes-int-or-string gets its anyOf of integer and string."""
    if not schema.get("x-kubernetes-int-or-string"):
        return
    pattern = [{"type": "integer"}, {"type": "string"}]
    if schema.get("anyOf") == pattern:
        return
    first = (schema.get("allOf") or [{}])[0]
    if first.get("anyOf") == pattern:
        return
    if "anyOf" not in schema:
        schema["anyOf"] = pattern
    else:
        schema["allOf"] = [{"anyOf": pattern}, *schema.get("allOf", [])]


def _to_v2(schema: dict[str, Any]) -> None:
    """ToStructuralOpenAPIV2 and PruneDefaults, in place, on one node."""
    for key in ("allOf", "oneOf", "anyOf", "not", "default"):
        schema.pop(key, None)
    if schema.pop("nullable", False):
        for key in ("type", "items", "properties"):
            schema.pop(key, None)
    if schema.get("x-kubernetes-preserve-unknown-fields"):
        schema.pop("items", None)
        schema.pop("properties", None)
    if "items" not in schema and schema.get("type") == "array":
        del schema["type"]
    if schema.get("x-kubernetes-preserve-unknown-fields") and schema.get("type") == "object":
        del schema["type"]


def _visit(schema: Any, v2: bool, embedded: bool = True) -> None:
    """Walk properties, items and additionalProperties: unfold int-or-string, convert for v2
    and give embedded resources their apiVersion, kind and metadata (addEmbeddedProperties)."""
    if not isinstance(schema, dict):
        return
    nullable = {k for k, v in (schema.get("properties") or {}).items() if v.get("nullable")}
    additional = schema.get("additionalProperties")
    _unfold_int_or_string(schema)
    if v2:
        _to_v2(schema)
        required = [r for r in schema.get("required", []) if r not in nullable]
        if isinstance(additional, dict) and additional.get("nullable"):
            required = []
        if "required" in schema:
            if required:
                schema["required"] = required
            else:
                del schema["required"]
    for child in (schema.get("properties") or {}).values():
        _visit(child, v2)
    _visit(schema.get("items"), v2)
    _visit(schema.get("additionalProperties"), v2)
    if v2 and schema.get("x-kubernetes-preserve-unknown-fields"):
        return
    if embedded and schema.get("x-kubernetes-embedded-resource"):
        props = schema.setdefault("properties", {})
        meta = _type_meta()
        props["apiVersion"] = {**meta["apiVersion"], "description": EMBEDDED_API_VERSION}
        props["kind"] = {**meta["kind"], "description": EMBEDDED_KIND}
        props["metadata"] = _meta_ref(META + "ObjectMeta", OBJECT_META_DESCRIPTION, v2)
        required = schema.setdefault("required", [])
        required += [k for k in ("kind", "apiVersion") if k not in required]


def kind_schema(
    group: str, version: str, kind: str, served: ResourceVersion, v2: bool
) -> dict[str, Any]:
    """buildKubeNative: the kind's schema in components.schemas (v3) or definitions (v2)."""
    gvk = [{"group": group, "kind": kind, "version": version}]
    source = served.schema
    if source is None or (v2 and source.get("x-kubernetes-preserve-unknown-fields")):
        return {"type": "object", "x-kubernetes-group-version-kind": gvk}
    schema = copy.deepcopy(dict(source))
    _visit(schema, v2, embedded=False)
    props = schema.setdefault("properties", {})
    props["metadata"] = _meta_ref(META + "ObjectMeta", OBJECT_META_DESCRIPTION, v2)
    props.update(_type_meta())
    schema["x-kubernetes-group-version-kind"] = gvk
    if served.selectable_fields:
        schema["x-kubernetes-selectable-fields"] = [
            {"fieldPath": f.label} for f in served.selectable_fields
        ]
    return schema


def list_schema(names: Names, served: ResourceVersion, v2: bool) -> dict[str, Any]:
    """buildListSchema."""
    schema: dict[str, Any] = {
        "description": f"{names.model.rsplit('.', 1)[1]}List is a list of {names.kind}",
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {
                "description": (
                    f"List of {names.plural}. More info: "
                    "https://git.k8s.io/community/contributors/devel/sig-architecture/"
                    "api-conventions.md"
                ),
                "type": "array",
                "items": {"$ref": _ref(names.model, v2)},
            },
            "metadata": _meta_ref(META + "ListMeta", LIST_META_DESCRIPTION, v2),
            **_type_meta(),
        },
        "x-kubernetes-group-version-kind": [
            {
                "group": names.group,
                "kind": names.list_model.rsplit(".", 1)[1],
                "version": names.version,
            }
        ],
    }
    if served.selectable_fields:
        schema["x-kubernetes-selectable-fields"] = [
            {"fieldPath": f.label} for f in served.selectable_fields
        ]
    return schema


def _names(group: str, version: str, resource: Resource) -> Names:
    n = resource.names
    return Names(
        group=group,
        version=version,
        kind=n.kind,
        plural=n.plural,
        namespaced=resource.namespaced,
        model=model_name(group, version, n.kind),
        list_model=model_name(group, version, n.list_kind),
    )


def _referenced(schemas: Mapping[str, Any], roots: Iterable[str]) -> list[str]:
    """The built-in models reachable from `roots`, sorted (kube-openapi writes what it uses)."""
    seen: set[str] = set()
    pending = list(roots)
    while pending:
        found = orjson.dumps(schemas[pending.pop()]).decode()
        for model in schemas:
            if model and model not in seen and f'/{model}"' in found:
                seen.add(model)
                pending.append(model)
    return sorted(seen)


@dataclass(frozen=True)
class Documents:
    """One group-version's documents: v3 serialized with its hash, v2 as paths and definitions
    to merge into the gateway's single v2 document."""

    v3: bytes
    v3_hash: str
    v2_paths: Mapping[str, Any]
    v2_definitions: Mapping[str, Any]
    # When it was built: its Last-Modified, as kube-openapi's is when a spec was last set.
    built: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))


def group_version_documents(
    group: str, version: str, resources: Sequence[tuple[Resource, ResourceVersion]]
) -> Documents:
    """The v3 document of a group-version and its v2 paths and definitions."""
    v3_schemas: dict[str, Any] = {}
    v2_definitions: dict[str, Any] = {}
    v3_paths: dict[str, Any] = {}
    v2_paths: dict[str, Any] = {}
    for resource, served in resources:
        names = _names(group, version, resource)
        status, scale = served.status_subresource, served.scale_subresource is not None
        v3_schemas[names.model] = kind_schema(group, version, names.kind, served, v2=False)
        v3_schemas[names.list_model] = list_schema(names, served, v2=False)
        v2_definitions[names.model] = kind_schema(group, version, names.kind, served, v2=True)
        v2_definitions[names.list_model] = list_schema(names, served, v2=True)
        v3_paths |= openapi_paths.v3_paths(names, status, scale, BUILTINS)
        v2_paths |= openapi_paths.v2_paths(names, status, scale, BUILTINS)
    builtin_v3, builtin_v2 = BUILTINS["schemas"], BUILTINS["definitions"]
    roots = {**builtin_v3, "": {"s": v3_schemas, "p": v3_paths}}
    for model in _referenced(roots, [""]):
        v3_schemas[model] = builtin_v3[model]
        v2_definitions[model] = builtin_v2[model]
    v3 = {
        "openapi": "3.0.0",
        "info": TITLE,
        "paths": v3_paths,
        "components": {"schemas": dict(sorted(v3_schemas.items()))},
    }
    serialized = orjson.dumps(v3)
    return Documents(
        v3=serialized,
        v3_hash=hashlib.sha512(serialized).hexdigest().upper(),
        v2_paths=v2_paths,
        v2_definitions=dict(sorted(v2_definitions.items())),
    )


def v3_root(hashes: Mapping[tuple[str, str], str]) -> dict[str, Any]:
    """The `/openapi/v3` root (kube-openapi handler3): `apis/<g>/<v>` -> its URL and hash."""
    return {
        "paths": {
            f"apis/{g}/{v}": {"serverRelativeURL": f"/openapi/v3/apis/{g}/{v}?hash={h}"}
            for (g, v), h in sorted(hashes.items())
        }
    }


def v2_document(documents: Iterable[Documents]) -> dict[str, Any]:
    """The gateway's Swagger 2.0 document: every group-version's paths and definitions."""
    paths: dict[str, Any] = {}
    definitions: dict[str, Any] = {}
    for d in documents:
        paths |= d.v2_paths
        definitions |= d.v2_definitions
    return {
        "swagger": "2.0",
        "info": TITLE,
        "paths": dict(sorted(paths.items())),
        "definitions": dict(sorted(definitions.items())),
    }


@dataclass(frozen=True)
class Served:
    status: int
    body: bytes
    headers: Mapping[str, str]


def _accepts_json(accept: str | None) -> bool:
    if not accept:
        return True
    for clause in accept.split(","):
        media = clause.split(";", 1)[0].strip().lower()
        if media in ("application/json", "application/*", "*/*"):
            return True
    return False


def serve_v3(
    documents: Documents,
    accept: str | None,
    asked_hash: str | None,
    if_none_match: str | None,
    if_modified_since: str | None = None,
) -> Served:
    """The response to `GET /openapi/v3/apis/<g>/<v>` as kube-openapi's handler3 writes it
    (kube-apiserver proxies it to the aggregated server): `Vary: Accept` always; JSON only (a
    bare 406 when only the protobuf form is acceptable); an ETag of the hash, Last-Modified, and
    304 as http.ServeContent answers them. Cache-Control only when the hash asked for is the
    current one: otherwise kube-apiserver's own `no-cache, private` is the only one, as for a
    CRD. (Range requests and If-Match / If-Unmodified-Since are not served: no Accept-Ranges.)"""
    headers = {"Vary": "Accept"}
    if not _accepts_json(accept):
        return Served(406, b"", headers)
    etag = f'"{documents.v3_hash}"'
    headers |= {"Content-Type": "application/json", "ETag": etag}
    if asked_hash == documents.v3_hash:
        expires = datetime.now(UTC) + timedelta(days=365)
        headers["Cache-Control"] = "public, immutable"
        headers["Expires"] = format_datetime(expires, usegmt=True)
    if _not_modified(documents, etag, if_none_match, if_modified_since):
        # writeNotModified: no Content-Type, and no Last-Modified beside an ETag
        del headers["Content-Type"]
        return Served(304, b"", headers)
    headers["Last-Modified"] = format_datetime(documents.built, usegmt=True)
    return Served(200, documents.v3, headers)


def _not_modified(
    documents: Documents, etag: str, if_none_match: str | None, if_modified_since: str | None
) -> bool:
    """ServeContent's checks: If-None-Match when sent, else If-Modified-Since."""
    if if_none_match is not None:
        tags = [t.strip() for t in if_none_match.split(",")]
        return "*" in tags or etag in tags or f"W/{etag}" in tags
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    return since.tzinfo is not None and documents.built <= since
