"""List items that are not the stored bytes (defaults applied on read, another version's
apiVersion) are encoded once per revision and kept, as kube's watch cache keeps them decoded."""

from __future__ import annotations

from typing import Any

import orjson

from annex_gateway.endpoints import responses
from annex_gateway.endpoints.encodedcache import RevisionMarks
from annex_gateway.registry.listing import Page
from annex_gateway.registry.resource import ResourceInfo


def _info(calls: list[str]) -> ResourceInfo:
    def read_defaults(obj: dict[str, Any]) -> bool:
        calls.append(obj["metadata"]["name"])
        spec = obj.setdefault("spec", {})
        applied = "replicas" not in spec
        spec.setdefault("replicas", 1)
        return applied

    return ResourceInfo(
        "widgets.example.com",
        "v1",
        "v1",
        "widgets",
        "Widget",
        "WidgetList",
        True,
        read_defaulter=read_defaults,
    )


def _body(name: str, revision: int, spec: dict[str, Any], kind: str | None = None) -> bytes:
    metadata = {"name": name, "namespace": "default", "resourceVersion": str(revision)}
    obj = {"apiVersion": "widgets.example.com/v1", "metadata": metadata, "spec": spec}
    return orjson.dumps({**obj, "kind": kind} if kind else obj, option=orjson.OPT_SORT_KEYS)


def _expected(info: ResourceInfo, bodies: list[bytes]) -> bytes:
    served = (info.to_served(orjson.loads(b)) for b in bodies)
    return b",".join(orjson.dumps(s, option=orjson.OPT_SORT_KEYS) for s in served)


def test_served_items_are_encoded_once_per_revision() -> None:
    calls: list[str] = []
    info = _info(calls)
    bodies = [_body("a", 11, {}), _body("b", 12, {"replicas": 3})]
    expected = _expected(info, bodies)
    calls.clear()
    assert responses._served(info, Page(bodies, [11, 12])) == expected
    assert calls == ["a", "b"]
    assert responses._served(info, Page(bodies, [11, 12])) == expected
    assert calls == ["a", "b"]  # kept: not decoded nor defaulted again
    assert b'"replicas":1' in expected


def test_items_without_revisions_or_of_another_compiled_form_are_made_afresh() -> None:
    calls: list[str] = []
    info, reloaded = _info(calls), _info(calls)
    bodies = [_body("a", 21, {})]
    responses._served(info, Page(bodies, [21]))
    calls.clear()
    responses._served(info, Page(bodies, None))  # a scan of an old snapshot: no revisions
    responses._served(reloaded, Page(bodies, [21]))  # a reloaded route table
    assert calls == ["a", "a"]


def test_items_written_under_the_current_schema_are_sent_as_stored() -> None:
    calls: list[str] = []
    info = _info(calls)
    defaulted = _body("a", 31, {"replicas": 2}, kind="Widget")  # its defaults in it already
    missing = _body("b", 32, {}, kind="Widget")  # written before the default existed
    other_kind = _body("c", 33, {"replicas": 2})  # not the served object as it stands
    bodies = [defaulted, missing, other_kind]
    expected = _expected(info, bodies)
    calls.clear()
    sent = responses._served(info, Page(bodies, [31, 32, 33]))
    assert sent == expected
    assert sent.startswith(defaulted + b",")  # the stored bytes themselves
    assert (info.serial, 31) in responses.AS_STORED
    assert responses.SERVED.get((info.serial, 31)) is None
    assert (info.serial, 32) not in responses.AS_STORED
    assert responses.SERVED.get((info.serial, 32)) is not None
    calls.clear()
    assert responses._served(info, Page(bodies, [31, 32, 33])) == expected
    assert calls == []  # every item kept: none decoded again


def test_marks_are_kept_per_maker_and_dropped_together_when_full() -> None:
    marks = RevisionMarks(limit=3)
    marks.add(("info", 1))
    marks.add(("info", 1))  # once
    marks.add(("other", 1))
    assert ("info", 1) in marks
    assert ("other", 1) in marks
    assert ("info", 2) not in marks
    assert len(marks) == 2
    marks.add(("info", 2))
    marks.add(("info", 3))  # the fourth: all go, then this one is kept
    assert len(marks) == 1
    assert ("info", 3) in marks
    assert ("info", 1) not in marks
    assert ("other", 1) not in marks
