"""Run a case against one back end (the CRDs or the ApiDefinitions) and record what it saw.

Every call goes to kube-apiserver (never to the gateway directly) as its admin. What a step
saw becomes a JSON value with nothing back-end specific left in it: the group suffix is
`<suffix>`, uids and resourceVersions become ordinals in order of first appearance (so "this
write kept the resourceVersion" still compares), timestamps `<time>`, generated names
`gen-<generated>`. The case's record is its steps' and, last, the object as stored (a GET).
"""

from __future__ import annotations

import difflib
import json
import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp

from tests.differential.model import OPERATIONS, Call, Case, Kubectl, render
from tests.differential.schemas import RESOURCES, VERSION, group
from tests.helpers import run

Record = dict[str, Any]


@dataclass(frozen=True)
class Target:
    side: str  # "crd" or "annex"
    suffix: str  # the groups are <family>.<suffix>
    server: str
    tls: ssl.SSLContext
    kubeconfig: Path
    cache_dir: Path
    namespace: str

    def api_version(self, resource: str, version: str) -> str:
        return f"{group(RESOURCES[resource].family, self.suffix)}/{version}"

    def path(
        self,
        resource: str,
        version: str,
        name: str = "",
        subresource: str = "",
        *,
        prefix: str = "",
        all_namespaces: bool = False,
        namespace_path: bool = False,
    ) -> str:
        """A cluster-scoped resource's paths name no namespace, unless `namespace_path`."""
        path = f"/apis/{self.api_version(resource, version)}" + (f"/{prefix}" if prefix else "")
        in_namespace = RESOURCES[resource].namespaced or namespace_path
        path += f"/namespaces/{self.namespace}" if in_namespace and not all_namespaces else ""
        path += f"/{resource}"
        if name:
            path += f"/{quote(name, safe='')}"
        if subresource:
            path += f"/{subresource}"
        return path

    def resource_arg(self, resource: str) -> str:
        return f"{resource}.{group(RESOURCES[resource].family, self.suffix)}"


LIST_OPS = (
    "list",
    "deletecollection",
    "watch",
    "watch-item",
)  # lists and streams: no object to follow
_LIST_RV_YAML = re.compile(r'^  resourceVersion: "\d+"$', re.M)
_UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# JSON, YAML, and JSON quoted once or twice inside messages (`resourceVersion\\\":\\\"460`)
_RESOURCE_VERSION = re.compile(
    r"""((?:resourceVersion(?:\\*")?|Resource Version):\s*(?:\\*"|')?"""
    r"""|in record \(|in the precondition \(|resource version to be |(?<=\d), was )(\d+)"""
)
# Continue tokens are each back end's own (an accepted difference): only their presence counts.
_AGE_CELL = re.compile(r'"\d{1,2}s"')  # a case's objects are seconds old
_AGE_CELL_YAML = re.compile(r"^(\s*- )\d{1,2}s$", re.M)
_CONTINUE_YAML = re.compile(r"^(\s+continue: )(?!\"\")\S+$", re.M)
_RESOURCE_VERSION_VALUE = re.compile(r'("resourceVersion":\s*)("\d+")')
_CONTINUE = re.compile(r'("continue":\s*")[^"]+"')
# "Too large resource version: N, current: M": the store's revision, which every case moves
_CURRENT_REVISION = re.compile(r"(, current: )\d+")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)")
# the cases' generateNames are "gen-" and "gen-far-too-long-"
_GENERATED_NAME = re.compile(r"\b(gen-(?:far-too-long-)?)[a-z0-9]{5}\b")
_CLIENT_LOG = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ [\w./-]+:\d+\] .*\n?", re.M)


class Normaliser:
    """One per (case, target): ordinals start afresh."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.uids: dict[str, str] = {}
        self.rvs: dict[str, str] = {}

    def text(self, text: str) -> str:
        text = _CLIENT_LOG.sub("", text).replace(self.target.suffix, "<suffix>")
        text = _UID.sub(lambda m: self._ordinal(self.uids, "uid", m.group(0)), text)
        text = _RESOURCE_VERSION.sub(
            lambda m: m.group(1) + self._ordinal(self.rvs, "rv", m.group(2)), text
        )
        text = _TIME.sub("<time>", text)
        text = _CONTINUE.sub(r'\1<token>"', text)
        text = _CURRENT_REVISION.sub(r"\1<current>", text)
        return _GENERATED_NAME.sub(r"\1<generated>", text)

    def value(self, value: Any) -> Any:
        """A JSON value, normalised as text (so the ordinals follow the document's order)."""
        _sort_managed_fields(value)
        _sort_causes(value)
        return json.loads(self.text(json.dumps(value, sort_keys=True)))

    def output(self, text: str) -> str:
        """kubectl's output: JSON re-printed with sorted keys, then as text."""
        if text.lstrip().startswith("{"):
            try:
                parsed = json.loads(text)
            except ValueError:
                pass
            else:
                _sort_managed_fields(parsed)
                text = json.dumps(parsed, indent=2, sort_keys=True) + "\n"
        return _sort_listed_errors(self.text(text))

    @staticmethod
    def _ordinal(seen: dict[str, str], kind: str, value: str) -> str:
        return seen.setdefault(value, f"<{kind}-{len(seen) + 1}>")


def _neutral_list_revision(text: str) -> str:
    """A list's own revision as `<list>`: the first in a Table or PartialObjectMetadataList
    (Go structs: metadata before the rows or items), the last in an unstructured list (keys
    sorted: metadata after the items)."""
    found = list(_RESOURCE_VERSION_VALUE.finditer(text))
    try:
        typed = json.loads(text).get("kind") in ("Table", "PartialObjectMetadataList")
    except (ValueError, AttributeError):  # YAML: the list's own is the one at 2 spaces
        return _LIST_RV_YAML.sub('  resourceVersion: "<list>"', text)
    if not found:
        return text
    at = found[0] if typed else found[-1]
    return text[: at.start(2)] + '"<list>"' + text[at.end(2) :]


def _cause_field(cause: Any) -> str:
    return str(cause.get("field", "")) if isinstance(cause, dict) else ""


def _cause_order(cause: Any) -> tuple[str, str]:
    """By field; the schema's errors that name none (`<nil>`: anyOf, oneOf, a format's type)
    name their field in the message, and come in Go's map order: by message."""
    field = _cause_field(cause)
    message = str(cause.get("message", "")) if isinstance(cause, dict) else ""
    return field, message if field == "<nil>" else ""


def _sort_causes(status: Any) -> None:
    """The causes of a Status in order of their field, and its message's list in that order.

    kube-apiserver reports the errors of sibling fields in the order Go iterates the object's
    map: at random (measured on v1.37: one object with 9 invalid fields gave 6 different orders
    in 10 requests, CEL errors likewise). The order is compared where it is deterministic: the
    sort is stable, so the causes of one field keep theirs (e.g. a type error before an enum
    error, CEL rules in the order declared).
    """
    if not isinstance(status, dict) or status.get("kind") != "Status":
        return
    details = status.get("details")
    if not isinstance(details, dict):
        return
    causes = details.get("causes")
    if not isinstance(causes, list) or len(causes) < 2:
        return
    message = status.get("message")
    ordered = sorted(causes, key=_cause_order)
    if isinstance(message, str):
        listed = ", ".join(_listed(c) for c in causes)
        if message.endswith(f"[{listed}]"):
            head = message[: -len(listed) - 2]
            status["message"] = head + "[" + ", ".join(_listed(c) for c in ordered) + "]"
    details["causes"] = ordered


def _listed(cause: Any) -> str:
    """A cause as a field.ErrorList aggregate lists it: `field: message`."""
    field = _cause_field(cause)
    text = str(cause.get("message", "")) if isinstance(cause, dict) else ""
    return f"{field}: {text}" if field else text


def _sort_listed_errors(text: str) -> str:
    """kubectl's `* field: message` lines of one error, in order of their field (stable)."""
    lines = text.split("\n")
    out: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line.startswith("* "):
            block.append(line)
            continue
        out += sorted(block, key=_listed_order)
        block = []
        out.append(line)
    return "\n".join(out[:-1])


def _listed_order(line: str) -> tuple[str, str]:
    field = line[2:].split(": ", 1)[0]
    return field, line if field == "<nil>" else ""


def _sort_managed_fields(value: Any) -> None:
    """kube-apiserver orders managedFields by operation, then time in whole seconds, then
    manager: the order depends on when writes landed. Every object's, in a list's items, a
    watch's events and a Table's rows too (generated seed 9041)."""
    if isinstance(value, list):
        for item in value:
            _sort_managed_fields(item)
        return
    if not isinstance(value, dict):
        return
    metadata = value.get("metadata")
    entries = metadata.get("managedFields") if isinstance(metadata, dict) else None
    if isinstance(entries, list):
        entries.sort(
            key=lambda e: tuple(
                str(e.get(k, "")) if isinstance(e, dict) else ""
                for k in ("operation", "manager", "apiVersion", "subresource")
            )
        )
    for key in ("items", "object", "rows"):  # a list's, a watch event's, a Table's
        if key in value:
            _sort_managed_fields(value[key])


def _events(stream: Any) -> list[Any]:
    """A watch's stream (one JSON event per line) as its events, plain bookmarks left out.

    The initial-events-end bookmark is compared (its revision neutral: the store's, which
    every case's writes move). Plain bookmarks are timing in kube-apiserver: its cacher sends
    them at a global tick (every 0.75-1.25 s) and drops a WatchList's until the watch cache has
    caught up with etcd's revision, which other resources' writes move; the same request got
    one or none in runs. Their schedule is the gateway's unit tests'.
    """
    lines = stream.splitlines() if isinstance(stream, str) else [json.dumps(stream)]
    events = []
    columns: list[Any] = []  # a watch's Tables carry their columns in the first event only
    for line in lines:
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except ValueError:
            events.append(line)
            continue
        obj = event.get("object") if isinstance(event, dict) else None
        if isinstance(obj, dict):
            if event.get("type") == "BOOKMARK":
                meta = obj.get("metadata")
                if not isinstance(meta, dict) or "k8s.io/initial-events-end" not in (
                    meta.get("annotations") or {}
                ):
                    continue
                meta["resourceVersion"] = "<bookmark>"
            if obj.get("kind") == "Table":
                columns = obj.get("columnDefinitions") or columns
                _neutral_ages(obj, columns)
        events.append(event)
    return events


def _neutral_ages(table: dict[str, Any], columns: list[Any] | None = None) -> None:
    """A Table's date cells ("3s" old): the seconds they show depend on when they were read.
    `columns`: the definitions, when the Table carries none (a watch's later events)."""
    columns = table.get("columnDefinitions") or columns or []
    dates = [i for i, c in enumerate(columns) if c.get("type") == "date"]
    for row in table.get("rows") or []:
        for i in dates:
            if i < len(row.get("cells") or []):
                row["cells"][i] = "<age>"


class Run:
    """One case on one target."""

    def __init__(self, case: Case, target: Target, session: aiohttp.ClientSession) -> None:
        self.case = case
        self.target = target
        self.session = session
        self.normalise = Normaliser(target)
        self.name = case.object_name
        self.rv = ""
        self.rvs: list[str] = []  # every resourceVersion the object was given, in order
        self.uid = ""
        self.continue_token = ""  # the last list's, for the next page
        self.version = VERSION

    def values(self, version: str) -> dict[str, str]:
        return {
            "API": self.target.api_version(self.case.resource, version),
            "NAME": self.name,
            "CASE": self.case.object_name,  # the name the case began with
            "RV": self.rv,
            "UID": self.uid,
            "CONTINUE": self.continue_token,
            "R": self.target.resource_arg(self.case.resource),
            "GROUP": group(RESOURCES[self.case.resource].family, self.target.suffix),
            **{f"RV{i}": rv for i, rv in enumerate(self.rvs, 1)},
        }

    async def __call__(self) -> Record:
        steps = []
        for step in self.case.steps:
            if isinstance(step, Call):
                steps.append(await self.call(step))
            else:
                steps.append(await self.kubectl(step))
        stored = await self.request(
            "GET", self.target.path(self.case.resource, self.version, self.name)
        )
        return {
            "steps": steps,
            "stored": {"code": stored[0], "body": self.normalise.value(stored[2])},
        }

    async def call(self, call: Call) -> Record:
        method, content_type, on_collection = OPERATIONS[call.op]
        self.version = call.version
        body = None
        if call.body is not None:
            rendered = render(call.body, self.values(call.version))
            if call.op.startswith("update") and isinstance(rendered, dict) and self.rv:
                rendered.setdefault("metadata", {}).setdefault("resourceVersion", self.rv)
            body = rendered if isinstance(rendered, str) else json.dumps(rendered)
        path = self.target.path(
            self.case.resource,
            call.version,
            "" if on_collection else self.name,
            call.subresource,
            prefix=call.prefix,
            all_namespaces=call.all_namespaces,
            namespace_path=call.namespace_path,
        )
        values = self.values(call.version)
        params = tuple((k, render(v, values)) for k, v in call.params)
        code, warnings, answer, headers = await self.request(
            method,
            path,
            body=body,
            content_type=content_type,
            params=params,
            accept=call.accept,
            headers=call.headers,
            as_text=call.raw,
        )
        if call.raw:
            return self.raw_record(call, code, warnings, answer) | {"headers": headers}
        if call.op.startswith("watch") and code == 200:
            answer = _events(answer)
        if isinstance(answer, dict) and answer.get("kind") == "Table":
            _neutral_ages(answer)
        if call.op == "list" and isinstance(answer, dict):
            self.continue_token = str((answer.get("metadata") or {}).get("continue") or "")
        if call.op in LIST_OPS and isinstance(answer, dict):
            # A list's revision is the store's, which every case's writes move: not comparable.
            meta = answer.get("metadata")
            if isinstance(meta, dict) and "resourceVersion" in meta:
                meta["resourceVersion"] = "<list>"
        elif call.op in LIST_OPS and isinstance(answer, str):  # YAML: the list's own, at 2 spaces
            answer = _LIST_RV_YAML.sub('  resourceVersion: "<list>"', answer)
        followed = not call.other and call.op not in LIST_OPS  # the case's object answered
        if isinstance(answer, dict) and 200 <= code < 300 and followed:
            metadata = answer.get("metadata") or {}
            self.name = str(metadata.get("name") or self.name)
            self.rv = str(metadata.get("resourceVersion") or self.rv)
            if self.rv and self.rv not in self.rvs:
                self.rvs.append(self.rv)
            self.uid = str(metadata.get("uid") or self.uid)
        if code == 404 and call.op in ("merge", "json"):
            # kube-apiserver may first try a patch on its watch cache's copy of an object
            # deleted just before (GuaranteedUpdate's cachedExistingObject): that try's
            # warnings stay on the 404 or not, as the cache kept up (generated seed 774).
            warnings = []
        return {
            "step": str(call),
            "code": code,
            "warnings": [self.normalise.text(w) for w in warnings],
            "headers": headers,
            "body": self.normalise.value(answer),
        }

    def raw_record(self, call: Call, code: int, warnings: list[str], answer: Any) -> Record:
        """The body's text as sent, its revisions, uids and times made neutral (a list's own
        revision too); the object's state is not followed."""
        text = answer if isinstance(answer, str) else ""
        if call.op in LIST_OPS:
            text = _neutral_list_revision(text)
        if '"Table"' in text:  # the rows' ages, as _neutral_ages leaves them in parsed Tables
            text = _AGE_CELL.sub('"<age>"', text)
        elif "kind: Table" in text:
            text = _AGE_CELL_YAML.sub(r"\1<age>", text)
        text = _CONTINUE_YAML.sub(r"\1<token>", text)
        return {
            "step": str(call),
            "code": code,
            "warnings": [self.normalise.text(w) for w in warnings],
            "body": self.normalise.text(text).split("\n"),
        }

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: str | None = None,
        content_type: str = "",
        params: tuple[tuple[str, str], ...] = (),
        accept: str = "application/json",
        headers: tuple[tuple[str, str], ...] = (),
        as_text: bool = False,
    ) -> tuple[int, list[str], Any, list[str]]:
        sent = {"Accept": accept, **dict(headers)}
        if content_type and body is not None:
            sent["Content-Type"] = content_type
        async with self.session.request(
            method,
            self.target.server + path,
            params=list(params),
            data=body.encode() if body is not None else None,
            headers=sent,
            ssl=self.target.tls,
        ) as response:
            raw = await response.read()  # a watch's stream: once the server ends it
            warnings = response.headers.getall("Warning", [])
            compared = compared_headers(response.headers)
            if as_text:
                return response.status, list(warnings), raw.decode(errors="replace"), compared
            try:
                answer: Any = json.loads(raw)
            except ValueError:
                answer = raw.decode(errors="replace")
            return response.status, list(warnings), answer, compared

    async def kubectl(self, step: Kubectl) -> Record:
        values = self.values(VERSION)
        args = [render(a, values) for a in step.args]
        stdin = None if step.stdin is None else json.dumps(render(step.stdin, values))
        result = await run(
            "kubectl",
            "--kubeconfig",
            str(self.target.kubeconfig),
            "--cache-dir",
            str(self.target.cache_dir),
            "-n",
            self.target.namespace,
            *args,
            stdin=stdin,
            timeout=60,
        )
        return {
            "step": str(step),
            "rc": result.returncode,
            "stdout": self.normalise.output(result.stdout),
            "stderr": self.normalise.output(result.stderr),
        }


# Headers not compared: per request (Date, Audit-Id, the priority-and-fairness uids), the
# framing net/http picks by how a body is written (Content-Length, Transfer-Encoding), and
# Warning (compared on its own, made neutral).
_UNCOMPARED_HEADERS = frozenset(
    {
        "date",
        "audit-id",
        "x-kubernetes-pf-flowschema-uid",
        "x-kubernetes-pf-prioritylevel-uid",
        "content-length",
        "transfer-encoding",
        "warning",
    }
)


def compared_headers(headers: Mapping[str, str]) -> list[str]:
    """The response's other headers, `name: value`, sorted (names in lower case)."""
    return sorted(
        f"{name.lower()}: {value}"
        for name, value in headers.items()
        if name.lower() not in _UNCOMPARED_HEADERS
    )


async def run_case(case: Case, target: Target, session: aiohttp.ClientSession) -> Record:
    return await Run(case, target, session)()


def baseline_problems(case: Case, crd: Record) -> list[str]:
    """Where the CRD did not do what the case says it does (a mistake in the case)."""
    problems = []
    for i, (step, seen) in enumerate(zip(case.steps, crd["steps"], strict=True)):
        if step.expect is None:
            continue
        got = seen["code"] if isinstance(step, Call) else seen["rc"]
        if got != step.expect:
            problems.append(f"[{i}] {step}: the CRD gave {got}, the case expects {step.expect}")
    return problems


def differences(crd: Record, annex: Record) -> list[str]:
    """Where the records differ, one line per step (or the stored object), with what differs."""
    out = []
    labelled = [
        (f"[{i}] {c['step']}", c, a)
        for i, (c, a) in enumerate(zip(crd["steps"], annex["steps"], strict=True))
    ]
    labelled.append(("stored object (GET)", crd["stored"], annex["stored"]))
    for label, c, a in labelled:
        if not _same(c, a):
            keys = [k for k in c if k != "step" and not _same(c.get(k), a.get(k))]
            out.append(f"{label}: {', '.join(keys)} differ")
    return out


def _same(crd: Any, annex: Any) -> bool:
    """Equal as JSON: 3 is not 3.0 (a client decoding into Python sees an int, or a float),
    nor 1 true; Python's == holds those equal."""
    return crd == annex and json.dumps(crd, sort_keys=True) == json.dumps(annex, sort_keys=True)


def render_diff(crd: Record, annex: Record) -> str:
    return "\n".join(
        difflib.unified_diff(_lines(crd), _lines(annex), "crd", "annex", lineterm="", n=3)
    )


def _lines(record: Record) -> list[str]:
    lines = []
    for i, step in enumerate(record["steps"]):
        lines.append(f"[{i}] {step['step']}")
        lines += ["    " + line for line in _show(step).splitlines()]
    lines.append("stored object (GET)")
    lines += ["    " + line for line in _show(record["stored"]).splitlines()]
    return lines


def _show(value: dict[str, Any]) -> str:
    parts = []
    for key, item in value.items():
        if key == "step":
            continue
        if isinstance(item, str) and "\n" in item:
            parts.append(f"{key}: |\n" + "\n".join("  " + line for line in item.splitlines()))
        else:
            parts.append(f"{key}: " + json.dumps(item, indent=2, sort_keys=True))
    return "\n".join(parts)
