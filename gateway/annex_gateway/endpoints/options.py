"""Query parameters (and DeleteOptions bodies) parsed once into the registry's typed options,
validated and worded as k8s.io/apimachinery's ValidateListOptions, ValidatePatchOptions,
ValidateDeleteOptions and the handlers' dryRun / fieldManager checks do."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annex_core.apidef import FieldError
from annex_gateway import apierrors
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


def _not_supported(field: str, value: str, supported: str) -> FieldError:
    return FieldError(
        field,
        "FieldValueNotSupported",
        f'Unsupported value: "{value}": supported values: {supported}',
    )


def dry_run(query: Mapping[str, str]) -> bool:
    value = query.get("dryRun")
    if value is None or value == "":
        return False
    if value != "All":
        raise apierrors.StatusError(
            422,
            "Invalid",
            f'Invalid value: "{value}": supported values: "All"',
            details={"causes": [_cause(_not_supported("dryRun", value, '"All"'))]},
        )
    return True


def _cause(error: FieldError) -> dict[str, str]:
    return {"reason": error.reason, "field": error.field, "message": error.message}


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
    manager = query.get("fieldManager") or ""
    errors = []
    if len(manager) > MAX_FIELD_MANAGER_LENGTH:
        errors.append(
            FieldError(
                "fieldManager",
                "FieldValueTooLong",
                f"Too long: may not be more than {MAX_FIELD_MANAGER_LENGTH} bytes",
            )
        )
    for ch in manager:
        if not ch.isprintable():
            errors.append(
                FieldError(
                    "fieldManager",
                    "FieldValueInvalid",
                    f"Invalid value: {manager!r}: fieldManager must contain only printable characters",
                )
            )
            break
    return errors


def write_options(
    query: Mapping[str, str], user_agent: str | None, kind: str = "CreateOptions"
) -> WriteOptions:
    errors = _field_manager_errors(query)
    if errors:
        raise apierrors.invalid("meta.k8s.io", kind, "", errors)
    return WriteOptions(dry_run=dry_run(query), field_manager=field_manager(query, user_agent))


def patch_options(query: Mapping[str, str], user_agent: str | None, apply: bool) -> PatchOptions:
    """As ValidatePatchOptions: apply needs a fieldManager; force is for apply only."""
    errors = _field_manager_errors(query)
    force_text = query.get("force")
    force = force_text is not None and force_text.lower() in ("true", "1")
    if apply and not query.get("fieldManager"):
        errors.append(
            FieldError(
                "fieldManager",
                "FieldValueRequired",
                "Required value: is required for apply patch",
            )
        )
    if not apply and force_text is not None:
        errors.append(
            FieldError(
                "force",
                "FieldValueForbidden",
                "Forbidden: may not be specified for non-apply patch",
            )
        )
    if errors:
        raise apierrors.invalid("meta.k8s.io", "PatchOptions", "", errors)
    return PatchOptions(
        dry_run=dry_run(query), field_manager=field_manager(query, user_agent), force=force
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
    rv = query.get("resourceVersion") or None
    # "0" (any version) is allowed with a continue token, as in the etcd3 store.
    if token and rv and rv != "0":
        raise apierrors.bad_request(
            "specifying resource version is not allowed when using continue"
        )
    return ListOptions(
        labels=labels,
        fields=fields,
        limit=_positive_int(query.get("limit"), "limit"),
        continue_token=token,
        resource_version=rv,
        resource_version_match=query.get("resourceVersionMatch") or None,
    )


def _validate_list_options(query: Mapping[str, str]) -> None:
    """422 for the combinations ValidateListOptions refuses, all of them at once."""
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
        errors.append(_not_supported("resourceVersionMatch", match, '"Exact", "NotOlderThan", ""'))
    if match == "Exact" and rv == "0":
        errors.append(
            _forbidden_match('resourceVersionMatch "exact" is forbidden for resourceVersion "0"')
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
    send_initial = query.get("sendInitialEvents")
    return WatchOptions(
        list=list_options(query, info, watch=True),
        send_initial_events=None
        if send_initial is None
        else parse_bool(send_initial, "sendInitialEvents"),
        allow_bookmarks=parse_bool(
            query.get("allowWatchBookmarks") or "false", "allowWatchBookmarks"
        ),
    )


def timeout_seconds(query: Mapping[str, str]) -> int | None:
    return _positive_int(query.get("timeoutSeconds"), "timeoutSeconds")


_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_FALSE = ("0", "f", "F", "FALSE", "false", "False")


def parse_bool(text: str, name: str) -> bool:
    """strconv.ParseBool, as query parameters are converted."""
    if text in _TRUE:
        return True
    if text in _FALSE or text == "":
        return False
    raise apierrors.bad_request(f'invalid value for {name}: "{text}"')


def _forbidden_match(detail: str) -> FieldError:
    return FieldError("resourceVersionMatch", "FieldValueForbidden", f"Forbidden: {detail}")


def _positive_int(text: str | None, name: str) -> int | None:
    if text is None or text == "":
        return None
    try:
        value = int(text)
    except ValueError:
        raise apierrors.bad_request(f'invalid value for {name}: "{text}"') from None
    return value if value > 0 else None


# -- delete ---------------------------------------------------------------------------------------


def delete_options(
    body: Any, query: Mapping[str, str], kind: str, group: str, name: str
) -> DeleteOptions:
    """DeleteOptions from the decoded body (or None) and the query, which wins."""
    raw: dict[str, Any] = {}
    if body is not None:
        if not isinstance(body, dict):
            raise apierrors.bad_request("DeleteOptions must be an object")
        raw = dict(body)
    if "propagationPolicy" in query:
        raw["propagationPolicy"] = query["propagationPolicy"]
    if "orphanDependents" in query:
        raw["orphanDependents"] = query["orphanDependents"].lower() == "true"
    if "gracePeriodSeconds" in query:
        raw["gracePeriodSeconds"] = _int(query["gracePeriodSeconds"], "gracePeriodSeconds")
    policy = raw.get("propagationPolicy")
    errors = []
    if policy is not None and policy not in ("Foreground", "Background", "Orphan"):
        errors.append(
            _not_supported("propagationPolicy", str(policy), '"Foreground", "Background", "Orphan"')
        )
    if policy is not None and raw.get("orphanDependents") is not None:
        errors.append(
            FieldError(
                "propagationPolicy",
                "FieldValueInvalid",
                "Invalid value: orphanDependents and deletionPropagation cannot be both set",
            )
        )
    if errors:
        raise apierrors.invalid(group, kind, name, errors)
    body_dry_run = raw.get("dryRun")
    if body_dry_run not in (None, [], ["All"]):
        raise apierrors.StatusError(
            422,
            "Invalid",
            f'Invalid value: {body_dry_run!r}: supported values: "All"',
            details={"causes": [_cause(_not_supported("dryRun", str(body_dry_run), '"All"'))]},
        )
    pre = raw.get("preconditions") or {}
    if not isinstance(pre, dict):
        raise apierrors.bad_request("DeleteOptions.preconditions must be an object")
    grace = raw.get("gracePeriodSeconds")
    orphan = raw.get("orphanDependents")
    return DeleteOptions(
        dry_run=dry_run(query) or body_dry_run == ["All"],
        propagation_policy=policy,
        orphan_dependents=orphan if isinstance(orphan, bool) else None,
        grace_period_seconds=grace if isinstance(grace, int) else None,
        preconditions=Preconditions(
            uid=_str_or_none(pre.get("uid")),
            resource_version=_str_or_none(pre.get("resourceVersion")),
        ),
    )


def _str_or_none(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _int(text: str, name: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise apierrors.bad_request(f'invalid value for {name}: "{text}"') from None
