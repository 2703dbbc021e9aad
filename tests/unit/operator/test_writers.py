"""Which APIServices the writers delete, against a recording stand-in for kube-apiserver."""

from __future__ import annotations

from typing import Any, cast

from annex_core.kube import KubeClient
from annex_operator import writers

GROUP = "widgets.example.com"
OURS = {"app.kubernetes.io/managed-by": "kube-annex", "annex.dev/api-definition": GROUP}


def _svc(name: str, labels: dict[str, str] | None = None) -> dict[str, Any]:
    return {"metadata": {"name": name, "labels": labels or {}}}


class RecordingApi:
    """Answers every list with `listing`; records the lists and deletions asked for."""

    def __init__(self, listing: list[dict[str, Any]]) -> None:
        self.listing = listing
        self.lists: list[dict[str, Any]] = []
        self.deleted: list[str] = []

    async def get(self, path: str, **params: Any) -> dict[str, Any]:
        self.lists.append(params)
        return {"items": self.listing}

    async def delete(self, path: str, **options: Any) -> None:
        self.deleted.append(path)


def _client(api: RecordingApi) -> KubeClient:
    return cast(KubeClient, api)


def _path(name: str) -> str:
    return f"/apis/apiregistration.k8s.io/v1/apiservices/{name}"


async def test_without_a_listing_the_definitions_apiservices_are_listed_by_label() -> None:
    api = RecordingApi([_svc(f"v1.{GROUP}", OURS), _svc(f"v2.{GROUP}", OURS)])

    deleted = await writers.delete_apiservices(_client(api), GROUP, keep={f"v2.{GROUP}"})

    selector = f"annex.dev/api-definition={GROUP},app.kubernetes.io/managed-by=kube-annex"
    assert api.lists == [{"labelSelector": selector}]
    assert deleted == [f"v1.{GROUP}"]
    assert api.deleted == [_path(f"v1.{GROUP}")]


async def test_a_given_listing_is_filtered_not_fetched_again() -> None:
    other = {**OURS, "annex.dev/api-definition": "other.example.com"}
    existing = [
        _svc("v1.apps"),
        _svc(f"v1.{GROUP}", OURS),
        _svc(f"v2.{GROUP}", OURS),
        _svc(f"v3.{GROUP}", {"annex.dev/api-definition": GROUP}),  # not managed by us
        _svc("v1.other.example.com", other),
    ]
    api = RecordingApi([])

    deleted = await writers.delete_apiservices(
        _client(api), GROUP, keep={f"v2.{GROUP}"}, existing=existing
    )

    assert api.lists == []
    assert deleted == [f"v1.{GROUP}"]
    assert api.deleted == [_path(f"v1.{GROUP}")]
