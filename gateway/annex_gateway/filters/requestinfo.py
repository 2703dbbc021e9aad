"""What a request path means, the way k8s.io/apiserver's RequestInfoFactory reads it.

Pure parsing: `/apis/<g>/<v>[/namespaces/<ns>]/<resource>[/<name>[/<subresource>]]`, plus the
Kubernetes verb (get, list, watch, create, update, patch, delete, deletecollection) that
authorization and dispatch use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote

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


@dataclass(frozen=True)
class RequestInfo:
    path: str
    verb: str  # the Kubernetes verb for resource requests; the lowercase method otherwise
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

    namespace = ""
    if rest[0] == "namespaces" and len(rest) >= 2:
        namespace = rest[1]
        rest = rest[2:] if len(rest) > 2 else ["namespaces", namespace]
        if rest == ["namespaces", namespace]:  # the namespace object itself
            namespace = ""
    resource = rest[0]
    name = rest[1] if len(rest) > 1 else ""
    subresource = rest[2] if len(rest) > 2 else ""
    if len(rest) > 3:
        return non_resource

    if name:
        verb = _ITEM_VERBS.get(method.upper(), method.lower())
    else:
        verb = _COLLECTION_VERBS.get(method.upper(), method.lower())
        if verb == "list" and _is_true(query.get("watch")):
            verb = "watch"
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


def _is_true(value: str | None) -> bool:
    """A boolean query parameter as k8s.io/apimachinery decodes it (Convert_Slice_string_To_bool):
    absent, "0" or "false" (any case) is false; anything else, even empty (`?watch`), is true."""
    return value is not None and value != "0" and value.lower() != "false"
