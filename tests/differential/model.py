"""What a differential case is: steps (raw API calls or kubectl commands) on one object.

Bodies are templates: `{API}` (group/version of the call), `{NAME}` (the case's object name) and
`{RV}` (the resourceVersion last returned for the object; `{RV1}`, `{RV2}`, ... the first, second,
... it was given) and `{CONTINUE}` (the last list's continue token) are filled per back end. A dict body
of an update gets its resourceVersion filled in when it names none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tests.differential.schemas import RESOURCES, VERSION

APPLY_PATCH = "application/apply-patch+yaml"
MERGE_PATCH = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
STRATEGIC_PATCH = "application/strategic-merge-patch+json"

# operation -> (HTTP method, Content-Type, on the collection)
OPERATIONS: dict[str, tuple[str, str, bool]] = {
    "create": ("POST", "application/json", True),
    "create-yaml": ("POST", "application/yaml", True),
    "update": ("PUT", "application/json", False),
    "update-yaml": ("PUT", "application/yaml", False),  # a JSON body is YAML too
    "merge": ("PATCH", MERGE_PATCH, False),
    "json": ("PATCH", JSON_PATCH, False),
    "apply": ("PATCH", APPLY_PATCH, False),
    "strategic": ("PATCH", STRATEGIC_PATCH, False),
    "get": ("GET", "", False),
    "delete": ("DELETE", "application/json", False),
    "list": ("GET", "", True),
    "deletecollection": ("DELETE", "application/json", True),
    "watch": ("GET", "", True),  # read until the server ends the stream (give timeoutSeconds)
    "watch-item": ("GET", "", False),  # the deprecated /watch/ path to one object
}


@dataclass(frozen=True)
class Call:
    """One request to kube-apiserver for the case's resource."""

    op: str
    body: Any = None  # a dict or list (sent as JSON), or str (sent as it is, after templating)
    subresource: str = ""
    params: tuple[tuple[str, str], ...] = ()
    version: str = VERSION
    expect: int | None = None  # the status code the CRD must answer (a check on the case)
    accept: str = "application/json"
    prefix: str = ""  # a path segment before the namespace: the deprecated `watch/`
    all_namespaces: bool = False  # the collection across namespaces
    namespace_path: bool = False  # a cluster-scoped resource's path in a namespace all the same
    headers: tuple[tuple[str, str], ...] = ()  # more request headers (User-Agent, ...)
    raw: bool = False  # compare the body's bytes (its layout), not the JSON they hold
    other: bool = False  # on another object than the case's: its name and revision not taken

    def __str__(self) -> str:
        method, content_type, on_collection = OPERATIONS[self.op]
        where = f"/{self.subresource}" if self.subresource else ""
        where = (f" /{self.prefix}" if self.prefix else "") + where
        where += " (all namespaces)" if self.all_namespaces else ""
        where += " (in a namespace)" if self.namespace_path else ""
        where += " (collection)" if on_collection and self.op != "create" else ""
        query = "&".join(f"{k}={v}" for k, v in self.params)
        shown = f"{method} {self.version}{where}" + (f"?{query}" if query else "")
        if self.op not in (
            "create",
            "update",
            "get",
            "delete",
            "list",
            "deletecollection",
            "watch",
            "watch-item",
        ):
            shown += f" ({content_type})"
        if self.accept != "application/json":
            shown += f" [Accept: {self.accept}]"
        shown += "".join(f" [{k}: {v}]" for k, v in self.headers)
        return shown + (" (as sent)" if self.raw else "")


@dataclass(frozen=True)
class Kubectl:
    """`kubectl -n <ns> <args>`; `{R}` is resource.group, `{GROUP}` the group, `{NAME}` the
    object; stdin a body."""

    args: tuple[str, ...]
    stdin: Any = None
    expect: int | None = None  # the exit code the CRD side must give

    def __str__(self) -> str:
        return "kubectl " + " ".join(self.args) + (" <<stdin" if self.stdin is not None else "")


Step = Call | Kubectl


@dataclass(frozen=True)
class Case:
    id: str
    resource: str  # a key of schemas.RESOURCES
    steps: tuple[Step, ...]
    category: str = ""
    name: str = ""  # the object's name; the id unless given
    doc: str = ""

    @property
    def object_name(self) -> str:
        return self.name or self.id

    @property
    def kind(self) -> str:
        return RESOURCES[self.resource].kind


def render(template: Any, values: dict[str, str]) -> Any:
    """Fill the placeholders of a body (a str, or a JSON value whose strings are filled)."""
    text = template if isinstance(template, str) else json.dumps(template)
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text if isinstance(template, str) else json.loads(text)
