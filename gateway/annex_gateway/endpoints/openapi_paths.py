"""The paths and operations of a resource's OpenAPI documents, as apiextensions-apiserver's
builder writes them for a CRD (`pkg/controller/openapi/builder/builder.go` `buildRoute`, then
kube-openapi's `builder3` for v3 and `builder` for v2).

kubectl reads them: `kubectl explain` finds a kind through an operation's
`x-kubernetes-group-version-kind`, and client-side `kubectl apply` picks its patch type from
the PATCH operation's request types (never strategic merge patch here), and leaves unknown
fields to the server when the operations take `fieldValidation`. The query parameters and
their descriptions are kube-apiserver's own (`openapi_builtins.json`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

META = "io.k8s.apimachinery.pkg.apis.meta.v1."
SCALE = "io.k8s.api.autoscaling.v1.Scale"
PATCH_TYPES = (
    "application/apply-patch+yaml",
    "application/json-patch+json",
    "application/merge-patch+json",
)
PATCH_CONSUMES = (  # the builder's order, kept by v2 (v3 content is sorted)
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/apply-patch+yaml",
)
CONSUMES = ("application/json", "application/yaml")
PRETTY = "pretty"
NAMESPACE_DESCRIPTION = "object name and auth scope, such as for teams and projects"


@dataclass(frozen=True)
class Route:
    """One route of `generateBuilder`: a path under the resource's root and what it does."""

    path: str  # "", "/{name}", "/{name}/status", "/{name}/scale"
    method: str  # get, post, put, patch, delete
    action: str  # x-kubernetes-action
    verb: str  # the operation verb: list, create, deletecollection, read, replace, patch, delete
    returns: str  # the model name of the response
    reads: str | None = None  # the model name of the request body
    operation: str | None = None  # an explicit operation id (the list for all namespaces)


@dataclass(frozen=True)
class Names:
    group: str
    version: str
    kind: str
    plural: str
    namespaced: bool
    model: str  # the kind's model name, e.g. com.example.images.v1alpha1.Image
    list_model: str


def routes(names: Names, status: bool, scale: bool) -> list[tuple[str, Route]]:
    """(full path, route) in the builder's order."""
    root = f"/apis/{names.group}/{names.version}/{names.plural}"
    found: list[tuple[str, Route]] = []
    if names.namespaced:
        found.append(
            (
                root,
                Route(
                    "",
                    "get",
                    "list",
                    "list",
                    names.list_model,
                    operation=f"list{names.kind}ForAllNamespaces",
                ),
            )
        )
        root = f"/apis/{names.group}/{names.version}/namespaces/{{namespace}}/{names.plural}"
    main, lst = names.model, names.list_model
    table = [
        Route("", "get", "list", "list", lst),
        Route("", "post", "post", "create", main, main),
        Route("", "delete", "deletecollection", "deletecollection", META + "Status"),
        Route("/{name}", "get", "get", "read", main),
        Route("/{name}", "put", "put", "replace", main, main),
        Route("/{name}", "delete", "delete", "delete", META + "Status", META + "DeleteOptions"),
        Route("/{name}", "patch", "patch", "patch", main, META + "Patch"),
    ]
    for sub, model, present in (("status", main, status), ("scale", SCALE, scale)):
        if present:
            table += [
                Route(f"/{{name}}/{sub}", "get", "get", "read", model),
                Route(f"/{{name}}/{sub}", "put", "put", "replace", model, model),
                Route(f"/{{name}}/{sub}", "patch", "patch", "patch", model, META + "Patch"),
            ]
    found += [(root + r.path, r) for r in table]
    return found


def _article(kind: str) -> str:
    """endpoints.GetArticleForNoun(kind, " ")."""
    return " an " if kind[:1] in "AEIOU" else " a "


def _subresource(path: str) -> str:
    parts = path.split("/")
    return parts[2] if len(parts) == 3 else ""


def description(kind: str, route: Route) -> str:
    """builder.descriptionFor."""
    sub = _subresource(route.path)
    of = f" {sub} of" if sub else ""
    if route.verb == "patch":
        return f"partially update{of} the specified {kind}"
    if route.verb == "deletecollection":
        return f"delete collection of{of + ' a' if sub else ''} {kind}"
    article = {
        "list": " objects of kind ",
        "read": " the specified ",
        "replace": " the specified ",
        "create": _article(kind),
        "delete": _article(kind),
    }.get(route.verb, "")
    return f"{route.verb}{of}{article}{kind}"


def _camel_group(group: str) -> str:
    """k8s.io/apiserver's GetOperationIDAndTags: `images.example.com` -> `imagesExampleCom`."""
    parts = [p for p in group.replace("-", ".").split(".") if p]
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def tag(group: str, version: str) -> str:
    return f"{_camel_group(group)}_{version}"


def operation_id(names: Names, route: Route) -> str:
    """The builder's operation (verb + Namespaced + Kind + Subresource), with the group and
    version inserted after the verb as GetOperationIDAndTags does."""
    sub = _subresource(route.path)
    base = route.operation or (
        route.verb
        + ("Namespaced" if names.namespaced else "")
        + names.kind
        + (sub[:1].upper() + sub[1:])
    )
    gv = _camel_group(names.group)
    gv = gv[:1].upper() + gv[1:] + names.version[:1].upper() + names.version[1:]
    if route.verb == "deletecollection":
        return "delete" + gv + "Collection" + base[len("deletecollection") :]
    verb = route.verb
    return verb + gv + base[len(verb) :]


def _query_parameters(route: Route, builtins: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(name, {description, type}) of the action's options, sorted by name."""
    known: Mapping[str, Any] = builtins["options"][route.action]
    return sorted(known.items())


def _path_parameters(names: Names, full_path: str) -> list[tuple[str, str]]:
    found = []
    if "{name}" in full_path:
        found.append(("name", f"name of the {names.kind}"))
    if "{namespace}" in full_path:
        found.append(("namespace", NAMESPACE_DESCRIPTION))
    return found


def _responses(route: Route) -> list[tuple[str, str]]:
    codes = [("200", "OK")]
    if route.action == "post":
        codes += [("201", "Created"), ("202", "Accepted")]
    elif route.action == "put":
        codes.append(("201", "Created"))
    elif route.action == "delete":
        codes.append(("202", "Accepted"))
    return codes


def _gvk(names: Names) -> dict[str, str]:
    return {"group": names.group, "version": names.version, "kind": names.kind}


def v3_paths(
    names: Names, status: bool, scale: bool, builtins: Mapping[str, Any]
) -> dict[str, Any]:
    """The v3 path items of one resource, parameters shared by all operations of a path
    hoisted to the path item, as builder3 does."""
    items: dict[str, dict[str, Any]] = {}
    for full, route in routes(names, status, scale):
        item = items.setdefault(full, {})
        item[route.method] = _v3_operation(names, full, route, builtins)
    for item in items.values():
        _hoist(item)
    return items


def _v3_parameter(name: str, where: str, text: str, kind: str) -> dict[str, Any]:
    parameter: dict[str, Any] = {"name": name, "in": where, "description": text}
    if where == "path":
        parameter["required"] = True
    parameter["schema"] = {"type": kind, "uniqueItems": True}
    return parameter


def _content(model: str, media: tuple[str, ...] = CONSUMES) -> dict[str, Any]:
    return {m: {"schema": {"$ref": f"#/components/schemas/{model}"}} for m in media}


def _v3_operation(
    names: Names, full: str, route: Route, builtins: Mapping[str, Any]
) -> dict[str, Any]:
    pretty = builtins["parameters"][PRETTY]["description"]
    parameters = [_v3_parameter(n, "path", t, "string") for n, t in _path_parameters(names, full)]
    parameters.append(_v3_parameter(PRETTY, "query", pretty, "string"))
    parameters += [
        _v3_parameter(n, "query", p["description"], p["type"])
        for n, p in _query_parameters(route, builtins)
    ]
    operation: dict[str, Any] = {
        "tags": [tag(names.group, names.version)],
        "description": description(names.kind, route),
        "operationId": operation_id(names, route),
        "parameters": parameters,
    }
    if route.reads is not None:
        media = PATCH_TYPES if route.method == "patch" else CONSUMES
        body: dict[str, Any] = {"content": _content(route.reads, media)}
        if route.action != "delete":
            body["required"] = True
        operation["requestBody"] = body
    responses: dict[str, Any] = {
        code: {"description": text, "content": _content(route.returns)}
        for code, text in _responses(route)
    }
    responses["401"] = {"description": "Unauthorized"}
    operation["responses"] = responses
    operation["x-kubernetes-action"] = route.action
    operation["x-kubernetes-group-version-kind"] = _gvk(names)
    return operation


def _hoist(item: dict[str, Any]) -> None:
    """Move the parameters every operation of a path shares to the path item (an operation
    left with none has no list: builder3 leaves it nil, and omitempty drops it)."""
    operations = list(item.values())
    keys = [{(p["name"], p["in"]) for p in op["parameters"]} for op in operations]
    shared = set.intersection(*keys)
    hoisted: dict[tuple[str, str], Any] = {}
    for op in operations:
        kept = []
        for p in op["parameters"]:
            if (p["name"], p["in"]) in shared:
                hoisted[p["name"], p["in"]] = p
            else:
                kept.append(p)
        op["parameters"] = kept
        if not kept:
            del op["parameters"]
    if hoisted:
        item["parameters"] = [hoisted[k] for k in sorted(hoisted)]


def v2_paths(
    names: Names, status: bool, scale: bool, builtins: Mapping[str, Any]
) -> dict[str, Any]:
    """The same operations in Swagger 2.0 form (consumes, produces, body parameters)."""
    items: dict[str, dict[str, Any]] = {}
    for full, route in routes(names, status, scale):
        v3 = _v3_operation(names, full, route, builtins)
        operation: dict[str, Any] = {
            "description": v3["description"],
            "consumes": list(PATCH_CONSUMES if route.method == "patch" else CONSUMES),
            "produces": list(CONSUMES),
            "schemes": ["https"],
            "tags": v3["tags"],
            "operationId": v3["operationId"],
        }
        parameters = []
        if route.reads is not None:
            body: dict[str, Any] = {"name": "body", "in": "body"}
            if route.action != "delete":
                body["required"] = True
            body["schema"] = {"$ref": f"#/definitions/{route.reads}"}
            parameters.append(body)
        parameters += [_v2_parameter(p) for p in v3["parameters"]]
        operation["parameters"] = parameters
        operation["responses"] = {
            code: (
                {
                    "description": r["description"],
                    "schema": {"$ref": f"#/definitions/{route.returns}"},
                }
                if "content" in r
                else {"description": r["description"]}
            )
            for code, r in v3["responses"].items()
        }
        operation["x-kubernetes-action"] = route.action
        operation["x-kubernetes-group-version-kind"] = _gvk(names)
        items.setdefault(full, {})[route.method] = operation
    for item in items.values():
        _hoist_v2(item)
    return items


def _v2_parameter(p: dict[str, Any]) -> dict[str, Any]:
    converted: dict[str, Any] = {"uniqueItems": True, "type": p["schema"]["type"]}
    converted |= {"description": p["description"], "name": p["name"], "in": p["in"]}
    if p.get("required"):
        converted["required"] = True
    return converted


def _hoist_v2(item: dict[str, Any]) -> None:
    operations = list(item.values())
    keys = [
        {(p["name"], p["in"]) for p in op["parameters"] if p["in"] != "body"} for op in operations
    ]
    shared = set.intersection(*keys)
    hoisted: dict[tuple[str, str], Any] = {}
    for op in operations:
        kept = [p for p in op["parameters"] if (p["name"], p["in"]) not in shared]
        hoisted |= {(p["name"], p["in"]): p for p in op["parameters"] if p not in kept}
        op["parameters"] = kept
        if not kept:
            del op["parameters"]
    if hoisted:
        item["parameters"] = [hoisted[k] for k in sorted(hoisted)]
