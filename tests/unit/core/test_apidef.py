"""ApiDefinition parsing and static validation (annex_core.apidef).

Field paths and reasons follow apiextensions-apiserver's CRD validation; the group rules
are ours (one ApiDefinition per API group, never a Kubernetes or kube-annex group).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from annex_core import apidef
from annex_core.apidef import DefinitionError, FieldError
from annex_core.schema import names

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "images" / "apidefinition.yaml"
GROUP = "widgets.example.com"


def definition(**resource_overrides: Any) -> dict[str, Any]:
    """A minimal valid ApiDefinition with one resource; keys override the resource."""
    resource: dict[str, Any] = {
        "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
        "scope": "Namespaced",
        "versions": [{"name": "v1", "served": True, "storage": True}],
        **resource_overrides,
    }
    return {
        "apiVersion": apidef.API_VERSION,
        "kind": apidef.KIND,
        "metadata": {"name": GROUP},
        "spec": {"group": GROUP, "resources": [resource]},
    }


def resource(plural: str, kind: str, **names: Any) -> dict[str, Any]:
    return {
        "names": {"plural": plural, "kind": kind, **names},
        "versions": [{"name": "v1", "served": True, "storage": True}],
    }


def errors_of(obj: dict[str, Any]) -> list[FieldError]:
    with pytest.raises(DefinitionError) as caught:
        apidef.parse(obj)
    return list(caught.value.errors)


def only_error(obj: dict[str, Any]) -> FieldError:
    errors = errors_of(obj)
    assert len(errors) == 1, errors
    return errors[0]


# -- the example ----------------------------------------------------------------------------


def test_the_example_definition_parses() -> None:
    raw = yaml.safe_load(EXAMPLE.read_text())
    parsed = apidef.parse(raw)

    assert parsed.name == parsed.group == "images.example.com"
    assert parsed.served_versions == ("v1alpha1",)
    (images,) = parsed.resources
    assert images.names == apidef.Names(
        plural="images",
        singular="image",
        kind="Image",
        list_kind="ImageList",
        short_names=("img",),
        categories=("all",),
    )
    assert images.scope == "Namespaced"
    assert images.namespaced
    assert images.storage_version == "v1alpha1"
    (v1alpha1,) = images.versions
    assert v1alpha1.served
    assert v1alpha1.storage
    assert v1alpha1.status_subresource
    assert v1alpha1.scale_subresource is None
    assert v1alpha1.schema is not None
    assert v1alpha1.schema["properties"]["spec"]["required"] == ["baseImage"]
    assert [(c.name, c.type, c.json_path) for c in v1alpha1.printer_columns] == [
        ("Base", "string", ".spec.baseImage"),
        ("Phase", "string", ".status.phase"),
        ("Age", "date", ".metadata.creationTimestamp"),
    ]
    assert images.version("v1alpha1") is v1alpha1
    assert images.version("v1") is None
    assert parsed.resources_in("v1alpha1") == ((images, v1alpha1),)


def test_defaults_singular_list_kind_and_scope() -> None:
    obj = definition(names={"plural": "widgets", "kind": "Widget"})
    del obj["spec"]["resources"][0]["scope"]
    obj["metadata"].update(uid="1234", generation=7)

    parsed = apidef.parse(obj)

    names = parsed.resources[0].names
    assert (names.singular, names.list_kind) == ("widget", "WidgetList")
    assert parsed.resources[0].scope == "Namespaced"


def test_scale_subresource_and_printer_column_details() -> None:
    obj = definition(
        versions=[
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "deprecated": True,
                "deprecationWarning": "use v2",
                "subresources": {
                    "status": {},
                    "scale": {
                        "specReplicasPath": ".spec.replicas",
                        "statusReplicasPath": ".status.replicas",
                        "labelSelectorPath": ".status.selector",
                    },
                },
                "additionalPrinterColumns": [
                    {
                        "name": "Replicas",
                        "type": "integer",
                        "format": "int32",
                        "description": "desired",
                        "priority": 1,
                        "jsonPath": ".spec.replicas",
                    }
                ],
            }
        ]
    )
    (version,) = apidef.parse(obj).resources[0].versions

    assert version.scale_subresource == apidef.ScaleSubresource(
        ".spec.replicas", ".status.replicas", ".status.selector"
    )
    assert version.printer_columns == (
        apidef.PrinterColumn("Replicas", "integer", ".spec.replicas", "int32", "desired", 1),
    )
    assert version.deprecated
    assert version.deprecation_warning == "use v2"


def test_a_cluster_scoped_resource() -> None:
    parsed = apidef.parse(definition(scope="Cluster"))
    assert parsed.resources[0].scope == "Cluster"
    assert not parsed.resources[0].namespaced


def test_every_error_is_reported_at_once() -> None:
    obj = definition(names={"plural": "Widgets", "kind": ""}, scope="Global")
    obj["metadata"]["name"] = "other.example.com"

    fields = {e.field for e in errors_of(obj)}

    # As for a CRD: without a kind, singular and listKind default to nothing and are required.
    assert fields == {
        "metadata.name",
        "spec.resources[0].names.plural",
        "spec.resources[0].names.kind",
        "spec.resources[0].names.singular",
        "spec.resources[0].names.listKind",
        "spec.resources[0].scope",
    }


def test_definition_error_message_lists_every_field() -> None:
    with pytest.raises(DefinitionError) as caught:
        apidef.parse(definition(scope="Global", names={"plural": "widgets", "kind": ""}))
    message = str(caught.value)
    assert "spec.resources[0].names.kind: Required value" in message
    assert 'spec.resources[0].scope: Unsupported value: "Global"' in message


# -- group ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "reason", "fragment"),
    [
        ("Widgets.Example.com", "FieldValueInvalid", "RFC 1123 subdomain"),
        ("widgets_example.com", "FieldValueInvalid", "RFC 1123 subdomain"),
        ("-widgets.example.com", "FieldValueInvalid", "RFC 1123 subdomain"),
        ("widgets..example.com", "FieldValueInvalid", "RFC 1123 subdomain"),
        ("a" * 250 + ".com", "FieldValueInvalid", "RFC 1123 subdomain"),
        ("widgets", "FieldValueInvalid", "at least one dot"),
        ("apps", "FieldValueInvalid", "at least one dot"),
        ("k8s.io", "FieldValueForbidden", "reserved"),
        ("kubernetes.io", "FieldValueForbidden", "reserved"),
        ("annex.dev", "FieldValueForbidden", "reserved"),
        ("widgets.k8s.io", "FieldValueForbidden", "reserved"),
        ("apps.kubernetes.io", "FieldValueForbidden", "reserved"),
    ],
)
def test_invalid_groups(group: str, reason: str, fragment: str) -> None:
    obj = definition()
    obj["metadata"]["name"] = obj["spec"]["group"] = group

    error = only_error(obj)

    assert (error.field, error.reason) == ("spec.group", reason)
    assert fragment in error.message
    assert apidef.group_errors(group) == [error]


@pytest.mark.parametrize("group", ["example.com", "a.b", "cluster.x-k8s.io", "k8s.io.example.com"])
def test_valid_groups(group: str) -> None:
    assert apidef.group_errors(group) == []


def test_group_is_required() -> None:
    obj = definition()
    del obj["spec"]["group"]
    error = only_error(obj)
    assert (error.field, error.reason) == ("spec.group", "FieldValueRequired")
    assert apidef.group_errors("") == [
        FieldError("spec.group", "FieldValueRequired", "Required value")
    ]


def test_group_errors_use_the_given_path() -> None:
    (error,) = apidef.group_errors("nodot", "spec.other")
    assert error.field == "spec.other"


def test_metadata_name_must_equal_the_group() -> None:
    obj = definition()
    obj["metadata"]["name"] = "gadgets.example.com"
    error = only_error(obj)
    assert (error.field, error.reason) == ("metadata.name", "FieldValueInvalid")
    assert "must be spec.group" in error.message


def test_metadata_name_is_required() -> None:
    obj = definition()
    del obj["metadata"]["name"]
    error = only_error(obj)
    assert (error.field, error.reason) == ("metadata.name", "FieldValueRequired")


def test_non_string_group_is_a_type_error() -> None:
    obj = definition()
    obj["spec"]["group"] = 42
    errors = errors_of(obj)
    assert FieldError("spec.group", "FieldValueTypeInvalid", "must be a string") in errors


def test_spec_must_be_an_object() -> None:
    obj = definition()
    obj["spec"] = ["not", "an", "object"]
    errors = errors_of(obj)
    assert FieldError("spec", "FieldValueTypeInvalid", "must be an object") in errors


# -- resources and names --------------------------------------------------------------------


def test_at_least_one_resource() -> None:
    obj = definition()
    obj["spec"]["resources"] = []
    error = only_error(obj)
    assert (error.field, error.reason) == ("spec.resources", "FieldValueRequired")


def test_resources_must_be_a_list_of_objects() -> None:
    obj = definition()
    obj["spec"]["resources"] = "widgets"
    error = only_error(obj)
    assert (error.field, error.reason) == ("spec.resources", "FieldValueTypeInvalid")


@pytest.mark.parametrize("key", ["plural", "kind"])
def test_plural_and_kind_are_required(key: str) -> None:
    obj = definition()
    del obj["spec"]["resources"][0]["names"][key]
    errors = errors_of(obj)
    assert (
        FieldError(f"spec.resources[0].names.{key}", "FieldValueRequired", "Required value")
        in errors
    )


# singular and listKind default from kind; set them so that only kind is wrong.
VALID_DERIVED = {"singular": "widget", "listKind": "WidgetList"}


@pytest.mark.parametrize(
    ("names", "field"),
    [
        ({"plural": "Widgets", "kind": "Widget"}, "plural"),
        ({"plural": "1widgets", "kind": "Widget"}, "plural"),
        ({"plural": "wid.gets", "kind": "Widget"}, "plural"),
        ({"plural": "w" * 64, "kind": "Widget"}, "plural"),
        ({"plural": "widgets", "singular": "Widget", "kind": "Widget"}, "singular"),
        ({"plural": "widgets", "singular": "wid_get", "kind": "Widget"}, "singular"),
        ({"plural": "widgets", "kind": "Widget", "shortNames": ["wd", "W-D"]}, "shortNames[1]"),
        ({"plural": "widgets", "kind": "Widget", "shortNames": ["-wd"]}, "shortNames[0]"),
        ({"plural": "widgets", "kind": "Wid.get", **VALID_DERIVED}, "kind"),
        ({"plural": "widgets", "kind": "9Widget", **VALID_DERIVED}, "kind"),
    ],
)
def test_names_must_be_dns1035_labels(names: dict[str, Any], field: str) -> None:
    error = only_error(definition(names=names))
    assert (error.field, error.reason) == (f"spec.resources[0].names.{field}", "FieldValueInvalid")


def test_kind_and_list_kind_must_differ() -> None:
    error = only_error(
        definition(names={"plural": "widgets", "kind": "Widget", "listKind": "Widget"})
    )
    assert (error.field, error.reason) == ("spec.resources[0].names.listKind", "FieldValueInvalid")


def test_short_names_must_be_strings() -> None:
    error = only_error(
        definition(names={"plural": "widgets", "kind": "Widget", "shortNames": "wd"})
    )
    assert (error.field, error.reason) == (
        "spec.resources[0].names.shortNames",
        "FieldValueTypeInvalid",
    )


@pytest.mark.parametrize(
    ("second", "field"),
    [
        (resource("widgets", "Gadget"), "plural"),
        (resource("gadgets", "Widget", singular="gadget", listKind="Widgets"), "kind"),
        (resource("gadgets", "Gadget", shortNames=["gd", "wd"]), "shortNames"),
        (resource("gadgets", "Gadget", listKind="WidgetList"), "listKind"),
    ],
)
def test_names_must_be_unique_within_the_group(second: dict[str, Any], field: str) -> None:
    obj = definition(names={"plural": "widgets", "kind": "Widget", "shortNames": ["wd"]})
    obj["spec"]["resources"].append(second)

    error = only_error(obj)

    assert (error.field, error.reason) == (
        f"spec.resources[1].names.{field}",
        "FieldValueDuplicate",
    )
    assert "already used by spec.resources[0]" in error.message


@pytest.mark.parametrize(
    "names",
    [
        {"plural": "fish", "kind": "Fish"},
        {"plural": "sheep", "singular": "sheep", "kind": "Sheep"},
        {"plural": "series", "kind": "Series", "shortNames": ["series"]},
    ],
)
def test_a_resource_may_repeat_its_own_names(names: dict[str, Any]) -> None:
    """Like a CRD (plural `fish`, kind `Fish`): only clashes between resources count."""
    parsed = apidef.parse(definition(names=names))
    assert parsed.resources[0].names.plural == names["plural"]


def test_singular_names_must_be_unique_within_the_group() -> None:
    """kubectl resolves singulars like plurals and short names: one namespace per group."""
    obj = definition()
    obj["spec"]["resources"].append(resource("gizmos", "Gizmo", singular="widget"))

    error = only_error(obj)

    assert (error.field, error.reason) == (
        "spec.resources[1].names.singular",
        "FieldValueDuplicate",
    )


def test_list_kinds_must_not_clash_with_kinds() -> None:
    obj = definition()
    obj["spec"]["resources"].append(resource("widgetlists", "WidgetList"))

    error = only_error(obj)

    assert (error.field, error.reason) == ("spec.resources[1].names.kind", "FieldValueDuplicate")


@pytest.mark.parametrize("field", ["categories", "listKind"])
def test_categories_and_list_kind_are_checked_like_crds(field: str) -> None:
    value: Any = ["All Things"] if field == "categories" else "Widget.List"
    error = only_error(definition(names={"plural": "widgets", "kind": "Widget", field: value}))
    suffix = "[0]" if field == "categories" else ""
    assert (error.field, error.reason) == (
        f"spec.resources[0].names.{field}{suffix}",
        "FieldValueInvalid",
    )


def test_scope_must_be_namespaced_or_cluster() -> None:
    error = only_error(definition(scope="Namespace"))
    assert (error.field, error.reason) == ("spec.resources[0].scope", "FieldValueNotSupported")
    assert 'supported values: "Cluster", "Namespaced"' in error.message


# -- versions -------------------------------------------------------------------------------


def test_at_least_one_version() -> None:
    error = only_error(definition(versions=[]))
    assert (error.field, error.reason) == ("spec.resources[0].versions", "FieldValueRequired")


def test_exactly_one_storage_version_none() -> None:
    error = only_error(definition(versions=[{"name": "v1", "served": True, "storage": False}]))
    assert (error.field, error.reason) == ("spec.resources[0].versions", "FieldValueInvalid")
    assert "exactly one version marked as storage version" in error.message


def test_exactly_one_storage_version_two() -> None:
    error = only_error(
        definition(
            versions=[
                {"name": "v1", "served": True, "storage": True},
                {"name": "v2", "served": True, "storage": True},
            ]
        )
    )
    assert (error.field, error.reason) == ("spec.resources[0].versions", "FieldValueInvalid")
    assert "exactly one version marked as storage version" in error.message


def test_at_least_one_served_version() -> None:
    error = only_error(definition(versions=[{"name": "v1", "served": False, "storage": True}]))
    assert (error.field, error.reason) == ("spec.resources[0].versions", "FieldValueInvalid")
    assert "at least one version marked as served" in error.message


def test_duplicate_version_names() -> None:
    """A CRD reports the whole list, rendered as Go marshals its internal versions."""
    error = only_error(
        definition(
            versions=[
                {"name": "v1", "served": True, "storage": True},
                {"name": "v1", "served": True, "storage": False},
            ]
        )
    )
    assert (error.field, error.reason) == ("spec.resources[0].versions", "FieldValueInvalid")
    assert error.message.startswith('Invalid value: [{"Name":"v1","Served":true,"Storage":true,')
    assert error.message.endswith("}]: must contain unique version names")


@pytest.mark.parametrize(
    ("version", "reason"),
    # a missing name is "" to a CRD: not a DNS-1035 label
    [({"name": "V1"}, "FieldValueInvalid"), ({}, "FieldValueInvalid")],
)
def test_version_names(version: dict[str, Any], reason: str) -> None:
    error = only_error(definition(versions=[{**version, "served": True, "storage": True}]))
    assert (error.field, error.reason) == ("spec.resources[0].versions[0].name", reason)


def test_an_unserved_version_is_not_served() -> None:
    parsed = apidef.parse(
        definition(
            versions=[
                {"name": "v1", "served": True, "storage": True},
                {"name": "v2", "served": False, "storage": False},
            ]
        )
    )
    assert parsed.served_versions == ("v1",)
    assert parsed.resources[0].version("v2") is None
    assert parsed.resources_in("v2") == ()


def test_scale_paths_are_required() -> None:
    obj = definition(
        versions=[{"name": "v1", "served": True, "storage": True, "subresources": {"scale": {}}}]
    )
    fields = {(e.field, e.reason) for e in errors_of(obj)}
    assert fields == {
        ("spec.resources[0].versions[0].subresources.scale.specReplicasPath", "FieldValueRequired"),
        (
            "spec.resources[0].versions[0].subresources.scale.statusReplicasPath",
            "FieldValueRequired",
        ),
    }


# -- printer columns ------------------------------------------------------------------------


def column(**overrides: Any) -> dict[str, Any]:
    return {"name": "Base", "type": "string", "jsonPath": ".spec.base", **overrides}


def with_columns(*columns: dict[str, Any]) -> dict[str, Any]:
    return definition(
        versions=[
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "additionalPrinterColumns": list(columns),
            }
        ]
    )


@pytest.mark.parametrize("ctype", ["integer", "number", "string", "boolean", "date"])
def test_printer_column_types(ctype: str) -> None:
    parsed = apidef.parse(with_columns(column(type=ctype)))
    assert parsed.resources[0].versions[0].printer_columns[0].type == ctype


def test_unsupported_printer_column_type() -> None:
    error = only_error(with_columns(column(), column(type="object")))
    assert error == FieldError(
        "spec.resources[0].versions[0].additionalPrinterColumns[1].type",
        "FieldValueInvalid",
        'Invalid value: "object": must be one of boolean,date,integer,number,string',
    )


@pytest.mark.parametrize(
    ("key", "field"), [("name", "name"), ("type", "type"), ("jsonPath", "JSONPath")]
)
def test_printer_column_required_fields(key: str, field: str) -> None:
    """A CRD names the missing jsonPath `JSONPath` (its Go field name)."""
    col = column()
    del col[key]
    error = only_error(with_columns(col))
    assert (error.field, error.reason) == (
        f"spec.resources[0].versions[0].additionalPrinterColumns[0].{field}",
        "FieldValueRequired",
    )


@pytest.mark.parametrize("priority", [-1, "high"])
def test_printer_column_priority(priority: Any) -> None:
    error = only_error(with_columns(column(priority=priority)))
    assert (error.field, error.reason) == (
        "spec.resources[0].versions[0].additionalPrinterColumns[0].priority",
        "FieldValueInvalid",
    )


def test_printer_columns_must_be_objects() -> None:
    error = only_error(with_columns("Base"))  # type: ignore[arg-type]
    assert (error.field, error.reason) == (
        "spec.resources[0].versions[0].additionalPrinterColumns",
        "FieldValueTypeInvalid",
    )


# -- version order --------------------------------------------------------------------------

KUBE_ORDER = [
    "v10",
    "v2",
    "v1",
    "v11beta2",
    "v10beta3",
    "v3beta1",
    "v12alpha1",
    "v11alpha2",
    "foo1",
    "foo10",
]


def test_version_sort_key_is_kubernetes_priority_order() -> None:
    shuffled = [KUBE_ORDER[i] for i in (5, 9, 0, 7, 2, 8, 4, 1, 6, 3)]
    assert sorted(shuffled, key=apidef.version_sort_key) == KUBE_ORDER


@pytest.mark.parametrize(
    "not_kube_like", ["v1beta", "v1gamma1", "V1", "1", "v", "vbeta1", "v1beta1x"]
)
def test_versions_that_do_not_look_like_kubernetes_sort_after_alpha(not_kube_like: str) -> None:
    ordered = sorted(["v1alpha1", not_kube_like, "v1"], key=apidef.version_sort_key)
    assert ordered == ["v1", "v1alpha1", not_kube_like]


def test_served_versions_across_resources_in_priority_order() -> None:
    versions = [{"name": v, "served": True, "storage": v == "v1"} for v in KUBE_ORDER]
    obj = definition(versions=versions[:5])
    other = resource("gadgets", "Gadget")
    other["versions"] = [
        {"name": v["name"], "served": True, "storage": v["name"] == "v12alpha1"}
        for v in reversed(versions[4:])
    ]
    obj["spec"]["resources"].append(other)

    parsed = apidef.parse(obj)

    assert parsed.served_versions == tuple(KUBE_ORDER)
    assert parsed.served_versions[0] == "v10"  # the preferred version
    assert [r.names.plural for r, _ in parsed.resources_in("v10beta3")] == ["widgets", "gadgets"]
    assert [r.names.plural for r, _ in parsed.resources_in("foo10")] == ["gadgets"]


def test_storage_key_does_not_depend_on_the_version() -> None:
    assert apidef.storage_key(GROUP, "widgets") == "widgets.example.com/widgets"


def test_parse_does_not_modify_its_input() -> None:
    obj = definition()
    before = copy.deepcopy(obj)
    apidef.parse(obj)
    assert obj == before


@pytest.mark.parametrize("value", ["a\n", "a\n.b", "a.b\n", "example.com\n"])
def test_a_trailing_newline_is_not_a_subdomain(value: str) -> None:
    """Go's regexp `$` does not match before a final newline; Python's does unless fullmatch."""
    assert not names.is_dns1123_subdomain(value)


def test_a_trailing_newline_is_not_a_version_or_label() -> None:
    definition = yaml.safe_load(EXAMPLE.read_text())
    definition["spec"]["resources"][0]["versions"][0]["name"] = "v1\n"
    definition["spec"]["resources"][0]["names"]["plural"] = "images\n"
    with pytest.raises(apidef.DefinitionError) as caught:
        apidef.parse(definition)
    assert {e.field for e in caught.value.errors} >= {
        "spec.resources[0].versions[0].name",
        "spec.resources[0].names.plural",
    }


# --- the CEL cost limits, and the definitions accepted before they were checked -----------

EXPENSIVE_SCHEMA = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "properties": {"items": {"type": "array", "items": {"type": "string"}}},
        }
    },
    "x-kubernetes-validations": [{"rule": "self.spec.items.all(x, x.matches('^[a-z]+$'))"}],
}


def expensive(generation: int, status: dict[str, Any] | None = None) -> dict[str, Any]:
    obj = definition(
        versions=[
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {"openAPIV3Schema": EXPENSIVE_SCHEMA},
            }
        ]
    )
    obj["metadata"]["generation"] = generation
    if status is not None:
        obj["status"] = status
    return obj


def accepted(generation: int, names: str = "True") -> dict[str, Any]:
    return {
        "observedGeneration": generation,
        "conditions": [{"type": "NamesAccepted", "status": names, "reason": "NoConflicts"}],
    }


def test_rules_over_the_cost_limits_refuse_a_new_or_changed_definition() -> None:
    for obj in (expensive(1), expensive(2, accepted(1)), expensive(3, accepted(3, "False"))):
        details = [e.message for e in errors_of(obj)]
        assert any("estimated rule cost exceeds budget" in d for d in details), details


def test_a_definition_accepted_at_its_generation_is_not_held_to_the_cost_limits() -> None:
    # Accepted before the limits were checked (an upgrade): it keeps being served, as a CRD
    # whose update leaves its schema unchanged keeps its rules.
    parsed = apidef.parse(expensive(4, accepted(4)))
    assert parsed.group == GROUP


def test_a_definition_too_big_to_be_real_is_refused_in_a_few_errors() -> None:
    # The impact webhook parses what anyone sends it: a 3 MiB body of a million empty
    # resources once made five million errors (2.4 GB).
    with pytest.raises(apidef.DefinitionError) as info:
        apidef.parse({"kind": "ApiDefinition", "spec": {"resources": [{}] * 1_000_000}})
    assert info.value.errors[-1] == apidef.FieldError(
        "spec.resources", "FieldValueTooMany", "Too many: 1000000: must have at most 64 items"
    )
    assert len(info.value.errors) == 3  # and metadata.name, spec.group


def test_a_definition_with_too_many_errors_lists_the_first_ones() -> None:
    resources = [
        {
            "names": {"plural": f"x{j}s", "kind": f"X{j}"},
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "additionalPrinterColumns": [{}] * 9,
                }
            ],
        }
        for j in range(64)
    ]
    with pytest.raises(apidef.DefinitionError) as info:
        apidef.parse(
            {
                "metadata": {"name": "a.example"},
                "spec": {"group": "a.example", "resources": resources},
            }
        )
    errors = info.value.errors
    assert len(errors) == apidef.MAX_ERRORS + 1
    assert errors[-1] == apidef.FieldError(
        "spec", "FieldValueTooMany", "Too many: 1728 errors: only the first 256 are listed"
    )


def test_too_many_versions_is_the_only_versions_error() -> None:
    resource = {"names": {"plural": "xs", "kind": "X"}, "versions": [{"name": "v1"}] * 257}
    with pytest.raises(apidef.DefinitionError) as info:
        apidef.parse(
            {
                "metadata": {"name": "a.example"},
                "spec": {"group": "a.example", "resources": [resource]},
            }
        )
    assert [(e.field, e.reason) for e in info.value.errors] == [
        ("spec.resources[0].versions", "FieldValueTooMany")
    ]
