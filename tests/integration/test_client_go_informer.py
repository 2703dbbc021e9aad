"""A client-go informer syncs on an annex resource and sees ADD, UPDATE and DELETE, as on a CRD.

annex-informer (controlplane/annex_controlplane/informer) is client-go v0.37.2 with its
default feature gates, so its initial state comes from a watch-list (`sendInitialEvents=true`,
WatchListClient on by default since client-go 1.35) and it never falls back to a LIST. The same
steps run against the example ApiDefinition (through kube-apiserver to the gateway) and a
CRD of the same schema, each in its own namespace.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import yaml

from annex_controlplane import ControlPlane
from annex_controlplane.informer_build import ensure_informer
from tests.helpers import REPO, Kubectl, log_tail
from tests.stack import Stack, running_stack, wait_available

pytestmark = [
    pytest.mark.integration,
    pytest.mark.informer,
    pytest.mark.asyncio(loop_scope="session"),
]

EXAMPLE = REPO / "examples" / "images" / "apidefinition.yaml"
VERSION = "v1alpha1"
# Generous upper bounds: an event through the aggregator; the informer's exit after stdin closes.
EVENT_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0

Event = tuple[str, str, str]  # type, name, resourceVersion


@dataclass(frozen=True)
class Target:
    kind: str  # "annex" or "crd"
    group: str

    @property
    def resource(self) -> str:
        return f"images.{self.group}"

    @property
    def namespace(self) -> str:
        return f"informer-{self.kind}"


ANNEX = Target("annex", "images.example.com")
CRD = Target("crd", "images.informer.test")  # a group of its own: no other module's CRD


def crd_twin() -> dict[str, Any]:
    """The example ApiDefinition's resource as a CustomResourceDefinition in CRD.group."""
    resource = yaml.safe_load(EXAMPLE.read_text())["spec"]["resources"][0]
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": CRD.resource},
        "spec": {
            "group": CRD.group,
            "names": resource["names"],
            "scope": resource["scope"],
            "versions": resource["versions"],
        },
    }


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def informer_binary() -> Path:
    return await ensure_informer()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def stack(
    control_plane: ControlPlane, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    async with running_stack(control_plane, tmp_path_factory.mktemp("informer")) as stack:
        kubectl = stack.kubectl
        await kubectl("apply", "-f", str(EXAMPLE))
        await kubectl("apply", "-f", "-", stdin=json.dumps(crd_twin()))
        await kubectl("wait", "--for=condition=Established", f"crd/{CRD.resource}", "--timeout=60s")
        await wait_available(kubectl, f"{VERSION}.{ANNEX.group}")
        try:
            yield stack
        finally:
            await kubectl("delete", "crd", CRD.resource, "--wait=false", check=False)


class Informer:
    """A running annex-informer: its stdout read line by line, its stderr in a log file."""

    def __init__(self, process: asyncio.subprocess.Process, log: Path) -> None:
        self.process = process
        self.log = log

    async def next_event(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        try:
            line = await asyncio.wait_for(self.process.stdout.readline(), EVENT_TIMEOUT)
        except TimeoutError:
            pytest.fail(f"no event within {EVENT_TIMEOUT:.0f} s:\n{log_tail(self.log)}")
        assert line, f"annex-informer exited ({self.process.returncode}):\n{log_tail(self.log)}"
        event: dict[str, Any] = json.loads(line)
        return event

    async def events_until(self, last: tuple[str, str]) -> list[Event]:
        """Every event up to and including the first whose (type, name) is `last`."""
        events: list[Event] = []
        while not events or events[-1][:2] != last:
            event = await self.next_event()
            events.append((event["type"], event.get("name", ""), event.get("resourceVersion", "")))
        return events

    def diagnostics(self) -> list[dict[str, Any]]:
        """The JSON lines of stderr (klog's lines are not JSON)."""
        lines = self.log.read_text(errors="replace").splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]


@asynccontextmanager
async def running_informer(
    binary: Path, kubeconfig: Path, target: Target, log: Path
) -> AsyncIterator[Informer]:
    # client-go's defaults, whatever the environment running the tests says.
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUBE_FEATURE_")}
    with log.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            str(binary),
            f"-kubeconfig={kubeconfig}",
            f"-group={target.group}",
            f"-version={VERSION}",
            "-resource=images",
            f"-namespace={target.namespace}",
            "-v=4",  # klog: client-go says when it falls back from a watch-list, and why
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
            env=env,
        )
    try:
        yield Informer(process, log)
    finally:
        assert process.stdin is not None
        process.stdin.close()  # how it is told to stop
        try:
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
        except TimeoutError:
            process.kill()
            await process.wait()
        print(f"--- annex-informer ({target.kind}) stderr ---\n{log_tail(log)}")


async def create(kubectl: Kubectl, target: Target, name: str) -> str:
    image = {
        "apiVersion": f"{target.group}/{VERSION}",
        "kind": "Image",
        "metadata": {"name": name},
        "spec": {"baseImage": "debian:12"},
    }
    created = await kubectl(
        "-n", target.namespace, "create", "-f", "-", "-o", "json", stdin=json.dumps(image)
    )
    return str(created.json()["metadata"]["resourceVersion"])


async def merge_patch(kubectl: Kubectl, target: Target, name: str, patch: Any) -> str:
    patched = await kubectl(
        "-n",
        target.namespace,
        "patch",
        target.resource,
        name,
        "--type=merge",
        "-p",
        json.dumps(patch),
        "-o",
        "json",
    )
    return str(patched.json()["metadata"]["resourceVersion"])


@pytest.mark.parametrize("target", [ANNEX, CRD], ids=lambda target: target.kind)
async def test_an_informer_syncs_by_watch_list_and_sees_every_change(
    target: Target, stack: Stack, informer_binary: Path, tmp_path: Path
) -> None:
    kubectl = stack.kubectl
    await kubectl("create", "namespace", target.namespace)
    existing = {name: await create(kubectl, target, name) for name in ("first", "second")}

    async with running_informer(
        informer_binary, stack.control_plane.kubeconfig, target, tmp_path / "informer.log"
    ) as informer:
        initial = await informer.events_until(("SYNCED", ""))
        assert sorted(initial[:-1]) == sorted(("ADD", name, rv) for name, rv in existing.items())

        diagnostics = informer.diagnostics()
        assert {"feature": "WatchListClient", "enabled": True} in diagnostics
        assert {"initialSync": "watch-list"} in diagnostics
        requests = [d["request"] for d in diagnostics if "request" in d]
        assert requests, "the informer made no request"
        assert "sendInitialEvents=true" in requests[0]["query"]
        assert requests[0]["status"] == 200
        # kube-apiserver 1.37 gzips a watch-list (WatchListCompression); so does the gateway,
        # and net/http's gzip reader takes each flush as it comes.
        assert requests[0]["uncompressed"] is True
        # client-go's own word (klog -v=4) that the k8s.io/initial-events-end bookmark came
        assert "marks the end of initial events stream" in informer.log.read_text()

        added = await create(kubectl, target, "third")
        updated = await merge_patch(kubectl, target, "third", {"spec": {"packages": ["curl"]}})
        await kubectl("-n", target.namespace, "delete", target.resource, "first")
        # The last change: every event before it has been delivered once it arrives.
        last = await create(kubectl, target, "last")
        seen = await informer.events_until(("ADD", "last"))

    deleted = seen[2][2] if len(seen) == 4 else ""
    assert seen == [
        ("ADD", "third", added),
        ("UPDATE", "third", updated),
        ("DELETE", "first", deleted),
        ("ADD", "last", last),
    ]
    # A DELETE carries the revision of the deletion: after the patch, before the last create.
    assert int(updated) < int(deleted) < int(last)
