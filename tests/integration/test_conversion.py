"""Versions and conversion through a real kube-apiserver: an Image served at v1alpha1
(`spec.image`, deprecated) and v1 (`spec.baseImage`), converted declaratively and by a
conversion webhook; objects written at one version read at the other (get, list, watch);
a change of storage version migrated in the background and storedVersions pruned; a
webhook that is down answers kube-apiserver's error.
"""

from __future__ import annotations

import asyncio
import base64
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import pytest_asyncio
import yaml

from annex_controlplane import ControlPlane
from annex_core.kube import KubeClient
from tests.conversion_webhook import ConversionWebhook, serve_webhook
from tests.helpers import eventually, start_process, stop_process
from tests.stack import Stack, running_stack, wait_available

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

JSON = dict[str, Any]
DECLARATIVE_GROUP = "decl.example.com"
WEBHOOK_GROUP = "hooked.example.com"


def definition(group: str, conversion: JSON, storage: str = "v1alpha1") -> JSON:
    def version(name: str, image_field: str) -> JSON:
        return {
            "name": name,
            "served": True,
            "storage": storage == name,
            "deprecated": name == "v1alpha1",
            "schema": {
                "openAPIV3Schema": {
                    "type": "object",
                    "properties": {
                        "spec": {
                            "type": "object",
                            "properties": {
                                image_field: {"type": "string"},
                                "size": {"type": "integer"},
                            },
                        }
                    },
                }
            },
            "additionalPrinterColumns": [
                {"name": "Image", "type": "string", "jsonPath": f".spec.{image_field}"}
            ],
        }

    return {
        "apiVersion": "annex.dev/v1alpha1",
        "kind": "ApiDefinition",
        "metadata": {"name": group},
        "spec": {
            "group": group,
            "resources": [
                {
                    "names": {"plural": "images", "singular": "image", "kind": "Image"},
                    "scope": "Namespaced",
                    "versions": [version("v1alpha1", "image"), version("v1", "baseImage")],
                    "conversion": conversion,
                }
            ],
        },
    }


DECLARATIVE = {
    "strategy": "Declarative",
    "declarative": {
        "rules": [
            {
                "from": {"version": "v1alpha1", "path": "spec.image"},
                "to": {"version": "v1", "path": "spec.baseImage"},
            }
        ]
    },
}


def by_webhook(hook: ConversionWebhook) -> JSON:
    """Conversion by the test webhook, in a CRD's or an ApiDefinition's words."""
    return {
        "strategy": "Webhook",
        "webhook": {
            "clientConfig": {
                "url": hook.url,
                "caBundle": base64.b64encode(hook.ca_pem).decode(),
            },
            "conversionReviewVersions": ["v1"],
        },
    }


def image(group: str, name: str, version: str, value: str) -> str:
    field = "image" if version == "v1alpha1" else "baseImage"
    return json.dumps(
        {
            "apiVersion": f"{group}/{version}",
            "kind": "Image",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {field: value, "size": 1},
        }
    )


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("conversion")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def stack(control_plane: ControlPlane, work: Path) -> AsyncIterator[Stack]:
    async with running_stack(control_plane, work) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def webhook() -> AsyncIterator[ConversionWebhook]:
    async with serve_webhook() as hook:
        yield hook


async def apply(stack: Stack, obj: JSON) -> None:
    await stack.kubectl("apply", "--server-side", "-f", "-", stdin=json.dumps(obj))
    group = obj["spec"]["group"]
    for version in ("v1alpha1", "v1"):
        await wait_available(stack.kubectl, f"{version}.{group}")


async def get(stack: Stack, group: str, version: str, name: str) -> JSON:
    result = await stack.kubectl("get", f"images.{version}.{group}", name, "-o", "json")
    obj: JSON = result.json()
    return obj


def _read_stored(work: Path, group: str) -> dict[str, JSON]:
    db = sqlite3.connect(f"file:{work / 'annex.db'}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT c.name, h.data FROM current c JOIN history h ON h.revision = c.revision "
            "WHERE c.resource = ?",
            (f"{group}/images",),
        ).fetchall()
    finally:
        db.close()
    return {name: orjson.loads(data) for name, data in rows}


async def stored(stack: Stack, work: Path, group: str) -> dict[str, JSON]:
    """The objects as the gateway stored them, read from its SQLite file while it is
    stopped (it holds the database exclusively); started again before returning."""
    await stop_process(stack.gateway)
    try:
        return await asyncio.to_thread(_read_stored, work, group)
    finally:
        stack.gateway = await start_process(
            list(stack.gateway_command), stack.gateway_log, append=True
        )

        async def serving() -> bool:
            result = await stack.kubectl("get", f"images.v1.{group}", check=False)
            return result.returncode == 0

        await eventually(serving, timeout=60, what="the gateway serving again")


async def stored_versions(stack: Stack, group: str) -> Any:
    obj = (await stack.kubectl("get", "apidefinition", group, "-o", "json")).json()
    return obj.get("status", {}).get("storedVersions")


async def watch_one(stack: Stack, group: str, version: str, resource_version: str) -> JSON:
    """The first event after `resource_version` of a watch at `version`."""
    async with await KubeClient.connect(stack.control_plane.kubeconfig) as client:
        path = f"/apis/{group}/{version}/namespaces/default/images"
        async for event in client.watch(
            path, resource_version=resource_version, timeout_seconds=30
        ):
            if event["type"] != "BOOKMARK":
                return event
    raise AssertionError("the watch ended without an event")


async def check_both_ways(stack: Stack, group: str) -> None:
    kubectl = stack.kubectl
    created = await kubectl("create", "-f", "-", stdin=image(group, "old", "v1alpha1", "debian"))
    # a deprecated version warns, with kube-apiserver's default text
    assert (
        f"Warning: {group}/v1alpha1 Image is deprecated; use {group}/v1 Image" in created.stderr
    ), created.stderr
    await kubectl("create", "-f", "-", stdin=image(group, "new", "v1", "alpine"))

    old = await get(stack, group, "v1", "old")
    assert old["apiVersion"] == f"{group}/v1"
    assert old["spec"] == {"baseImage": "debian", "size": 1}
    new = await get(stack, group, "v1alpha1", "new")
    assert new["apiVersion"] == f"{group}/v1alpha1"
    assert new["spec"] == {"image": "alpine", "size": 1}

    for version, field in (("v1", "baseImage"), ("v1alpha1", "image")):
        listed = (await kubectl("get", f"images.{version}.{group}", "-o", "json")).json()
        assert {i["metadata"]["name"]: i["spec"][field] for i in listed["items"]} == {
            "new": "alpine",
            "old": "debian",
        }
        assert {i["apiVersion"] for i in listed["items"]} == {f"{group}/{version}"}
    table = await kubectl("get", f"images.v1.{group}")
    assert "debian" in table.stdout  # the printer column reads the converted field

    # watch at v1 of a write at v1alpha1
    revision = new["metadata"]["resourceVersion"]
    watching = asyncio.create_task(watch_one(stack, group, "v1", revision))
    await asyncio.sleep(0.5)
    await kubectl(
        "patch",
        f"images.v1alpha1.{group}",
        "new",
        "--type=merge",
        "-p",
        json.dumps({"spec": {"image": "alpine:3"}}),
    )
    event = await asyncio.wait_for(watching, 30)
    assert event["type"] == "MODIFIED"
    assert event["object"]["apiVersion"] == f"{group}/v1"
    assert event["object"]["spec"] == {"baseImage": "alpine:3", "size": 1}


async def test_declarative_conversion_and_storage_migration(stack: Stack, work: Path) -> None:
    group = DECLARATIVE_GROUP
    await apply(stack, definition(group, DECLARATIVE))
    await check_both_ways(stack, group)

    # stored at the storage version, v1alpha1
    assert {n: o["apiVersion"] for n, o in (await stored(stack, work, group)).items()} == {
        "old": f"{group}/v1alpha1",
        "new": f"{group}/v1alpha1",
    }

    async def only(versions: list[str]) -> bool:
        found: object = await stored_versions(stack, group)
        return found == {"images": versions}

    await eventually(lambda: only(["v1alpha1"]), timeout=30, what="storedVersions [v1alpha1]")

    # more objects, then the storage version moves to v1
    for i in range(30):
        await stack.kubectl(
            "create", "-f", "-", stdin=image(group, f"bulk-{i:02}", "v1alpha1", f"img-{i}")
        )
    await stack.kubectl(
        "apply",
        "--server-side",
        "-f",
        "-",
        stdin=json.dumps(definition(group, DECLARATIVE, storage="v1")),
    )

    # the operator adds v1, the gateway migrates every object, then prunes to [v1]
    await eventually(lambda: only(["v1"]), timeout=60, what="storedVersions pruned to [v1]")
    objects = await stored(stack, work, group)
    assert len(objects) == 32
    assert {o["apiVersion"] for o in objects.values()} == {f"{group}/v1"}
    assert objects["bulk-07"]["spec"] == {"baseImage": "img-7", "size": 1}
    assert objects["new"]["spec"] == {"baseImage": "alpine:3", "size": 1}
    # read back at both versions, unchanged
    assert (await get(stack, group, "v1alpha1", "bulk-07"))["spec"] == {"image": "img-7", "size": 1}
    assert (await get(stack, group, "v1", "old"))["spec"] == {"baseImage": "debian", "size": 1}


async def test_noop_update_at_the_storage_version_writes_nothing(stack: Stack) -> None:
    """Once migrated, the storage version migrator's PUT of an unchanged object is a no-op
    (same resourceVersion), at either version; an object stored at an older version is
    rewritten by it (tests/unit/gateway/test_conversion.py)."""
    group = DECLARATIVE_GROUP
    for version in ("v1", "v1alpha1"):
        obj = await get(stack, group, version, "bulk-03")
        await stack.kubectl("replace", "-f", "-", stdin=json.dumps(obj))
        after = await get(stack, group, version, "bulk-03")
        assert after["metadata"]["resourceVersion"] == obj["metadata"]["resourceVersion"]
    # a real change at v1alpha1 is stored at v1
    await stack.kubectl(
        "patch",
        f"images.v1alpha1.{group}",
        "bulk-03",
        "--type=merge",
        "-p",
        json.dumps({"spec": {"image": "changed"}}),
    )
    assert (await get(stack, group, "v1", "bulk-03"))["spec"]["baseImage"] == "changed"


async def test_webhook_conversion(stack: Stack, webhook: ConversionWebhook) -> None:
    group = WEBHOOK_GROUP
    conversion = by_webhook(webhook)
    conversion["webhook"]["timeoutSeconds"] = 5
    await apply(stack, definition(group, conversion))
    await check_both_ways(stack, group)
    assert webhook.reviews, "the webhook converted"

    # the webhook fails: kube-apiserver's words for it
    webhook.fail = "the converter is broken"
    result = await stack.kubectl("get", f"images.v1.{group}", "old", "-o", "json", check=False)
    assert result.returncode != 0
    assert (
        f"conversion webhook for {group}/v1alpha1, Kind=Image failed: the converter is broken"
        in result.stderr
    ), result.stderr
    webhook.fail = None


async def test_webhook_down(stack: Stack) -> None:
    """The webhook is gone (the module's webhook fixture is not used: a port nobody
    listens on): reads and writes at the other version are a 500 naming it."""
    group = WEBHOOK_GROUP
    async with serve_webhook() as hook:
        url = hook.url
    conversion = by_webhook(hook)
    conversion["webhook"]["timeoutSeconds"] = 2
    await apply(stack, definition(group, conversion))
    port = url.split(":")[2].split("/")[0]

    async def refused() -> str | None:
        result = await stack.kubectl("get", f"images.v1.{group}", "old", check=False)
        return result.stderr if "connection refused" in result.stderr else None

    message = await eventually(refused, timeout=60, what="the webhook's error")
    assert (
        f'conversion webhook for {group}/v1alpha1, Kind=Image failed: Post "{url}": '
        f"dial tcp 127.0.0.1:{port}: connect: connection refused"
    ) in message
    listed = await stack.kubectl("get", f"images.v1.{group}", check=False)
    assert listed.returncode != 0
    assert "connection refused" in listed.stderr
    created = await stack.kubectl(
        "create", "-f", "-", stdin=image(group, "another", "v1", "x"), check=False
    )
    assert created.returncode != 0
    assert f"conversion webhook for {group}/v1, Kind=Image failed" in created.stderr
    # at the storage version nothing needs the webhook
    obj = yaml.safe_load(
        (await stack.kubectl("get", f"images.v1alpha1.{group}", "old", "-o", "yaml")).stdout
    )
    assert obj["spec"] == {"image": "debian", "size": 1}


def crd(group: str, webhook: ConversionWebhook) -> JSON:
    """The same resource as a CRD converted by the same webhook."""
    spec = definition(group, {})["spec"]["resources"][0]
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"images.{group}"},
        "spec": {
            "group": group,
            "names": spec["names"],
            "scope": "Namespaced",
            "versions": spec["versions"],
            "conversion": by_webhook(webhook),
        },
    }


async def ownership_across_versions(stack: Stack, group: str) -> list[Any]:
    """Managers writing one object at both versions: what each step answers (exit code,
    error text), and then the object's spec and managedFields, read at v1; the group's name
    replaced by G."""
    seen: list[Any] = []

    async def read() -> JSON:
        result = await stack.kubectl(
            "get", f"images.v1.{group}", "owned", "-o", "json", "--show-managed-fields"
        )
        obj: JSON = result.json()
        return obj

    async def step(version: str, manager: str, spec: JSON, *flags: str) -> None:
        obj = {
            "apiVersion": f"{group}/{version}",
            "kind": "Image",
            "metadata": {"name": "owned", "namespace": "default"},
            "spec": spec,
        }
        result = await stack.kubectl(
            "apply",
            "--server-side",
            f"--field-manager={manager}",
            *flags,
            "-f",
            "-",
            stdin=json.dumps(obj),
            check=False,
        )
        seen.append((manager, result.returncode, result.stderr.replace(group, "G")))
        now = await read()
        entries = [
            (e["manager"], e["operation"], e["apiVersion"].replace(group, "G"), e["fieldsV1"])
            for e in now["metadata"].get("managedFields", [])
        ]
        seen.append((now["spec"], sorted(entries, key=json.dumps)))

    await step("v1alpha1", "alpha", {"image": "debian", "size": 1})
    # a conflict on the same field under its other name
    await step("v1", "beta", {"baseImage": "alpine"})
    await step("v1", "beta", {"baseImage": "alpine"}, "--force-conflicts")
    # alpha applies without the image it lost: beta's, so it stays
    await step("v1alpha1", "alpha", {"size": 2})
    # beta applies without it: nobody else owns it, so it goes
    await step("v1", "beta", {"size": 2})
    # an update at v1 takes size from both appliers, who own it at their own versions
    patched = await stack.kubectl(
        "patch",
        f"images.v1.{group}",
        "owned",
        "--type=merge",
        "--field-manager=gamma",
        "-p",
        json.dumps({"spec": {"size": 3}}),
    )
    seen.append(patched.returncode)
    now = await read()
    seen.append(sorted(e["manager"] for e in now["metadata"].get("managedFields", [])))
    return seen


async def test_field_ownership_across_versions(stack: Stack, webhook: ConversionWebhook) -> None:
    """Server-side apply's conflicts and pruning compare a manager's fields at the version it
    wrote them, on the object converted there: the same answers as the CRD's, step by step,
    with the webhook and with declarative conversion."""
    kube_group = "ownedcrd.example.com"
    await stack.kubectl("apply", "-f", "-", stdin=json.dumps(crd(kube_group, webhook)))
    await stack.kubectl(
        "wait", "--for=condition=Established", f"crd/images.{kube_group}", "--timeout=60s"
    )
    expected = await ownership_across_versions(stack, kube_group)
    assert expected[2][1] == 1, expected[2]  # beta's first apply conflicts
    assert 'conflict with "alpha": .spec.image' in expected[2][2], expected[2]
    assert expected[-1] == ["gamma"], expected

    hooked = by_webhook(webhook)
    for group, conversion in (
        ("ownedhook.example.com", hooked),
        ("owneddecl.example.com", DECLARATIVE),
    ):
        await apply(stack, definition(group, conversion))
        assert await ownership_across_versions(stack, group) == expected, group


async def _watch_through_failure(
    stack: Stack, webhook: ConversionWebhook, group: str, seconds: int
) -> tuple[list[JSON], float]:
    """A watch at v1 (the webhook's side) for `seconds`, over a write made while the webhook
    fails: its events, and how long the stream lasted."""
    created = await stack.kubectl(
        "create", "-f", "-", "-o", "json", stdin=image(group, "watched", "v1alpha1", "debian")
    )
    rv = created.json()["metadata"]["resourceVersion"]
    async with await KubeClient.connect(stack.control_plane.kubeconfig) as client:
        webhook.fail = "the converter is broken"
        try:
            await stack.kubectl(
                "patch",
                f"images.v1alpha1.{group}",
                "watched",
                "--type=merge",
                "-p",
                '{"spec":{"size":2}}',
            )
            began = asyncio.get_running_loop().time()
            response = await client._send(
                "GET",
                f"/apis/{group}/v1/namespaces/default/images",
                params={"watch": "1", "resourceVersion": rv, "timeoutSeconds": str(seconds)},
                body=None,
                content_type="application/json",
                accept="application/json",
                timeout=30,
            )
            async with response:
                raw = (await response.read()).decode()
            lasted = asyncio.get_running_loop().time() - began
        finally:
            webhook.fail = None
    return [json.loads(line) for line in raw.splitlines() if line.strip()], lasted


async def test_a_failing_webhook_in_a_watch_is_an_error_event_where_a_crd_drops_it(
    stack: Stack, webhook: ConversionWebhook
) -> None:
    """A known, deliberate difference: kube-apiserver drops the event it cannot convert and
    keeps the watch open (the client never hears of that change: its next revisions move
    past it); the gateway sends the failure as an ERROR event and ends the watch, so that
    client-go lists again once the webhook is back. Pinned: this fails when kube changes."""
    kube_group = "watchcrd.example.com"
    await stack.kubectl("apply", "-f", "-", stdin=json.dumps(crd(kube_group, webhook)))
    await stack.kubectl(
        "wait", "--for=condition=Established", f"crd/images.{kube_group}", "--timeout=60s"
    )
    events, lasted = await _watch_through_failure(stack, webhook, kube_group, 4)
    assert events == []  # dropped
    assert lasted >= 3.5  # and the watch open until its timeout

    group = "watchhook.example.com"
    await apply(stack, definition(group, by_webhook(webhook)))
    events, lasted = await _watch_through_failure(stack, webhook, group, 120)
    assert [e["type"] for e in events] == ["ERROR"]
    assert events[0]["object"]["code"] == 500
    assert events[0]["object"]["message"] == (
        f"conversion webhook for {group}/v1alpha1, Kind=Image failed: the converter is broken"
    )
    assert lasted < 60  # ended there, long before its timeout
