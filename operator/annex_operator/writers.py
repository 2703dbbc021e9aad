"""Writes what the operator owns: the TLS Secret, the Service, the APIServices.

Everything goes through server-side apply under the operator's field manager, and nothing
is applied over an object that exists without our managed-by label: we never take over
an object someone else created.
"""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from annex_core import logs
from annex_core.apidef import ApiDefinition
from annex_core.kube import JSON, KubeClient, resource_path
from annex_operator import manifests
from annex_operator.certificates import (
    decode_secret_data,
    plan_certificates,
    serving_hosts,
)
from annex_operator.settings import OperatorSettings

log = logs.get(__name__)

APISERVICES = resource_path(manifests.APIREGISTRATION, "apiservices")


class OwnershipConflict(Exception):
    """An object we would write exists and is not ours (no managed-by label)."""

    def __init__(self, kind: str, name: str) -> None:
        self.kind = kind
        self.name = name
        super().__init__(
            f'{kind} "{name}" exists and is not managed by kube-annex; not taking it over'
        )


def _check_ours(kind: str, name: str, existing: Mapping[str, Any] | None) -> None:
    if existing is not None and not manifests.is_managed(existing):
        raise OwnershipConflict(kind, name)


def utcnow() -> datetime.datetime:
    """The operator's default clock (the reconciler's too); tests pass their own."""
    return datetime.datetime.now(datetime.UTC)


@dataclass(frozen=True)
class EnsuredCertificates:
    ca_pem: bytes
    ca_changed: bool
    serving_changed: bool


class CertificateKeeper:
    """Keeps `<namespace>/<tls_secret>` holding our CA and a current serving certificate.

    Calls are serialised: the start-up check, the periodic renewal and concurrent reconciles
    would otherwise each mint a CA and the last write would win, leaving caBundles stale.
    """

    def __init__(
        self,
        client: KubeClient,
        settings: OperatorSettings,
        clock: Callable[[], datetime.datetime] = utcnow,
    ) -> None:
        self._client = client
        self._settings = settings
        self._clock = clock
        self._lock = asyncio.Lock()
        self._path = resource_path(
            "v1", "secrets", namespace=settings.namespace, name=settings.tls_secret
        )

    async def ensure(self) -> EnsuredCertificates:
        async with self._lock:
            existing = await self._client.get_or_none(self._path)
            _check_ours(
                "Secret", f"{self._settings.namespace}/{self._settings.tls_secret}", existing
            )
            data = decode_secret_data((existing or {}).get("data"))
            # Key generation and signing are CPU work: keep them off the event loop.
            plan = await asyncio.to_thread(
                plan_certificates, data, serving_hosts(self._settings), self._clock()
            )
            if existing is None or plan.changed or existing.get("type") != "kubernetes.io/tls":
                secret = manifests.tls_secret(self._settings, plan.secret_data())
                await self._client.apply(
                    self._path, secret, field_manager=self._settings.field_manager
                )
                log.info(
                    "tls secret written",
                    secret=self._settings.tls_secret,
                    new_ca=plan.ca_changed,
                    new_serving_certificate=plan.serving_changed,
                    not_after=plan.serving.not_after().isoformat(),
                )
            return EnsuredCertificates(plan.ca.cert_pem, plan.ca_changed, plan.serving_changed)


async def _apply_ours(
    client: KubeClient, settings: OperatorSettings, kind: str, name: str, path: str, obj: JSON
) -> None:
    """Server-side apply `obj` at `path`, unless something not ours is there."""
    _check_ours(kind, name, await client.get_or_none(path))
    await client.apply(path, obj, field_manager=settings.field_manager)


async def ensure_service(client: KubeClient, settings: OperatorSettings) -> None:
    path = resource_path("v1", "services", namespace=settings.namespace, name=settings.service_name)
    name = f"{settings.namespace}/{settings.service_name}"
    await _apply_ours(client, settings, "Service", name, path, manifests.service(settings))


async def ensure_impact_webhook(
    client: KubeClient, settings: OperatorSettings, ca_pem: bytes
) -> None:
    """The ApiDefinition admission webhook (manifests.impact_webhook), ours alone."""
    name = manifests.IMPACT_WEBHOOK
    path = resource_path(
        manifests.ADMISSIONREGISTRATION, "validatingwebhookconfigurations", name=name
    )
    obj = manifests.impact_webhook(settings, ca_pem)
    await _apply_ours(client, settings, "ValidatingWebhookConfiguration", name, path, obj)


async def list_apiservices(
    client: KubeClient, labels: Mapping[str, str] | None = None
) -> list[JSON]:
    params = {"labelSelector": manifests.label_selector(labels)} if labels else {}
    items: list[JSON] = (await client.get(APISERVICES, **params)).get("items", [])
    return items


async def apply_apiservices(
    client: KubeClient,
    settings: OperatorSettings,
    definition: ApiDefinition,
    ca_pem: bytes,
    existing: Iterable[Mapping[str, Any]],
) -> list[JSON]:
    """Apply one APIService per served version; return them as stored (status included).

    `existing` is a recent listing of every APIService, used for the ownership check.
    """
    by_name = {str(s["metadata"]["name"]): s for s in existing}
    desired = manifests.apiservices(definition, settings, ca_pem)
    for obj in desired:
        name = obj["metadata"]["name"]
        _check_ours("APIService", name, by_name.get(name))
    applied = []
    for obj in desired:
        path = resource_path(manifests.APIREGISTRATION, "apiservices", name=obj["metadata"]["name"])
        applied.append(await client.apply(path, obj, field_manager=settings.field_manager))
    return applied


async def delete_apiservices(
    client: KubeClient,
    definition_name: str,
    *,
    keep: Iterable[str] = (),
    existing: Iterable[Mapping[str, Any]] | None = None,
) -> list[str]:
    """Delete the definition's APIServices except `keep`; return the names.

    `existing` is a recent listing of every APIService (the reconciler's, taken for the
    conflict and ownership checks): the definition's are picked from it. Without one, they
    are listed by our labels.
    """
    ours: Iterable[Mapping[str, Any]]
    if existing is None:
        ours = await list_apiservices(client, manifests.definition_labels(definition_name))
    else:
        ours = [s for s in existing if manifests.definition_name_of(s) == definition_name]
    keep = set(keep)
    deleted = []
    for svc in ours:
        name = str(svc["metadata"]["name"])
        if name in keep:
            continue
        await client.delete(resource_path(manifests.APIREGISTRATION, "apiservices", name=name))
        deleted.append(name)
    return deleted
