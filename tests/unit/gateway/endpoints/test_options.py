"""Write and delete options validated and worded as kube-apiserver's (ValidateCreateOptions,
ValidatePatchOptions, ValidateDeleteOptions); the messages are its answers for a CRD."""

from __future__ import annotations

from typing import Any

import pytest
from multidict import MultiDict

from annex_gateway.endpoints import options
from annex_gateway.endpoints.handlers.watch import MIN_REQUEST_TIMEOUT, watch_timeout
from annex_gateway.registry.resource import ResourceInfo
from tests.unit.gateway.endpoints.raising import status_error


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            [("dryRun", "all")],
            'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["all"]: '
            'supported values: "All"',
        ),
        (
            [("dryRun", "")],
            'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: [""]: '
            'supported values: "All"',
        ),
        (
            [("dryRun", "All"), ("dryRun", "x")],
            'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["All","x"]: '
            'supported values: "All"',
        ),
        (
            [("fieldValidation", "strict")],
            'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: '
            '"strict": supported values: "", "Ignore", "Strict", "Warn"',
        ),
        (
            [("fieldManager", "a\x00b")],
            'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\x00b": '
            "invalid character U+0000 (at position 1)",
        ),
        (
            [("fieldManager", "ü" * 65)],  # 130 bytes
            'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more '
            "than 128 bytes",
        ),
    ],
)
def test_create_options_refused(query: list[tuple[str, str]], message: str) -> None:
    error = status_error(options.write_options, MultiDict(query), None)
    assert (error.code, error.reason, error.message) == (422, "Invalid", message)


def test_create_options_taken() -> None:
    query = MultiDict([("dryRun", "All"), ("dryRun", "All"), ("fieldValidation", "Ignore")])
    assert options.write_options(query, "kubectl/v1.37").dry_run
    assert options.write_options(MultiDict(), "kubectl/v1.37").field_manager == "kubectl"


def test_force_is_read_as_go_reads_a_bool() -> None:
    apply = {"fieldManager": "m"}
    assert options.patch_options({**apply, "force": "x"}, None, apply=True).force
    assert not options.patch_options({**apply, "force": "FALSE"}, None, apply=True).force


@pytest.mark.parametrize(
    ("body", "query", "message"),
    [
        (
            None,
            {"propagationPolicy": "bogus"},
            'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: '
            '"bogus": supported values: "Foreground", "Background", "Orphan", "nil"',
        ),
        (
            {"orphanDependents": True, "propagationPolicy": "Foreground"},
            {},
            'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: '
            '"Foreground": orphanDependents and deletionPropagation cannot be both set',
        ),
        (
            {"dryRun": ["x"]},
            {},
            'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["x"]: '
            'supported values: "All"',
        ),
    ],
)
def test_delete_options_invalid(body: Any, query: dict[str, str], message: str) -> None:
    error = status_error(options.delete_options, body, query)
    assert (error.code, error.message) == (422, message)


@pytest.mark.parametrize(
    ("body", "query", "message"),
    [
        (
            {"preconditions": ["x"]},
            {},
            "json: cannot unmarshal array into Go struct field DeleteOptions.preconditions of "
            "type v1.Preconditions",
        ),
        (
            ["x"],
            {},
            "couldn't get version/kind; json parse error: json: cannot unmarshal array into Go "
            'value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind '
            'string "json:\\"kind,omitempty\\"" }',
        ),
        (
            {"kind": "Foo", "apiVersion": "v1"},
            {},
            'no kind "Foo" is registered for version "v1" in scheme "pkg/runtime/scheme.go:111"',
        ),
        (None, {"gracePeriodSeconds": "1.5"}, 'strconv.ParseInt: parsing "1.5": invalid syntax'),
    ],
)
def test_delete_options_malformed(body: Any, query: dict[str, str], message: str) -> None:
    error = status_error(options.delete_options, body, query)
    assert (error.code, error.message) == (400, message)


def test_delete_options_read_from_the_query_without_a_body() -> None:
    read = options.delete_options(
        None,
        {
            "gracePeriodSeconds": "+5",
            "orphanDependents": "yes",
            "dryRun": "All",
            "uid": "u",
            "resourceVersion": "7",
        },
    )
    assert (read.grace_period_seconds, read.orphan_dependents, read.dry_run) == (5, True, True)
    assert (read.preconditions.uid, read.preconditions.resource_version) == ("u", "7")


def test_delete_options_with_a_body_ignore_the_query() -> None:
    """handlers/delete.go decodes the body, or else the query: never both."""
    read = options.delete_options(
        {"kind": "DeleteOptions", "apiVersion": "v1", "preconditions": {"uid": "u"}},
        {"gracePeriodSeconds": "soon", "dryRun": "All", "resourceVersion": "7"},
    )
    assert (read.grace_period_seconds, read.dry_run) == (None, False)
    assert (read.preconditions.uid, read.preconditions.resource_version) == ("u", None)


INFO = ResourceInfo("hostile.test", "v1", "v1", "probes", "Probe", "ProbeList", True)


def test_send_initial_events_is_for_watches() -> None:
    error = status_error(options.list_options, {"sendInitialEvents": "true"}, INFO)
    assert (error.code, error.message) == (
        422,
        'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: '
        "sendInitialEvents is forbidden for list",
    )


@pytest.mark.parametrize(
    ("asked", "seconds"),
    [(5, 5.0), (-1, 0.0), (2**63 - 1, 0.0), (10**10, 0.0), (9_223_372_036, 9_223_372_036.0)],
)
def test_watch_timeouts_are_go_durations(asked: int, seconds: float) -> None:
    """int64 nanoseconds, wrapping as Go's multiplication wraps: a timeout that overflows
    ends the watch at once, as kube-apiserver's does."""
    assert watch_timeout(asked) == seconds


def test_no_watch_timeout_is_the_random_default() -> None:
    for asked in (None, 0):
        assert MIN_REQUEST_TIMEOUT <= watch_timeout(asked) <= 2 * MIN_REQUEST_TIMEOUT


def test_an_unsafe_delete_takes_no_other_option() -> None:
    """ValidateIgnoreStoreReadError: each other option set is its own error."""
    key = "ignoreStoreReadErrorWithClusterBreakingPotential"
    body = {key: True, "gracePeriodSeconds": 0, "preconditions": {}, "dryRun": ["All"]}
    error = status_error(options.delete_options, body, {})
    assert error.code == 422
    assert [c["message"] for c in (error.details or {})["causes"]] == [
        "Invalid value: true: cannot be set together with .gracePeriodSeconds",
        "Invalid value: true: cannot be set together with .preconditions",
    ]
    assert options.delete_options(None, {key: "true"}).ignore_store_read_error
    assert not options.delete_options(
        {key: False, "gracePeriodSeconds": 1}, {}
    ).ignore_store_read_error
