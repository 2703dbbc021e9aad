"""Checks against the cluster that `apidef.parse` cannot make: who else serves the group.

Pure: the reconciler fetches the CRDs and APIServices and passes them in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from annex_operator.manifests import definition_name_of


def group_conflicts(
    group: str,
    definition_name: str,
    crd_names: Iterable[str],
    apiservices: Iterable[Mapping[str, Any]],
) -> list[str]:
    """Why `group` cannot be served by this ApiDefinition; empty when nothing else claims it.

    Each group-version belongs to exactly one backend in kube-apiserver: a CRD in the group,
    or an APIService for it that is not ours, would fight ours for the URL space.
    """
    # A CRD is named <plural>.<group>, so names alone say which group each serves.
    reasons = [
        f'CustomResourceDefinition "{name}" serves group "{group}"'
        for name in crd_names
        if name.partition(".")[2] == group
    ]
    for svc in apiservices:
        if svc.get("spec", {}).get("group") != group:
            continue
        labels = svc.get("metadata", {}).get("labels") or {}
        ours = definition_name_of(svc) == definition_name
        # CRDs get APIServices registered automatically; the CRD is already reported.
        automanaged = labels.get("kube-aggregator.kubernetes.io/automanaged") == "true"
        if not ours and not (automanaged and reasons):
            reasons.append(f'APIService "{svc["metadata"]["name"]}" is not managed by kube-annex')
    return reasons
