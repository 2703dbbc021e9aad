"""What a request path means, the way k8s.io/apiserver's RequestInfoFactory reads it.

Pure parsing: `/apis/<g>/<v>[/<special verb>][/namespaces/<ns>]/<resource>[/<name>[/<subresource>]]`,
plus the Kubernetes verb (get, list, watch, create, update, patch, delete, deletecollection,
or the special verbs `watch` and `proxy` of the deprecated paths) that authorization and
dispatch use. A list or watch whose field selector pins `metadata.name` names that object, as
it does for RBAC's resourceNames.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from annex_core.schema.names import path_segment_errors
from annex_gateway import apierrors
from annex_gateway.registry import selectors

# POST on an item is `create` too (subresources such as pods/eviction are created that way).
_ITEM_VERBS = {
    "GET": "get",
    "HEAD": "get",
    "POST": "create",
    "PUT": "update",
    "PATCH": "patch",
    "DELETE": "delete",
}
# PUT and PATCH keep their verbs with no name: the handler answers "name must be provided".
_COLLECTION_VERBS = {
    "GET": "list",
    "HEAD": "list",
    "POST": "create",
    "PUT": "update",
    "PATCH": "patch",
    "DELETE": "deletecollection",
}
# /apis/<g>/<v>/watch/... is a watch, /apis/<g>/<v>/proxy/... a proxy (never a subresource).
_SPECIAL_VERBS = ("proxy", "watch")


@dataclass(frozen=True)
class RequestInfo:
    path: str
    verb: str  # the Kubernetes verb for resource requests ("" for a method with none); the lowercase method otherwise
    is_resource_request: bool = False
    api_prefix: str = ""
    group: str = ""
    version: str = ""
    namespace: str = ""
    resource: str = ""
    name: str = ""
    subresource: str = ""


def parse(method: str, raw_path: str, query: Mapping[str, str]) -> RequestInfo:
    """`raw_path` as sent: decoded once, then split, as Go's URL.Path is (`%2F` separates;
    `%252F` is a name holding `%2F`; an invalid UTF-8 escape decodes to U+FFFD)."""
    path = unquote(raw_path, errors="replace")
    parts = [p for p in path.strip("/").split("/") if p]
    non_resource = RequestInfo(path=path, verb=method.lower())
    if not parts or parts[0] not in ("apis", "api"):
        return non_resource
    prefix, rest = parts[0], parts[1:]
    if prefix == "apis":
        if len(rest) < 3:  # /apis, /apis/<g>, /apis/<g>/<v> are discovery, not resources
            return non_resource
        group, version, rest = rest[0], rest[1], rest[2:]
    else:
        if len(rest) < 2:
            return non_resource
        group, version, rest = "", rest[0], rest[1:]

    special = ""
    if rest[0] in _SPECIAL_VERBS:
        if len(rest) < 2:  # kube-apiserver fails such a request before proxying it
            return non_resource
        special, rest = rest[0], rest[1:]

    namespace = ""
    if rest[0] == "namespaces" and len(rest) >= 2:
        namespace = rest[1]
        rest = rest[2:] if len(rest) > 2 else ["namespaces", namespace]
        if rest == ["namespaces", namespace]:  # the namespace object itself
            namespace = ""
    resource = rest[0]
    name = rest[1] if len(rest) > 1 else ""
    # Parts past the subresource are "other stuff we don't interpret" (RequestInfoFactory).
    subresource = rest[2] if len(rest) > 2 and special != "proxy" else ""

    # Any other method (OPTIONS, TRACE, ...) has no verb: "" ("is not supported" says so).
    if special:
        verb = special
    elif name:
        verb = _ITEM_VERBS.get(method.upper(), "")
    else:
        verb = _COLLECTION_VERBS.get(method.upper(), "")
        if verb == "list" and _is_true(query.get("watch")):
            verb = "watch"
        if verb in ("list", "watch"):
            name = _selected_name(query.get("fieldSelector"))
    return RequestInfo(
        path=path,
        verb=verb,
        is_resource_request=True,
        api_prefix=prefix,
        group=group,
        version=version,
        namespace=namespace,
        resource=resource,
        name=name,
        subresource=subresource,
    )


def _selected_name(field_selector: str | None) -> str:
    """The name a field selector pins, if it parses and is a valid path segment (as
    RequestInfoFactory reads it; a selector that does not parse names nothing here)."""
    try:
        name = selectors.parse_fields(field_selector, None).exact("metadata.name")
    except apierrors.StatusError:
        return ""
    return name if name and not path_segment_errors(name) else ""


def _is_true(value: str | None) -> bool:
    """A boolean query parameter as k8s.io/apimachinery decodes it (Convert_Slice_string_To_bool):
    absent, "0" or "false" (any case) is false; anything else, even empty (`?watch`), is true."""
    return value is not None and value != "0" and value.lower() != "false"
