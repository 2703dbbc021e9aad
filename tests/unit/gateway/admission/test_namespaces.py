"""NamespaceLifecycle: creates in missing or terminating namespaces are refused."""

from __future__ import annotations

from typing import Any

import pytest

from annex_gateway.admission.namespaces import check_create
from annex_gateway.apierrors import StatusError

NAMESPACES: dict[str, dict[str, Any]] = {
    "live": {"metadata": {"name": "live"}, "status": {"phase": "Active"}},
    "doomed": {
        "metadata": {"name": "doomed", "deletionTimestamp": "2026-01-01T00:00:00Z"},
        "status": {"phase": "Terminating"},
    },
}


RESOURCE = ("images.example.com", "images")


async def lookup(name: str) -> dict[str, Any] | None:
    return NAMESPACES.get(name)


async def test_an_active_namespace_admits() -> None:
    await check_create("live", lookup, *RESOURCE, "x")


async def test_no_lookup_or_no_namespace_admits() -> None:
    await check_create(
        "anything", None, *RESOURCE, "x"
    )  # annex serve: there are no namespaces to check
    await check_create("", lookup, *RESOURCE, "x")  # cluster-scoped objects


async def test_a_missing_namespace_is_404() -> None:
    with pytest.raises(StatusError) as caught:
        await check_create("nowhere", lookup, *RESOURCE, "x")
    status = caught.value.status()
    assert (status["code"], status["reason"]) == (404, "NotFound")
    assert status["message"] == 'namespaces "nowhere" not found'
    assert status["details"] == {"name": "nowhere", "kind": "namespaces"}


async def test_a_terminating_namespace_is_403_for_the_object() -> None:
    """admission.NewForbidden: the resource and the object's name, `%q`-quoted, the
    NamespaceTerminating cause added."""
    with pytest.raises(StatusError) as caught:
        await check_create("doomed", lookup, *RESOURCE, 'a"b')
    status = caught.value.status()
    assert (status["code"], status["reason"]) == (403, "Forbidden")
    assert status["message"] == (
        'images.images.example.com "a\\"b" is forbidden: unable to create new content in '
        "namespace doomed because it is being terminated"
    )
    assert status["details"] == {
        "name": 'a"b',
        "group": "images.example.com",
        "kind": "images",
        "causes": [
            {
                "reason": "NamespaceTerminating",
                "message": "namespace doomed is being terminated",
                "field": "metadata.namespace",
            }
        ],
    }
