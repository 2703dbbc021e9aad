"""Every string format kube-apiserver 1.37 validates, against a CRD's, in the same
kube-apiserver: one CRD with a property of each format; one object with a valid value in
each (created by both), one with an invalid value in each: the 422's causes must be the ones
the gateway's schema admission reports, in the same words (kube orders sibling properties as
Go iterates a map, at random, so the causes are compared sorted).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annex_controlplane import ControlPlane
from annex_core.kube import KubeApiError, KubeClient
from annex_gateway.admission.schema import compile_schema
from tests.helpers import Kubectl, namespaced_crd

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

GROUP = "formats.example.com"
# format -> (a valid value, an invalid one; None: nothing is invalid)
FORMATS: dict[str, tuple[str, str | None]] = {
    "bsonobjectid": ("507f1f77bcf86cd799439011", "xyz"),
    "uri": ("https://a.com/p?q=1", "ftp://a b.com/"),
    "email": ("a@b.com", "not-an-email"),
    "hostname": ("a.example.com", "-bad-.com"),
    "ipv4": ("1.2.3.4", "1.2.3.256"),
    "ipv6": ("::1", "1::2::3"),
    "cidr": ("10.0.0.0/8", "10.0.0.0/33"),
    "mac": ("00:1a:2b:3c:4d:5e", "00:1a:2b"),
    "uuid": ("123e4567-e89b-12d3-a456-426614174000", "123"),
    "uuid3": ("a3bb189e-8bf9-3888-9912-ace4e6543002", "a3bb189e-8bf9-4888-9912-ace4e6543002"),
    "uuid4": ("a3bb189e-8bf9-4888-9912-ace4e6543002", "a3bb189e-8bf9-3888-9912-ace4e6543002"),
    "uuid5": ("a3bb189e-8bf9-5888-9912-ace4e6543002", "a3bb189e-8bf9-4888-9912-ace4e6543002"),
    "isbn": ("978-3-16-148410-0", "123"),
    "isbn10": ("0-306-40615-2", "0-306-40615-3"),
    "isbn13": ("978-3-16-148410-0", "978-3-16-148410-1"),
    "creditcard": ("4111111111111111", "4111111111111112"),
    "ssn": ("123-45-6789", "123-456-789"),
    "hexcolor": ("#fff", "#ggg"),
    "rgbcolor": ("rgb(1,2,3)", "rgb(1,2)"),
    "byte": ("aGVsbG8=", "not base64!"),
    "password": ("x", None),
    "date": ("2020-01-01", "2020-13-01"),
    "duration": ("1h", "an hour"),
    "datetime": ("2020-01-01T00:00:00Z", "2020-01-01 00:00"),
    "date-time": ("2020-01-01T00:00:00Z", "yesterday"),
}


def field(fmt: str) -> str:
    return fmt.replace("-", "_")


def schema() -> dict[str, Any]:
    properties = {field(f): {"type": "string", "format": f} for f in FORMATS}
    return {"type": "object", "properties": {"spec": {"type": "object", "properties": properties}}}


async def test_formats_validate_as_in_a_crd(control_plane: ControlPlane, tmp_path: Path) -> None:
    kubectl = Kubectl(control_plane.kubeconfig, tmp_path / "kubectl-cache")
    await kubectl(
        "apply", "-f", "-", stdin=json.dumps(namespaced_crd(GROUP, "things", "Thing", schema()))
    )
    await kubectl("wait", "--for=condition=Established", f"crd/things.{GROUP}", "--timeout=60s")
    admission = compile_schema(schema())
    assert admission is not None
    specs = {
        "valid": {field(f): good for f, (good, _) in FORMATS.items()},
        "invalid": {field(f): bad for f, (_, bad) in FORMATS.items() if bad is not None},
    }
    async with await KubeClient.connect(control_plane.kubeconfig) as client:
        for name, spec in specs.items():
            obj = {
                "apiVersion": f"{GROUP}/v1",
                "kind": "Thing",
                "metadata": {"name": name, "namespace": "default"},
                "spec": spec,
            }
            kube: list[tuple[str, str]] = []
            if name == "valid":
                await client.create(f"/apis/{GROUP}/v1/namespaces/default/things", obj)
            else:
                with pytest.raises(KubeApiError) as refused:
                    await client.create(f"/apis/{GROUP}/v1/namespaces/default/things", obj)
                assert refused.value.status == 422
                causes = refused.value.body["details"]["causes"]
                kube = [(c["field"], c["message"]) for c in causes]
            annex = [(e.field, e.message) for e in admission.validate(obj)]
            # kube's order among sibling properties is Go's map order (random): compared sorted
            assert sorted(annex) == sorted(kube), name
            assert len(kube) == (0 if name == "valid" else len(spec))
