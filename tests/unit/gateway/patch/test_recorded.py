"""Replays requests recorded against a real kube-apiserver (fixtures/kube_apiserver_ssa.json,
see its _note) through FieldManager and compares managedFields byte for byte (key order
included), the applied objects, and the errors.

Each step starts from the object kube-apiserver returned for the step before, so one
divergence does not cascade. For update-style requests (create, PUT, merge patch) the object
handed to FieldManager.update is kube's result without managedFields, plus the managedFields
the request carried (a PUT's) or the live ones (a patch's): what the field manager saw there.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from annex_gateway.apierrors import StatusError
from annex_gateway.patch.apply import FieldManager

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "kube_apiserver_ssa.json").read_text())

# Rejected by kube-apiserver after the field manager (schema validation, 422): the field
# manager itself accepts these.
VALIDATED_LATER = {("widgets", 16), ("things", 11)}


def _steps() -> list[Any]:
    out = []
    for sc in FIXTURE["scenarios"]:
        live = None
        for i, step in enumerate(sc["steps"]):
            out.append(pytest.param(sc, i, live, step, id=f"{sc['name']}-{i}-{step['manager']}"))
            if step["status"] < 300:
                live = step["result"]
    return out


def _manager(crd: dict[str, Any]) -> FieldManager:
    version = crd["spec"]["versions"][0]
    reset = {"": ("status",), "status": ("metadata", "spec")} if "subresources" in version else None
    return FieldManager(
        version["schema"]["openAPIV3Schema"],
        f"{crd['spec']['group']}/{version['name']}",
        reset,
        kind=crd["spec"]["names"]["kind"],
    )


def _now(step: dict[str, Any]) -> str:
    """The time kube stamped on the manager this step touched: the newest in the result."""
    if step["status"] >= 300:
        return "2000-01-01T00:00:00Z"
    times = [e.get("time", "") for e in step["result"]["metadata"].get("managedFields", [])]
    return max(times, default="2000-01-01T00:00:00Z")


def _without_mf(obj: dict[str, Any]) -> dict[str, Any]:
    obj = copy.deepcopy(obj)
    obj.get("metadata", {}).pop("managedFields", None)
    return obj


async def _run(fm: FieldManager, live: Any, step: dict[str, Any]) -> dict[str, Any] | StatusError:
    sub = step.get("subresource", "")
    try:
        if step["kind"] == "apply":
            return await fm.apply(
                live,
                step["body"],
                step["manager"],
                force=bool(step.get("force")),
                subresource=sub,
                now=_now(step),
            )
        new = _without_mf(step["result"])
        sent = (step["body"] or {}).get("metadata", {})
        if step["kind"] == "put" and "managedFields" in sent:
            new["metadata"]["managedFields"] = sent["managedFields"]
        elif live is not None and "managedFields" in live["metadata"]:
            new["metadata"]["managedFields"] = live["metadata"]["managedFields"]
        return await fm.update(live, new, step["manager"], subresource=sub, now=_now(step))
    except StatusError as e:
        return e


@pytest.mark.parametrize(("scenario", "index", "live", "step"), _steps())
async def test_matches_kube_apiserver(
    scenario: dict[str, Any], index: int, live: Any, step: dict[str, Any]
) -> None:
    fm = _manager(scenario["crd"])
    got = await _run(fm, live, step)
    exp = step["result"]
    if step["status"] >= 300 and (scenario["name"], index) not in VALIDATED_LATER:
        assert isinstance(got, StatusError), "kube-apiserver refused this"
        if step["status"] == 500:
            # kube-apiserver's plain error for a configuration it cannot make typed: the
            # gateway answers it 400, with the same message (never a 5xx for input).
            exp = {**exp, "code": 400, "reason": "BadRequest"}
        assert (got.code, got.reason, got.message) == (
            exp["code"],
            exp.get("reason", ""),
            exp["message"],
        )
        assert got.details == exp.get("details")
        assert got.status() == exp
        return
    assert not isinstance(got, StatusError), got.message
    if step["status"] >= 300:
        return
    assert json.dumps(got["metadata"].get("managedFields")) == json.dumps(
        exp["metadata"].get("managedFields")
    )
    if step["kind"] == "apply":
        sub = step.get("subresource", "")
        for key in ("spec", "status"):
            if key == "status" and not sub and fm._updater("").reset is not None:
                continue  # the main resource's status is reset later, by the strategy
            assert got.get(key) == exp.get(key), key
        for key in ("labels", "annotations"):
            assert got["metadata"].get(key) == exp["metadata"].get(key), key
