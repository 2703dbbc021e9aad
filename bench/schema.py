"""The cost of a CRD schema's admission (issue 7): prints figures, asserts nothing.

One realistic schema (33 fields: strings with patterns, enums and maxLength, bounded
integers, a set list, two map lists, nested objects, five defaults) with 10 CEL rules
(x-kubernetes-validations at the root, on spec, on list items, on a list with `all()`, on a
map with `all()`, string functions, a messageExpression, and the transition rule
`self == oldSelf` on an immutable field), measured:

(inprocess) per object, in µs (p50 and mean of many calls; perf_counter_ns around each call,
  gc off, after a warm-up), for a valid object and an invalid one (two OpenAPI errors, none
  of them blocking, eight CEL rules broken, two unknown fields): compile once (ms);
  `coerce` (pruning), `default`, OpenAPI `Validator.validate` and `.validate_update`, CEL
  `validate` on create (old None) and on update (old given: ratcheting, transition rules),
  `SchemaAdmission.validate` / `.validate_update` (the whole path: OpenAPI, list-type
  invariants, embedded resources, then CEL), and all of create admission (coerce, default,
  validate) on a fresh copy;
(apiserver) the real control plane, operator and gateway (as `annex dev` starts them), the
  same schema installed as a CRD (schemabench.crd.example) and as an ApiDefinition
  (schemabench.annex.example): create and update latency (p50/p95) of N objects per run,
  interleaved object by object between the CRD, the gateway through kube-apiserver, the
  gateway directly (front-proxy certificate), and the gateway through kube-apiserver serving
  a schema with nothing to check (schemabench.plain.example: spec and status
  preserve-unknown-fields, no defaults, no rules: what admission costs end to end), and a
  rejected create (422) of an invalid object; annex/CRD ratios. Before measuring, the invalid
  object is created on every side: each must answer 422 (the gateway validating; 201 on the
  unchecked side), and the causes are compared with the CRD's. Both sides' writes are durable:
  etcd syncs each commit (as in a cluster) as the gateway's SQLite store does; --etcd-fsync
  off runs the test harness's etcd, which skips it (the figures of sessions before 2026-12-03).

PYTHONPATH=gateway:core:cli:controlplane:operator .venv/bin/python bench/schema.py \
    [--objects 300] [--runs 3] [--only inprocess|apiserver] [--iterations 3000] [--profile]
    [--profile-gateway OUT.prof] [--sides 0,3] [--etcd-fsync on|off]
(run the apiserver part under `flock /tmp/annex-controlplane.lock`). Each run also prints the
gateway's CPU time per object and side (a create, an update, a tenth of an invalid create),
by thread: run one side at a time (--sides) to tell them apart. --profile-gateway runs the
gateway under cProfile (bench/profiled.py); bench/schema_requests.py measures the gateway's
own cost of the same requests in-process, with no control plane.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import gc
import json
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import yaml
from aggregation import apiservice_available, kubectl, tls_session, until
from proc import cpu_seconds, thread_cpu

from annex_core.schema import cel
from annex_core.schema.validation import Validator
from annex_gateway.admission import schema as admission
from annex_gateway.admission.schema import SchemaAdmission, compile_schema

# Run as a script (python bench/x.py), bench/ is on sys.path, not the repo root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.stack import annex_stack

JSON = dict[str, Any]

CRD_GROUP = "schemabench.crd.example"
ANNEX_GROUP = "schemabench.annex.example"  # as long as the CRD's: same URL and body sizes
PLAIN_GROUP = "schemabench.plain.example"  # the gateway with nothing to check: see PLAIN_SCHEMA
VERSION = "v1"
DIRECT_NAMESPACE = "bench-direct"

# Regular expressions avoid backslashes ([.] for \.): one less layer of escaping (YAML, CEL).
SCHEMA: JSON = yaml.safe_load(
    r"""
type: object
x-kubernetes-validations:
  - rule: self.metadata.name.size() <= 40
    message: metadata.name must be at most 40 characters
properties:
  spec:
    type: object
    required: [image, owner, minReplicas, maxReplicas]
    x-kubernetes-validations:
      - rule: self.minReplicas <= self.maxReplicas
        message: minReplicas must not exceed maxReplicas
      - rule: "!has(self.replicas) || (self.replicas >= self.minReplicas && self.replicas <= self.maxReplicas)"
        message: replicas must lie between minReplicas and maxReplicas
    properties:
      image:
        type: string
        maxLength: 255
        pattern: "^[a-z0-9][a-z0-9./_-]*(:[A-Za-z0-9._-]+)?$"
        x-kubernetes-validations:
          - rule: "!self.endsWith(':latest')"
            message: image must be pinned to a tag other than latest
      owner:
        type: string
        maxLength: 63
        x-kubernetes-validations:
          - rule: "self.matches('^[a-z][a-z0-9.-]*@example[.]com$')"
            messageExpression: "'owner ' + self + ' is not an example.com address'"
      replicas: {type: integer, minimum: 0, maximum: 100, default: 1}
      minReplicas: {type: integer, minimum: 0, maximum: 100}
      maxReplicas: {type: integer, minimum: 1, maximum: 100}
      tier: {type: string, enum: [frontend, backend, batch], default: backend}
      paused: {type: boolean, default: false}
      storageClass:
        type: string
        maxLength: 63
        pattern: "^[a-z0-9-]+$"
        x-kubernetes-validations:
          - rule: self == oldSelf
            message: storageClass is immutable
      tags:
        type: array
        maxItems: 16
        x-kubernetes-list-type: set
        items: {type: string, maxLength: 32, pattern: "^[a-z0-9-]+$"}
      ports:
        type: array
        maxItems: 16
        x-kubernetes-list-type: map
        x-kubernetes-list-map-keys: [name]
        items:
          type: object
          required: [name, port]
          x-kubernetes-validations:
            - rule: self.port >= 1024 || self.name.startsWith('priv-')
              message: ports below 1024 must be named priv-*
          properties:
            name: {type: string, maxLength: 15, pattern: "^[a-z][a-z0-9-]*$"}
            port: {type: integer, minimum: 1, maximum: 65535}
            protocol: {type: string, enum: [TCP, UDP, SCTP], default: TCP}
      env:
        type: array
        maxItems: 32
        x-kubernetes-list-type: map
        x-kubernetes-list-map-keys: [name]
        x-kubernetes-validations:
          - rule: "self.all(e, !e.name.startsWith('KUBE_'))"
            message: env names must not start with KUBE_
        items:
          type: object
          required: [name]
          properties:
            name: {type: string, maxLength: 63, pattern: "^[A-Za-z_][A-Za-z0-9_]*$"}
            value: {type: string, maxLength: 1024}
      resources:
        type: object
        properties:
          cpu: {type: string, maxLength: 16, pattern: "^[0-9]+m?$"}
          memory: {type: string, maxLength: 16, pattern: "^[0-9]+(Ki|Mi|Gi)?$"}
      schedule:
        type: object
        x-kubernetes-validations:
          - rule: has(self.cron) != has(self.interval)
            message: exactly one of cron and interval must be set
        properties:
          cron: {type: string, maxLength: 64}
          interval: {type: string, maxLength: 16, pattern: "^[0-9]+(s|m|h)$"}
          timezone: {type: string, maxLength: 64, default: UTC}
          suspend: {type: boolean}
      annotationsToCopy:
        type: object
        maxProperties: 16
        additionalProperties: {type: string, maxLength: 256}
        x-kubernetes-validations:
          - rule: "self.all(k, k.size() <= 63 && !k.startsWith('kubernetes.io/'))"
            message: annotation keys must be at most 63 characters and outside kubernetes.io/
  status:
    type: object
    properties:
      phase: {type: string, enum: [Pending, Running, Failed]}
      observedGeneration: {type: integer, minimum: 0}
      conditions:
        type: array
        maxItems: 8
        x-kubernetes-list-type: map
        x-kubernetes-list-map-keys: [type]
        items:
          type: object
          required: [type, status]
          properties:
            type: {type: string, maxLength: 64}
            status: {type: string, enum: ["True", "False", Unknown]}
            reason: {type: string, maxLength: 128}
            message: {type: string, maxLength: 1024}
            lastTransitionTime: {type: string, format: date-time}
"""
)

# The same objects with no schema checks: spec and status kept as sent (no pruning below them,
# no defaults, no OpenAPI or CEL validation): what admission costs, end to end.
PLAIN_SCHEMA: JSON = {
    "type": "object",
    "properties": {
        "spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
        "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
    },
}

NAMES = {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"}


def versions(schema: JSON = SCHEMA) -> list[JSON]:
    return [
        {
            "name": VERSION,
            "served": True,
            "storage": True,
            "schema": {"openAPIV3Schema": schema},
            "subresources": {"status": {}},
        }
    ]


def crd() -> JSON:
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"widgets.{CRD_GROUP}"},
        "spec": {
            "group": CRD_GROUP,
            "names": NAMES,
            "scope": "Namespaced",
            "versions": versions(),
        },
    }


def api_definition(group: str = ANNEX_GROUP, schema: JSON = SCHEMA) -> JSON:
    return {
        "apiVersion": "annex.dev/v1alpha1",
        "kind": "ApiDefinition",
        "metadata": {"name": group},
        "spec": {
            "group": group,
            "resources": [
                {
                    "names": {k: v for k, v in NAMES.items() if k != "listKind"},
                    "scope": "Namespaced",
                    "versions": versions(schema),
                }
            ],
        },
    }


def widget(api_version: str, name: str) -> JSON:
    """A valid Widget (as sent: tier, paused, protocols and the timezone left to defaults)."""
    return {
        "apiVersion": api_version,
        "kind": "Widget",
        "metadata": {"name": name, "labels": {"bench": "yes", "app": "shop"}},
        "spec": {
            "image": "registry.example.com/shop/frontend:1.4.2",
            "owner": "alice@example.com",
            "replicas": 3,
            "minReplicas": 1,
            "maxReplicas": 5,
            "storageClass": "fast-ssd",
            "tags": ["web", "public", "team-a", "eu-west"],
            "ports": [
                {"name": "http", "port": 8080},
                {"name": "https", "port": 8443, "protocol": "TCP"},
                {"name": "priv-dns", "port": 53, "protocol": "UDP"},
                {"name": "metrics", "port": 9090},
            ],
            "env": [
                {"name": "LOG_LEVEL", "value": "info"},
                {"name": "DATABASE_URL", "value": "postgres://db.shop.svc:5432/shop"},
                {"name": "CACHE_TTL", "value": "300"},
                {"name": "FEATURE_FLAGS", "value": "checkout-v2,new-search"},
                {"name": "REGION", "value": "eu-west-1"},
                {"name": "GOMAXPROCS", "value": "2"},
            ],
            "resources": {"cpu": "500m", "memory": "256Mi"},
            "schedule": {"cron": "0 3 * * *"},
            "annotationsToCopy": {"example.com/team": "shop", "example.com/cost-center": "42"},
        },
    }


def invalid_widget(api_version: str, name: str) -> JSON:
    """Two OpenAPI errors (a maximum, a pattern: neither blocks CEL), eight broken CEL rules
    (one through messageExpression), two unknown fields."""
    obj = widget(api_version, name)
    spec = obj["spec"]
    spec["image"] = "registry.example.com/shop/frontend:latest"  # CEL endsWith
    spec["owner"] = "bob@elsewhere.org"  # CEL matches, messageExpression
    spec["replicas"] = 500  # maximum; CEL replicas between min and max
    spec["minReplicas"] = 6  # CEL min <= max
    spec["ports"].append({"name": "ssh", "port": 22})  # CEL on an item
    spec["env"].append({"name": "KUBE_TOKEN", "value": "x"})  # CEL all()
    spec["annotationsToCopy"]["kubernetes.io/owner"] = "x"  # CEL all() over a map
    spec["schedule"]["interval"] = "1h"  # CEL has() != has()
    spec["resources"]["cpu"] = "lots"  # pattern
    spec["bogus"] = True  # unknown: pruned
    spec["resources"]["gpu"] = 1  # unknown: pruned
    return obj


def updated(obj: JSON) -> JSON:
    """The next version of `obj`, as a controller writes it: one more replica, one more tag."""
    new = copy(obj)
    spec = new["spec"]
    if spec.get("replicas", 1) < spec["maxReplicas"]:
        spec["replicas"] = spec.get("replicas", 1) + 1
    spec["tags"] = [*spec["tags"], "scaled"]
    return new


def copy(obj: JSON) -> JSON:
    result: JSON = orjson.loads(orjson.dumps(obj))
    return result


# -- in process ----------------------------------------------------------------------------------


@dataclass
class Row:
    step: str
    cells: dict[str, tuple[float, float, int]] = field(default_factory=dict)  # p50, mean, errs


def time_calls(
    call: Callable[[Any], object], prepare: Callable[[], Any], iterations: int
) -> tuple[list[int], object]:
    """Nanoseconds of each `call(prepare())` (prepare untimed), after a tenth as warm-up."""
    result: object = None
    for _ in range(max(10, iterations // 10)):
        result = call(prepare())
    samples = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(iterations):
            arg = prepare()
            started = time.perf_counter_ns()
            call(arg)
            samples.append(time.perf_counter_ns() - started)
    finally:
        gc.enable()
    return samples, result


def errors_in(result: object) -> int:
    return len(result) if isinstance(result, list) else 0


def admitted(adm: SchemaAdmission, raw: JSON) -> JSON:
    """`raw` as the validators see it: pruned, then defaulted."""
    obj = copy(raw)
    adm.coerce(obj)
    adm.default(obj)
    return obj


def compile_ms(runs: int = 20) -> dict[str, float]:
    def ms(make: Callable[[], object]) -> float:
        samples = []
        for _ in range(runs):
            started = time.perf_counter_ns()
            make()
            samples.append(time.perf_counter_ns() - started)
        return statistics.median(samples) / 1e6

    def whole() -> object:
        admission._compile.cache_clear()  # compiled schemas are cached by content
        return compile_schema(SCHEMA)

    return {
        "OpenAPI Validator(schema)": ms(lambda: Validator(SCHEMA)),
        "CEL compile_rules(schema)": ms(lambda: cel.compile_rules(SCHEMA)),
        "compile_schema (all, uncached)": ms(whole),
    }


def inprocess(iterations: int, profile: bool) -> None:
    print(f"== in process: python {sys.version.split()[0]}, {iterations} calls per figure ==")
    for what, ms in compile_ms().items():
        print(f"  compile once: {what:<32} {ms:8.2f} ms")
    adm = compile_schema(SCHEMA)
    assert adm is not None
    api_version = f"{ANNEX_GROUP}/{VERSION}"
    raws = {
        "valid": widget(api_version, "widget-00042"),
        "invalid": invalid_widget(api_version, "widget-00042"),
    }
    objs = {kind: admitted(adm, raw) for kind, raw in raws.items()}
    valid_old = objs["valid"]
    # update: new = the next version of each object, old = the stored valid one (for the
    # invalid object, storageClass changes too: the transition rule fails); ratcheted: old is
    # the invalid object itself, new changes one field (its errors are all ratcheted away).
    news = {kind: updated(obj) for kind, obj in objs.items()}
    news["invalid"]["spec"]["storageClass"] = "slow-hdd"
    ratchet_old = objs["invalid"]
    ratchet_new = copy(ratchet_old)
    ratchet_new["spec"]["paused"] = True

    found = adm.validate(objs["valid"]) + adm.validate_update(news["valid"], valid_old)
    if found:
        print("  !! the valid object is not valid:\n    " + "\n    ".join(map(str, found)))

    steps: list[tuple[str, Callable[[str], tuple[Callable[[Any], object], Callable[[], Any]]]]]
    steps = [
        ("coerce (prune)", lambda k: (adm.coerce, lambda: copy(raws[k]))),
        ("default", lambda k: (adm.default, lambda: pruned(adm, raws[k]))),
        ("OpenAPI validate", lambda k: (adm.validator.validate, lambda: objs[k])),
        (
            "OpenAPI validate_update",
            lambda k: (lambda n: adm.validator.validate_update(n, valid_old), lambda: news[k]),
        ),
        (
            "CEL validate, create",
            lambda k: (lambda o: adm.rules.validate(o, None), lambda: objs[k]),
        ),
        (
            "CEL validate, update",
            lambda k: (lambda n: adm.rules.validate(n, valid_old), lambda: news[k]),
        ),
        ("SchemaAdmission.validate", lambda k: (adm.validate, lambda: objs[k])),
        (
            "SchemaAdmission.validate_update",
            lambda k: (lambda n: adm.validate_update(n, valid_old), lambda: news[k]),
        ),
        (
            "create admission (coerce+default+validate)",
            lambda k: (lambda o: whole_create(adm, o), lambda: copy(raws[k])),
        ),
    ]
    rows = []
    for step, setup in steps:
        row = Row(step)
        for kind in raws:
            call, prepare = setup(kind)
            samples, result = time_calls(call, prepare, iterations)
            errs = errors_in(result)
            row.cells[kind] = (
                statistics.median(samples) / 1e3,
                statistics.fmean(samples) / 1e3,
                errs,
            )
        rows.append(row)
    ratcheted: list[tuple[str, Callable[[JSON, JSON], object]]] = [
        ("OpenAPI validate_update, ratcheted", adm.validator.validate_update),
        ("CEL validate, update, ratcheted", adm.rules.validate),
        ("SchemaAdmission.validate_update, ratcheted", adm.validate_update),
    ]
    for step, update in ratcheted:
        samples, result = time_calls(against(update, ratchet_old), lambda: ratchet_new, iterations)
        row = Row(step)
        row.cells["invalid"] = (
            statistics.median(samples) / 1e3,
            statistics.fmean(samples) / 1e3,
            errors_in(result),
        )
        rows.append(row)

    print(f"  per object, µs ({len(orjson.dumps(raws['valid']))}-byte valid object)")
    print(
        f"  {'step':<44} {'valid p50':>10} {'mean':>8} {'errs':>4}   {'invalid p50':>11} {'mean':>8} {'errs':>4}"
    )
    for row in rows:
        cells = []
        for kind in raws:
            if kind in row.cells:
                p50, mean, errs = row.cells[kind]
                cells.append(f"{p50:10.1f} {mean:8.1f} {errs:4d}")
            else:
                cells.append(f"{'-':>10} {'-':>8} {'-':>4}")
        print(f"  {row.step:<44} {cells[0]}   {' ' + cells[1]}")
    print("  (errs: errors returned; the invalid update also changes the immutable storageClass;")
    print("   ratcheted: old is the invalid object, new differs from it only in spec.paused)")
    for error in adm.validate(objs["invalid"]):
        print(f"    invalid: {error}")

    if profile:
        profiler = cProfile.Profile()
        obj = objs["valid"]
        profiler.enable()
        for _ in range(iterations):
            adm.validate(obj)
        profiler.disable()
        print(f"\n  cProfile of SchemaAdmission.validate(valid) x {iterations}, by own time:")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(10)


def against(update: Callable[[JSON, JSON], object], old: JSON) -> Callable[[JSON], object]:
    return lambda new: update(new, old)


def pruned(adm: SchemaAdmission, raw: JSON) -> JSON:
    obj = copy(raw)
    adm.coerce(obj)
    return obj


def whole_create(adm: SchemaAdmission, obj: JSON) -> object:
    adm.coerce(obj)
    adm.default(obj)
    return adm.validate(obj)


# -- through kube-apiserver ------------------------------------------------------------------------


@dataclass
class Side:
    """One way to reach the Widget API, and what was measured through it."""

    title: str
    session: aiohttp.ClientSession
    base: str
    api_version: str
    namespace: str = "default"  # sides sharing a store keep their objects apart
    validates: bool = True  # False: the invalid object is accepted
    timings: dict[str, list[float]] = field(default_factory=dict)

    @property
    def collection(self) -> str:
        return f"{self.base}/namespaces/{self.namespace}/widgets"

    async def send(self, method: str, url: str, body: JSON) -> tuple[int, JSON, float]:
        started = time.perf_counter()
        async with self.session.request(method, url, json=body) as response:
            text = await response.read()
            seconds = time.perf_counter() - started
            try:
                data = orjson.loads(text)
            except orjson.JSONDecodeError:  # the aggregator's 503 is text/plain
                data = {"message": text.decode(errors="replace")}
            return response.status, data, seconds

    async def timed(self, verb: str, method: str, url: str, body: JSON, expect: int) -> JSON:
        status, data, seconds = await self.send(method, url, body)
        if status != expect:
            raise RuntimeError(f"{verb} {url}: {status} (expected {expect}) {data}")
        self.timings.setdefault(verb, []).append(seconds)
        return data


def causes(status: JSON) -> list[str]:
    details = status.get("details") or {}
    return sorted(f"{c.get('field')}: {c.get('message')}" for c in details.get("causes") or [])


async def check_validation(sides: list[Side]) -> bool:
    """Every side refuses the invalid object with 422; the causes compared with the CRD's."""
    ok = True
    baseline: list[str] = []
    for side in sides:
        body = invalid_widget(side.api_version, "invalid-check")
        status, data, _ = await side.send("POST", side.collection, body)
        started = time.monotonic()
        while status == 503 and time.monotonic() < started + 60:  # APIService not reachable yet
            await asyncio.sleep(0.5)
            status, data, _ = await side.send("POST", side.collection, body)
        waited = time.monotonic() - started
        waited_text = f" (after {waited:.1f}s of 503)" if waited > 0.1 and status != 503 else ""
        found = causes(data) if isinstance(data, dict) else []
        print(f"  invalid object -> {side.title}: {status}{waited_text}, {len(found)} causes")
        if not side.validates:
            ok = ok and status == 201
            continue
        if side is sides[0]:
            baseline = found
            for cause in found:
                print(f"    {cause}")
        else:
            for cause in sorted(set(found) - set(baseline)):
                print(f"    + {cause}")
            for cause in sorted(set(baseline) - set(found)):
                print(f"    - {cause}")
        if status != 422:
            ok = False
    return ok


async def measure(sides: list[Side], objects: int, run: int) -> None:
    """Create then update each object, the sides interleaved object by object, so that the
    machine's drift (large on 2 shared cores) weighs on every side alike; every tenth object,
    an invalid create too."""
    for i in range(objects):
        for side in sides:
            name = f"w-{run}-{i:05d}"
            created = await side.timed(
                "create", "POST", side.collection, widget(side.api_version, name), 201
            )
            await side.timed("update", "PUT", f"{side.collection}/{name}", updated(created), 200)
            if i % 10 == 0 and side.validates:
                bad = invalid_widget(side.api_version, f"bad-{run}-{i:05d}")
                await side.timed("create, invalid (422)", "POST", side.collection, bad, 422)


def quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def print_figures(sides: list[Side], title: str) -> None:
    baseline = sides[0]
    print(title)
    for verb in baseline.timings:
        for side in sides:
            samples = side.timings.get(verb)
            if not samples:
                continue
            p50 = statistics.median(samples)
            ratio = ""
            if side is not baseline:
                ratio = f"  p50 {p50 / statistics.median(baseline.timings[verb]):.2f}x the CRD's"
            print(
                f"  {verb:<22} {side.title:<30} n={len(samples):<4} p50={p50 * 1e3:7.2f}ms"
                f"  p95={quantile(samples, 0.95) * 1e3:7.2f}ms{ratio}"
            )


async def apiserver(
    objects: int,
    runs: int,
    profile_gateway: Path | None = None,
    only_sides: str = "",
    etcd_fsync: bool = True,
) -> None:
    durability = (
        "etcd syncs every commit, as the gateway's SQLite does"
        if etcd_fsync
        else ("etcd does not sync (--unsafe-no-fsync), the gateway's SQLite does")
    )
    print(f"== through kube-apiserver: {objects} objects per run, {runs} runs; {durability} ==")
    async with annex_stack((DIRECT_NAMESPACE,), profile_gateway, durable=etcd_fsync) as stack:
        cp, client = stack.cp, stack.client
        await client.apply(
            f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.{CRD_GROUP}",
            crd(),
            field_manager="bench",
        )
        for definition in (api_definition(), api_definition(PLAIN_GROUP, PLAIN_SCHEMA)):
            await kubectl(cp.kubeconfig, "apply", "-f", "-", stdin=json.dumps(definition))
        await kubectl(
            cp.kubeconfig, "wait", "--for=condition=Established", f"crd/widgets.{CRD_GROUP}"
        )
        for group in (ANNEX_GROUP, PLAIN_GROUP):
            await until(functools.partial(apiservice_available, client, f"{VERSION}.{group}"))
        async with (
            tls_session(cp.admin_cert_file, cp.admin_key_file, cp.ca_file) as admin,
            tls_session(
                cp.front_proxy_client_cert_file, cp.front_proxy_client_key_file, None
            ) as direct,
        ):
            annex_version = f"{ANNEX_GROUP}/{VERSION}"
            sides = [
                Side(
                    "CRD (baseline)",
                    admin,
                    f"{cp.server}/apis/{CRD_GROUP}/{VERSION}",
                    f"{CRD_GROUP}/{VERSION}",
                ),
                Side(
                    "annex via kube-apiserver",
                    admin,
                    f"{cp.server}/apis/{annex_version}",
                    annex_version,
                ),
                Side(
                    "annex direct",
                    direct,
                    f"https://127.0.0.1:{stack.port}/apis/{annex_version}",
                    annex_version,
                    namespace=DIRECT_NAMESPACE,
                ),
                Side(
                    "annex, no schema checks",
                    admin,
                    f"{cp.server}/apis/{PLAIN_GROUP}/{VERSION}",
                    f"{PLAIN_GROUP}/{VERSION}",
                    validates=False,
                ),
            ]

            async def served() -> bool:
                for side in (sides[1], sides[3]):
                    async with admin.get(side.collection) as response:
                        if response.status != 200:
                            return False
                return True

            await until(served)
            if only_sides:  # e.g. "0,3": the CRD (always kept: the baseline) and no-schema
                kept = {int(i) for i in only_sides.split(",")} | {0}
                sides = [side for i, side in enumerate(sides) if i in kept]
            if not await check_validation(sides):
                raise SystemExit("the invalid object not answered 422 (201 unchecked): no figures")
            for side in sides:  # warm-up: connections, caches, the CRD's first handler
                for i in range(20):
                    name = f"warm-{i}"
                    created = await side.timed(
                        "warm-up", "POST", side.collection, widget(side.api_version, name), 201
                    )
                    await side.timed(
                        "warm-up", "PUT", f"{side.collection}/{name}", updated(created), 200
                    )
                side.timings.clear()
            runs_p50: dict[str, list[float]] = {side.title: [] for side in sides}
            for run in range(runs):
                started = time.monotonic()
                cpu = cpu_seconds(stack.gateway_pid)
                threads = thread_cpu(stack.gateway_pid)
                run_sides = [
                    Side(s.title, s.session, s.base, s.api_version, s.namespace, s.validates)
                    for s in sides
                ]
                await measure(run_sides, objects, run)
                print_figures(run_sides, f"run {run + 1} ({time.monotonic() - started:.0f}s)")
                gateway_sides = sum(1 for s in run_sides if s.api_version != sides[0].api_version)
                if gateway_sides:  # per object: a create, an update, a tenth of an invalid
                    per_object = (cpu_seconds(stack.gateway_pid) - cpu) / objects / gateway_sides
                    by_thread = ", ".join(
                        f"{'main' if tid == stack.gateway_pid else tid}"
                        f" {(spent - threads.get(tid, 0)) / objects / gateway_sides * 1e3:.2f}"
                        for tid, spent in thread_cpu(stack.gateway_pid).items()
                        if spent - threads.get(tid, 0) > 0
                    )
                    print(
                        f"  gateway CPU per object and side: {per_object * 1e3:.2f}ms"
                        f" (by thread: {by_thread})"
                    )
                for side, run_side in zip(sides, run_sides, strict=True):
                    for verb, samples in run_side.timings.items():
                        side.timings.setdefault(verb, []).extend(samples)
                    runs_p50[side.title].append(statistics.median(run_side.timings["create"]))
            print_figures(sides, f"all runs ({runs} x {objects} objects per side)")
            crd_runs = runs_p50[sides[0].title]
            for side in sides[1:]:
                ratios = [a / c for a, c in zip(runs_p50[side.title], crd_runs, strict=True)]
                print(
                    f"  create p50 {side.title} / CRD, per run: "
                    + ", ".join(f"{r:.2f}" for r in ratios)
                )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--objects", type=int, default=300, help="objects per side and run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=3000, help="calls per in-process figure")
    parser.add_argument("--only", choices=["inprocess", "apiserver"])
    parser.add_argument("--profile", action="store_true", help="cProfile the validate path")
    parser.add_argument(
        "--profile-gateway",
        type=Path,
        help="run the gateway under cProfile, its stats written to this file (pstats)",
    )
    parser.add_argument(
        "--sides",
        default="",
        help="measure only these sides, by index (0 CRD, 1 via kube-apiserver, 2 direct, "
        "3 no schema checks), e.g. 0,3; the CRD is always measured",
    )
    parser.add_argument(
        "--etcd-fsync",
        choices=["on", "off"],
        default="on",
        help="on (default): etcd syncs every commit, as a cluster's does and as the gateway's "
        "SQLite store does, so both sides' writes are durable; off: the test harness's etcd "
        "(--unsafe-no-fsync), the CRD's writes then skip the sync the gateway's make",
    )
    args = parser.parse_args()
    if args.only != "apiserver":
        inprocess(args.iterations, args.profile)
    if args.only != "inprocess":
        asyncio.run(
            apiserver(
                args.objects, args.runs, args.profile_gateway, args.sides, args.etcd_fsync == "on"
            )
        )
