"""The one idempotent reconcile of an ApiDefinition, shared by create, update and resume.

validate → names (cluster conflicts) → TLS Secret → Service → APIServices → status.
Bad input ends in a condition, never in an exception: exceptions mean "retry later".
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from annex_core import apidef, logs
from annex_core.kube import JSON, KubeApiError, KubeClient, resource_path
from annex_operator import conditions as cond
from annex_operator import manifests, writers
from annex_operator.nudge import Nudger
from annex_operator.settings import OperatorSettings
from annex_operator.status import definition_path, update_status
from annex_operator.validation import group_conflicts

log = logs.get(__name__)

CRDS = resource_path("apiextensions.k8s.io/v1", "customresourcedefinitions")
DEFINITIONS = resource_path(apidef.API_VERSION, apidef.PLURAL)


class ReconcileBlocked(Exception):
    """Reconciling cannot go on until something outside changes; the status says what."""


def _generation(obj: Mapping[str, Any]) -> int:
    generation = obj.get("metadata", {}).get("generation", 0)
    return generation if isinstance(generation, int) else 0


def next_status(
    current: Mapping[str, Any],
    updates: Sequence[cond.Condition],
    *,
    generation: int,
    now: datetime.datetime,
    served_versions: Sequence[str] | None = None,
    definition: apidef.ApiDefinition | None = None,
) -> JSON:
    """The status after setting `updates` (and servedVersions when given) at `generation`;
    with the accepted `definition`, its storage versions added to storedVersions."""
    status = dict(current.get("status") or {})
    conditions: list[JSON] = list(status.get("conditions") or [])
    for update in updates:
        conditions = cond.set_condition(conditions, update, generation=generation, now=now)
    status["conditions"] = conditions
    status["observedGeneration"] = generation
    if served_versions is not None:
        status["servedVersions"] = list(served_versions)
    if definition is not None:
        status["storedVersions"] = stored_versions(status.get("storedVersions"), definition)
    return status


def stored_versions(current: object, definition: apidef.ApiDefinition) -> dict[str, list[str]]:
    """status.storedVersions, keyed by plural: what was there, plus each resource's storage
    version (as a CRD's storedVersions gains its storage version when it is accepted). The
    gateway prunes a list to the storage version alone once it has migrated every object;
    resources no longer defined drop out."""
    known = current if isinstance(current, Mapping) else {}
    result: dict[str, list[str]] = {}
    for resource in definition.resources:
        plural = resource.names.plural
        listed = known.get(plural)
        versions = [v for v in listed if isinstance(v, str)] if isinstance(listed, list) else []
        if resource.storage_version not in versions:
            versions.append(resource.storage_version)
        result[plural] = versions
    return result


def not_accepted_status(
    current: Mapping[str, Any],
    names: cond.Condition,
    *,
    generation: int,
    now: datetime.datetime,
) -> JSON:
    """NamesAccepted=False. Anything registered for an earlier generation stays as it was;
    a definition that was never established says so."""
    updates = [names]
    if cond.find((current.get("status") or {}).get("conditions") or [], cond.ESTABLISHED) is None:
        updates.append(cond.not_established("NotAccepted", "the names were not accepted"))
    return next_status(current, updates, generation=generation, now=now)


def available_status(
    current: Mapping[str, Any], apiservices: Sequence[Mapping[str, Any]], *, now: datetime.datetime
) -> JSON:
    """Only the Available condition updated, at the generation the status already reports."""
    status = current.get("status") or {}
    generation = status.get("observedGeneration")
    if not isinstance(generation, int):
        generation = _generation(current)
    return next_status(current, [cond.available(apiservices)], generation=generation, now=now)


class Reconciler:
    def __init__(
        self,
        client: KubeClient,
        settings: OperatorSettings,
        certificates: writers.CertificateKeeper,
        nudger: Nudger,
        clock: Callable[[], datetime.datetime] = writers.utcnow,
    ) -> None:
        self.client = client
        self.settings = settings
        self.certificates = certificates
        self.nudger = nudger
        self._clock = clock

    async def reconcile(self, body: Mapping[str, Any]) -> None:
        """Bring the cluster in line with one ApiDefinition (as given by the watch)."""
        name = str(body["metadata"]["name"])
        generation = _generation(body)
        try:
            definition = apidef.parse(body)
        except apidef.DefinitionError as e:
            log.info("invalid api definition", definition=name, errors=[str(x) for x in e.errors])
            await self._not_accepted(name, generation, cond.invalid_definition(e.errors))
            return

        crds = (await self.client.list_metadata(CRDS)).get("items", [])
        crd_names = [crd["metadata"]["name"] for crd in crds]
        apiservices = await writers.list_apiservices(self.client)
        conflicts = group_conflicts(definition.group, definition.name, crd_names, apiservices)
        if conflicts:
            log.info("group conflict", definition=name, conflicts=conflicts)
            await self._not_accepted(name, generation, cond.group_conflict(conflicts))
            # The other claimant may go away without this definition changing: check again.
            raise ReconcileBlocked("; ".join(conflicts))

        try:
            ensured = await self.certificates.ensure()
            await writers.ensure_service(self.client, self.settings)
            applied = await writers.apply_apiservices(
                self.client, self.settings, definition, ensured.ca_pem, apiservices
            )
        except writers.OwnershipConflict as e:
            await self._blocked(name, generation, "OwnershipConflict", str(e))
            raise ReconcileBlocked(str(e)) from e
        except KubeApiError as e:
            if e.status not in (400, 403, 422):
                raise  # transient: retried with backoff
            # kube-apiserver refused what we wrote: retrying at once will not help.
            await self._blocked(name, generation, "ApplyFailed", str(e))
            raise ReconcileBlocked(str(e)) from e
        keep = {manifests.apiservice_name(v, definition.group) for v in definition.served_versions}
        deleted = await writers.delete_apiservices(
            self.client, definition.name, keep=keep, existing=apiservices
        )
        if deleted:
            log.info("apiservices deleted", definition=name, apiservices=deleted)

        now = self._clock()
        updates = [cond.names_accepted(), cond.established(), cond.available(applied)]
        await update_status(
            self.client,
            name,
            lambda current: next_status(
                current,
                updates,
                generation=generation,
                now=now,
                served_versions=definition.served_versions,
                definition=definition,
            ),
        )
        # An APIService may have changed its Available condition since it was applied, and the
        # event that told sync_available may have come before the write above: mirror again.
        await self.sync_available(name)
        log.info("api definition reconciled", definition=name, versions=definition.served_versions)
        # The gateway reloads on the same change: once it serves it, kube-apiserver refetches.
        self.nudger.schedule(definition, applied)
        try:
            await writers.ensure_impact_webhook(self.client, self.settings, ensured.ca_pem)
        except (writers.OwnershipConflict, KubeApiError) as e:
            # Only warnings depend on it: the definition is served without.
            log.warning("impact webhook not written", definition=name, error=str(e))

    async def sync_available(self, definition_name: str) -> None:
        """Mirror the definition's APIServices' Available conditions onto it."""
        apiservices = await writers.list_apiservices(
            self.client, manifests.definition_labels(definition_name)
        )
        now = self._clock()
        await update_status(
            self.client,
            definition_name,
            lambda current: available_status(current, apiservices, now=now),
        )

    async def repair(self, definition_name: str) -> None:
        """Reconcile the definition again if it still exists (one of its APIServices went)."""
        body = await self.client.get_or_none(definition_path(definition_name))
        if body is None or body["metadata"].get("deletionTimestamp"):
            return
        await self.reconcile(body)

    async def cleanup(self, definition_name: str) -> None:
        """Unregister the definition's API: delete its APIServices.

        A dangling APIService whose backend is gone stays unavailable, and an unavailable
        aggregated API blocks namespace deletion cluster-wide, so this must finish before
        the ApiDefinition goes. The objects in the gateway's storage are left untouched
        for now (a deletion policy comes later).
        """
        self.nudger.cancel(definition_name)
        deleted = await writers.delete_apiservices(self.client, definition_name)
        log.info("api definition cleaned up", definition=definition_name, apiservices=deleted)

    async def reconcile_all(self) -> None:
        """Reconcile every ApiDefinition now (after the CA was replaced: new caBundles)."""
        listing = await self.client.get(DEFINITIONS)
        for body in listing.get("items", []):
            if body.get("metadata", {}).get("deletionTimestamp"):
                continue
            try:
                await self.reconcile(body)
            except Exception:  # one broken definition must not starve the others
                log.exception("reconcile failed", definition=body["metadata"]["name"])

    async def _not_accepted(self, name: str, generation: int, names: cond.Condition) -> None:
        now = self._clock()
        await update_status(
            self.client,
            name,
            lambda current: not_accepted_status(current, names, generation=generation, now=now),
        )

    async def _blocked(self, name: str, generation: int, reason: str, message: str) -> None:
        now = self._clock()
        updates = [cond.names_accepted(), cond.not_established(reason, message)]
        await update_status(
            self.client,
            name,
            lambda current: next_status(current, updates, generation=generation, now=now),
        )
