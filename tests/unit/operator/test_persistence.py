from __future__ import annotations

import copy
from typing import Any, cast

import kopf

from annex_operator import persistence
from tests.unit.operator import samples


def _essence(raw: dict[str, Any]) -> kopf.BodyEssence:
    return persistence.diffbase_storage().build(body=kopf.Body(cast(kopf.RawBody, raw)))


def test_digest_follows_the_spec_only() -> None:
    raw = samples.body()
    base = _essence(raw)
    assert set(base) == {"sha256"}  # a digest, however large the schemas are

    with_status = copy.deepcopy(raw)
    with_status["status"] = {"observedGeneration": 3}
    with_status["metadata"]["resourceVersion"] = "42"
    with_status["metadata"]["annotations"] = {
        "annex.dev/reconcile": '{"retries": 1}',
        "annex.dev/last-handled-configuration": "x",
    }
    assert _essence(with_status) == base

    changed = copy.deepcopy(raw)
    changed["spec"]["resources"][0]["versions"][0]["served"] = False
    assert _essence(changed) != base


def test_digest_is_stored_and_read_back() -> None:
    storage = persistence.diffbase_storage()
    body = kopf.Body(cast(kopf.RawBody, samples.body()))
    patch = kopf.Patch()
    essence = storage.build(body=body)
    storage.store(body=body, patch=patch, essence=essence)
    annotations = patch["metadata"]["annotations"]
    assert len(annotations["annex.dev/last-handled-configuration"]) < 100
    raw: dict[str, Any] = {**samples.body(), "metadata": {"annotations": annotations}}
    stored = kopf.Body(cast(kopf.RawBody, raw))
    assert storage.fetch(body=stored) == essence
