"""A watch through kube-apiserver survives a gateway restart: the client re-watches from the
last resourceVersion it saw and gets every later change once, none lost, none repeated
(revisions live in the gateway's store, not in its memory)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from annex_controlplane import ControlPlane
from tests.helpers import REPO, eventually
from tests.stack import Stack, running_stack, wait_available

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

COLLECTION = "/apis/images.example.com/v1alpha1/namespaces/default/images"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def stack(
    control_plane: ControlPlane, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    async with running_stack(control_plane, tmp_path_factory.mktemp("watch-resume")) as stack:
        await stack.kubectl("apply", "-f", str(REPO / "examples" / "images" / "apidefinition.yaml"))
        await wait_available(stack.kubectl, "v1alpha1.images.example.com")
        yield stack


def image(name: str) -> str:
    return json.dumps(
        {
            "apiVersion": "images.example.com/v1alpha1",
            "kind": "Image",
            "metadata": {"name": name, "labels": {"resume": "yes"}},
            "spec": {"baseImage": "debian:12"},
        }
    )


async def watch(stack: Stack, resource_version: str, seconds: int) -> list[dict[str, Any]]:
    """The events of a raw watch from `resource_version`, until it ends (timeout or restart)."""
    result = await stack.kubectl(
        "get",
        "--raw",
        f"{COLLECTION}?watch=true&labelSelector=resume%3Dyes"
        f"&resourceVersion={resource_version}&timeoutSeconds={seconds}",
        check=False,
        timeout=seconds + 30,
    )
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


async def test_a_watch_resumes_across_a_gateway_restart(stack: Stack) -> None:
    kubectl = stack.kubectl
    listed = json.loads(
        (await kubectl("get", "--raw", f"{COLLECTION}?labelSelector=resume%3Dyes")).stdout
    )
    start = listed["metadata"]["resourceVersion"]
    await kubectl("create", "-f", "-", stdin=image("before"))

    # A watch open while the gateway restarts ends with the connection; it saw "before".
    first = asyncio.ensure_future(watch(stack, start, 60))
    await asyncio.sleep(2)
    await stack.restart_gateway()
    seen = await asyncio.wait_for(first, 90)
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in seen] == [("ADDED", "before")]
    last = seen[-1]["object"]["metadata"]["resourceVersion"]

    async def served_again() -> bool:
        done = await kubectl("create", "-f", "-", stdin=image("after"), check=False)
        return done.returncode == 0

    await eventually(served_again, timeout=60, what="the restarted gateway to take writes")
    # By group: another module's CRD of the same names may still be going away (it would
    # take the short name).
    await kubectl("delete", "images.images.example.com", "before")
    resumed = await watch(stack, str(last), 3)
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in resumed] == [
        ("ADDED", "after"),
        ("DELETED", "before"),
    ]
    revisions = [int(e["object"]["metadata"]["resourceVersion"]) for e in seen + resumed]
    assert revisions == sorted(set(revisions))  # increasing: no gap filled twice, no repeat
