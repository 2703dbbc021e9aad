"""PATCH on an item or a subresource (handlers/patch.go): JSON patch, merge patch and
server-side apply; strategic merge patch is 415 for custom resources, as for a CRD (the
garbage collector falls back to a merge patch on exactly that answer)."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson

from annex_core.gotext import go_json
from annex_core.schema import fielderrors
from annex_gateway import apierrors
from annex_gateway.admission.metadata import parse_group_version
from annex_gateway.endpoints import jsonbody, limits, negotiation, options, yamlbody
from annex_gateway.endpoints.decoding import SCALE, NotHandled, check_object, kind_probe_error
from annex_gateway.endpoints.handlers.common import capable, check_name, warned
from annex_gateway.endpoints.scope import VerbRequest, VerbResult
from annex_gateway.jsoncopy import copy_json
from annex_gateway.patch.gojson import kind
from annex_gateway.patch.jsonpatch import (
    JsonPatchError,
    JsonPatchPanic,
    NonObjectResult,
    TooManyOperations,
    apply_json_patch,
    patched_text,
)
from annex_gateway.patch.merge import MergePatchError, apply_merge_patch, merged_text
from annex_gateway.registry.rest import Applier, Updater

JSON = dict[str, Any]
JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"
# What a custom resource accepts, in the order kube-apiserver lists them in its 415.
PATCH_TYPES = (JSON_PATCH, MERGE_PATCH, APPLY_PATCH)
JSON_PATCH_FIELDS = frozenset({"op", "path", "from", "value"})  # jsonPatchOp's


async def handle(req: VerbRequest) -> VerbResult:
    media = patch_type(req.content_type or "")
    if media not in PATCH_TYPES:
        raise apierrors.unsupported_media_type(PATCH_TYPES)
    if not req.name:  # the namer's, before the body is read (every patch type)
        raise apierrors.bad_request("name must be provided")
    if len(req.body) > negotiation.MAX_BODY_BYTES:
        raise apierrors.too_large("the request body is too large")
    if media == APPLY_PATCH:
        return await _apply(req)
    rest = capable(req, Updater, "patch")
    write = options.patch_options(req.query, req.user_agent, apply=False)
    patch_document = _patcher(media, req.body)
    validation = req.query.get("fieldValidation") or "Warn"
    # What the patch document itself does not fit, repeats or misnames (applyJSPatch).
    undecodable, patch_errors = (
        _strict_decode(media, req.body) if validation != "Ignore" else (None, [])
    )
    warnings: list[str] = []

    async def updated(current: JSON | None) -> JSON:
        assert current is not None  # a JSON or merge patch never creates
        if undecodable is not None:  # found once the object is read, as kube finds it
            raise apierrors.bad_request(f"error decoding patch: {undecodable}")
        patched = patch_document(current)
        limits.check_produced(patched, req.limits)  # a small patch may build a huge object
        patched_text = _text(req, media, current, patched) if validation == "Strict" else ""
        if req.subresource != "scale":
            # Decoding the patched object fails (applyPatchToCurrentObject): 422 on the patch.
            problem = kind_probe_error(patched)
            kindless = isinstance(patched, dict) and not patched.get("kind")
            if problem is not None or kindless:
                text = patched_text or _text(req, media, current, patched)
                problem = problem or f"Object 'Kind' is missing in '{text}'"
                raise apierrors.invalid("", "", "", [fielderrors.invalid("patch", text, problem)])
        try:
            obj, found = check_object(req, patched, req.body, strict=False, patched=True)
        except NotHandled as e:
            # The patched object does not decode: 422 on the "patch", the patched object
            # quoted (applyPatchToCurrentObject), as for a strict decoding error below.
            text = patched_text or _text(req, media, current, patched)
            invalid = fielderrors.invalid("patch", text, e.problem)
            raise apierrors.invalid("", "", "", [invalid]) from None
        strict_errors = [*patch_errors, *found]
        if validation == "Strict" and strict_errors:
            # Decoding the patched object failed strictly: 422 on the "patch" (NewInvalid of
            # an empty GroupKind), the patched object shown as it was before decoding.
            detail = "strict decoding error: " + ", ".join(strict_errors)
            raise apierrors.invalid(
                "", "", "", [fielderrors.invalid("patch", patched_text, detail)]
            )
        check_name(req, obj)
        warnings[:] = strict_errors
        return obj

    with warned(warnings):
        result = await rest.update(req.namespace, req.name, updated, write)
    return VerbResult(200, result.object, (*warnings, *result.warnings))


def _text(req: VerbRequest, media: str, current: JSON, patched: JSON) -> str:
    """The patched object's JSON as kube-apiserver quotes it. A custom resource is a map all
    through; a Scale is a typed struct, whose parts the patch did not reach keep its field
    order."""
    if req.subresource != "scale":
        return go_json(patched)
    if media == MERGE_PATCH:
        return merged_text(current, req.body)
    return patched_text(patched, req.body)


def _strict_decode(media: str, body: bytes) -> tuple[str | None, list[str]]:
    """kjson.UnmarshalStrict of the patch into the type kube-apiserver decodes it into first
    when field validation is Strict or Warn (map[string]interface{} for a merge patch,
    []jsonPatchOp for a JSON patch): encoding/json's first UnmarshalTypeError, if any; else
    the strict errors (fields given twice; for a JSON patch, fields an operation does not
    have), each as kube prefixes it."""
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None, []  # the patch's own decoding reports it
    mismatch = _type_error(media, document)
    if mismatch is not None:
        return mismatch, []
    duplicates = jsonbody.duplicate_fields(body, document)
    if media == MERGE_PATCH:
        return None, [f'duplicate field "{p}"' for p in duplicates]
    found = [f'json patch duplicate field "{p}"' for p in duplicates]
    for i, op in enumerate(document or []):
        if isinstance(op, dict):
            found += [
                f'json patch unknown field "[{i}].{key}"'
                for key in op
                if key not in JSON_PATCH_FIELDS
            ]
    return None, found


def _type_error(media: str, document: Any) -> str | None:
    if document is None:
        return None
    if media == MERGE_PATCH:
        if isinstance(document, dict):
            return None
        return f"json: cannot unmarshal {kind(document)} into Go value of type map[string]interface {{}}"
    if not isinstance(document, list):
        return (
            f"json: cannot unmarshal {kind(document)} into Go value of type []handlers.jsonPatchOp"
        )
    for op in document:
        if op is None:
            continue
        if not isinstance(op, dict):
            return f"json: cannot unmarshal {kind(op)} into Go value of type handlers.jsonPatchOp"
        for field, value in op.items():
            if field in ("op", "path", "from") and value is not None and not isinstance(value, str):
                return (
                    f"json: cannot unmarshal {kind(value)} into Go struct field "
                    f"jsonPatchOp.{field} of type string"
                )
    return None


def patch_type(content_type: str) -> str:
    """As handlers/patch.go reads it: up to the first ";" (if not at the start), as sent."""
    cut = content_type.find(";")
    return content_type[:cut] if cut > 0 else content_type


def _patcher(media: str, body: bytes) -> Any:
    if media == JSON_PATCH:
        return lambda current: _json_patch(current, body)
    return lambda current: _merge_patch(current, body)


def _rejected() -> apierrors.StatusError:
    """NewGenericServerResponse(422, ..., isUnexpectedResponse=false): a generic message and
    empty details; the patch's own error is dropped, exactly as kube-apiserver drops it."""
    return apierrors.StatusError(
        422,
        "Invalid",
        "the server rejected our request due to an error in our request",
        details={},
    )


def _json_patch(current: JSON, body: bytes) -> Any:
    try:
        return apply_json_patch(current, body)
    except TooManyOperations as e:
        raise apierrors.too_large(e.message) from None
    except JsonPatchError as e:
        if e.decode:
            raise apierrors.bad_request(e.message) from None
        raise _rejected() from None
    except JsonPatchPanic:
        # kube-apiserver's evanphx panics here (a 500); a patch it cannot apply is the
        # client's error, so we answer what the other apply failures get.
        raise _rejected() from None
    except NonObjectResult:
        raise _rejected() from None


def _merge_patch(current: JSON, body: bytes) -> Any:
    try:
        return apply_merge_patch(current, body)
    except MergePatchError as e:
        raise apierrors.bad_request(e.message) from None
    except NonObjectResult:
        raise _rejected() from None


def _scale_not_appliable(config: Any) -> apierrors.StatusError:
    """kube-apiserver cannot apply a Scale to a custom resource: its field manager converts the
    configuration to the resource's version and fails (500). Its words, as the nearest 4xx."""
    meta = config.get("metadata") if isinstance(config, dict) else None
    meta = meta if isinstance(meta, dict) else {}
    key = f"{meta.get('namespace') or ''}/{meta.get('name') or ''}"
    api_version, scale_kind = SCALE
    return apierrors.bad_request(
        f"failed to convert new object ({key}; {api_version}, Kind={scale_kind}) to proper "
        f"version: request to convert CR to an invalid group/version: {api_version}"
    )


def _gvk(obj: JSON) -> str:
    """schema.GroupVersionKind's String() of what an object says it is."""
    api_version = obj.get("apiVersion")
    text = api_version if isinstance(api_version, str) else ""
    group, version = parse_group_version(text) or ("", "")
    kind = obj.get("kind")  # unstructured's GetKind: "" when not a string
    return f"{group}/{version}, Kind={kind if isinstance(kind, str) else ''}"


async def _apply(req: VerbRequest) -> VerbResult:
    target = req.target
    if target is None:  # a subresource it does not have: the object is "not found"
        raise apierrors.not_found(req.served.group, req.served.plural, req.name)
    write = options.patch_options(req.query, req.user_agent, apply=True)
    if req.subresource:
        # A subresource never creates: its store reads the object before the configuration
        # is even parsed, and a missing one is 404 (StatusREST and ScaleREST refuse creates).
        await req.served.rest.get(req.namespace, req.name)
    if req.subresource == "scale":
        config = await negotiation.decode_body(req.body, negotiation.YAML, req.limits)
        raise _scale_not_appliable(config)
    if not isinstance(target, Applier):
        raise apierrors.unsupported_media_type(PATCH_TYPES)
    try:
        config = await negotiation.decode_body(req.body, negotiation.YAML, req.limits)
    except jsonbody.Unreadable as e:
        raise apierrors.bad_request(f"error encoding patch: {e.decoder_error}") from None
    if not isinstance(config, dict):
        raise apierrors.bad_request(
            "error decoding patch: error unmarshaling JSON: while decoding JSON: json: cannot "
            f"unmarshal {kind(config)} into Go value of type map[string]interface {{}}"
        )
    # The name is checked on the applied result (the store): a configuration may leave it out
    # when the object exists.
    given = bool((config.get("metadata") or {}).get("namespace"))
    expected = (req.served.api_version, req.served.kind)
    if (config.get("apiVersion"), config.get("kind")) != expected:
        # versionCheckManager, first of the field manager's checks: an apply names no other
        # group-version-kind (a create or update is refused in other words, when decoded).
        raise apierrors.bad_request(f"invalid object type: {_gvk(config)}")
    # The field manager takes the configuration as sent, its metadata not rewritten as an
    # ObjectMeta (empty labels are owned, `managedFields: []` refused); the decoder's checks
    # run on a copy.
    obj = copy_json(config)
    check_object(req, config, req.body, coerce=False)
    if not isinstance(obj.get("metadata"), dict):
        obj["metadata"] = {}
    if not given:  # the configuration is applied as sent (its errors name no namespace)
        obj["metadata"].pop("namespace", None)
    warnings: list[str] = []
    if (req.query.get("fieldValidation") or "Warn") != "Ignore":
        # applyPatcher: the configuration decoded strictly (its repeated keys; unknown fields
        # are the field manager's business).
        repeated = await asyncio.to_thread(yamlbody.duplicate_keys, req.body)
        if repeated and req.query.get("fieldValidation") == "Strict":
            raise apierrors.bad_request(
                f"error strict decoding patch: error converting YAML to JSON: {repeated}"
            )
        if repeated:
            warnings = [line.strip() for line in repeated.split("\n")[1:]]
    with warned(warnings):
        result = await target.apply(req.namespace, req.name, obj, write)
    return VerbResult(201 if result.created else 200, result.object, (*warnings, *result.warnings))
