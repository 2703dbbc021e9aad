"""Server-side Table cells of additionalPrinterColumns against a CRD's, in the same
kube-apiserver: one CRD with many columns (each type, JSONPaths kube accepts as "simple":
indexes, slices, wildcards, filters, recursive descent, quoted keys) over objects whose
values are of every JSON shape; kube-apiserver's Table of them (as=Table, includeObject=None)
must be the one the gateway's TableConverter makes of the same objects, cell for cell, and
the column definitions the same.

`date` cells are ages: the dates are years old, so kube's clock and this one agree on them
(HumanDuration counts days at that age).

It found: an integer column over a float beyond int64 (1e30) made a Python int the Table
could not encode (a 500; kube gives Go's int64 conversion, -2**63), as did a number column
over a whole float between 2**64 and 1e21; and that kube stores 3.0 as 3 and -0.0 as 0
(storage/codec.py now does too).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from annex_controlplane import ControlPlane
from annex_core import apidef
from annex_core.kube import KubeClient
from annex_gateway.endpoints.jsonbody import decode_json
from annex_gateway.endpoints.limits import DecodeLimits
from annex_gateway.endpoints.table import IncludeObject, TableConverter
from annex_gateway.storage import codec
from tests.helpers import Kubectl, namespaced_api_definition, namespaced_crd

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

GROUP = "columns.example.com"
TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io"

# What the objects hold under spec: every JSON shape, and the edges of Go's numbers.
VALUES: dict[str, Any] = {
    "s": "text",
    "i": 5,
    "f": 5.7,
    "negf": -5.7,
    "whole": 3.0,
    "big": 9007199254740993,
    "overint": 12345678901234567890,
    "huge": 1e30,
    "e": 1e21,
    "below": 1e20,
    "tiny": 1e-7,
    "neg0": -0.0,
    "b": True,
    "n": None,
    "l": [1, "two", 3.5, None, True],
    "m": {"a": 1, "b": [1, 2], "c": {"d": "e"}},
    "objs": [{"name": "a", "v": 1}, {"name": "b", "v": 2}, {"v": 3}],
    "dotted.key": "quoted",
    "emptys": "",
    "emptyl": [],
    "emptym": {},
    "unicode": "żółw ✓",
    "html": "<a href='x'>&amp;</a>",
    "num_s": "42",
    "bool_s": "true",
    "date": "2020-01-01T00:00:00Z",
    "dateonly": "2020-01-01",
    "frac": "2020-01-01T00:00:00.123456Z",
    "tz": "2020-01-01T05:00:00+02:00",
    "zero": "0001-01-01T00:00:00Z",
    "future": "2999-01-01T00:00:00Z",
}

# (type, JSONPath, format); named c0, c1, ... in this order.
COLUMNS: list[tuple[str, str, str]] = [
    *(
        ("string", f".spec.{k}", "")
        for k in (
            "s",
            "i",
            "f",
            "negf",
            "whole",
            "big",
            "overint",
            "huge",
            "e",
            "below",
            "tiny",
            "neg0",
            "b",
            "n",
            "l",
            "m",
            "objs",
            "emptys",
            "emptyl",
            "emptym",
            "unicode",
            "html",
            "missing",
        )
    ),
    ("string", ".spec.l[0]", ""),
    ("string", ".spec.l[-1]", ""),
    ("string", ".spec.l[9]", ""),
    ("string", ".spec.l[1:3]", ""),
    ("string", ".spec.l[*]", ""),
    ("string", ".spec.objs[*].name", ""),
    ("string", '.spec.objs[?(@.name=="b")].v', ""),
    ("string", ".spec..name", ""),
    ("string", ".spec.m.c.d", ""),
    ("string", ".spec['dotted.key']", ""),
    ("string", ".spec.s.x", ""),
    ("string", ".metadata.labels.app", "password"),
    ("string", ".spec", ""),
    *(
        ("integer", f".spec.{k}", "int64")
        for k in (
            "i",
            "f",
            "negf",
            "whole",
            "big",
            "overint",
            "huge",
            "e",
            "s",
            "num_s",
            "b",
            "n",
            "l",
        )
    ),
    *(
        ("number", f".spec.{k}", "double")
        for k in (
            "i",
            "f",
            "whole",
            "big",
            "overint",
            "huge",
            "e",
            "below",
            "tiny",
            "neg0",
            "s",
            "b",
        )
    ),
    *(("boolean", f".spec.{k}", "") for k in ("b", "bool_s", "i", "n")),
    *(
        ("date", f".spec.{k}", "date-time")
        for k in ("date", "dateonly", "frac", "tz", "zero", "future", "emptys", "s", "i", "n")
    ),
]


def version() -> dict[str, Any]:
    columns = [
        {"name": f"c{i}", "type": t, "jsonPath": path}
        | ({"format": fmt} if fmt else {})
        | ({"priority": 1, "description": f"column {i}"} if i % 5 == 0 else {})
        for i, (t, path, fmt) in enumerate(COLUMNS)
    ]
    schema = {
        "type": "object",
        "properties": {"spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}},
    }
    return {
        "name": "v1",
        "served": True,
        "storage": True,
        "schema": {"openAPIV3Schema": schema},
        "additionalPrinterColumns": columns,
    }


def objects() -> list[dict[str, Any]]:
    def thing(name: str, spec: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
        meta = {"name": name, "namespace": "default", "labels": labels}
        return {"apiVersion": f"{GROUP}/v1", "kind": "Column", "metadata": meta, "spec": spec}

    return [
        thing("full", VALUES, {"app": "shop"}),
        thing("empty", {}, {}),
        # Each value moved to the next key: every column meets another shape.
        thing(
            "shifted",
            dict(zip(VALUES, [*list(VALUES.values())[1:], "x"], strict=True)),
            {"app": ""},
        ),
    ]


async def test_table_cells_are_a_crds(control_plane: ControlPlane, tmp_path: Path) -> None:
    crd = namespaced_crd(GROUP, "columns", "Column", {})
    crd["spec"]["versions"] = [version()]
    kubectl = Kubectl(control_plane.kubeconfig, tmp_path / "kubectl-cache")
    await kubectl("apply", "-f", "-", stdin=json.dumps(crd))
    await kubectl("wait", "--for=condition=Established", f"crd/columns.{GROUP}", "--timeout=60s")
    definition = apidef.parse(namespaced_api_definition(GROUP, "columns", "Column", [version()]))
    ((_, served), *_) = definition.resources_in("v1")
    converter = TableConverter.for_columns(served.printer_columns)
    sent = objects()
    path = f"/apis/{GROUP}/v1/namespaces/default/columns"
    async with await KubeClient.connect(control_plane.kubeconfig) as client:
        for obj in sent:
            await client.create(path, obj)
        kube = await client.request("GET", path, params={"includeObject": "None"}, accept=TABLE)
    # As the gateway decodes a body (integers beyond int64 become float64, as in Go), then
    # stores it and reads it back (whole floats become integers, as in kube's storage).
    stored = [
        codec.decode(codec.encode(decode_json(json.dumps(obj).encode(), DecodeLimits()), 1))
        for obj in sent
    ]
    table = converter.to_table(
        sorted(stored, key=lambda o: o["metadata"]["name"]),  # kube lists in key order
        list_meta={},
        include_object=IncludeObject.NONE,
        now=datetime.now(UTC),
    )
    annex = orjson.loads(orjson.dumps(table))  # as the gateway sends it
    assert annex["columnDefinitions"] == kube["columnDefinitions"]
    assert [r["cells"][0] for r in kube["rows"]] == ["empty", "full", "shifted"]
    differences = [
        f"{row['cells'][0]} c{i - 1} {COLUMNS[i - 1][:2]}: "
        f"kube {row['cells'][i]!r}, annex {mine['cells'][i]!r}"
        for row, mine in zip(kube["rows"], annex["rows"], strict=True)
        for i in range(1, len(kube["columnDefinitions"]))
        if not _same(row["cells"][i], mine["cells"][i])
    ]
    assert not differences, "\n".join(differences)


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values: the same type too (5 is not 5.0, nor True 1)."""
    return type(a) is type(b) and a == b
