"""Query parameters (and DeleteOptions bodies) parsed once into the registry's typed options,
validated and worded as k8s.io/apimachinery's ValidateListOptions, ValidatePatchOptions,
ValidateDeleteOptions and the handlers' dryRun / fieldManager checks do."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from annex_core.apidef import FieldError
from annex_core.gotext import NumberError, go_quote, parse_uint64
from annex_gateway import apierrors
from annex_gateway.endpoints import gotypes
from annex_gateway.endpoints.queryparams import bool_param, int64_param
from annex_gateway.registry import selectors
from annex_gateway.registry.listing import supported_fields
from annex_gateway.registry.options import (
    DeleteOptions,
    ListOptions,
    PatchOptions,
    Preconditions,
    WriteOptions,
)
from annex_gateway.registry.resource import ResourceInfo
from annex_gateway.registry.watching import WatchOptions

MAX_FIELD_MANAGER_LENGTH = 128
FIELD_VALIDATION = ("", "Ignore", "Strict", "Warn")


def _not_supported(field: str, value: str, supported: str, *, quoted: bool = True) -> FieldError:
    shown = f'"{value}"' if quoted else value
    return FieldError(
        field,
        "FieldValueNotSupported",
        f"Unsupported value: {shown}: supported values: {supported}",
    )


def _all(query: Mapping[str, str], name: str) -> list[str]:
    """Every value of a repeated parameter (an aiohttp MultiDict keeps them all)."""
    getall = getattr(query, "getall", None)
    if getall is not None:
        return list(getall(name, []))
    value = query.get(name)
    return [] if value is None else [value]


def _dry_run_errors(values: list[Any]) -> list[FieldError]:
    """ValidateDryRun: every value "All" (an empty `dryRun=` is not)."""
    if all(v == "All" for v in values):
        return []
    shown = json.dumps(values, separators=(",", ":"))
    return [_not_supported("dryRun", shown, '"All"', quoted=False)]


def field_manager(query: Mapping[str, str], user_agent: str | None) -> str:
    """fieldManager, or the User-Agent up to its first "/" (handlers/rest.go
    managerOrUserAgent), at most 128 printable characters."""
    manager = query.get("fieldManager")
    if manager is None or manager == "":
        return _agent_prefix(user_agent or "")
    return manager


def _agent_prefix(user_agent: str) -> str:
    prefix = user_agent.split("/", 1)[0]
    cleaned = "".join(ch for ch in prefix if ch.isprintable())
    return cleaned[:MAX_FIELD_MANAGER_LENGTH]


def _field_manager_errors(query: Mapping[str, str]) -> list[FieldError]:
    """ValidateFieldManager: at most 128 bytes, and one error per unprintable character."""
    manager = query.get("fieldManager") or ""
    errors = []
    if len(manager.encode()) > MAX_FIELD_MANAGER_LENGTH:
        errors.append(
            FieldError(
                "fieldManager",
                "FieldValueTooLong",
                f"Too long: may not be more than {MAX_FIELD_MANAGER_LENGTH} bytes",
            )
        )
    position = 0
    for ch in manager:
        if not ch.isprintable():
            errors.append(
                FieldError(
                    "fieldManager",
                    "FieldValueInvalid",
                    f"Invalid value: {go_quote(manager)}: invalid character "
                    f"U+{ord(ch):04X} (at position {position})",
                )
            )
        position += len(ch.encode("utf-8", errors="surrogatepass"))
    return errors


def _write_errors(query: Mapping[str, str]) -> list[FieldError]:
    """What ValidateCreateOptions, ValidateUpdateOptions and ValidatePatchOptions share."""
    errors = _field_manager_errors(query) + _dry_run_errors(_all(query, "dryRun"))
    validation = query.get("fieldValidation") or ""
    if validation not in FIELD_VALIDATION:
        supported = ", ".join(f'"{v}"' for v in FIELD_VALIDATION)
        errors.append(_not_supported("fieldValidation", validation, supported))
    return errors


def write_options(
    query: Mapping[str, str], user_agent: str | None, kind: str = "CreateOptions"
) -> WriteOptions:
    errors = _write_errors(query)
    if errors:
        raise apierrors.invalid("meta.k8s.io", kind, "", errors)
    return WriteOptions(
        dry_run=bool(_all(query, "dryRun")), field_manager=field_manager(query, user_agent)
    )


def patch_options(query: Mapping[str, str], user_agent: str | None, apply: bool) -> PatchOptions:
    """As ValidatePatchOptions: apply needs a fieldManager; force is for apply only."""
    errors = []
    if apply and not query.get("fieldManager"):
        errors.append(
            FieldError(
                "fieldManager",
                "FieldValueRequired",
                "Required value: is required for apply patch",
            )
        )
    if not apply and "force" in query:
        errors.append(
            FieldError(
                "force",
                "FieldValueForbidden",
                "Forbidden: may not be specified for non-apply patch",
            )
        )
    errors += _write_errors(query)
    if errors:
        raise apierrors.invalid("meta.k8s.io", "PatchOptions", "", errors)
    return PatchOptions(
        dry_run=bool(_all(query, "dryRun")),
        field_manager=field_manager(query, user_agent),
        force=bool(bool_param(query, "force")),
    )


# -- list -----------------------------------------------------------------------------------------


def list_options(
    query: Mapping[str, str], info: ResourceInfo, *, watch: bool = False
) -> ListOptions:
    labels = selectors.parse_labels(query.get("labelSelector"))
    fields = selectors.parse_fields(query.get("fieldSelector"), supported_fields(info))
    if watch:
        _validate_watch_options(query)
    else:
        _validate_list_options(query)
    token = query.get("continue") or None
    rv = resource_version(query)
    int64_param(query, "timeoutSeconds")  # parsed for a list too, though a list ignores it
    # "0" (any version) is allowed with a continue token, as in the etcd3 store.
    if token and rv and rv != "0":
        raise apierrors.bad_request(
            "specifying resource version is not allowed when using continue"
        )
    return ListOptions(
        labels=labels,
        fields=fields,
        limit=_positive(int64_param(query, "limit")),
        continue_token=token,
        resource_version=rv,
        resource_version_match=query.get("resourceVersionMatch") or None,
    )


def _validate_list_options(query: Mapping[str, str]) -> None:
    """422 for the combinations ValidateListOptions refuses, all of them at once."""
    rv = query.get("resourceVersion")
    match = query.get("resourceVersionMatch")
    errors = []
    if match and not rv:
        errors.append(
            _forbidden_match("resourceVersionMatch is forbidden unless resourceVersion is provided")
        )
    if match and query.get("continue"):
        errors.append(
            _forbidden_match("resourceVersionMatch is forbidden when continue is provided")
        )
    if match and match not in ("Exact", "NotOlderThan"):
        errors.append(_not_supported("resourceVersionMatch", match, '"Exact", "NotOlderThan", ""'))
    if match == "Exact" and rv == "0":
        errors.append(
            _forbidden_match('resourceVersionMatch "exact" is forbidden for resourceVersion "0"')
        )
    if "sendInitialEvents" in query:
        errors.append(
            FieldError(
                "sendInitialEvents",
                "FieldValueForbidden",
                "Forbidden: sendInitialEvents is forbidden for list",
            )
        )
    if errors:
        raise apierrors.invalid("meta.k8s.io", "ListOptions", "", errors)


def _validate_watch_options(query: Mapping[str, str]) -> None:
    """validateWatchOptions: resourceVersionMatch only with sendInitialEvents, and then only
    NotOlderThan (WatchList is enabled, as in kube-apiserver 1.37)."""
    match = query.get("resourceVersionMatch")
    send_initial = query.get("sendInitialEvents")
    errors = []
    if send_initial is not None and match != "NotOlderThan":
        errors.append(
            _forbidden_match(
                "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"
            )
        )
    if match:
        if send_initial is None:
            errors.append(
                _forbidden_match(
                    "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"
                )
            )
        if match != "NotOlderThan":
            errors.append(_not_supported("resourceVersionMatch", match, '"NotOlderThan"'))
        if query.get("continue"):
            errors.append(
                _forbidden_match("resourceVersionMatch is forbidden when continue is provided")
            )
    if errors:
        raise apierrors.invalid("meta.k8s.io", "ListOptions", "", errors)


def watch_options(query: Mapping[str, str], info: ResourceInfo) -> WatchOptions:
    query = _watch_list_defaults(query)
    return WatchOptions(
        list=list_options(query, info, watch=True),
        send_initial_events=bool_param(query, "sendInitialEvents"),
        allow_bookmarks=bool(bool_param(query, "allowWatchBookmarks")),
    )


def _watch_list_defaults(query: Mapping[str, str]) -> Mapping[str, str]:
    """SetListOptionsDefaults with WatchList on (kube 1.37's default), before validation: a
    watch from "now" or "any" that names neither option is a WatchList, whose initial events
    end with a bookmark when bookmarks are allowed (and which a continue token makes invalid)."""
    if query.get("sendInitialEvents") is not None or query.get("resourceVersionMatch"):
        return query
    if (query.get("resourceVersion") or "") not in ("", "0"):
        return query
    return {**query, "sendInitialEvents": "true", "resourceVersionMatch": "NotOlderThan"}


def timeout_seconds(query: Mapping[str, str]) -> int | None:
    return int64_param(query, "timeoutSeconds")


def resource_version(query: Mapping[str, str]) -> str | None:
    """resourceVersion, if it parses as storage parses it (APIObjectVersioner: ParseUint);
    400 as kube-apiserver answers a list (it answers a get or a watch 500)."""
    rv = query.get("resourceVersion") or None
    if rv is not None:
        try:
            parse_uint64(rv)
        except NumberError as e:
            raise apierrors.bad_request(
                f"invalid resource version: resourceVersion: Invalid value: {go_quote(rv)}: {e}"
            ) from None
    return rv


def _forbidden_match(detail: str) -> FieldError:
    return FieldError("resourceVersionMatch", "FieldValueForbidden", f"Forbidden: {detail}")


# Beyond any count of objects, within what slicing and SQLite take (limit + 1 < 2**63).
MAX_LIMIT = 2**62


def _positive(value: int | None) -> int | None:
    """A limit or timeout: zero or negative is none; more than any store holds is MAX_LIMIT."""
    return min(value, MAX_LIMIT) if value is not None and value > 0 else None


# -- delete ---------------------------------------------------------------------------------------

_POLICIES = ("Foreground", "Background", "Orphan")
# The type encoding/json is asked to read a body's apiVersion and kind into, as Go prints it.
_TYPE_META = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }'


def delete_options(body: Any, query: Mapping[str, str]) -> DeleteOptions:
    """DeleteOptions from the decoded body, or from the query when there is no body (kube
    reads one or the other, handlers/delete.go), read and validated as kube-apiserver does:
    a value of the wrong type is 400, what ValidateDeleteOptions refuses 422."""
    raw = _delete_body(body) if body is not None else _delete_query(query)
    policy, orphan = raw.get("propagationPolicy"), raw.get("orphanDependents")
    errors = []
    if policy is not None and orphan is not None:
        errors.append(
            FieldError(
                "propagationPolicy",
                "FieldValueInvalid",
                f'Invalid value: "{policy}": orphanDependents and deletionPropagation cannot be '
                "both set",
            )
        )
    if policy is not None and policy not in _POLICIES:
        supported = ", ".join(f'"{p}"' for p in (*_POLICIES, "nil"))
        errors.append(_not_supported("propagationPolicy", policy, supported))
    dry_run = [v for v in raw.get("dryRun") or [] if v is not None]
    errors += _dry_run_errors(dry_run)
    unsafe = raw.get(IGNORE_READ_ERROR) is True
    if unsafe:  # ValidateIgnoreStoreReadError: an unsafe delete takes no other option
        for key in ("propagationPolicy", "orphanDependents", "gracePeriodSeconds", "preconditions"):
            if raw.get(key) is not None:
                errors.append(
                    FieldError(
                        IGNORE_READ_ERROR,
                        "FieldValueInvalid",
                        f"Invalid value: true: cannot be set together with .{key}",
                    )
                )
    if errors:
        raise apierrors.invalid("meta.k8s.io", "DeleteOptions", "", errors)
    pre = raw.get("preconditions") or {}
    grace = raw.get("gracePeriodSeconds")
    return DeleteOptions(
        dry_run=bool(dry_run),
        propagation_policy=policy,
        orphan_dependents=orphan,
        grace_period_seconds=int(grace) if grace is not None else None,
        preconditions=Preconditions(
            uid=pre.get("uid") or None, resource_version=pre.get("resourceVersion") or None
        ),
        ignore_store_read_error=unsafe,
    )


IGNORE_READ_ERROR = "ignoreStoreReadErrorWithClusterBreakingPotential"


def _delete_query(query: Mapping[str, str]) -> dict[str, Any]:
    """Convert_url_Values_To_v1_DeleteOptions: `uid` and `resourceVersion` in the query are
    preconditions (so a deletecollection's `resourceVersion` is every delete's too)."""
    raw: dict[str, Any] = {}
    if "propagationPolicy" in query:
        raw["propagationPolicy"] = query["propagationPolicy"]
    if "orphanDependents" in query:
        raw["orphanDependents"] = bool_param(query, "orphanDependents")
    if "gracePeriodSeconds" in query:
        raw["gracePeriodSeconds"] = int64_param(query, "gracePeriodSeconds")
    if "dryRun" in query:
        raw["dryRun"] = _all(query, "dryRun")
    if IGNORE_READ_ERROR in query:
        raw[IGNORE_READ_ERROR] = bool_param(query, IGNORE_READ_ERROR)
    preconditions = {k: query[k] for k in ("uid", "resourceVersion") if query.get(k)}
    if preconditions:
        raw["preconditions"] = preconditions
    return raw


def _delete_body(body: Any) -> dict[str, Any]:
    """The body's DeleteOptions fields, checked as encoding/json decodes them."""
    if not isinstance(body, dict):
        raise apierrors.bad_request(
            "couldn't get version/kind; json parse error: json: cannot unmarshal "
            f"{gotypes.json_kind(body)} into Go value of type {_TYPE_META}"
        )
    kind, api_version = body.get("kind"), body.get("apiVersion")
    for key, value in (("apiVersion", api_version), ("kind", kind)):
        if value is not None and not isinstance(value, str):
            raise apierrors.bad_request(
                "couldn't get version/kind; json parse error: json: cannot unmarshal "
                f"{gotypes.json_kind(value)} into Go struct field .{key} of type string"
            )
    if kind not in (None, "", "DeleteOptions"):
        raise apierrors.bad_request(
            f"no kind {go_quote(str(kind))} is registered for version "
            f'{go_quote(str(api_version or ""))} in scheme "pkg/runtime/scheme.go:111"'
        )
    problem = gotypes.first_error(body, gotypes.DELETE_OPTIONS)
    if problem is not None:
        raise apierrors.bad_request(problem)
    return dict(body)
