"""The kubectl matrix's commands that follow changes: get -w, wait, delete that waits.

Each runs in the background while later steps make the changes. A watch is established once
it has printed the objects listed before it (it then watches from the list's resourceVersion,
so nothing written after that can be missed), and it is stopped once it has printed the last
event it must get: mostly that of an object named "end", created last.
"""

from __future__ import annotations

from tests.e2e.kubectl_images import READY, SPEC, image, jsonpatch, manifest, merge, set_status
from tests.e2e.kubectl_matrix import Case, Step, k, watch


def event(kind: str, name: str) -> str:
    """A whole table line of `get -w --output-watch-events`: the event type, then the name."""
    return rf"^{kind}\s+{name}\s.*\n"


def watch_events(*args: str, ready: str, until: str) -> Step:
    """`kubectl get -w --output-watch-events` on the collection, in the background."""
    return watch("get", "{R}", "-w", "--output-watch-events", *args, ready=ready, until=until)


def json_event(name: str) -> str:
    """A whole line of `get -w --output-watch-events -o json` (one event a line) about the
    object `name`."""
    return rf'^\{{"type":"\w+","object":.*"name":"{name}",.*\n'


WATCH_CASES = [
    Case(
        "watch_events",
        (
            k("create", "-f", "-", stdin=manifest(image("a"))),
            watch_events(ready=event("ADDED", "a"), until=event("ADDED", "end")),
            watch_events("-o", "json", ready=json_event("a"), until=json_event("end")),
            # one object of the collection, as `kubectl get NAME -w` watches it; through a
            # list (not `get a -w`) so the watch starts after the printed state, not at "now"
            watch_events(
                "--field-selector=metadata.name=a",
                ready=event("ADDED", "a"),
                until=event("DELETED", "a"),
            ),
            k("create", "-f", "-", stdin=manifest(image("b", {**SPEC, "replicas": 2}))),
            k("label", "{R}", "a", "tier=db"),
            set_status("b", phase="Building"),
            k("patch", "{R}", "b", *merge({"spec": {"baseImage": "debian:13"}})),
            k("delete", "{R}", "a"),
            k("create", "-f", "-", stdin=manifest(image("end"))),
        ),
    ),
    Case(
        "watch_selected",
        (
            k("create", "-f", "-", stdin=manifest(image("a", labels={"app": "a", "tier": "db"}))),
            set_status("a", phase="Ready"),
            # objects entering the selection arrive as ADDED, leaving it as DELETED
            watch_events(
                "-l", "tier=db", ready=event("ADDED", "a"), until=event("MODIFIED", "end")
            ),
            watch_events(
                "--field-selector=status.phase=Ready",
                ready=event("ADDED", "a"),
                until=event("ADDED", "end"),
            ),
            k("create", "-f", "-", stdin=manifest(image("b"))),
            k("label", "{R}", "b", "tier=db"),
            set_status("b", phase="Ready"),
            k("label", "{R}", "b", "tier-"),
            set_status("b", phase="Failed"),
            k("create", "-f", "-", stdin=manifest(image("end", labels={"tier": "db"}))),
            set_status("end", phase="Ready"),
        ),
    ),
    Case(
        "wait_for",
        (
            k("create", "-f", "-", stdin=manifest(image("web"), image("db"))),
            # started before the change; met when kubectl sees it, whether in its first read
            # or in its watch: the output is the same
            k(
                "wait",
                "--for=condition=Ready",
                "{R}/web",
                "--timeout=60s",
                background=True,
                expect="image.{G}/web condition met",
            ),
            k(
                "wait",
                "--for=jsonpath={.status.phase}=Ready",
                "{R}/web",
                "--timeout=60s",
                background=True,
                expect="image.{G}/web condition met",
            ),
            k(
                "wait",
                "--for=create",
                "{R}/later",
                "--timeout=60s",
                background=True,
                expect="image.{G}/later condition met",
            ),
            set_status("web", phase="Ready", conditions=[READY]),
            k("create", "-f", "-", stdin=manifest(image("later"))),
            # already met
            k("wait", "--for=condition=Ready", "{R}/web", expect="image.{G}/web condition met"),
            k("wait", "--for=condition=ready=TRUE", "{R}/web", "-o", "name"),
            k("wait", "--for=jsonpath={.status.conditions[0].reason}=Built", "{R}/web"),
            k("wait", "--for=jsonpath={.status.phase}", "{R}/web", "-o", "json"),
            k("wait", "--for=condition=Ready", "{R}", "-l", "app=web"),
            # never met: the timeout, its exit code and message
            k(
                "wait",
                "--for=condition=Ready",
                "{R}/db",
                "--timeout=2s",
                rc=1,
                expect="timed out waiting for the condition",
            ),
            k("wait", "--for=jsonpath={.status.digest}", "{R}/db", "--timeout=2s", rc=1),
            k("wait", "--for=condition=Ready", "{R}", "--all", "--timeout=2s", rc=1),
            k("wait", "--for=condition=Ready", "{R}/missing", "--timeout=2s", rc=1),
            k("wait", "--for=condition=Ready", "{R}", "-l", "app=none", "--timeout=2s", rc=1),
        ),
    ),
    Case(
        "wait_for_delete",
        (
            k("create", "-f", "-", stdin=manifest(image("web", finalizers=["example.com/keep"]))),
            k("delete", "{R}", "web", "--wait=false"),
            k(
                "wait",
                "--for=delete",
                "{R}/web",
                "--timeout=60s",
                background=True,
                expect="image.{G}/web condition met",
            ),
            # the object stays while its finalizer does; this also gives the wait above the
            # time to find it (had it found it gone, it would print nothing: the baseline
            # check below says so)
            k(
                "wait",
                "--for=delete",
                "{R}/web",
                "--timeout=2s",
                rc=1,
                expect="timed out waiting for the condition on images/web",
            ),
            k("patch", "{R}", "web", *jsonpatch({"op": "remove", "path": "/metadata/finalizers"})),
            k("wait", "--for=delete", "{R}/web", "--timeout=60s"),
        ),
    ),
    Case(
        "delete_waits_for_finalizer",
        (
            k("create", "-f", "-", stdin=manifest(image("web", finalizers=["example.com/keep"]))),
            # kubectl prints "deleted" once the DELETE is answered, then waits for the object
            # to go: the finalizer is removed while it waits
            k(
                "delete",
                "{R}",
                "web",
                "--timeout=60s",
                background=True,
                ready=r'"web" deleted',
                expect='image.{G} "web" deleted',
            ),
            k("get", "{R}", "web", "-o", "jsonpath={.metadata.deletionTimestamp}"),
            k("patch", "{R}", "web", *jsonpatch({"op": "remove", "path": "/metadata/finalizers"})),
            k("get", "{R}", "web", rc=1, expect='images.{G} "web" not found'),
        ),
    ),
]
