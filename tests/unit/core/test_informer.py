"""The informer's list/watch/relist logic, with a scripted stand-in for kube-apiserver.

Pure logic: what it does on each kind of event. Its behaviour against the real
kube-apiserver is covered in tests/integration/test_kube_client.py.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from typing import Any

from annex_core.informer import Informer
from annex_core.kube import KubeApiError
from tests.helpers import eventually


def cm(name: str, rv: str, value: str = "") -> dict[str, Any]:
    return {
        "metadata": {"name": name, "namespace": "ns", "resourceVersion": rv},
        "data": {"v": value},
    }


class ScriptedApi:
    """Answers lists and watches from scripts; records what the informer asked for."""

    def __init__(
        self, lists: list[dict[str, Any]], watches: list[list[dict[str, Any]] | Exception]
    ) -> None:
        self.lists, self.watches = lists, watches
        self.watched_from: list[str] = []
        self.listed = 0

    async def get(self, path: str, **params: Any) -> dict[str, Any]:
        self.listed += 1
        return self.lists.pop(0)

    async def watch(
        self, path: str, *, resource_version: str, **params: Any
    ) -> AsyncIterator[dict[str, Any]]:
        self.watched_from.append(resource_version)
        script = self.watches.pop(0) if self.watches else []
        if isinstance(script, Exception):
            raise script
        for event in script:
            yield event
        if not self.watches:
            await asyncio.Event().wait()  # nothing more scripted: hang like an idle watch


async def _at_least(items: list[Any], count: int) -> bool:
    return len(items) >= count


async def run_until(api: ScriptedApi, snapshots: list[Mapping[str, Any]], count: int) -> None:
    informer = Informer(api, "/api/v1/configmaps", snapshots.append, retry_delay=0)  # type: ignore[arg-type]
    task = asyncio.create_task(informer.run())
    try:
        await eventually(
            lambda: _at_least(snapshots, count), timeout=5, interval=0, what="snapshots"
        )
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_list_then_watch_from_the_lists_revision() -> None:
    api = ScriptedApi(
        [{"metadata": {"resourceVersion": "10"}, "items": [cm("a", "5")]}],
        [
            [
                {"type": "ADDED", "object": cm("b", "11")},
                {"type": "MODIFIED", "object": cm("a", "12", "x")},
                {"type": "DELETED", "object": cm("b", "13")},
            ]
        ],
    )
    snapshots: list[Mapping[str, Any]] = []
    await run_until(api, snapshots, 4)
    assert api.watched_from == ["10"]
    assert [sorted(s) for s in snapshots] == [
        ["ns/a"],
        ["ns/a", "ns/b"],
        ["ns/a", "ns/b"],
        ["ns/a"],
    ]
    assert snapshots[2]["ns/a"]["data"] == {"v": "x"}


async def test_watch_resumes_from_the_last_revision_including_bookmarks() -> None:
    api = ScriptedApi(
        [{"metadata": {"resourceVersion": "10"}, "items": []}],
        [
            [
                {"type": "ADDED", "object": cm("a", "11")},
                {"type": "BOOKMARK", "object": {"metadata": {"resourceVersion": "20"}}},
            ],
            [],
        ],
    )
    snapshots: list[Mapping[str, Any]] = []
    await run_until(api, snapshots, 2)
    await eventually(
        lambda: _at_least(api.watched_from, 2), timeout=5, interval=0, what="a re-watch"
    )
    assert api.watched_from == ["10", "20"]  # the stream ended: re-watch, no relist
    assert api.listed == 1


async def test_an_error_event_relists() -> None:
    gone = {"type": "ERROR", "object": {"kind": "Status", "code": 410, "reason": "Expired"}}
    api = ScriptedApi(
        [
            {"metadata": {"resourceVersion": "10"}, "items": [cm("a", "5")]},
            {"metadata": {"resourceVersion": "30"}, "items": [cm("c", "29")]},
        ],
        [[gone], []],
    )
    snapshots: list[Mapping[str, Any]] = []
    await run_until(api, snapshots, 2)
    assert api.listed == 2
    assert list(snapshots[-1]) == ["ns/c"]  # the relist replaces the whole state


async def test_a_410_response_and_other_failures_relist() -> None:
    api = ScriptedApi(
        [
            {"metadata": {"resourceVersion": "10"}, "items": []},
            {"metadata": {"resourceVersion": "20"}, "items": []},
            {"metadata": {"resourceVersion": "30"}, "items": [cm("z", "30")]},
        ],
        [KubeApiError(410, {"reason": "Expired"}), ConnectionResetError("gone"), []],
    )
    snapshots: list[Mapping[str, Any]] = []
    await run_until(api, snapshots, 3)
    assert api.listed == 3
    assert api.watched_from[:2] == ["10", "20"]
