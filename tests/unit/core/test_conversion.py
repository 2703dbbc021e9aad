"""spec.resources[].conversion: parsing, checks, and the declarative converter."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annex_core import apidef
from annex_core.conversion import DeclarativeConverter

JSON = dict[str, Any]


def definition(conversion: object, versions: tuple[str, ...] = ("v1alpha1", "v1")) -> JSON:
    return {
        "metadata": {"name": "images.example.com"},
        "spec": {
            "group": "images.example.com",
            "resources": [
                {
                    "names": {"plural": "images", "kind": "Image"},
                    "versions": [
                        {"name": v, "served": True, "storage": i == len(versions) - 1}
                        for i, v in enumerate(versions)
                    ],
                    "conversion": conversion,
                }
            ],
        },
    }


def move(a: str, pa: str, b: str, pb: str) -> JSON:
    return {"from": {"version": a, "path": pa}, "to": {"version": b, "path": pb}}


def declarative(*rules: JSON) -> JSON:
    return {"strategy": "Declarative", "declarative": {"rules": list(rules)}}


def errors_of(conversion: object, versions: tuple[str, ...] = ("v1alpha1", "v1")) -> list[str]:
    with pytest.raises(apidef.DefinitionError) as e:
        apidef.parse(definition(conversion, versions))
    return [str(err) for err in e.value.errors]


def converter(*rules: JSON, versions: tuple[str, ...] = ("v1alpha1", "v1")) -> DeclarativeConverter:
    resource = apidef.parse(definition(declarative(*rules), versions)).resources[0]
    return DeclarativeConverter(versions, resource.conversion.rules)


def test_none_by_default_and_explicitly() -> None:
    assert apidef.parse(definition(None)).resources[0].conversion.strategy == "None"
    assert apidef.parse(definition({"strategy": "None"})).resources[0].conversion.strategy == "None"


def test_declarative_rules_parsed_in_chain_order() -> None:
    rule = move("v1", "spec.baseImage", "v1alpha1", ".spec.image")  # written backwards
    conversion = apidef.parse(definition(declarative(rule))).resources[0].conversion
    assert conversion.strategy == "Declarative"
    (parsed,) = conversion.rules
    assert (parsed.from_version, parsed.from_path) == ("v1alpha1", ("spec", "image"))
    assert (parsed.to_version, parsed.to_path) == ("v1", ("spec", "baseImage"))


def test_webhook_parsed() -> None:
    conversion = (
        apidef.parse(
            definition(
                {
                    "strategy": "Webhook",
                    "webhook": {
                        "clientConfig": {
                            "service": {"namespace": "ns", "name": "conv", "path": "/convert"}
                        },
                        "conversionReviewVersions": ["v1"],
                        "timeoutSeconds": 3,
                    },
                }
            )
        )
        .resources[0]
        .conversion
    )
    assert conversion.webhook is not None
    assert conversion.webhook.url == "https://conv.ns.svc:443/convert"
    assert conversion.webhook.timeout_seconds == 3


@pytest.mark.parametrize(
    ("conversion", "expected"),
    [
        (
            {"strategy": "Magic"},
            'spec.resources[0].conversion.strategy: Unsupported value: "Magic"',
        ),
        ({"strategy": "Declarative"}, "spec.resources[0].conversion.declarative: Required value"),
        ({"strategy": "Webhook"}, "spec.resources[0].conversion.webhook: Required value"),
        (
            {"strategy": "None", "webhook": {}},
            "spec.resources[0].conversion.webhook: Forbidden: should not be set",
        ),
        (
            declarative(move("v1alpha1", "spec.image", "v2", "spec.baseImage")),
            "rules[0].to.version: Invalid value: 'v2': must be one of the resource's versions",
        ),
        (
            declarative(move("v1alpha1", "metadata.name", "v1", "spec.name")),
            "rules[0].from.path: Forbidden",
        ),
        (
            declarative(move("v1alpha1", "spec..image", "v1", "spec.baseImage")),
            "rules[0].from.path: Invalid value: 'spec..image'",
        ),
        (
            declarative(
                move("v1alpha1", "spec.image", "v1", "spec.baseImage"),
                move("v1alpha1", "spec.image", "v1", "spec.other"),
            ),
            "spec.image and spec.image: between v1alpha1 and v1 each from path must be moved once",
        ),
        (
            declarative(
                move("v1alpha1", "spec.a", "v1", "spec.x"),
                move("v1alpha1", "spec.b", "v1", "spec.x.y"),
            ),
            "spec.x and spec.x.y: between v1alpha1 and v1 each to path",
        ),
        (
            {
                "strategy": "Webhook",
                "webhook": {"clientConfig": {"url": "http://plain/convert"}},
            },
            "'https' is the only allowed URL scheme",
        ),
    ],
)
def test_invalid_conversions(conversion: object, expected: str) -> None:
    assert any(expected in e for e in errors_of(conversion)), errors_of(conversion)


def test_rules_relate_neighbouring_versions() -> None:
    rule = move("v1alpha1", "spec.image", "v1", "spec.baseImage")
    found = errors_of(declarative(rule), ("v1alpha1", "v1beta1", "v1"))
    assert any("a rule relates two neighbouring versions" in e for e in found), found


def test_move_and_back() -> None:
    c = converter(move("v1alpha1", "spec.image", "v1", "spec.baseImage"))
    old = {"apiVersion": "images.example.com/v1alpha1", "spec": {"image": "x", "size": 3}}
    new = c.convert(copy.deepcopy(old), "v1alpha1", "v1")
    assert new["spec"] == {"baseImage": "x", "size": 3}
    assert c.convert(new, "v1", "v1alpha1") == old
    assert c.identity("v1", "v1")
    assert not c.identity("v1alpha1", "v1")


def test_move_between_parents_removes_the_emptied_parent_and_restores_it() -> None:
    c = converter(move("v1alpha1", "spec.source.image", "v1", "spec.baseImage"))
    old = {"spec": {"source": {"image": "x"}}, "status": {}}
    new = c.convert(copy.deepcopy(old), "v1alpha1", "v1")
    assert new == {"spec": {"baseImage": "x"}, "status": {}}
    assert c.convert(new, "v1", "v1alpha1") == old


def test_absent_fields_move_nothing() -> None:
    c = converter(move("v1alpha1", "spec.image", "v1", "spec.baseImage"))
    assert c.convert({"spec": {"size": 1}}, "v1alpha1", "v1") == {"spec": {"size": 1}}


def test_swap_within_one_step() -> None:
    c = converter(
        move("v1alpha1", "spec.a", "v1", "spec.b"), move("v1alpha1", "spec.b", "v1", "spec.a")
    )
    assert c.convert({"spec": {"a": 1, "b": 2}}, "v1alpha1", "v1") == {"spec": {"a": 2, "b": 1}}


def test_chain_of_three_versions() -> None:
    c = converter(
        move("v1alpha1", "spec.image", "v1beta1", "spec.imageRef"),
        move("v1beta1", "spec.imageRef", "v1", "spec.base.image"),
        move("v1beta1", "status.ok", "v1", "status.ready"),
        versions=("v1alpha1", "v1beta1", "v1"),
    )
    old = {"spec": {"image": "x"}, "status": {"ok": True}}
    new = c.convert(copy.deepcopy(old), "v1alpha1", "v1")
    assert new == {"spec": {"base": {"image": "x"}}, "status": {"ready": True}}
    middle = c.convert(copy.deepcopy(new), "v1", "v1beta1")
    assert middle == {"spec": {"imageRef": "x"}, "status": {"ok": True}}
    assert c.convert(new, "v1", "v1alpha1") == old


def test_unknown_version_is_left_as_it_is() -> None:
    c = converter(move("v1alpha1", "spec.image", "v1", "spec.baseImage"))
    assert c.convert({"spec": {"image": "x"}}, "v0", "v1") == {"spec": {"image": "x"}}


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "c"]), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=200, derandomize=True)
@given(
    image=values,
    size=values,
    other=st.dictionaries(st.sampled_from(["x", "y"]), values, max_size=2),
)
def test_round_trip_of_objects_valid_at_their_version(
    image: object, size: object, other: JSON
) -> None:
    """An object of v1alpha1's shape (no v1-only fields) comes back unchanged from v1."""
    c = converter(
        move("v1alpha1", "spec.source.image", "v1", "spec.baseImage"),
        move("v1alpha1", "spec.size", "v1", "sizing.size"),
    )
    spec: JSON = {"source": {"image": image}, "size": size, **other}
    old = {"apiVersion": "images.example.com/v1alpha1", "metadata": {"name": "a"}, "spec": spec}
    there = c.convert(copy.deepcopy(old), "v1alpha1", "v1")
    assert "source" not in there["spec"]
    assert "size" not in there["spec"]
    assert c.convert(there, "v1", "v1alpha1") == old
