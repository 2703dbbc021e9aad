"""A schema made stricter under stored objects, through a real kube-apiserver: before the
change, the gateway's admission webhook warns how many stored objects the new schema would
refuse (a server-side dry run too); after it, the ApiDefinition's StoredObjectsValid condition
says how many it refuses. The objects still read; an update that leaves an invalid
value as it is passes (ratcheting), one that writes a new invalid value is refused."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from annex_controlplane import ControlPlane
from tests.helpers import eventually
from tests.stack import Stack, running_stack, wait_available

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

JSON = dict[str, Any]
GROUP = "strict.example.com"


def definition(max_length: int | None) -> JSON:
    name: JSON = {"type": "string"}
    if max_length is not None:
        name["maxLength"] = max_length
    schema = {
        "type": "object",
        "properties": {
            "spec": {"type": "object", "properties": {"name": name, "size": {"type": "integer"}}}
        },
    }
    version = {"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": schema}}
    return {
        "apiVersion": "annex.dev/v1alpha1",
        "kind": "ApiDefinition",
        "metadata": {"name": GROUP},
        "spec": {
            "group": GROUP,
            "resources": [{"names": {"plural": "things", "kind": "Thing"}, "versions": [version]}],
        },
    }


def thing(name: str, value: str) -> str:
    body = {
        "apiVersion": f"{GROUP}/v1",
        "kind": "Thing",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"name": value, "size": 1},
    }
    return json.dumps(body)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def stack(
    control_plane: ControlPlane, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    work: Path = tmp_path_factory.mktemp("schema-change")
    async with running_stack(control_plane, work) as running:
        yield running


async def condition(stack: Stack) -> JSON | None:
    obj = (await stack.kubectl("get", "apidefinition", GROUP, "-o", "json")).json()
    conditions = (obj.get("status") or {}).get("conditions") or []
    found = next((c for c in conditions if c["type"] == "StoredObjectsValid"), None)
    generation = obj["metadata"]["generation"]
    return found if found and found.get("observedGeneration") == generation else None


async def current_generation(stack: Stack) -> int:
    obj = (await stack.kubectl("get", "apidefinition", GROUP, "-o", "json")).json()
    return int(obj["metadata"]["generation"])


async def kubectl_can_still_write_long_names(stack: Stack) -> bool:
    """The dry run changed nothing: the lax schema still takes a long name."""
    created = await stack.kubectl("create", "-f", "-", stdin=thing("dry", "a-long-name-still"))
    await stack.kubectl("delete", f"things.{GROUP}", "dry")
    return "created" in created.stdout


async def test_a_stricter_schema_reports_the_stored_objects_it_refuses(stack: Stack) -> None:
    kubectl = stack.kubectl
    await kubectl("apply", "-f", "-", stdin=json.dumps(definition(None)))
    await wait_available(kubectl, f"v1.{GROUP}")
    for i, value in enumerate(["short", "a-rather-long-name", "another-long-name"]):
        await kubectl("create", "-f", "-", stdin=thing(f"t{i}", value))

    # Before the change: the gateway's admission webhook counts what it would refuse, and a
    # server-side dry run shows it without changing anything.
    warning = (
        "Warning: 2 of 3 stored things at v1 would be invalid under the new schema (updates to "
        "them must fix them)"
    )
    generation = await current_generation(stack)

    async def dry_run_warns() -> bool:
        # (the webhook is the operator's first reconcile's; kube-apiserver sees it shortly)
        dry = await kubectl(
            "apply", "--dry-run=server", "-f", "-", stdin=json.dumps(definition(10))
        )
        assert warning in dry.stderr, dry.stderr
        return True

    await eventually(dry_run_warns, timeout=30, what="the dry run's warning")
    assert await current_generation(stack) == generation
    assert await kubectl_can_still_write_long_names(stack)

    applied = await kubectl("apply", "-f", "-", stdin=json.dumps(definition(10)))
    assert warning in applied.stderr
    found = await eventually(lambda: condition(stack), timeout=60, what="StoredObjectsValid")
    assert found["status"] == "False"
    assert found["reason"] == "InvalidObjects"
    assert found["message"].startswith(
        "2 of 3 stored things at v1 are invalid under its schema (updates to them must fix "
        "them): default/t1: spec.name: Too long: may not be more than 10 bytes"
    )

    # The stored objects still read; unchanged invalid values ratchet, new ones are refused.
    got = (await kubectl("get", f"things.{GROUP}", "t1", "-o", "json")).json()
    assert got["spec"]["name"] == "a-rather-long-name"
    patched = await kubectl(
        "patch", f"things.{GROUP}", "t1", "--type=merge", "-p", '{"spec":{"size":2}}'
    )
    assert "patched" in patched.stdout
    refused = await kubectl(
        "patch",
        f"things.{GROUP}",
        "t0",
        "--type=merge",
        "-p",
        '{"spec":{"name":"now-far-too-long"}}',
        check=False,
    )
    assert refused.returncode == 1
    assert "spec.name: Too long: may not be more than 10 bytes" in refused.stderr

    # Fixing the schema again reports every object valid.
    await kubectl("apply", "-f", "-", stdin=json.dumps(definition(100)))
    fixed = await eventually(lambda: condition(stack), timeout=60, what="StoredObjectsValid")
    assert (fixed["status"], fixed["reason"]) == ("True", "AllValid")
    assert fixed["message"] == "all 3 stored things at v1 are valid"
    await kubectl("delete", "apidefinition", GROUP)
