"""The reconciler end to end against a small in-memory stand-in for kube-apiserver."""

from __future__ import annotations

import copy
from typing import Any, cast

from annex_core.kube import KubeClient
from annex_operator import writers
from annex_operator.reconcile import Reconciler
from annex_operator.settings import OperatorSettings
from annex_operator.status import definition_path
from tests.unit.operator import samples

CA = b"-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n"
APISERVICES = "/apis/apiregistration.k8s.io/v1/apiservices"


class Cluster:
    """Objects by path. An APIService turns Available as soon as it is applied, but the apply
    answers with it as written (kube-aggregator's status update comes after): the race the
    reconciler must not lose."""

    def __init__(self, definition: dict[str, Any]) -> None:
        definition["metadata"]["resourceVersion"] = "1"
        self.objects: dict[str, dict[str, Any]] = {definition_path(samples.GROUP): definition}

    async def list_metadata(self, path: str, **params: Any) -> dict[str, Any]:
        return {"items": []}

    async def get(self, path: str, **params: Any) -> dict[str, Any]:
        assert path == APISERVICES, path
        return {"items": [copy.deepcopy(o) for p, o in self.objects.items() if p.startswith(path)]}

    async def get_or_none(self, path: str) -> dict[str, Any] | None:
        found = self.objects.get(path)
        return copy.deepcopy(found) if found is not None else None

    async def apply(self, path: str, obj: dict[str, Any], **options: Any) -> dict[str, Any]:
        written = copy.deepcopy(obj)
        if path.startswith(APISERVICES):
            stored = copy.deepcopy(written)
            stored["status"] = samples.apiservice("x", available="True")["status"]
            self.objects[path] = stored
        else:
            self.objects[path] = written
        return written

    async def merge_patch(self, path: str, patch: dict[str, Any]) -> dict[str, Any]:
        target = self.objects[path.removesuffix("/status")]
        status = {k: v for k, v in patch["status"].items() if v is not None}
        target["status"] = status
        return copy.deepcopy(target)


class Certificates:
    async def ensure(self) -> writers.EnsuredCertificates:
        return writers.EnsuredCertificates(CA, False, False)


class Nudges:
    def schedule(self, *args: Any) -> None:
        pass


async def test_an_apiservice_available_before_the_status_write_is_mirrored() -> None:
    cluster = Cluster(samples.body())
    reconciler = Reconciler(
        cast(KubeClient, cluster),
        OperatorSettings(),
        cast(writers.CertificateKeeper, Certificates()),
        cast(Any, Nudges()),
    )
    await reconciler.reconcile(samples.body())
    status = cluster.objects[definition_path(samples.GROUP)]["status"]
    available = next(c for c in status["conditions"] if c["type"] == "Available")
    assert available["status"] == "True"
    # and the impact webhook is written, last
    assert list(cluster.objects)[-1] == (
        "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/"
        "impact.apidefinitions.annex.dev"
    )
