"""The normalisation the kubectl matrix (tests/e2e/test_kubectl.py) relies on."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.kubectl_matrix import Case, Normaliser, Outcome, Target, check_baseline, k

TARGET = Target("annex", "images.annex.test", "v1", Path("kubeconfig"), Path("cache"))
UID_A = "0b7c4b8e-4a58-4d0e-9a0c-8f0e7b8b1a01"
UID_B = "0b7c4b8e-4a58-4d0e-9a0c-8f0e7b8b1a02"


def test_uids_and_resource_versions_become_ordinals_of_first_appearance() -> None:
    normalise = Normaliser(TARGET)
    first = normalise(f'{{"metadata": {{"resourceVersion": "812", "uid": "{UID_A}"}}}}')
    again = normalise(f'{{"metadata": {{"resourceVersion": "812", "uid": "{UID_A}"}}}}')
    later = normalise(f'{{"metadata": {{"resourceVersion": "9", "uid": "{UID_B}"}}}}')
    assert first == again
    assert '"resourceVersion": "<rv-1>"' in first
    assert '"uid": "<uid-1>"' in first
    assert '"resourceVersion": "<rv-2>"' in later
    assert '"uid": "<uid-2>"' in later
    assert normalise("resourceVersion: '812'") == "resourceVersion: '<rv-1>'"


def test_group_times_generated_names_and_edit_files() -> None:
    normalise = Normaliser(TARGET)
    assert normalise('images.images.annex.test "gen-x7k2p" not found') == (
        'images.<group> "gen-<generated>" not found'
    )
    assert normalise("time: 2026-01-02T03:04:05Z, at 2026-01-02T03:04:05.123456Z") == (
        "time: <time>, at <time>"
    )
    assert normalise("saved to /tmp/kubectl-edit-1234.yaml") == "saved to <edit-file>"


def test_raw_json_bodies_are_printed_as_kubectl_prints_json() -> None:
    assert Normaliser(TARGET)('{"kind":"ImageList","apiVersion":"v1","items":[]}') == (
        '{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "ImageList"\n}\n'
    )
    assert Normaliser(TARGET)("{not json") == "{not json"


def test_baseline_expectations_read_the_normalised_output() -> None:
    case = Case("c", (k("create", rc=0, expect="image.{G}/web created"), k("get", rc=1)))
    good = [Outcome("create", 0, "image.<group>/web created\n", ""), Outcome("get", 1, "", "")]
    assert check_baseline(case, good) == []
    bad = [Outcome("create", 0, "image.<group>/web unchanged\n", ""), Outcome("get", 0, "", "")]
    assert check_baseline(case, bad) == [
        "[0] kubectl create: output lacks 'image.{G}/web created'",
        "[1] kubectl get: exit 0, the case expects 1",
    ]


def test_managed_fields_are_compared_in_one_order() -> None:
    def entry(manager: str, operation: str = "Update", **more: str) -> dict[str, str]:
        return {"manager": manager, "operation": operation, **more}

    managed = [
        entry("kubectl-label"),
        entry("kubectl-edit"),
        entry("kubectl-patch", subresource="status"),
        entry("kubectl-patch"),
        entry("alice", "Apply"),
    ]
    text = json.dumps({"items": [{"metadata": {"managedFields": managed}}]})
    listed = json.loads(Normaliser(TARGET)(text))["items"][0]["metadata"]["managedFields"]
    assert [(e["manager"], e.get("subresource")) for e in listed] == [
        ("alice", None),
        ("kubectl-edit", None),
        ("kubectl-label", None),
        ("kubectl-patch", None),
        ("kubectl-patch", "status"),
    ]


def test_describe_resource_versions_become_ordinals() -> None:
    normalise = Normaliser(TARGET)
    assert normalise('  Resource Version:  812\n  "resourceVersion": "812"') == (
        '  Resource Version:  <rv-1>\n  "resourceVersion": "<rv-1>"'
    )


def test_json_watch_events_are_sorted_line_by_line() -> None:
    status = {"manager": "kubectl-patch", "operation": "Update", "subresource": "status"}
    spec = {"manager": "kubectl-patch", "operation": "Update"}
    events = "".join(
        json.dumps({"type": "MODIFIED", "object": {"metadata": {"managedFields": fields}}}) + "\n"
        for fields in ([status, spec], [spec, status])
    )
    lines = Normaliser(TARGET)(events).splitlines()
    assert len(lines) == 2
    assert lines[0] == lines[1]
    assert lines[0].startswith('{"object": {"metadata": {"managedFields": [{"manager"')
    assert Normaliser(TARGET)('{"a": 1}\nnot json\n') == '{"a": 1}\nnot json\n'


def test_client_go_log_lines_are_dropped() -> None:
    normalise = Normaliser(TARGET)
    stderr = (
        'E1202 16:33:19.039466    7381 reflector.go:166] "Unhandled Error" err="k8s.io/client-go/'
        "tools/watch/informerwatcher.go:146: Failed to watch *unstructured.Unstructured: context "
        'deadline exceeded"\n'
        "error: timed out waiting for the condition on images/web\n"
    )
    assert normalise(stderr) == "error: timed out waiting for the condition on images/web\n"
