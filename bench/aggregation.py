"""The walking skeleton measured: prints figures, asserts nothing.

Starts the real control plane, the operator and the gateway (as `annex dev` does), then
measures, each over several runs:
- `kubectl apply` of an ApiDefinition → its APIService Available (and back: delete → gone);
- create / get / update / merge patch / JSON patch / server-side apply / status patch /
  list / delete latency of the same object shape served
  (a) by the gateway through kube-apiserver's aggregation proxy,
  (b) by a CustomResourceDefinition in kube-apiserver (the baseline),
  (c) by the gateway directly, with the front-proxy certificate (no kube-apiserver hop).

python bench/aggregation.py [--objects N] [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import ssl
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from annex_core.kube import KubeClient

# Run as a script (python bench/x.py), bench/ is on sys.path, not the repo root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.stack import annex_stack

REPO = Path(__file__).resolve().parents[1]
DEFINITION = yaml.safe_load((REPO / "examples" / "images" / "apidefinition.yaml").read_text())
BASELINE_GROUP = "crdimages.example.net"
DIRECT_NAMESPACE = "bench-direct"


def baseline_crd() -> dict[str, Any]:
    """The example's Image resource, as a CRD in another group (schema preserved as-is)."""
    resource = DEFINITION["spec"]["resources"][0]
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"images.{BASELINE_GROUP}"},
        "spec": {
            "group": BASELINE_GROUP,
            "names": {k: v for k, v in resource["names"].items() if k != "shortNames"},
            "scope": resource["scope"],
            "versions": resource["versions"],
        },
    }


def image(api_version: str, name: str) -> dict[str, Any]:
    return {
        "apiVersion": api_version,
        "kind": "Image",
        "metadata": {"name": name, "labels": {"bench": "yes"}},
        "spec": {"baseImage": "debian:12", "packages": ["curl", "git"]},
    }


async def kubectl(kubeconfig: Path, *args: str, stdin: str | None = None) -> str:
    process = await asyncio.create_subprocess_exec(
        "kubectl",
        "--kubeconfig",
        str(kubeconfig),
        *args,
        stdin=asyncio.subprocess.PIPE if stdin else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate(stdin.encode() if stdin else None)
    if process.returncode:
        raise RuntimeError(f"kubectl {' '.join(args)}: {err.decode()}")
    return out.decode()


async def until(probe: Callable[[], Awaitable[bool]], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not await probe():
        if time.monotonic() > deadline:
            raise TimeoutError("gave up waiting")
        await asyncio.sleep(0.05)


async def apiservice_available(client: KubeClient, name: str) -> bool:
    found = await client.get_or_none(f"/apis/apiregistration.k8s.io/v1/apiservices/{name}")
    conditions = ((found or {}).get("status") or {}).get("conditions") or []
    return any(c["type"] == "Available" and c["status"] == "True" for c in conditions)


async def measure_apply(kubeconfig: Path, client: KubeClient, runs: int) -> None:
    to_available, to_gone = [], []
    path = "/apis/apiregistration.k8s.io/v1/apiservices/v1alpha1.images.example.com"
    for _ in range(runs):
        started = time.monotonic()
        await kubectl(kubeconfig, "apply", "-f", "-", stdin=json.dumps(DEFINITION))
        await until(lambda: apiservice_available(client, "v1alpha1.images.example.com"))
        to_available.append(time.monotonic() - started)
        started = time.monotonic()
        await kubectl(kubeconfig, "delete", "apidefinition", "images.example.com")

        async def gone() -> bool:
            return await client.get_or_none(path) is None

        await until(gone)
        to_gone.append(time.monotonic() - started)
    report("kubectl apply -> APIService Available", to_available, unit="s")
    report("kubectl delete -> APIService gone", to_gone, unit="s")


def report(what: str, samples: list[float], unit: str = "ms", ratio: float | None = None) -> None:
    scale = 1000 if unit == "ms" else 1
    ordered = sorted(s * scale for s in samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    versus = f"  p50 {ratio:.2f}x the CRD's" if ratio is not None else ""
    print(
        f"  {what:<44} n={len(ordered):<4} p50={statistics.median(ordered):8.2f}{unit}"
        f"  p95={p95:8.2f}{unit}  max={ordered[-1]:8.2f}{unit}{versus}"
    )


@dataclass
class Target:
    """One way to reach the Image API, and what was measured through it."""

    title: str
    session: aiohttp.ClientSession
    base: str
    api_version: str
    namespace: str = "default"  # targets sharing a store keep their objects apart
    timings: dict[str, list[float]] = field(default_factory=dict)

    @property
    def collection(self) -> str:
        return f"{self.base}/namespaces/{self.namespace}/images"

    async def timed(
        self, verb: str, method: str, url: str, body: Any = None, content_type: str | None = None
    ) -> Any:
        started = time.monotonic()
        kwargs: dict[str, Any] = {"json": body}
        if content_type is not None:
            kwargs = {"data": json.dumps(body), "headers": {"Content-Type": content_type}}
        async with self.session.request(method, url, **kwargs) as response:
            data = await response.json()
            if response.status >= 300:
                raise RuntimeError(f"{verb} {url}: {response.status} {data}")
        self.timings.setdefault(verb, []).append(time.monotonic() - started)
        return data


async def one_object(target: Target, i: int) -> None:
    """As a controller would: create, get, update, patch every way, apply, write status."""
    collection = target.collection
    item = f"{collection}/bench-{i}"
    obj = await target.timed("create", "POST", collection, image(target.api_version, f"bench-{i}"))
    got = await target.timed("get", "GET", item)
    got["spec"]["packages"].append("make")
    await target.timed("update", "PUT", item, got)
    assert obj["metadata"]["uid"] == got["metadata"]["uid"]
    merge = {"metadata": {"labels": {"patched": "yes"}}}
    await target.timed("merge patch", "PATCH", item, merge, "application/merge-patch+json")
    add = [{"op": "add", "path": "/spec/packages/-", "value": "vim"}]
    await target.timed("json patch", "PATCH", item, add, "application/json-patch+json")
    config = image(target.api_version, f"bench-{i}")
    config["spec"]["schedule"] = "@daily"
    applied = f"{item}?fieldManager=bench-apply&force=true"
    await target.timed("apply", "PATCH", applied, config, "application/apply-patch+yaml")
    status = {"status": {"phase": "Ready"}}
    await target.timed(
        "status patch", "PATCH", f"{item}/status", status, "application/merge-patch+json"
    )


async def measure_crud(targets: list[Target], objects: int) -> None:
    """Every verb on every target, interleaved object by object, so that the machine's drift
    over the run (on 2 shared cores it is large) weighs on every target alike."""
    for i in range(objects):
        for target in targets:
            await one_object(target, i)
    for _ in range(max(10, objects // 10)):
        for target in targets:
            url = f"{target.collection}?labelSelector=bench%3Dyes"
            await target.timed("list", "GET", url)
    for i in range(objects):
        for target in targets:
            await target.timed("delete", "DELETE", f"{target.collection}/bench-{i}")
    baseline = targets[0]
    for target in targets:
        print(f"{target.title} ({objects} objects)")
        for verb, samples in target.timings.items():
            ratio = statistics.median(samples) / statistics.median(baseline.timings[verb])
            report(verb, samples, ratio=ratio if target is not baseline else None)


def tls_session(cert: Path, key: Path, ca: Path | None) -> aiohttp.ClientSession:
    context = ssl.create_default_context(cafile=str(ca)) if ca else ssl.create_default_context()
    if ca is None:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    context.load_cert_chain(str(cert), str(key))
    headers = {"X-Remote-User": "bench", "X-Remote-Group": "system:masters"}
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=context, limit=4), headers=headers
    )


async def main(objects: int, runs: int) -> None:
    print(f"python {sys.version.split()[0]}, {objects} objects per CRUD run, {runs} apply runs")
    async with annex_stack((DIRECT_NAMESPACE,)) as stack:
        cp, client = stack.cp, stack.client
        await measure_apply(cp.kubeconfig, client, runs)
        await kubectl(cp.kubeconfig, "apply", "-f", "-", stdin=json.dumps(DEFINITION))
        await until(lambda: apiservice_available(client, "v1alpha1.images.example.com"))
        await client.apply(
            f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/images.{BASELINE_GROUP}",
            baseline_crd(),
            field_manager="bench",
        )
        await kubectl(
            cp.kubeconfig, "wait", "--for=condition=Established", f"crd/images.{BASELINE_GROUP}"
        )
        async with (
            tls_session(cp.admin_cert_file, cp.admin_key_file, cp.ca_file) as admin,
            tls_session(
                cp.front_proxy_client_cert_file, cp.front_proxy_client_key_file, None
            ) as direct,
        ):
            await measure_crud(
                [
                    Target(
                        "CRD in kube-apiserver (baseline)",
                        admin,
                        f"{cp.server}/apis/{BASELINE_GROUP}/v1alpha1",
                        f"{BASELINE_GROUP}/v1alpha1",
                    ),
                    Target(
                        "annex gateway through kube-apiserver",
                        admin,
                        f"{cp.server}/apis/images.example.com/v1alpha1",
                        "images.example.com/v1alpha1",
                    ),
                    Target(
                        "annex gateway directly (front-proxy cert)",
                        direct,
                        f"https://127.0.0.1:{stack.port}/apis/images.example.com/v1alpha1",
                        "images.example.com/v1alpha1",
                        namespace=DIRECT_NAMESPACE,
                    ),
                ],
                objects,
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--objects", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.objects, args.runs))
