"""kubectl, write and read commands, against an annex resource and a CRD of the same schema.

One kube-apiserver serves both: `images.crdvs.test` from a CustomResourceDefinition (the
reference behaviour) and `images.annex.test` from an ApiDefinition through the gateway. Each
case runs the same kubectl session against both, in its own namespace; the transcripts
(exit codes, stdout, stderr; `-o json` objects including managedFields where shown) must be
equal once the group name, uids, resourceVersions and timestamps are normalised
(see kubectl_matrix.Normaliser).

A difference we accept is listed in KNOWN_DIFFERENCES, pinned to the steps and to what the
gateway prints there: the case fails if the difference disappears or changes, so the list
stays honest.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial

import pytest
import pytest_asyncio

from annex_controlplane import ControlPlane
from tests.e2e.kubectl_images import (
    ANNEX_GROUP,
    CRD_GROUP,
    VERSION,
    api_definition,
    custom_resource_definition,
)
from tests.e2e.kubectl_matrix import (
    Case,
    Outcome,
    Target,
    check_baseline,
    diff,
    run_case,
    transcript,
)
from tests.e2e.kubectl_read_cases import READ_CASES
from tests.e2e.kubectl_watch_cases import WATCH_CASES
from tests.e2e.kubectl_write_cases import WRITE_CASES
from tests.helpers import Kubectl, eventually
from tests.stack import running_stack, wait_available

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


@dataclass(frozen=True)
class KnownDifference:
    """A difference we accept, pinned: at each listed step the gateway's output must still
    differ from the CRD's, exit with `rc` and contain `says`; every other step must match."""

    reason: str
    steps: dict[int, tuple[int, str]]


# Every difference the matrix once pinned is gone; a new one is listed here with its reason.
KNOWN_DIFFERENCES: dict[str, KnownDifference] = {}


@dataclass(frozen=True)
class Targets:
    crd: Target
    annex: Target
    kubectl: Kubectl


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def targets(
    control_plane: ControlPlane, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Targets]:
    """The CRD and the ApiDefinition of the same schema, both served, discovered and in the
    OpenAPI kubectl explains from."""
    work = tmp_path_factory.mktemp("kubectl")
    async with running_stack(control_plane, work) as stack:
        kubectl = stack.kubectl
        await kubectl("apply", "-f", "-", stdin=json.dumps(custom_resource_definition()))
        await kubectl("apply", "-f", "-", stdin=json.dumps(api_definition()))
        await kubectl(
            "wait", "--for=condition=Established", f"crd/images.{CRD_GROUP}", "--timeout=60s"
        )
        await wait_available(kubectl, f"{VERSION}.{ANNEX_GROUP}")
        pair = Targets(
            crd=Target("crd", CRD_GROUP, VERSION, control_plane.kubeconfig, work / "cache-crd"),
            annex=Target(
                "annex", ANNEX_GROUP, VERSION, control_plane.kubeconfig, work / "cache-annex"
            ),
            kubectl=kubectl,
        )
        for target in (pair.crd, pair.annex):
            await eventually(
                partial(known_to_kubectl, target),
                timeout=90,
                what=f"kubectl to discover and explain {target.resource}",
            )
        try:
            yield pair
        finally:
            await kubectl("delete", "crd", f"images.{CRD_GROUP}", "--wait=false", check=False)


async def known_to_kubectl(target: Target) -> bool:
    kubectl = Kubectl(target.kubeconfig, target.cache_dir)
    for args in (
        ("get", target.resource, "-A"),
        ("explain", "images", f"--api-version={target.api_version}"),
    ):
        if (await kubectl(*args, check=False)).returncode != 0:
            return False
    return True


@pytest.mark.parametrize("case", WRITE_CASES + READ_CASES + WATCH_CASES, ids=lambda c: c.name)
async def test_kubectl_as_for_a_crd(case: Case, targets: Targets) -> None:
    for namespace in case.namespaces:
        await targets.kubectl("create", "namespace", namespace)
    crd, annex = await asyncio.gather(run_case(case, targets.crd), run_case(case, targets.annex))
    print(f"--- crd ---\n{transcript(crd)}\n--- annex ---\n{transcript(annex)}")
    problems = check_baseline(case, crd)
    assert not problems, "the CRD baseline does not do what the case expects:\n" + "\n".join(
        problems
    )
    known = KNOWN_DIFFERENCES.get(case.name)
    if known is None:
        if crd != annex:
            pytest.fail(mismatch(crd, annex), pytrace=False)
        return
    assert_known_difference(case, known, crd, annex)


def mismatch(crd: list[Outcome], annex: list[Outcome]) -> str:
    steps = [
        f"[{i}] {c.step}: crd exit {c.rc}, annex exit {a.rc}"
        for i, (c, a) in enumerate(zip(crd, annex, strict=True))
        if c != a
    ]
    return "annex differs from the CRD at\n  " + "\n  ".join(steps) + "\n" + diff(crd, annex)


def assert_known_difference(
    case: Case, known: KnownDifference, crd: list[Outcome], annex: list[Outcome]
) -> None:
    problems = []
    for i, (c, a) in enumerate(zip(crd, annex, strict=True)):
        if i not in known.steps:
            if c != a:
                problems.append(f"[{i}] differs, and is not a known difference")
            continue
        rc, says = known.steps[i]
        if c == a:
            problems.append(
                f"[{i}] the known difference is gone ({known.reason}): "
                f"remove it from KNOWN_DIFFERENCES"
            )
        elif a.rc != rc or says not in a.stdout + a.stderr:
            problems.append(
                f"[{i}] the known difference changed ({known.reason}): "
                f"expected exit {rc} saying {says!r}"
            )
    if problems:
        pytest.fail("\n".join(problems) + "\n" + diff(crd, annex), pytrace=False)
