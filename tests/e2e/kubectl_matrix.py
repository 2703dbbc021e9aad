"""Run one scripted kubectl session against a back end and normalise what it printed.

A `Case` is a list of kubectl `Step`s written once with placeholders; `run_case` renders them
for a `Target` (an API group served either by a CRD or by the gateway), runs them in order and
returns `Outcome`s whose text no longer depends on the back end: the group name, uids,
resourceVersions, timestamps, generated names, temporary file names and the resource's category
are replaced by stable tokens. uids and resourceVersions become ordinals in order of first
appearance (`<rv-1>`, `<rv-2>`, ...), so "this write left the resourceVersion unchanged" or
"this is the same object" still compares.

A background step (a watch, a wait, a delete that waits) runs on while the next steps run;
it is collected when the case ends and its outcome keeps its place in the transcript.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e.streamed_process import StreamedProcess
from tests.helpers import Completed, run

# kubectl's interrupt handler exits 1 when a watch is stopped with SIGTERM.
STOPPED_RC = 1
# A generous upper bound for a background step to print what the case waits for.
BACKGROUND_TIMEOUT = 60.0


def category_of(group: str) -> str:
    """A category of the target's own (`images-annex`, `images-crdvs`): both back ends' cases
    share a namespace, so a category both resources were in would list both."""
    return "images-" + group.split(".")[1]


@dataclass(frozen=True)
class Target:
    """One back end: the same resource (plural `images`, kind `Image`) in `group`."""

    name: str
    group: str
    version: str
    kubeconfig: Path
    cache_dir: Path

    @property
    def resource(self) -> str:
        return f"images.{self.group}"

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}"

    def render(self, text: str, namespace: str) -> str:
        return (
            text.replace("{R}", self.resource)
            .replace("{C}", category_of(self.group))
            .replace("{API}", self.api_version)
            .replace("{G}", self.group)
            .replace("{NS}", namespace)
        )


@dataclass(frozen=True)
class Step:
    """`kubectl -n <namespace> <args>`; placeholders {R} {API} {G} {NS} {C} (the resource's
    category) in args, stdin, editor.

    `rc` and `expect` are what the CRD baseline must give (a check on the case itself, made
    before comparing back ends). `stdin_from` builds stdin from the previous step's JSON output
    (un-normalised), e.g. to replace an object with the resourceVersion just read.

    A `background` step (no stdin) is started and the case goes on; `ready`, a regex on its
    stdout, holds the next step back until it matches (a watch's first event: the watch is
    established). `until`, a regex, stops it with SIGTERM once its stdout matches (the last
    event a watch must print); without it the command must exit by itself.
    """

    args: tuple[str, ...]
    stdin: str | None = None
    editor: str | None = None
    rc: int = 0
    expect: str = ""
    stdin_from: Callable[[Any], Any] | None = field(default=None, compare=False)
    background: bool = False
    ready: str = ""
    until: str = ""

    def __str__(self) -> str:
        shown = " ".join(a if " " not in a else repr(a) for a in self.args)
        if self.editor is not None:
            shown = f"KUBE_EDITOR={self.editor!r} kubectl {shown}"
        else:
            shown = f"kubectl {shown}"
        if self.stdin is not None or self.stdin_from is not None:
            shown += " <<stdin"
        if self.background:
            shown += " &"
        return shown


def k(
    *args: str,
    stdin: str | None = None,
    editor: str | None = None,
    rc: int = 0,
    expect: str = "",
    stdin_from: Callable[[Any], Any] | None = None,
    background: bool = False,
    ready: str = "",
) -> Step:
    return Step(tuple(args), stdin, editor, rc, expect, stdin_from, background, ready)


def watch(*args: str, ready: str, until: str, expect: str = "") -> Step:
    """A background kubectl watch, stopped once it has printed `until`."""
    return Step(
        tuple(args), rc=STOPPED_RC, expect=expect, background=True, ready=ready, until=until
    )


@dataclass(frozen=True)
class Case:
    name: str
    steps: tuple[Step, ...]
    doc: str = ""
    more_namespaces: tuple[str, ...] = ()  # suffixes: `-b` makes `<namespace>-b` too

    @property
    def namespace(self) -> str:
        return "kw-" + self.name.replace("_", "-")

    @property
    def namespaces(self) -> tuple[str, ...]:
        return (self.namespace, *(self.namespace + suffix for suffix in self.more_namespaces))


@dataclass(frozen=True)
class Outcome:
    step: str
    rc: int
    stdout: str
    stderr: str

    def text(self, index: int) -> str:
        lines = [f"[{index}] $ {self.step}", f"exit {self.rc}"]
        lines += [f"  out| {line}" for line in self.stdout.splitlines()]
        lines += [f"  err| {line}" for line in self.stderr.splitlines()]
        return "\n".join(lines)


_UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# JSON, YAML, escaped JSON in messages, and `kubectl describe`'s "Resource Version:  812"
_RESOURCE_VERSION = re.compile(
    r"""((?:resourceVersion\\?"?|Resource Version):\s*(?:\\?"|')?)(\d+)"""
)
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)")
_EDIT_FILE = re.compile(r"/tmp/kubectl-edit-[\w.-]+")
# kubectl diff's directories of live and merged objects, and diff's file times
_DIFF_DIR = re.compile(r"/tmp/(LIVE|MERGED)-\d+")
_DIFF_TIME = re.compile(r"\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [+-]\d{4}")
_GENERATED_NAME = re.compile(r"\bgen-[a-z0-9]{5}\b")  # the cases' generateName is "gen-"
# An AGE cell of a table (HumanDuration): the two back ends' writes land a moment apart.
_AGE = re.compile(r"(?<![\w:/.=-])\d+[smhdy](?:\d+[smh])?(?!\w)")
# client-go's own log lines (klog: `E1202 16:33:19.039466    7381 reflector.go:166] ...`): whether
# a timed-out wait logs its interrupted watch depends on when the timeout strikes.
_CLIENT_LOG = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ [\w./-]+:\d+\] .*\n?", re.M)


def _sorted_json(text: str) -> str:
    """JSON as kubectl prints it (keys sorted, indent 4): raw server bodies (--raw) keep the
    server's key order, which is not part of the contract. managedFields are put in one order
    too: kube-apiserver sorts them by operation, then by time in whole seconds, then by
    manager, so their order depends on when each write happened to land.

    A watch printed as JSON (`get -w -o json`) is one document per line: each line is
    sorted the same way and stays one line."""
    if not text.lstrip().startswith(("{", "[")):
        return text
    try:
        parsed = json.loads(text)
    except ValueError:
        return _sorted_json_lines(text)
    _sort_managed_fields(parsed)
    return json.dumps(parsed, indent=4, sort_keys=True) + "\n"


def _sorted_json_lines(text: str) -> str:
    try:
        documents = [json.loads(line) for line in text.splitlines()]
    except ValueError:
        return text
    _sort_managed_fields(documents)
    return "".join(json.dumps(d, sort_keys=True) + "\n" for d in documents)


def _sort_managed_fields(value: Any) -> None:
    if isinstance(value, list):
        for item in value:
            _sort_managed_fields(item)
    elif isinstance(value, dict):
        entries = (value.get("metadata") or {}).get("managedFields")
        if isinstance(entries, list):
            entries.sort(
                key=lambda e: tuple(
                    str(e.get(k, "")) for k in ("operation", "manager", "apiVersion", "subresource")
                )
            )
        for item in value.values():
            _sort_managed_fields(item)


class Normaliser:
    """Replaces back-end specific text; one per (case, target) so ordinals start afresh."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.uids: dict[str, str] = {}
        self.rvs: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        text = _CLIENT_LOG.sub("", text)
        text = _sorted_json(text).replace(self.target.group, "<group>")
        text = text.replace(category_of(self.target.group), "<category>")
        text = _UID.sub(lambda m: self._ordinal(self.uids, "uid", m.group(0)), text)
        text = _RESOURCE_VERSION.sub(
            lambda m: m.group(1) + self._ordinal(self.rvs, "rv", m.group(2)), text
        )
        text = _TIME.sub("<time>", text)
        text = _EDIT_FILE.sub("<edit-file>", text)
        text = _DIFF_TIME.sub("\t<time>", _DIFF_DIR.sub(r"/tmp/\1-<n>", text))
        text = _AGE.sub("<age>", text)
        return _GENERATED_NAME.sub("gen-<generated>", text)

    @staticmethod
    def _ordinal(seen: dict[str, str], kind: str, value: str) -> str:
        return seen.setdefault(value, f"<{kind}-{len(seen) + 1}>")


async def run_case(case: Case, target: Target) -> list[Outcome]:
    normalise = Normaliser(target)
    outcomes: dict[int, Outcome] = {}
    background: dict[int, StreamedProcess] = {}
    previous_stdout = ""
    try:
        for index, step in enumerate(case.steps):
            if step.background:
                command = kubectl_command(case, target, step)
                background[index] = await StreamedProcess.start(*command)
                if step.ready:
                    await background[index].wait_for(
                        target.render(step.ready, case.namespace), BACKGROUND_TIMEOUT
                    )
                continue
            result = await run_step(case, target, step, previous_stdout)
            previous_stdout = result.stdout
            outcomes[index] = outcome(step, result, normalise)
        for index, process in background.items():
            step = case.steps[index]
            until = target.render(step.until, case.namespace) if step.until else ""
            result = await process.finish(until, BACKGROUND_TIMEOUT)
            outcomes[index] = outcome(step, result, normalise)
    finally:
        for process in background.values():
            await process.kill()
    return [outcomes[index] for index in range(len(case.steps))]


async def run_step(case: Case, target: Target, step: Step, previous_stdout: str) -> Completed:
    stdin = step.stdin
    if step.stdin_from is not None:
        stdin = json.dumps(step.stdin_from(json.loads(previous_stdout)))
    env = {"KUBE_EDITOR": target.render(step.editor, case.namespace)} if step.editor else {}
    return await run(
        *kubectl_command(case, target, step),
        stdin=target.render(stdin, case.namespace) if stdin is not None else None,
        env=env,
        timeout=60,
    )


def kubectl_command(case: Case, target: Target, step: Step) -> tuple[str, ...]:
    return (
        "kubectl",
        "--kubeconfig",
        str(target.kubeconfig),
        "--cache-dir",
        str(target.cache_dir),
        "-n",
        case.namespace,
        *(target.render(a, case.namespace) for a in step.args),
    )


def outcome(step: Step, result: Completed, normalise: Normaliser) -> Outcome:
    return Outcome(str(step), result.returncode, normalise(result.stdout), normalise(result.stderr))


def transcript(outcomes: list[Outcome]) -> str:
    return "\n".join(o.text(i) for i, o in enumerate(outcomes))


def check_baseline(case: Case, outcomes: list[Outcome]) -> list[str]:
    """Where the CRD baseline did not do what the case says it does (a bug in the case)."""
    problems = []
    for i, (step, got) in enumerate(zip(case.steps, outcomes, strict=True)):
        if got.rc != step.rc:
            problems.append(f"[{i}] {step}: exit {got.rc}, the case expects {step.rc}")
        expected = (
            step.expect.replace("{R}", "images.<group>")
            .replace("{G}", "<group>")
            .replace("{NS}", case.namespace)
        )
        if expected not in got.stdout + got.stderr:
            problems.append(f"[{i}] {step}: output lacks {step.expect!r}")
    return problems


def diff(crd: list[Outcome], annex: list[Outcome]) -> str:
    return "\n".join(
        difflib.unified_diff(
            transcript(crd).splitlines(),
            transcript(annex).splitlines(),
            "crd",
            "annex",
            lineterm="",
            n=4,
        )
    )
