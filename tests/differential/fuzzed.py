"""Generated differential cases: random sequences of writes and reads on one object, its
bodies drawn from the resource's own schema (valid values mostly, some that break a keyword,
some of the wrong type), so that features meet in combinations nobody wrote a case for. Some
cases make a second object and list or delete the two among the writes.

Each case comes from its seed alone (random.Random(seed)): the same ids give the same cases on
every run and machine, and a case that differs is replayed by its id. CI runs the first
DIFFERENTIAL_FUZZ (default 200); `DIFFERENTIAL_FUZZ=2000 pytest tests/differential -k fuzz-`
runs more, `DIFFERENTIAL_FUZZ_FROM=N` from seed N. Every step's outcome is compared, not
asserted (no `expect`), and each case ends by watching its object from its creation: the
events each write made, or did not make; half of them then watch the same history through a
label selector the writes move the object across.
"""

from __future__ import annotations

import os
import random
from dataclasses import replace
from typing import Any

from tests.differential.model import Call, Case, Step
from tests.differential.schemas import RESOURCES

FUZZ_COUNT = int(os.environ.get("DIFFERENTIAL_FUZZ", "200"))
FUZZ_FROM = int(os.environ.get("DIFFERENTIAL_FUZZ_FROM", "0"))  # the first seed
# (resource, the spec of a valid first create, weight)
RESOURCE_CHOICES: tuple[tuple[str, dict[str, Any], int], ...] = (
    ("scalars", {"name": "n"}, 3),
    ("collections", {}, 3),
    ("defaulteds", {}, 2),
    ("mixeds", {}, 2),
    ("rules", {}, 1),
    ("trackers", {"replicas": 1}, 2),
    ("scaleds", {"replicas": 1}, 2),
    ("selectables", {"str": "a"}, 1),
    ("globals", {"replicas": 1}, 2),
)
MANAGERS = ("fuzz-a", "fuzz-b")
LABEL_VALUES = ("a", "b", "", "bad value!", None)
FINALIZER = "example.com/fuzz"
JUNK: tuple[Any, ...] = (None, "x", 7, 1.5, True, [], {}, "", -1, {"k": "v"}, ["a"])
STRINGS = ("a", "ab", "abc", "abcdef", "x-y", "Abc", "é", "", "n-1", "0", "10Mi")
FORMATTED = {
    "date-time": ("2026-01-02T03:04:05Z", "yesterday", "2026-01-02T03:04:05.5+02:00"),
    "date": ("2026-01-02", "2026-13-01"),
    "uuid": ("0b5e0a52-5bd9-4e8e-9d2a-8f0f4c1f3d7e", "not-a-uuid"),
    "byte": ("aGVsbG8=", "!!"),
    "ipv4": ("10.0.0.1", "300.1.1.1"),
    "hostname": ("a.example.com", "-bad-"),
    "duration": ("1h", "forever"),
    "email": ("a@example.com", "nobody"),
    "cidr": ("10.0.0.0/8", "10.0.0.0/40"),
}
INTEGERS = (0, 1, 2, 3, 5, 9, 10, 11, -1, 2**31, 2**63 - 1)
NUMBERS = (0.5, 1, 1.25, 2.5, 9.5, 10, 0)


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def value(self, schema: dict[str, Any], depth: int = 0) -> Any:
        """A value for `schema`: mostly of its type and near its bounds, sometimes junk."""
        rng = self.rng
        if self.chance(0.08) or depth > 4:
            return rng.choice(JUNK)
        if "enum" in schema and self.chance(0.8):
            return rng.choice(schema["enum"])
        if schema.get("x-kubernetes-int-or-string"):
            return rng.choice((*INTEGERS[:6], *STRINGS))
        kind = schema.get("type")
        if kind == "string":
            formatted = FORMATTED.get(schema.get("format", ""))
            return rng.choice(formatted) if formatted and self.chance(0.8) else rng.choice(STRINGS)
        if kind == "integer":
            return rng.choice(INTEGERS)
        if kind == "number":
            return rng.choice(NUMBERS)
        if kind == "boolean":
            return rng.choice((True, False))
        if kind == "array":
            items = schema.get("items") or {}
            count = rng.choice((0, 1, 1, 2, 2, 3, 4))
            values = [self.value(items, depth + 1) for _ in range(count)]
            if values and self.chance(0.15):
                values.append(values[0])  # a duplicate: sets and maps refuse it
            return values
        if kind == "object" or "properties" in schema:
            return self.object(schema, depth)
        return rng.choice((*JUNK, {"free": {"nested": [1, "two"]}}))

    def object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        rng = self.rng
        out: dict[str, Any] = {}
        properties = schema.get("properties") or {}
        required = set(schema.get("required") or ())
        for name, sub in properties.items():
            if (name in required and self.chance(0.9)) or self.chance(0.3):
                out[name] = self.value(sub, depth + 1)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            for key in rng.sample(("a", "b", "c", "d"), rng.choice((0, 1, 2, 4))):
                out[key] = self.value(extra, depth + 1)
        elif (extra is True or schema.get("x-kubernetes-preserve-unknown-fields")) and self.chance(
            0.5
        ):
            out[rng.choice(("free", "x"))] = rng.choice(JUNK)
        if self.chance(0.05):
            out["unknownField"] = rng.choice(JUNK)
        return out

    def partial(self, schema: dict[str, Any]) -> dict[str, Any]:
        """A merge patch of an object of `schema`: some fields set, some nulled."""
        properties = schema.get("properties") or {}
        names = list(properties)
        out: dict[str, Any] = {}
        for name in self.rng.sample(names, min(len(names), self.rng.choice((1, 1, 2, 3)))):
            out[name] = None if self.chance(0.2) else self.value(properties[name], 1)
        return out


def _body(resource: str, spec: Any, *, status: Any = None, labels: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "apiVersion": "{API}",
        "kind": RESOURCES[resource].kind,
        "metadata": {"name": "{NAME}", **({"labels": {"case": "{CASE}"}} if labels else {})},
        "spec": spec,
    }
    if status is not None:
        body["status"] = status
    return body


def _params(gen: Generator, *more: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    params = list(more)
    if gen.chance(0.1):
        params.append(("dryRun", "All"))
    if gen.chance(0.2):
        params.append(("fieldValidation", gen.rng.choice(("Strict", "Warn", "Ignore"))))
    return tuple(params)


TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io"
METADATA = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"
OWNER = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "name": "owner",
    "uid": "6a1e0f8e-0000-4000-8000-0000000000aa",
}


def _step(gen: Generator, resource: str) -> Step:
    """One random write or read of the case's object, at one of the resource's versions; an
    update's body sometimes sent as YAML (which Go converts to JSON before decoding)."""
    call = _call(gen, resource)
    if call.op == "update" and gen.chance(0.25):
        call = replace(call, op="update-yaml")
    versions = [name for name, _ in RESOURCES[resource].versions]
    if len(versions) > 1 and gen.chance(0.4):
        version = gen.rng.choice(versions)
        if call.subresource != "scale" or version != "v1alpha1":  # it has no scale
            return replace(call, version=version)
    return call


def _call(gen: Generator, resource: str) -> Call:
    rng = gen.rng
    schema = RESOURCES[resource].versions[0][1]["properties"]
    spec_schema = schema["spec"]
    has_status = RESOURCES[resource].status
    choices = ["merge", "json", "apply", "update", "labels", "get", "list", "metadata"]
    choices += ["merge", "apply", "finalizer", "delete-or-release", "table", "stale", "owner"]
    choices += ["delete-options", "field-list", "get-as"]
    if has_status:
        choices += ["status", "status", "status-apply", "status-put"]
    if RESOURCES[resource].scale:
        choices += ["scale", "scale-put"]
    op = rng.choice(choices)
    if op == "merge":
        return Call("merge", {"spec": gen.partial(spec_schema)}, params=_params(gen))
    if op == "json":
        return Call("json", _json_patch(gen, spec_schema), params=_params(gen))
    if op == "apply":
        manager = rng.choice(MANAGERS)
        force = (("force", "true"),) if gen.chance(0.3) else ()
        body = _body(resource, gen.object(spec_schema, 1))
        if gen.chance(0.2):
            body["metadata"]["annotations"] = {"by": manager}
        return Call("apply", body, params=_params(gen, ("fieldManager", manager), *force))
    if op == "update":
        return Call("update", _body(resource, gen.object(spec_schema, 1)), params=_params(gen))
    if op == "stale":  # an update naming the revision the object was created at
        body = _body(resource, gen.object(spec_schema, 1))
        body["metadata"]["resourceVersion"] = "{RV1}"
        return Call("update", body)
    if op == "labels":
        key = rng.choice(("tier", "app", "bad key/x/y"))
        return Call("merge", {"metadata": {"labels": {key: rng.choice(LABEL_VALUES)}}})
    if op == "metadata":
        path = rng.choice(
            ("/metadata/labels/tier", "/metadata/annotations", "/metadata/finalizers/-")
        )
        value: Any = {"a": "b"} if path.endswith("annotations") else rng.choice(("a", FINALIZER))
        return Call("json", [{"op": rng.choice(("add", "replace")), "path": path, "value": value}])
    if op == "owner":
        owner: dict[str, Any] = dict(OWNER) if gen.chance(0.7) else {**OWNER, "uid": ""}
        if gen.chance(0.3):
            owner["controller"] = True
        return Call(
            "merge", {"metadata": {"ownerReferences": [owner] if gen.chance(0.8) else None}}
        )
    if op == "finalizer":
        finalizers = [FINALIZER] if gen.chance(0.7) else []
        return Call("merge", {"metadata": {"finalizers": finalizers}}, params=_params(gen))
    if op == "delete-or-release":
        if gen.chance(0.5):
            return Call("merge", {"metadata": {"finalizers": None}})
        return Call("delete", params=_params(gen))
    if op == "delete-options":
        options: dict[str, Any] = rng.choice(
            (
                {"propagationPolicy": rng.choice(("Orphan", "Foreground", "Background", "Bogus"))},
                {"preconditions": {"resourceVersion": "{RV}"}},
                {"preconditions": {"resourceVersion": "{RV1}"}},
                {"preconditions": {"uid": "{UID}"}},
                {"gracePeriodSeconds": rng.choice((0, 30, -1))},
                {"orphanDependents": rng.choice((True, False))},
            )
        )
        return Call("delete", {"apiVersion": "v1", "kind": "DeleteOptions", **options})
    if op == "get":
        return Call("get")
    if op == "get-as":
        return Call("get", accept=rng.choice((TABLE, METADATA)))
    if op == "list":
        return Call("list", params=(("labelSelector", "case={CASE}"),))
    if op == "field-list":
        selector = rng.choice(
            ("metadata.name={CASE}", "metadata.name!={CASE}", "metadata.namespace=differential")
        )
        return Call("list", params=(("labelSelector", "case={CASE}"), ("fieldSelector", selector)))
    if op == "table":
        return Call("list", params=(("labelSelector", "case={CASE}"),), accept=TABLE)
    if op == "status":
        status = gen.partial(schema["status"])
        patch: dict[str, Any] = {"status": status}
        if gen.chance(0.3):
            patch["spec"] = gen.partial(spec_schema)
        return Call("merge", patch, subresource="status", params=_params(gen))
    if op == "status-put":
        body = _body(resource, gen.object(spec_schema, 1), status=gen.object(schema["status"], 1))
        return Call("update", body, subresource="status", params=_params(gen))
    if op == "status-apply":
        body = _body(resource, None, status=gen.object(schema["status"], 1), labels=False)
        del body["spec"]
        by = ("fieldManager", rng.choice(MANAGERS))
        return Call("apply", body, subresource="status", params=_params(gen, by))
    replicas = rng.choice((0, 2, 7, 51, -1, "3", None))
    if op == "scale-put":
        scale = {
            "apiVersion": "autoscaling/v1",
            "kind": "Scale",
            "metadata": {
                "name": "{NAME}",
                **({"resourceVersion": "{RV}"} if gen.chance(0.5) else {}),
            },
            "spec": {"replicas": replicas},
        }
        return Call("update", scale, subresource="scale", params=_params(gen))
    return Call("merge", {"spec": {"replicas": replicas}}, subresource="scale")


def _json_patch(gen: Generator, spec_schema: dict[str, Any]) -> list[dict[str, Any]]:
    rng = gen.rng
    properties = spec_schema.get("properties") or {}
    ops = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        name = rng.choice(list(properties))
        path = f"/spec/{name}"
        sub = properties[name]
        if sub.get("type") == "array" and gen.chance(0.4):
            path += rng.choice(("/0", "/1", "/-"))
            sub = sub.get("items") or {}
        op = rng.choice(("add", "replace", "remove", "test", "add"))
        entry: dict[str, Any] = {"op": op, "path": path}
        if op != "remove":
            entry["value"] = gen.value(sub, 1)
        ops.append(entry)
    return ops


def _collection_call(gen: Generator) -> Call:
    """A list (selected, as a Table) or a deletecollection of the case's objects."""
    rng = gen.rng
    mine = ("labelSelector", "case={CASE}")
    selector = rng.choice(
        (
            mine,
            ("labelSelector", "case={CASE},tier=a"),
            ("labelSelector", "case={CASE},tier notin (a)"),
            ("fieldSelector", "metadata.name={CASE}-b"),
            ("fieldSelector", "metadata.name!={CASE}-b"),
        )
    )
    params = (mine, selector) if selector[0] == "fieldSelector" else (selector,)
    # No pages: a selected page that ends at the case's last selected object has a continue
    # token when any object follows it in the namespace (the cacher pages on), which other
    # cases running at the same time decide (seeds 2090, 2330 of a run).
    kind = rng.choice(("list", "table", "deletecollection", "deletecollection"))
    if kind == "list":
        return Call("list", params=params)
    if kind == "table":
        return Call("list", params=params, accept=TABLE)
    body = None
    if gen.chance(0.3):
        policy = rng.choice(("Orphan", "Foreground", "Background"))
        body = {"apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": policy}
    return Call("deletecollection", body, params=_params(gen, *params))


def fuzzed_case(seed: int) -> Case:
    gen = Generator(seed)
    weights = [w for _, _, w in RESOURCE_CHOICES]
    resource, first_spec, _ = gen.rng.choices(RESOURCE_CHOICES, weights=weights)[0]
    steps: list[Step] = [Call("create", _body(resource, dict(first_spec)), expect=201)]
    steps += [_step(gen, resource) for _ in range(gen.rng.choice((2, 3, 4, 5, 6)))]
    if gen.chance(0.3):  # a sibling, and lists and deletes of the collection among the writes
        sibling = _body(resource, dict(first_spec))
        sibling["metadata"]["name"] = "{CASE}-b"
        sibling["metadata"]["labels"]["tier"] = gen.rng.choice(("a", "b"))
        steps.insert(1, Call("create", sibling, expect=201, other=True))
        for _ in range(gen.rng.choice((1, 2))):
            steps.insert(gen.rng.randrange(2, len(steps) + 1), _collection_call(gen))
    # Every event of the object since it was created, the watch ended by the server.
    steps.append(
        Call(
            "watch",
            params=(
                ("watch", "1"),
                ("fieldSelector", "metadata.name={CASE}"),
                ("resourceVersion", "{RV1}"),
                ("timeoutSeconds", "1"),
            ),
        )
    )
    if gen.chance(0.5):  # the same history through a label selector the writes move it across
        selector = gen.rng.choice(("tier=a", "tier!=a", "!tier", "tier in (a,b)", "tier"))
        steps.append(
            Call(
                "watch",
                params=(
                    ("watch", "1"),
                    ("labelSelector", f"case={{CASE}},{selector}"),
                    ("resourceVersion", "{RV1}"),
                    ("timeoutSeconds", "1"),
                ),
                accept=gen.rng.choice(("application/json", TABLE, METADATA)),
            )
        )
    return Case(f"fuzz-{seed}", resource, tuple(steps), "fuzz")


def fuzzed_cases(count: int = FUZZ_COUNT, start: int = FUZZ_FROM) -> list[Case]:
    return [fuzzed_case(seed) for seed in range(start, start + count)]
