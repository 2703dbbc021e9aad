from __future__ import annotations

from typing import Any

from annex_operator.validation import group_conflicts

GROUP = "widgets.example.com"
OURS = {"app.kubernetes.io/managed-by": "kube-annex", "annex.dev/api-definition": GROUP}


def _svc(name: str, group: str, labels: dict[str, str] | None = None) -> dict[str, Any]:
    return {"metadata": {"name": name, "labels": labels or {}}, "spec": {"group": group}}


def test_no_conflict() -> None:
    crds = ["things.other.io", f"things.sub.{GROUP}"]  # a subdomain is another group
    svcs = [_svc("v1.apps", "apps"), _svc(f"v1.{GROUP}", GROUP, OURS)]
    assert group_conflicts(GROUP, GROUP, crds, svcs) == []


def test_crd_in_the_group_conflicts() -> None:
    crd = f"widgets.{GROUP}"
    auto = _svc(f"v1.{GROUP}", GROUP, {"kube-aggregator.kubernetes.io/automanaged": "true"})
    reasons = group_conflicts(GROUP, GROUP, [crd], [auto])
    assert reasons == [f'CustomResourceDefinition "widgets.{GROUP}" serves group "{GROUP}"']


def test_foreign_apiservice_conflicts() -> None:
    foreign = _svc(f"v1.{GROUP}", GROUP, {"app.kubernetes.io/managed-by": "someone"})
    reasons = group_conflicts(GROUP, GROUP, [], [foreign])
    assert reasons == [f'APIService "v1.{GROUP}" is not managed by kube-annex']


def test_apiservice_of_another_definition_conflicts() -> None:
    other = {**OURS, "annex.dev/api-definition": "other"}
    assert group_conflicts(GROUP, GROUP, [], [_svc(f"v1.{GROUP}", GROUP, other)])
