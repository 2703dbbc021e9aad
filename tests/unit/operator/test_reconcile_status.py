"""The status computations of the reconciler (pure parts)."""

from __future__ import annotations

import datetime
from typing import Any

from annex_operator import conditions as cond
from annex_operator.reconcile import (
    available_status,
    next_status,
    not_accepted_status,
)
from annex_operator.status import _with_removals
from tests.unit.operator import samples

T0 = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
T1 = T0 + datetime.timedelta(hours=1)


def _established(generation: int = 3) -> dict[str, Any]:
    obj = samples.body(generation=generation)
    obj["status"] = next_status(
        obj,
        [cond.names_accepted(), cond.established(), cond.available([])],
        generation=generation,
        now=T0,
        served_versions=["v1"],
    )
    return obj


def test_next_status_sets_generation_versions_and_conditions() -> None:
    status = _established()["status"]
    assert status["observedGeneration"] == 3
    assert status["servedVersions"] == ["v1"]
    assert [(c["type"], c["status"]) for c in status["conditions"]] == [
        ("NamesAccepted", "True"),
        ("Established", "True"),
        ("Available", "Unknown"),
    ]
    assert all(c["observedGeneration"] == 3 for c in status["conditions"])


def test_reconciling_again_changes_nothing() -> None:
    obj = _established()
    again = next_status(
        obj,
        [cond.names_accepted(), cond.established(), cond.available([])],
        generation=3,
        now=T1,
        served_versions=["v1"],
    )
    assert again == obj["status"]


def test_never_established_definition_that_is_invalid() -> None:
    obj = samples.body()
    status = not_accepted_status(obj, cond.invalid_definition(["x: bad"]), generation=3, now=T0)
    by_type = {c["type"]: c for c in status["conditions"]}
    assert by_type["NamesAccepted"]["reason"] == "InvalidDefinition"
    assert by_type["Established"]["status"] == "False"
    assert "servedVersions" not in status


def test_established_definition_that_becomes_invalid_keeps_its_registration() -> None:
    obj = _established()
    status = not_accepted_status(obj, cond.group_conflict(["CRD x"]), generation=4, now=T1)
    by_type = {c["type"]: c for c in status["conditions"]}
    assert by_type["NamesAccepted"]["status"] == "False"
    assert by_type["NamesAccepted"]["observedGeneration"] == 4
    assert by_type["Established"]["status"] == "True"
    assert status["servedVersions"] == ["v1"]


def test_available_status_keeps_the_observed_generation() -> None:
    obj = _established(generation=3)
    obj["metadata"]["generation"] = 4  # a newer spec, not reconciled yet
    failing = samples.apiservice("v1.g", available="False", reason="FailedDiscoveryCheck")
    status = available_status(obj, [failing], now=T1)
    available = status["conditions"][-1]
    assert (available["status"], available["reason"]) == ("False", "FailedDiscoveryCheck")
    assert available["observedGeneration"] == 3
    assert status["observedGeneration"] == 3


def test_merge_patch_removes_dropped_fields() -> None:
    assert _with_removals({"a": 1, "b": 2}, {"a": 3}) == {"a": 3, "b": None}
