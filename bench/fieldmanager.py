"""FieldManager.update / .apply measured in-process: prints figures, asserts nothing.

Every write to the gateway runs the field manager (annex_gateway.patch.apply): create,
update and non-apply patches through FieldManager.update, server-side apply through
FieldManager.apply. This times both, per call, on
(a) the example Image (examples/images/apidefinition.yaml: labels, spec.baseImage,
    spec.packages, one managedFields entry), and
(b) a larger object: 50 items of an x-kubernetes-list-type: map list, each with nested
    maps, and a granular string map,
for: a create (live None), a no-op update, a one-field change, an apply that creates, a
no-op re-apply, an apply that changes a field it owns, an apply with force over another
manager's field, and the same apply without force (a conflict, 409).

Timing is timeit-style: warm-up, gc disabled while measuring, one perf_counter per call;
median and p95 in µs. No control plane is needed.

python bench/fieldmanager.py [--calls N] [--budget SECONDS] [--only image|large]
    [--profile "image/apply one field"]   (SORT=cumulative TOP=40 to change the listing)
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import gc
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml

from annex_gateway.patch.apply import ApplyConflict, FieldManager
from annex_gateway.patch.versions import ResourceVersions

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[1]
DEFINITION = yaml.safe_load((REPO / "examples" / "images" / "apidefinition.yaml").read_text())
RESET = {"": ("status",), "status": ("metadata", "spec")}
NOW = "2024-05-01T12:00:00Z"
LATER = "2024-05-01T12:05:00Z"


# --- the objects ---------------------------------------------------------------------------


def image_manager() -> tuple[FieldManager, str]:
    group = DEFINITION["spec"]["group"]
    resource = DEFINITION["spec"]["resources"][0]
    version = resource["versions"][0]
    api_version = f"{group}/{version['name']}"
    fm = FieldManager(
        version["schema"]["openAPIV3Schema"],
        api_version,
        RESET,
        kind=resource["names"]["kind"],
        versions=ResourceVersions({api_version: version["schema"]["openAPIV3Schema"]}, None),
    )
    return fm, api_version


def image(api_version: str) -> dict[str, Any]:
    return {
        "apiVersion": api_version,
        "kind": "Image",
        "metadata": {
            "name": "debian-base",
            "namespace": "default",
            "labels": {"team": "platform", "tier": "base", "os": "debian"},
        },
        "spec": {
            "baseImage": "debian:12",
            "packages": ["curl", "ca-certificates", "git", "jq", "openssh-client"],
            "schedule": "0 3 * * *",
        },
    }


LARGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "properties": {
                "replicas": {"type": "integer"},
                "selector": {"type": "object", "additionalProperties": {"type": "string"}},
                "containers": {
                    "type": "array",
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["name"],
                    "items": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {
                            "name": {"type": "string"},
                            "image": {"type": "string"},
                            "args": {"type": "array", "items": {"type": "string"}},
                            "env": {
                                "type": "object",
                                "additionalProperties": {"type": "string"},
                            },
                            "resources": {
                                "type": "object",
                                "properties": {
                                    "limits": {
                                        "type": "object",
                                        "properties": {
                                            "cpu": {"type": "string"},
                                            "memory": {"type": "string"},
                                        },
                                    },
                                    "requests": {
                                        "type": "object",
                                        "properties": {
                                            "cpu": {"type": "string"},
                                            "memory": {"type": "string"},
                                        },
                                    },
                                },
                            },
                            "ports": {
                                "type": "array",
                                "x-kubernetes-list-type": "map",
                                "x-kubernetes-list-map-keys": ["port", "protocol"],
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "port": {"type": "integer"},
                                        "protocol": {"type": "string", "default": "TCP"},
                                        "name": {"type": "string"},
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
        "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
    },
}


def large_manager() -> tuple[FieldManager, str]:
    api_version = "bench.example.com/v1"
    fm = FieldManager(
        LARGE_SCHEMA,
        api_version,
        RESET,
        kind="Fleet",
        versions=ResourceVersions({api_version: LARGE_SCHEMA}, None),
    )
    return fm, api_version


def large(api_version: str, items: int = 50) -> dict[str, Any]:
    containers = [
        {
            "name": f"worker-{i:02d}",
            "image": f"registry.example.com/worker:{i}.0",
            "args": ["--verbose", f"--shard={i}"],
            "env": {"SHARD": str(i), "REGION": "eu-west-1", "MODE": "batch"},
            "resources": {
                "limits": {"cpu": "500m", "memory": "256Mi"},
                "requests": {"cpu": "100m", "memory": "64Mi"},
            },
            "ports": [{"port": 8000 + i, "protocol": "TCP", "name": "http"}],
        }
        for i in range(items)
    ]
    return {
        "apiVersion": api_version,
        "kind": "Fleet",
        "metadata": {
            "name": "fleet",
            "namespace": "default",
            "labels": {"team": "platform", "tier": "batch"},
        },
        "spec": {"replicas": 3, "selector": {"app": "fleet"}, "containers": containers},
    }


# --- the cases -----------------------------------------------------------------------------


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """A field manager call's result, without an event loop: with one version nothing in it
    waits (only a conversion webhook would)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return cast(T, done.value)
    coroutine.close()
    raise RuntimeError("the field manager waited for something")


def _stored(obj: dict[str, Any], n: int) -> dict[str, Any]:
    """What storage adds before the next write sees the object."""
    out = copy.deepcopy(obj)
    meta = out["metadata"]
    meta.update(
        {"uid": "5f0c6a8e-0000-4000-8000-000000000001", "resourceVersion": str(n)},
        creationTimestamp=NOW,
    )
    return out


def _change(obj: dict[str, Any], large_object: bool) -> dict[str, Any]:
    out = copy.deepcopy(obj)
    if large_object:
        out["spec"]["containers"][25]["image"] = "registry.example.com/worker:25.1"
    else:
        out["spec"]["baseImage"] = "debian:12.5"
    return out


def _config(obj: dict[str, Any]) -> dict[str, Any]:
    """An applied configuration: the object as a user writes it."""
    out = copy.deepcopy(obj)
    meta = out["metadata"]
    out["metadata"] = {k: meta[k] for k in ("name", "namespace", "labels") if k in meta}
    return out


def cases(
    fm: FieldManager, obj: dict[str, Any], large_object: bool
) -> dict[str, Callable[[], Any]]:
    # (1) an object created by an Update manager, as the gateway stores it: one entry
    created = _stored(run(fm.update(None, obj, "kubectl-create", now=NOW)), 1)
    new_noop = copy.deepcopy(created)
    new_change = _change(created, large_object)
    # (2) an object created by server-side apply, for the apply cases
    config = _config(obj)
    applied = _stored(run(fm.apply(None, config, "kubectl", force=False, now=NOW)), 2)
    changed_config = _change(config, large_object)
    # another manager's update, so that the applier's change conflicts
    other = _stored(
        run(fm.update(applied, _change(applied, large_object), "controller", now=NOW)), 3
    )
    rival_config = _change(_change(config, large_object), large_object)
    if large_object:
        rival_config["spec"]["containers"][25]["image"] = "registry.example.com/worker:25.2"
    else:
        rival_config["spec"]["baseImage"] = "debian:12.6"

    def conflict() -> None:
        try:
            run(fm.apply(other, rival_config, "kubectl", force=False, now=LATER))
        except ApplyConflict:
            return
        raise AssertionError("expected a conflict")

    return {
        "update create": lambda: run(fm.update(None, obj, "kubectl-create", now=NOW)),
        "update no-op": lambda: run(fm.update(created, new_noop, "kubectl-edit", now=LATER)),
        "update one field": lambda: run(fm.update(created, new_change, "kubectl-edit", now=LATER)),
        "apply create": lambda: run(fm.apply(None, config, "kubectl", force=False, now=NOW)),
        "apply no-op": lambda: run(fm.apply(applied, config, "kubectl", force=False, now=LATER)),
        "apply one field": lambda: run(
            fm.apply(applied, changed_config, "kubectl", force=False, now=LATER)
        ),
        "apply force": lambda: run(fm.apply(other, rival_config, "kubectl", force=True, now=LATER)),
        "apply conflict": conflict,
    }


# --- timing --------------------------------------------------------------------------------


def measure(fn: Callable[[], Any], calls: int, budget: float) -> tuple[float, float, int]:
    """(median µs, p95 µs, calls made): up to `calls` calls or `budget` seconds."""
    clock = time.perf_counter
    warm_until = clock() + budget / 10
    for i in range(max(10, calls // 50)):
        fn()
        if i >= 10 and clock() > warm_until:
            break
    samples: list[float] = []
    gc_was = gc.isenabled()
    gc.disable()
    try:
        deadline = clock() + budget
        while len(samples) < calls:
            t0 = clock()
            fn()
            t1 = clock()
            samples.append(t1 - t0)
            if t1 > deadline and len(samples) >= 100:
                break
    finally:
        if gc_was:
            gc.enable()
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return statistics.median(samples) * 1e6, p95 * 1e6, len(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000, help="calls per case (at most)")
    parser.add_argument("--budget", type=float, default=2.0, help="seconds per case (at most)")
    parser.add_argument("--only", choices=("image", "large"))
    parser.add_argument(
        "--profile", metavar="CASE", help="cProfile one case instead, e.g. 'image/apply one field'"
    )
    args = parser.parse_args()

    fm_image, av_image = image_manager()
    fm_large, av_large = large_manager()
    suites = {
        "image": cases(fm_image, image(av_image), False),
        "large": cases(fm_large, large(av_large), True),
    }
    if args.profile:
        suite, _, case = args.profile.partition("/")
        fn = suites[suite][case]
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(args.calls):
            fn()
        prof.disable()
        pstats.Stats(prof).sort_stats(os.environ.get("SORT", "tottime")).print_stats(
            int(os.environ.get("TOP", "25"))
        )
        return 0

    print(f"python {sys.version.split()[0]}; µs per call, median and p95")
    print(f"{'object':<7} {'case':<18} {'median':>10} {'p95':>10} {'calls':>7}")
    for suite, fns in suites.items():
        if args.only and suite != args.only:
            continue
        for name, fn in fns.items():
            med, p95, n = measure(fn, args.calls, args.budget)
            print(f"{suite:<7} {name:<18} {med:>10.1f} {p95:>10.1f} {n:>7}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
