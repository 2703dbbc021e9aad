"""The schema machinery of the gateway against the CRD's: a differential suite.

The same schemas (tests/differential/schemas.py) are served in one kube-apiserver by
CustomResourceDefinitions (`*.crdvs.test`, the reference) and by ApiDefinitions through the
gateway (`*.annex.test`). Each case (tests/differential/cases.py) runs its steps against both,
through kube-apiserver, raw HTTP or kubectl: the status code, the Status (reason, message,
every cause's reason, field and message, in order), the Warning headers, the object answered
and, last, the object as stored must be equal once back-end specifics are normalised
(runner.Normaliser).

All selected cases run once, concurrently, in a module fixture; each is then reported by its
own test, so `pytest tests/differential -k cel-transition` runs and reports only those.

A difference we accept is listed in KNOWN_DIFFERENCES with its reason, and pinned: the case
fails if it starts to match, so the list stays honest.

`DIFFERENTIAL_REPORT=<file>` writes a summary of every difference by category, with each
case's diff; `DIFFERENTIAL_RECORDS=<file>` every record (to compare two runs).
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import re
import ssl
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from annex_controlplane import ControlPlane
from tests.differential.cases import BY_ID
from tests.differential.model import Kubectl
from tests.differential.runner import (
    Record,
    Target,
    baseline_problems,
    differences,
    render_diff,
    run_case,
)
from tests.differential.schemas import (
    ANNEX_SUFFIX,
    CRD_SUFFIX,
    FAMILIES,
    RESOURCES,
    api_definitions,
    apiservices,
    custom_resource_definitions,
    group,
)
from tests.helpers import Kubectl as KubectlCommand
from tests.helpers import eventually
from tests.stack import running_stack, wait_available

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

NAMESPACE = "differential"
# Cases run at once (each runs its two back ends side by side); kubectl cases are CPU-bound.
CONCURRENCY = 12
KUBECTL_CONCURRENCY = 3


@dataclass(frozen=True)
class KnownDifference:
    """A difference we accept, pinned: `expected` turns the CRD's record into what the gateway
    gives instead; the case fails if the gateway gives anything else (every other difference
    still shows) and if it gives exactly what the CRD gives (remove the entry)."""

    reason: str
    expected: Callable[[Record], Record]


def nearest_4xx(*steps: int) -> Callable[[Record], Record]:
    """Where the CRD answers 500 to a client's mistake, the gateway answers 400 BadRequest with
    the same message (docs/architecture.md: "the gateway answers the nearest 4xx it gives")."""

    def expected(crd: Record) -> Record:
        out = copy.deepcopy(crd)
        for i in steps:
            step = out["steps"][i]
            assert step["code"] == 500, f"[{i}] the CRD no longer answers 500: {step['code']}"
            step["code"] = step["body"]["code"] = 400
            step["body"]["reason"] = "BadRequest"
        return out

    return expected


def nearest_4xx_everywhere(crd: Record, annex: Record) -> Record:
    """Every step where the CRD answers 500, as the gateway answers it: 400 BadRequest with the
    same message (the policy nearest_4xx pins case by case, for generated cases).

    An applied configuration the schema cannot type lists its errors in the order Go iterates
    the configuration's maps, and stops at the first undeclared field of a map: kube-apiserver
    lists them in a random order, some or all. The gateway lists all, in order; its list must
    hold every error the CRD's does."""
    out = copy.deepcopy(crd)
    for step, theirs in zip(out["steps"], annex["steps"], strict=True):
        body = step.get("body")
        if step.get("code") != 500 or not isinstance(body, dict) or body.get("kind") != "Status":
            continue
        step["code"] = body["code"] = 400
        body["reason"] = "BadRequest"
        ours = theirs.get("body") if isinstance(theirs, dict) else None
        message = str(body.get("message", ""))
        other = str(ours.get("message", "")) if isinstance(ours, dict) else ""
        if message.startswith(UNTYPED_APPLY) and _errors_within(message, other):
            body["message"] = other
    return out


UNTYPED_APPLY = "failed to create typed patch object ("


def _errors_within(crd: str, annex: str) -> bool:
    """Whether the gateway's message names the same object and holds every error the CRD's
    lists (`...): errors:\n  a\n  b`, or `...): a` for one)."""

    def split(message: str) -> tuple[str, set[str]]:
        head, _, errors = message.partition("): ")
        lines = errors.removeprefix("errors:\n").split("\n")
        return head, {line.strip() for line in lines}

    (crd_head, crd_errors), (annex_head, annex_errors) = split(crd), split(annex)
    return crd_head == annex_head and crd_errors <= annex_errors


def by_policy(case_id: str, crd: Record, annex: Record) -> Record:
    """What the gateway must answer where a generated case's CRD answers 500: the policy, not
    a list of cases, says what differs there."""
    return nearest_4xx_everywhere(crd, annex) if BY_ID[case_id].category == "fuzz" else crd


def text_replaced(old: str, new: str) -> Callable[[Record], Record]:
    """Every string of the CRD's record with `old` replaced by `new`."""

    def replaced(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(old, new)
        if isinstance(value, list):
            return [replaced(v) for v in value]
        if isinstance(value, dict):
            return {k: replaced(v) for k, v in value.items()}
        return value

    return replaced


def kubectl_says(step: int, crd_says: str, gateway_says: str) -> Callable[[Record], Record]:
    """kubectl prints `gateway_says` where it prints `crd_says` for the CRD (in stderr)."""

    def expected(crd: Record) -> Record:
        out = copy.deepcopy(crd)
        stderr = out["steps"][step]["stderr"]
        assert crd_says in stderr, f"[{step}] the CRD's kubectl no longer says {crd_says!r}"
        out["steps"][step]["stderr"] = stderr.replace(crd_says, gateway_says)
        return out

    return expected


NEAREST_4XX = (
    "kube-apiserver answers 500 to an applied configuration that does not fit the schema; "
    "the gateway answers 400 (docs/architecture.md)"
)


def answered(step: int, code: int, reason: str, message: str) -> Callable[[Record], Record]:
    """The gateway answers this Status at `step` where the CRD answers another."""

    def expected(crd: Record) -> Record:
        out = copy.deepcopy(crd)
        body = out["steps"][step]["body"]
        out["steps"][step]["code"] = code
        out["steps"][step]["body"] = {
            **{k: body[k] for k in ("apiVersion", "kind", "metadata", "status")},
            "code": code,
            "reason": reason,
            "message": message,
        }
        return out

    return expected


# case id -> the difference we accept there.
KNOWN_DIFFERENCES: dict[str, KnownDifference] = {
    "meta-create-resource-version": KnownDifference(
        "kube-apiserver answers 500 to a create that sets resourceVersion; the gateway answers "
        "400 with the same message (docs/architecture.md)",
        nearest_4xx(0),
    ),
    "scale-apply": KnownDifference(
        "kube-apiserver answers 500 to any server-side apply of a Scale to a custom resource "
        "(its field manager converts the Scale to the resource's version); the gateway answers "
        "400 with the same message (docs/architecture.md)",
        nearest_4xx(1),
    ),
    "get-metadata-of-list": KnownDifference(
        'a get asking for a PartialObjectMetadataList: kube-apiserver answers 500 "content is '
        'not a list"; the gateway answers the 406 kube gives a list transformation of an '
        "object elsewhere (handlers/response.go asPartialObjectMetadataList)",
        answered(
            1,
            406,
            "NotAcceptable",
            "you requested PartialObjectMetadataList, but the requested object is not a list "
            "(*unstructured.Unstructured)",
        ),
    ),
    "writes-apply-type": KnownDifference(NEAREST_4XX, nearest_4xx(1)),
    "collections-apply-duplicate-set": KnownDifference(NEAREST_4XX, nearest_4xx(0)),
    "collections-apply-map-item-missing-key": KnownDifference(NEAREST_4XX, nearest_4xx(0)),
    **{
        f"fv-{level}-apply-unknown": KnownDifference(NEAREST_4XX, nearest_4xx(0))
        for level in ("strict", "warn", "ignore", "default")
    },
    "scale-merge-replicas-integral-float": KnownDifference(
        "the 422 quotes the patched Scale: kube-apiserver's merge patch keeps the number's text "
        "as the patch wrote it (3.0), the gateway writes the float as Go writes one (3)",
        text_replaced('\\"replicas\\":3.0}', '\\"replicas\\":3}'),
    ),
    "collections-apply-any-dict-then-merge": KnownDifference(
        "kube-apiserver stores an applied object unpruned (inside additionalProperties: true) and "
        "prunes it when read, so the next write, a no-op as read, changes the stored bytes: a new "
        "resourceVersion and a MODIFIED event; the gateway stores the pruned object, and the "
        "no-op stays one",
        lambda crd: json.loads(json.dumps(crd).replace("<rv-3>", "<rv-2>")),
    ),
    "fv-strict-merge-escaped-text": KnownDifference(
        "the 422 quotes the patched object: kube-apiserver's merge patch keeps the patch's text "
        "(a string the client escaped, \\u00e9), the gateway writes the string as Go writes it (é)",
        text_replaced("\\\\u00e9", "é"),
    ),
    "kubectl-apply-server-unknown": KnownDifference(
        NEAREST_4XX, kubectl_says(0, "Error from server: ", "Error from server (BadRequest): ")
    ),
}


@dataclass(frozen=True)
class Served:
    crd: Target
    annex: Target
    report: Path


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def served(
    control_plane: ControlPlane, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Served]:
    """Every schema as a CRD and in an ApiDefinition, served, discovered and explained."""
    work = tmp_path_factory.mktemp("differential")
    async with running_stack(control_plane, work) as stack:
        kubectl = stack.kubectl
        crds = custom_resource_definitions()
        await kubectl(
            "apply",
            "-f",
            "-",
            stdin=json.dumps({"apiVersion": "v1", "kind": "List", "items": crds}),
        )
        await kubectl(
            "apply",
            "-f",
            "-",
            stdin=json.dumps({"apiVersion": "v1", "kind": "List", "items": api_definitions()}),
        )
        await kubectl("create", "namespace", NAMESPACE)
        await kubectl(
            "wait",
            "--for=condition=Established",
            *(f"crd/{c['metadata']['name']}" for c in crds),
            "--timeout=60s",
        )
        await asyncio.gather(*(wait_available(kubectl, name) for name in apiservices()))
        tls = ssl.create_default_context(cafile=str(control_plane.ca_file))
        tls.load_cert_chain(str(control_plane.admin_cert_file), str(control_plane.admin_key_file))

        def target(side: str, suffix: str) -> Target:
            return Target(
                side,
                suffix,
                control_plane.server,
                tls,
                control_plane.kubeconfig,
                work / f"cache-{side}",
                NAMESPACE,
            )

        pair = Served(target("crd", CRD_SUFFIX), target("annex", ANNEX_SUFFIX), work / "report.txt")
        await asyncio.gather(
            *(
                eventually(
                    partial(known_to_kubectl, t), timeout=90, what=f"kubectl to know {t.suffix}"
                )
                for t in (pair.crd, pair.annex)
            )
        )
        try:
            yield pair
        finally:
            await kubectl(
                "delete", "crd", *(c["metadata"]["name"] for c in crds), "--wait=false", check=False
            )


async def known_to_kubectl(target: Target) -> bool:
    """Every resource discovered, and every group-version's OpenAPI there to validate against."""
    kubectl = KubectlCommand(target.kubeconfig, target.cache_dir)
    checks: list[tuple[str, ...]] = [
        ("get", target.resource_arg(r), "-n", NAMESPACE) for r in RESOURCES
    ]
    checks += [
        ("explain", r.plural, f"--api-version={group(r.family, target.suffix)}/{version}")
        for r in RESOURCES.values()
        for version, _ in r.versions
    ]
    results = await asyncio.gather(*(kubectl(*args, check=False) for args in checks))
    return all(r.returncode == 0 for r in results)


@dataclass(frozen=True)
class Outcome:
    crd: Record
    annex: Record
    seconds: float
    error: str = ""  # the case could not be run (a timeout, a broken connection)


def selected_ids(request: pytest.FixtureRequest) -> list[str]:
    """The cases of the tests pytest selected in this module (so -k runs only those)."""
    module = sys.modules[__name__]
    ids = []
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if getattr(item, "module", None) is module and callspec is not None:
            case_id = callspec.params.get("case_id")
            if case_id in BY_ID:
                ids.append(case_id)
    return ids


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def outcomes(request: pytest.FixtureRequest, served: Served) -> dict[str, Outcome]:
    """Every selected case, run once against both back ends."""
    ids = selected_ids(request)
    limit = asyncio.Semaphore(CONCURRENCY)
    kubectl_limit = asyncio.Semaphore(KUBECTL_CONCURRENCY)
    results: dict[str, Outcome] = {}
    started = time.monotonic()

    async def one(case_id: str, session: aiohttp.ClientSession) -> None:
        case = BY_ID[case_id]
        uses_kubectl = any(isinstance(step, Kubectl) for step in case.steps)
        async with limit, kubectl_limit if uses_kubectl else _nothing():
            began = time.monotonic()
            try:
                crd, annex = await asyncio.gather(
                    run_case(case, served.crd, session), run_case(case, served.annex, session)
                )
            except Exception as exc:  # reported by the case's own test, the others go on
                empty: Record = {"steps": [], "stored": {}}
                error = f"{type(exc).__name__}: {exc}"
                results[case_id] = Outcome(empty, empty, time.monotonic() - began, error)
                return
            results[case_id] = Outcome(crd, annex, time.monotonic() - began)

    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        await asyncio.gather(*(one(i, session) for i in ids))
    write_report(served.report, results, time.monotonic() - started)
    return results


class _nothing:
    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> None:
        return None


def write_report(path: Path, results: dict[str, Outcome], seconds: float) -> None:
    """A summary of every difference, by category (also at $DIFFERENTIAL_REPORT if set; the
    records themselves at $DIFFERENTIAL_RECORDS)."""
    differing = {
        i: [o.error] if o.error else differences(by_policy(i, o.crd, o.annex), o.annex)
        for i, o in results.items()
    }
    differing = {i: d for i, d in differing.items() if d}
    known = {i for i in differing if is_known(i, results[i])}
    by_category = Counter(BY_ID[i].category for i in differing if i not in known)
    totals = Counter(BY_ID[i].category for i in results)
    lines = [
        f"{len(results)} cases in {seconds:.1f} s; {len(differing) - len(known)} differ, "
        f"{len(known)} more as KNOWN_DIFFERENCES say"
    ]
    lines += [f"  {c}: {by_category[c]} of {totals[c]} differ" for c in sorted(totals)]
    for case_id, problems in sorted(differing.items()):
        lines.append(f"{case_id}:" + (" (known)" if case_id in known else ""))
        lines += [f"    {p}" for p in problems]
    lines.append("")
    for case_id in sorted(differing):
        outcome = results[case_id]
        lines += [f"=== {case_id}", render_diff(outcome.crd, outcome.annex), ""]
    text = "\n".join(lines)
    path.write_text(text)
    if report := os.environ.get("DIFFERENTIAL_REPORT"):
        Path(report).write_text(text)
    if records := os.environ.get("DIFFERENTIAL_RECORDS"):  # every record, to compare runs
        dump = {i: {"crd": o.crd, "annex": o.annex} for i, o in sorted(results.items())}
        Path(records).write_text(json.dumps(dump, indent=1, sort_keys=True))


def is_known(case_id: str, outcome: Outcome) -> bool:
    """Whether the case differs exactly as KNOWN_DIFFERENCES says it does."""
    known = KNOWN_DIFFERENCES.get(case_id)
    if known is None or outcome.error:
        return False
    try:
        return not differences(known.expected(outcome.crd), outcome.annex)
    except AssertionError:  # the CRD no longer does what the entry transforms
        return False


@pytest.mark.parametrize("case_id", list(BY_ID))
async def test_same_as_crd(case_id: str, outcomes: dict[str, Outcome]) -> None:
    case = BY_ID[case_id]
    outcome = outcomes[case_id]
    if outcome.error:
        pytest.fail(f"the case could not be run: {outcome.error}", pytrace=False)
    transcript = render_diff(outcome.crd, outcome.annex)
    problems = baseline_problems(case, outcome.crd)
    assert not problems, (
        "the CRD does not do what the case expects:\n"
        + "\n".join(problems)
        + ("\n" + json.dumps(outcome.crd, indent=2))
    )
    known = KNOWN_DIFFERENCES.get(case_id)
    expected = by_policy(case_id, outcome.crd, outcome.annex)
    if known is not None:
        if not differences(outcome.crd, outcome.annex):
            pytest.fail(
                f"the known difference is gone ({known.reason}): "
                f"remove {case_id} from KNOWN_DIFFERENCES",
                pytrace=False,
            )
        expected = known.expected(outcome.crd)
        transcript = render_diff(expected, outcome.annex)
    found = differences(expected, outcome.annex)
    if found:
        note = f"besides the known difference ({known.reason}), " if known else ""
        pytest.fail(
            f"{case.doc}\n{note}annex differs from the CRD at\n  "
            + "\n  ".join(found)
            + "\n"
            + transcript,
            pytrace=False,
        )


# -- the OpenAPI documents kube-apiserver publishes for both -------------------------------------


def _neutral_names(document: str, target: Target) -> Any:
    """A document with its group's suffix neutral, in every form it takes: the group, the
    reverse-DNS schema names (`test.crdvs.schemas.v1.Scalar`) and operation ids
    (`listSchemasCrdvsTestV1Scalar...`)."""
    token = target.suffix.split(".")[0]
    text = document.replace(target.suffix, "<suffix>").replace(f".{token}.", ".<suffix>.")
    return json.loads(text.replace(token.capitalize(), "<Suffix>"))


def _json_differences(crd: Any, annex: Any, path: str = "") -> list[str]:
    if type(crd) is not type(annex):
        return [f"{path}: {json.dumps(crd)[:200]} != {json.dumps(annex)[:200]}"]
    if isinstance(crd, dict):
        out = []
        for key in sorted(set(crd) | set(annex)):
            if key not in crd or key not in annex:
                present = "the CRD's" if key in crd else "the gateway's"
                out.append(f"{path}/{key}: only in {present}")
            else:
                out += _json_differences(crd[key], annex[key], f"{path}/{key}")
        return out
    if isinstance(crd, list) and len(crd) == len(annex):
        return [
            d
            for i, (c, a) in enumerate(zip(crd, annex, strict=True))
            for d in _json_differences(c, a, f"{path}[{i}]")
        ]
    return [] if crd == annex else [f"{path}: {json.dumps(crd)[:200]} != {json.dumps(annex)[:200]}"]


async def _get_text(target: Target, path: str, accept: str = "application/json") -> str:
    async with (
        aiohttp.ClientSession() as session,
        session.get(target.server + path, ssl=target.tls, headers={"Accept": accept}) as response,
    ):
        assert response.status == 200, f"{path}: {response.status}"
        return await response.text()


@pytest.mark.parametrize(
    ("family", "version"),
    sorted({(r.family, v) for r in RESOURCES.values() for v, _ in r.versions}),
)
async def test_openapi_v3_same_as_crd(served: Served, family: str, version: str) -> None:
    """/openapi/v3/apis/<group>/<version>: what kubectl explain, client-side validation and
    server-side apply's types read; the gateway's must be the CRDs' document."""
    documents = [
        _neutral_names(
            await _get_text(t, f"/openapi/v3/apis/{group(family, t.suffix)}/{version}"), t
        )
        for t in (served.crd, served.annex)
    ]
    assert not _json_differences(*documents), "\n".join(_json_differences(*documents))


async def test_openapi_v2_same_as_crd(served: Served) -> None:
    """kube-apiserver's /openapi/v2, where the aggregator merges the gateway's document: the
    definitions and paths of the groups, as for the CRDs."""

    def ours(document: dict[str, Any], target: Target) -> Any:
        """The group's part, parameters written out where kube's merge shared them
        (`$ref: #/parameters/...`, the same parameter as the gateway's, written once)."""
        token = f"test.{target.suffix.split('.')[0]}."
        shared = document.get("parameters", {})

        def resolved(value: Any) -> Any:
            if isinstance(value, dict):
                ref = value.get("$ref")
                if isinstance(ref, str) and ref.startswith("#/parameters/"):
                    return shared[ref.removeprefix("#/parameters/")]
                return {k: resolved(v) for k, v in value.items()}
            if isinstance(value, list):
                return [resolved(v) for v in value]
            return value

        return resolved(
            {
                "definitions": {
                    k: v for k, v in document["definitions"].items() if k.startswith(token)
                },
                "paths": {
                    k: v
                    for k, v in document["paths"].items()
                    if any(k.startswith(f"/apis/{group(f, target.suffix)}/") for f in FAMILIES)
                },
            }
        )

    async def merged() -> dict[str, Any] | None:
        """The document once the aggregator holds every one of the gateway's groups."""
        document: dict[str, Any] = json.loads(await _get_text(served.crd, "/openapi/v2"))
        paths = ours(document, served.annex)["paths"]
        groups = {group(f, served.annex.suffix) for f in FAMILIES}
        return document if all(any(f"/{g}/" in p for p in paths) for g in groups) else None

    document = await eventually(
        merged, timeout=90, what="the aggregator to merge the gateway's /openapi/v2"
    )
    crd, annex = (
        _neutral_names(json.dumps(ours(document, t)), t) for t in (served.crd, served.annex)
    )
    assert crd["paths"], "the CRDs' paths are not in kube-apiserver's document"
    found = _json_differences(crd, annex)
    assert not found, "\n".join(found)


# -- discovery -----------------------------------------------------------------------------------

APIDISCOVERY_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"


@pytest.mark.parametrize(
    ("family", "version"),
    sorted({(r.family, v) for r in RESOURCES.values() for v, _ in r.versions}),
)
async def test_group_version_discovery_same_as_crd(
    served: Served, family: str, version: str
) -> None:
    """/apis/<group>/<version> (what kubectl reads without aggregated discovery) and
    /apis/<group>. The CRDs' resources come in the order of an informer's cache (a map's), so
    they are compared sorted; storageVersionHash hashes the group, so it is left out."""
    for path in ("/apis/{group}/" + version, "/apis/{group}"):
        documents = [
            _neutral_names(await _get_text(t, path.format(group=group(family, t.suffix))), t)
            for t in (served.crd, served.annex)
        ]
        for document in documents:
            for resource in document.get("resources", []):
                resource.pop("storageVersionHash", None)
            document.get("resources", []).sort(key=lambda r: str(r["name"]))
        found = _json_differences(*documents)
        assert not found, f"{path}:\n" + "\n".join(found)


_HASH = re.compile(r'("storageVersionHash":\s*)"[^"]*"')


@pytest.mark.parametrize(
    ("family", "version"),
    sorted({(r.family, v) for r in RESOURCES.values() for v, _ in r.versions}),
)
async def test_discovery_bytes_as_crd(served: Served, family: str, version: str) -> None:
    """The same documents as sent, byte for byte (Go's field order, the newline at the end),
    where the CRD's are deterministic: /apis/<group>, and /apis/<group>/<version> when it
    holds one resource (several come in a map's order)."""
    paths = ("/apis/{group}/" + version, "/apis/{group}")
    for path in (*paths, *(p + "?pretty=true" for p in paths)):
        texts = [
            _HASH.sub(
                '"storageVersionHash":"<hash>"',
                await _get_text(t, path.format(group=group(family, t.suffix))),
            ).replace(t.suffix, "<suffix>")
            for t in (served.crd, served.annex)
        ]
        if texts[0].count('"singularName"') > 1:
            continue
        assert texts[0] == texts[1], f"{path}:\n{texts[0]}\n{texts[1]}"


async def test_aggregated_discovery_same_as_crd(served: Served) -> None:
    """The groups' entries in kube-apiserver's aggregated discovery (apidiscovery.k8s.io/v2)."""

    def entries(document: dict[str, Any], target: Target) -> list[Any]:
        names = {group(f, target.suffix) for f in FAMILIES}
        found = [g for g in document["items"] if g["metadata"]["name"] in names]
        return sorted(found, key=lambda g: str(g["metadata"]["name"]))

    text = await _get_text(served.crd, "/apis", accept=APIDISCOVERY_V2)
    document = json.loads(text)
    crd, annex = (
        _neutral_names(json.dumps(entries(document, t)), t) for t in (served.crd, served.annex)
    )
    assert len(crd) == len(FAMILIES)
    found = _json_differences(crd, annex)
    assert not found, "\n".join(found)


async def test_group_list_entries_same_as_crd(served: Served) -> None:
    """The groups' entries in kube-apiserver's /apis APIGroupList (unaggregated discovery)."""
    document = json.loads(await _get_text(served.crd, "/apis"))

    def entries(target: Target) -> Any:
        names = {group(f, target.suffix) for f in FAMILIES}
        found = sorted(
            (g for g in document["groups"] if g["name"] in names), key=lambda g: str(g["name"])
        )
        return _neutral_names(json.dumps(found), target)

    crd, annex = entries(served.crd), entries(served.annex)
    assert len(crd) == len(FAMILIES)
    found = _json_differences(crd, annex)
    assert not found, "\n".join(found)
