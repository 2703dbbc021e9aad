"""The resource verbs: create, get, list, update, delete — with CustomResource semantics.

Behaviour follows k8s.io/apiserver's generic registry store and apiextensions-apiserver's
customresource strategy: the server owns uid, creationTimestamp, generation and
resourceVersion; updates are compare-and-swap on resourceVersion; deletion honours
finalizers and preconditions. Handlers take a `VerbRequest` and return a `VerbResult`,
so this module knows nothing of HTTP.
"""

from __future__ import annotations

import base64
import datetime
import secrets
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType, MethodType
from typing import Any, ClassVar, NamedTuple

import orjson

from annex_core.apidef import FieldError
from annex_gateway import apierrors
from annex_gateway.admission import namespaces
from annex_gateway.admission.metadata import (
    GC_FINALIZERS,
    coerce_object_meta,
    validate_object_meta,
    warnings_for_object_meta,
)
from annex_gateway.endpoints import negotiation, selectors
from annex_gateway.endpoints.served import ServedResource
from annex_gateway.storage import (
    AlreadyExists,
    Conflict,
    Expired,
    NotFound,
    ObjectKey,
    RevisionTooLarge,
    Store,
)

JSON = dict[str, Any]

# Fields of metadata the server owns: a client's values are ignored on create.
SERVER_MANAGED = (
    "uid",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "generation",
    "selfLink",
    "resourceVersion",
)
GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
# k8s.io/apiserver's SimpleNameGenerator keeps at most 58 characters of generateName, so
# that with 5 random ones a generated name stays within 63.
MAX_GENERATE_NAME_PREFIX = 58
CONFLICT_RETRIES = 8
DEFAULT_PAGE_SCAN = 500


@dataclass(frozen=True)
class VerbRequest:
    served: ServedResource
    namespace: str = ""
    name: str = ""
    query: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    content_type: str | None = None


@dataclass(frozen=True)
class VerbResult:
    status: int
    body: JSON
    warnings: tuple[str, ...] = ()  # sent as `Warning: 299 - "..."` headers


def now_rfc3339() -> str:
    """Kubernetes timestamps: RFC 3339, UTC, second precision."""
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _key(served: ServedResource, namespace: str, name: str) -> ObjectKey:
    return ObjectKey(served.storage_key, namespace if served.namespaced else "", name)


def _as_served_version(obj: JSON, served: ServedResource) -> JSON:
    """The stored object as the requested version (conversion strategy None: same fields)."""
    obj["apiVersion"] = served.api_version
    obj["kind"] = served.kind
    return obj


def _as_storage_version(obj: JSON, served: ServedResource) -> JSON:
    """The object as stored: at the storage version, whichever version it came in at
    (kube-apiserver converts before writing). So the same object sent at another served
    version is no change, and a no-op update writes no new revision."""
    obj["apiVersion"] = f"{served.group}/{served.resource.storage_version}"
    return obj


def _invalid(served: ServedResource, name: str, errors: list[FieldError]) -> apierrors.StatusError:
    return apierrors.invalid(served.group, served.kind, name, errors)


def _spec_of(obj: Mapping[str, Any], with_status_subresource: bool) -> JSON:
    """What a generation counts: everything but metadata (and status, with a status subresource)."""
    ignored = {"metadata", "apiVersion", "kind"} | (
        {"status"} if with_status_subresource else set()
    )
    return {k: v for k, v in obj.items() if k not in ignored}


def _dry_run(query: Mapping[str, str]) -> bool:
    value = query.get("dryRun")
    if value is None or value == "":
        return False
    if value != "All":
        raise apierrors.StatusError(
            422,
            "Invalid",
            f'Invalid value: "{value}": supported values: "All"',
            details={
                "causes": [
                    {
                        "reason": "FieldValueNotSupported",
                        "field": "dryRun",
                        "message": f'Unsupported value: "{value}": supported values: "All"',
                    }
                ]
            },
        )
    return True


Handler = Callable[[VerbRequest], Awaitable[VerbResult]]


class _ListStart(NamedTuple):
    at_revision: int | None = None  # a snapshot (continue, or Exact); None: the current state
    after: tuple[str, str] | None = None  # the key to start after (continue)
    not_older_than: int | None = None  # resourceVersion=N, match unset or NotOlderThan


class ObjectEndpoints:
    """The verbs on one store. `VERBS` (at the end of the class) is the one table of what is
    served: discovery advertises its keys, the server dispatches through `handlers`."""

    VERBS: ClassVar[Mapping[str, Callable[[ObjectEndpoints, VerbRequest], Awaitable[VerbResult]]]]

    def __init__(
        self, store: Store, namespace_lookup: namespaces.NamespaceLookup | None = None
    ) -> None:
        self._store = store
        self._namespace_lookup = namespace_lookup
        # Built once: verb -> this instance's bound method.
        self.handlers: Mapping[str, Handler] = MappingProxyType(
            {verb: MethodType(method, self) for verb, method in self.VERBS.items()}
        )

    # -- decoding ---------------------------------------------------------------------------

    async def _decode_object(self, req: VerbRequest) -> tuple[JSON, list[str]]:
        """The body as an object of the served kind, and the warnings decoding it gave."""
        obj = await negotiation.decode_body(req.body, req.content_type)
        served = req.served
        if not isinstance(obj, dict):
            raise apierrors.bad_request("the body of the request must be a JSON or YAML object")
        api_version, kind = obj.get("apiVersion"), obj.get("kind")
        if not kind:
            raise apierrors.bad_request(
                f"Object 'Kind' is missing in '{req.body[:200].decode(errors='replace')}'"
            )
        if api_version != served.api_version:
            raise apierrors.bad_request(
                f"the API version in the data ({api_version}) does not match the expected API "
                f"version ({served.api_version})"
            )
        if kind != served.kind:
            raise apierrors.bad_request(
                f"the kind in the data ({kind}) does not match the expected kind ({served.kind})"
            )
        meta = obj.setdefault("metadata", {})
        if not isinstance(meta, dict):
            raise apierrors.bad_request("metadata must be an object")
        warnings = coerce_object_meta(meta)
        body_namespace = meta.get("namespace") or ""
        if served.namespaced:
            if body_namespace and body_namespace != req.namespace:
                raise apierrors.bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request"
                )
            meta["namespace"] = req.namespace
        else:
            meta.pop("namespace", None)
        return obj, warnings

    # -- create -----------------------------------------------------------------------------

    async def create_object(self, req: VerbRequest) -> VerbResult:
        served = req.served
        dry_run = _dry_run(req.query)
        obj, decode_warnings = await self._decode_object(req)
        # Admission runs before validation in kube-apiserver: a missing namespace wins.
        await namespaces.check_create(
            req.namespace if served.namespaced else "", self._namespace_lookup
        )
        meta = obj["metadata"]
        if meta.get("resourceVersion"):
            raise apierrors.bad_request(
                "resourceVersion should not be set on objects to be created"
            )
        name = meta.get("name") or ""
        generate = meta.get("generateName") or ""
        if not name and not generate:
            raise _invalid(
                served,
                "",
                [
                    FieldError(
                        "metadata.name",
                        "FieldValueRequired",
                        "Required value: name or generateName is required",
                    )
                ],
            )
        errors = validate_object_meta(meta)
        warnings = (*decode_warnings, *warnings_for_object_meta(meta))
        if errors:
            raise _invalid(served, name, errors)
        for key in SERVER_MANAGED:
            meta.pop(key, None)
        meta["uid"] = str(uuid.uuid4())
        meta["creationTimestamp"] = now_rfc3339()
        meta["generation"] = 1
        if served.definition.status_subresource:
            obj.pop("status", None)
        _as_storage_version(obj, served)

        for _ in range(CONFLICT_RETRIES if not name else 1):
            if not name:
                meta["name"] = generate[:MAX_GENERATE_NAME_PREFIX] + "".join(
                    secrets.choice(GENERATE_NAME_ALPHABET) for _ in range(5)
                )
            object_key = _key(served, req.namespace, meta["name"])
            if dry_run:
                # Everything but the write, the existence check included: a dry-run create
                # of a taken name is 409 (k8s.io/apiserver DryRunnableStorage.Create).
                try:
                    await self._store.get(object_key)
                except NotFound:
                    return VerbResult(201, _as_served_version(obj, served), warnings)
                if name:
                    raise apierrors.already_exists(served.group, served.plural, name)
                continue
            try:
                stored = await self._store.create(object_key, obj)
            except AlreadyExists:
                if name:
                    raise apierrors.already_exists(served.group, served.plural, name) from None
                continue
            return VerbResult(201, _as_served_version(stored, served), warnings)
        raise apierrors.already_exists(served.group, served.plural, meta["name"])

    # -- get --------------------------------------------------------------------------------

    async def get_object(self, req: VerbRequest) -> VerbResult:
        served = req.served
        try:
            obj = await self._store.get(_key(served, req.namespace, req.name))
        except NotFound:
            raise apierrors.not_found(served.group, served.plural, req.name) from None
        return VerbResult(200, _as_served_version(obj, served))

    # -- list -------------------------------------------------------------------------------

    async def list_objects(self, req: VerbRequest) -> VerbResult:
        served, query = req.served, req.query
        labels = selectors.parse_labels(query.get("labelSelector"))
        supported = (
            ("metadata.name", "metadata.namespace") if served.namespaced else ("metadata.name",)
        )
        fields = selectors.parse_fields(query.get("fieldSelector"), supported)
        limit = _positive_int(query.get("limit"), "limit")
        namespace: str | None = req.namespace or fields.exact("metadata.namespace") or None
        at_revision, after, minimum = self._list_start(query)

        items: list[JSON] = []
        try:
            revision = at_revision or await self._store.current_revision()
            # NotOlderThan N: the current state satisfies it only if N is not in the future
            # (then 504 ResourceVersionTooLarge, on which client-go relists from "").
            if minimum is not None and minimum > revision:
                raise RevisionTooLarge(minimum, revision)
            name = fields.exact("metadata.name")
            # kubectl get, wait and delete NAME list with metadata.name=NAME: with the namespace
            # known and no older revision asked for, read that one key (as the generic registry
            # store does for a selector that matches a single name), after the revision above.
            if name is not None and at_revision is None and (namespace or not served.namespaced):
                items = await self._list_one(served, namespace or "", name, labels, fields)
                more = False
            else:
                more = True
            while more and (limit is None or len(items) < limit):
                want = (limit - len(items)) if limit else None
                page = await self._store.list(
                    served.storage_key,
                    namespace,
                    limit=max(want or 0, DEFAULT_PAGE_SCAN)
                    if not (labels.empty and fields.empty)
                    else want,
                    after=after,
                    at_revision=revision,
                )
                more = page.more
                for obj in page.items:
                    meta = obj.get("metadata", {})
                    after = (meta.get("namespace", ""), meta["name"])
                    if _selected(obj, served, labels, fields):
                        items.append(_as_served_version(obj, served))
                        if limit is not None and len(items) >= limit:
                            more = more or obj is not page.items[-1]
                            break
                remaining = page.remaining
        except Expired as e:
            if query.get("continue"):
                raise apierrors.expired(
                    "The provided continue parameter is too old to display a consistent list "
                    "result. You can start a new list without the continue parameter."
                ) from e
            raise apierrors.expired(f"too old resource version: {e.revision} ({e.oldest})") from e
        except RevisionTooLarge as e:
            raise apierrors.StatusError(
                504,
                "Timeout",
                f"Too large resource version: {e.revision}, current: {e.current}",
                details={
                    "causes": [
                        {
                            "reason": "ResourceVersionTooLarge",
                            "message": "Too large resource version",
                        }
                    ],
                    "retryAfterSeconds": 1,
                },
            ) from None

        list_meta: JSON = {"resourceVersion": str(revision)}
        if more and limit is not None and after is not None:
            list_meta["continue"] = encode_continue(revision, after)
            if labels.empty and fields.empty and remaining is not None:
                list_meta["remainingItemCount"] = remaining
        return VerbResult(
            200,
            {
                "apiVersion": served.api_version,
                "kind": served.resource.names.list_kind,
                "metadata": list_meta,
                "items": items,
            },
        )

    async def _list_one(
        self,
        served: ServedResource,
        namespace: str,
        name: str,
        labels: selectors.LabelSelector,
        fields: selectors.FieldSelector,
    ) -> list[JSON]:
        """The one object a list can hold, read by its key: none if missing or not selected."""
        try:
            obj = await self._store.get(_key(served, namespace, name))
        except NotFound:
            return []
        return [_as_served_version(obj, served)] if _selected(obj, served, labels, fields) else []

    def _list_start(self, query: Mapping[str, str]) -> _ListStart:
        """Where a list starts, from continue / resourceVersion / resourceVersionMatch."""
        _validate_list_options(query)
        token = query.get("continue")
        rv = query.get("resourceVersion")
        if token:
            # "0" (any version) is allowed with a continue token, as in the etcd3 store.
            if rv and rv != "0":
                raise apierrors.bad_request(
                    "specifying resource version is not allowed when using continue"
                )
            return _ListStart(*decode_continue(token))
        if query.get("resourceVersionMatch") == "Exact":
            return _ListStart(_parse_revision(rv or ""))
        if rv and rv != "0":
            return _ListStart(not_older_than=_parse_revision(rv))
        return _ListStart()

    # -- update -----------------------------------------------------------------------------

    async def update_object(self, req: VerbRequest) -> VerbResult:
        served = req.served
        dry_run = _dry_run(req.query)
        obj, decode_warnings = await self._decode_object(req)
        meta = obj["metadata"]
        # An absent name is a mismatch too (kube-apiserver's checkName in handlers/update.go).
        if (meta.get("name") or "") != req.name:
            raise apierrors.bad_request(
                f"the name of the object ({meta.get('name') or ''}) does not match the name on the URL ({req.name})"
            )
        meta["name"] = req.name
        key = _key(served, req.namespace, req.name)
        # As the generic registry store does: existence first (404), then the preconditions.
        try:
            current = await self._store.get(key)
        except NotFound:
            raise apierrors.not_found(served.group, served.plural, req.name) from None
        rv = meta.get("resourceVersion")
        if not rv:
            raise _invalid(
                served,
                req.name,
                [
                    FieldError(
                        "metadata.resourceVersion",
                        "FieldValueInvalid",
                        "Invalid value: 0x0: must be specified for an update",
                    )
                ],
            )
        expected = _parse_revision(str(rv))
        # A uid in the body is a precondition (rest.defaultUpdatedObjectInfo), so 409, not 422.
        _check_preconditions(served, req.name, {"uid": meta.get("uid")}, current["metadata"])
        current_meta = current["metadata"]
        if int(current_meta["resourceVersion"]) != expected:
            raise apierrors.conflict(served.group, served.plural, req.name, apierrors.MODIFIED)

        errors = validate_object_meta(meta)
        warnings = (*decode_warnings, *warnings_for_object_meta(meta))
        deleting = current_meta.get("deletionTimestamp")
        new_finalizers = set(meta.get("finalizers") or [])
        if deleting and not new_finalizers <= set(current_meta.get("finalizers") or []):
            added = sorted(new_finalizers - set(current_meta.get("finalizers") or []))
            errors.append(
                FieldError(
                    "metadata.finalizers",
                    "FieldValueForbidden",
                    f"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers {added}",
                )
            )
        if errors:
            raise _invalid(served, req.name, errors)

        # The server keeps what it owns, whatever the client sent (generation is worked out
        # below; selfLink is never stored, so it goes).
        for key_name in SERVER_MANAGED:
            if key_name in current_meta:
                meta[key_name] = current_meta[key_name]
            else:
                meta.pop(key_name, None)
        with_status = served.definition.status_subresource
        if with_status:
            if "status" in current:
                obj["status"] = current["status"]
            else:
                obj.pop("status", None)
        generation = int(current_meta.get("generation", 1))
        if _spec_of(obj, with_status) != _spec_of(current, with_status):
            generation += 1
        meta["generation"] = generation
        _as_storage_version(obj, served)

        if _normalized(obj) == _normalized(current):
            return VerbResult(
                200, _as_served_version(current, served), warnings
            )  # no-op: no new revision
        if dry_run:
            return VerbResult(200, _as_served_version(obj, served), warnings)
        try:
            if deleting and not new_finalizers:
                stored = await self._store.delete(key, expected_revision=expected)
            else:
                stored = await self._store.update(key, obj, expected_revision=expected)
        except Conflict:
            raise apierrors.conflict(
                served.group, served.plural, req.name, apierrors.MODIFIED
            ) from None
        except NotFound:
            raise apierrors.not_found(served.group, served.plural, req.name) from None
        return VerbResult(200, _as_served_version(stored, served), warnings)

    # -- delete -----------------------------------------------------------------------------

    async def delete_object(self, req: VerbRequest) -> VerbResult:
        served = req.served
        options = await self._delete_options(req)
        dry_run = _dry_run(req.query) or options.get("dryRun") == ["All"]
        key = _key(served, req.namespace, req.name)
        for _ in range(CONFLICT_RETRIES):
            try:
                current = await self._store.get(key)
            except NotFound:
                raise apierrors.not_found(served.group, served.plural, req.name) from None
            meta = current["metadata"]
            _check_preconditions(served, req.name, options.get("preconditions") or {}, meta)
            finalizers = _finalizers_after_delete(meta.get("finalizers") or [], options)
            try:
                if finalizers:
                    result = await self._mark_deleting(key, current, finalizers, dry_run)
                elif dry_run:
                    result = current
                else:
                    result = await self._store.delete(
                        key, expected_revision=int(meta["resourceVersion"])
                    )
            except Conflict:
                continue  # changed between read and write: decide again on the new state
            except NotFound:
                raise apierrors.not_found(served.group, served.plural, req.name) from None
            return VerbResult(200, _as_served_version(result, served))
        raise apierrors.conflict(served.group, served.plural, req.name, apierrors.MODIFIED)

    async def _mark_deleting(
        self, key: ObjectKey, current: JSON, finalizers: list[str], dry_run: bool
    ) -> JSON:
        meta = current["metadata"]
        if meta.get("deletionTimestamp") and meta.get("finalizers") == finalizers:
            return current  # a repeated delete changes nothing
        # `current` is the caller's own copy from store.get: change it in place.
        expected = int(meta["resourceVersion"])
        meta["finalizers"] = finalizers
        if not meta.get("deletionTimestamp"):
            meta["deletionTimestamp"] = now_rfc3339()
            meta["deletionGracePeriodSeconds"] = 0
            meta["generation"] = int(meta.get("generation", 1)) + 1
        if dry_run:
            return current
        return await self._store.update(key, current, expected_revision=expected)

    async def _delete_options(self, req: VerbRequest) -> JSON:
        options: JSON = {}
        if req.body.strip():
            decoded = await negotiation.decode_body(req.body, req.content_type)
            if not isinstance(decoded, dict):
                raise apierrors.bad_request("DeleteOptions must be an object")
            options = decoded
        query = req.query
        if "propagationPolicy" in query:
            options["propagationPolicy"] = query["propagationPolicy"]
        if "orphanDependents" in query:
            options["orphanDependents"] = query["orphanDependents"].lower() == "true"
        policy = options.get("propagationPolicy")
        errors = []
        if policy is not None and policy not in ("Foreground", "Background", "Orphan"):
            errors.append(
                FieldError(
                    "propagationPolicy",
                    "FieldValueNotSupported",
                    f'Unsupported value: "{policy}": supported values: "Foreground", "Background", "Orphan"',
                )
            )
        if policy is not None and options.get("orphanDependents") is not None:
            errors.append(
                FieldError(
                    "propagationPolicy",
                    "FieldValueInvalid",
                    "Invalid value: orphanDependents and deletionPropagation cannot be both set",
                )
            )
        if errors:
            raise _invalid(req.served, req.name, errors)
        return options

    VERBS = MappingProxyType(
        {
            "create": create_object,
            "delete": delete_object,
            "get": get_object,
            "list": list_objects,
            "update": update_object,
        }
    )


def _selected(
    obj: JSON,
    served: ServedResource,
    labels: selectors.LabelSelector,
    fields: selectors.FieldSelector,
) -> bool:
    return labels.matches(obj.get("metadata", {}).get("labels") or {}) and fields.matches(
        selectors.object_fields(obj, served.namespaced)
    )


def _finalizers_after_delete(existing: list[str], options: Mapping[str, Any]) -> list[str]:
    """The garbage-collector finalizers a delete adds or removes (registry/generic/registry/store.go)."""
    policy = options.get("propagationPolicy")
    if policy is None and options.get("orphanDependents") is not None:
        policy = "Orphan" if options["orphanDependents"] else "Background"
    finalizers = list(existing)
    wanted = {"Orphan": "orphan", "Foreground": "foregroundDeletion"}.get(policy or "")
    if policy is not None:
        finalizers = [f for f in finalizers if f not in GC_FINALIZERS]
        if wanted:
            finalizers.append(wanted)
    return finalizers


def _check_preconditions(
    served: ServedResource, name: str, pre: Mapping[str, Any], meta: Mapping[str, Any]
) -> None:
    uid, rv = pre.get("uid"), pre.get("resourceVersion")
    if uid and uid != meta.get("uid"):
        raise apierrors.StatusError(
            409,
            "Conflict",
            f'Operation cannot be fulfilled on {apierrors.qualified(served.group, served.plural)} "{name}": '
            f"Precondition failed: UID in precondition: {uid}, UID in object meta: {meta.get('uid')}",
            details={"name": name, "group": served.group, "kind": served.plural},
        )
    if rv and rv != meta.get("resourceVersion"):
        raise apierrors.StatusError(
            409,
            "Conflict",
            f'Operation cannot be fulfilled on {apierrors.qualified(served.group, served.plural)} "{name}": '
            f"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: "
            f"{meta.get('resourceVersion')}",
            details={"name": name, "group": served.group, "kind": served.plural},
        )


def _normalized(obj: Mapping[str, Any]) -> bytes:
    return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)


def _validate_list_options(query: Mapping[str, str]) -> None:
    """422 for the combinations k8s.io/apimachinery's ValidateListOptions refuses, all of them
    at once and worded as there."""
    rv = query.get("resourceVersion")
    match = query.get("resourceVersionMatch")
    if not match:
        return
    errors = []
    if not rv:
        errors.append(
            _forbidden_match("resourceVersionMatch is forbidden unless resourceVersion is provided")
        )
    if query.get("continue"):
        errors.append(
            _forbidden_match("resourceVersionMatch is forbidden when continue is provided")
        )
    if match not in ("Exact", "NotOlderThan"):
        errors.append(
            FieldError(
                "resourceVersionMatch",
                "FieldValueNotSupported",
                f'Unsupported value: "{match}": supported values: "Exact", "NotOlderThan", ""',
            )
        )
    if match == "Exact" and rv == "0":
        errors.append(
            _forbidden_match('resourceVersionMatch "exact" is forbidden for resourceVersion "0"')
        )
    if errors:
        raise apierrors.invalid("meta.k8s.io", "ListOptions", "", errors)


def _forbidden_match(detail: str) -> FieldError:
    return FieldError("resourceVersionMatch", "FieldValueForbidden", f"Forbidden: {detail}")


def _parse_revision(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise apierrors.bad_request(f'invalid resource version "{text}"')
    return value


def _positive_int(text: str | None, name: str) -> int | None:
    if text is None or text == "":
        return None
    try:
        value = int(text)
    except ValueError:
        raise apierrors.bad_request(f'invalid value for {name}: "{text}"') from None
    return value if value > 0 else None


def encode_continue(revision: int, after: tuple[str, str]) -> str:
    """An opaque continue token: the snapshot revision and the last key returned."""
    token = {"v": "annex.dev/v1", "rv": revision, "start": f"{after[0]}/{after[1]}"}
    return base64.urlsafe_b64encode(orjson.dumps(token)).decode().rstrip("=")


def decode_continue(token: str) -> tuple[int, tuple[str, str]]:
    try:
        raw = orjson.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        namespace, _, name = str(raw["start"]).partition("/")
        revision = int(raw["rv"])
        if raw.get("v") != "annex.dev/v1" or revision <= 0 or not name:
            raise ValueError(token)
    except (ValueError, KeyError, TypeError, orjson.JSONDecodeError):
        raise apierrors.bad_request("continue key is not valid") from None
    return revision, (namespace, name)
