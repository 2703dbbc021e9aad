"""status.storedVersions: the operator adds each resource's storage version when the
definition is accepted; what was stored before stays listed until the gateway prunes it."""

from __future__ import annotations

import datetime

from annex_operator import conditions as cond
from annex_operator.reconcile import next_status, stored_versions
from tests.unit.operator import samples

T0 = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)


def test_storage_version_added_once() -> None:
    definition = samples.definition(samples.version("v1alpha1", storage=True))
    assert stored_versions(None, definition) == {"widgets": ["v1alpha1"]}
    assert stored_versions({"widgets": ["v1alpha1"]}, definition) == {"widgets": ["v1alpha1"]}


def test_a_new_storage_version_is_appended_and_old_ones_kept() -> None:
    definition = samples.definition(
        samples.version("v1alpha1"), samples.version("v1", storage=True)
    )
    assert stored_versions({"widgets": ["v1alpha1"]}, definition) == {"widgets": ["v1alpha1", "v1"]}
    # pruned by the gateway: stays pruned
    assert stored_versions({"widgets": ["v1"]}, definition) == {"widgets": ["v1"]}
    # a resource no longer defined drops out
    assert stored_versions({"gone": ["v1"], "widgets": ["v1"]}, definition) == {"widgets": ["v1"]}


def test_next_status_carries_stored_versions() -> None:
    body = samples.body(samples.version("v1alpha1", storage=True))
    body["status"] = {"storedVersions": {"widgets": ["v0"]}}
    definition = samples.definition(samples.version("v1alpha1", storage=True))
    status = next_status(
        body,
        [cond.established()],
        generation=3,
        now=T0,
        served_versions=["v1alpha1"],
        definition=definition,
    )
    assert status["storedVersions"] == {"widgets": ["v0", "v1alpha1"]}
