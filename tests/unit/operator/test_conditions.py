from __future__ import annotations

import datetime

import pytest

from annex_core import apidef
from annex_operator import conditions as cond
from tests.unit.operator import samples

T0 = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
T1 = T0 + datetime.timedelta(minutes=5)


def test_new_condition_gets_transition_time_and_generation() -> None:
    result = cond.set_condition([], cond.established(), generation=4, now=T0)
    assert result == [
        {
            "type": "Established",
            "status": "True",
            "reason": "APIServicesRegistered",
            "message": "the APIServices are registered",
            "lastTransitionTime": "2025-01-01T00:00:00Z",
            "observedGeneration": 4,
        }
    ]


def test_same_status_keeps_transition_time() -> None:
    first = cond.set_condition(
        [], cond.Condition("Available", "False", "A", "x"), generation=1, now=T0
    )
    second = cond.set_condition(
        first, cond.Condition("Available", "False", "B", "y"), generation=2, now=T1
    )
    assert second[0]["lastTransitionTime"] == "2025-01-01T00:00:00Z"
    assert second[0]["reason"] == "B"
    assert second[0]["observedGeneration"] == 2


def test_status_change_moves_transition_time() -> None:
    first = cond.set_condition([], cond.Condition("Available", "False", "A"), generation=1, now=T0)
    second = cond.set_condition(
        first, cond.Condition("Available", "True", "Passed"), generation=1, now=T1
    )
    assert second[0]["lastTransitionTime"] == "2025-01-01T00:05:00Z"


def test_conditions_keep_a_stable_order_and_foreign_ones() -> None:
    conditions = [{"type": "Custom", "status": "True"}]
    for c in (
        cond.Condition("Available", "Unknown", "Pending"),
        cond.names_accepted(),
        cond.established(),
    ):
        conditions = cond.set_condition(conditions, c, generation=1, now=T0)
    assert [c["type"] for c in conditions] == [
        "NamesAccepted",
        "Established",
        "Available",
        "Custom",
    ]


def test_invalid_definition_lists_field_errors() -> None:
    c = cond.invalid_definition(["spec.group: Required value", "spec.resources: Required value"])
    assert (c.type, c.status, c.reason) == ("NamesAccepted", "False", "InvalidDefinition")
    assert "spec.group: Required value" in c.message
    assert "spec.resources" in c.message


def test_available_is_pending_without_reports() -> None:
    assert cond.available([]).status == "Unknown"
    c = cond.available([samples.apiservice("v1.g", available=None)])
    assert (c.status, c.reason) == ("Unknown", "Pending")


def test_available_true_only_when_all_are() -> None:
    ok = samples.apiservice("v1.g", available="True", reason="Passed")
    assert cond.available([ok, ok]).status == "True"
    failing = samples.apiservice(
        "v2.g", available="False", reason="FailedDiscoveryCheck", message="connection refused"
    )
    other = samples.apiservice("v3.g", available="False", reason="ServiceNotFound")
    c = cond.available([ok, failing, other])
    assert (c.status, c.reason) == ("False", "FailedDiscoveryCheck")
    assert c.message == "v2.g: connection refused"


def test_false_wins_over_pending() -> None:
    pending = samples.apiservice("v1.g", available=None)
    failing = samples.apiservice("v2.g", available="False", reason="ServiceNotFound")
    assert cond.available([pending, failing]).reason == "ServiceNotFound"
    ok = samples.apiservice("v3.g", available="True")
    assert cond.available([ok, pending]).status == "Unknown"


def test_a_definition_refused_by_the_crd_checks_says_why() -> None:
    """The condition carries every FieldError of the parse, in a CRD's words."""
    raw = {
        "apiVersion": apidef.API_VERSION,
        "kind": apidef.KIND,
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "widgets.example.com",
            "resources": [
                {
                    "names": {"plural": "widgets", "kind": "Widget", "listKind": "Widget"},
                    "versions": [
                        {
                            "name": "v1",
                            "served": True,
                            "storage": True,
                            "schema": {"openAPIV3Schema": {"type": "object", "nullable": True}},
                        }
                    ],
                }
            ],
        },
    }
    with pytest.raises(apidef.DefinitionError) as caught:
        apidef.parse(raw)

    c = cond.invalid_definition(caught.value.errors)

    assert (c.type, c.status, c.reason) == ("NamesAccepted", "False", "InvalidDefinition")
    assert c.message == (
        'spec.resources[0].names.listKind: Invalid value: "Widget": kind and listKind may not '
        "be the same; spec.resources[0].versions[0].schema.openAPIV3Schema.nullable: Forbidden: "
        "nullable cannot be true at the root"
    )
