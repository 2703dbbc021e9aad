"""The differential cases, as data: each a few steps on one object of one schema.

`expect` on a step is what the CRD answers (a status code, or kubectl's exit code): a check of
the case itself, made before the back ends are compared; `None` where the case is there to find
out and compare, not to pin what a CRD does.
"""

from __future__ import annotations

from typing import Any

from tests.differential.fuzzed import fuzzed_cases
from tests.differential.model import Call, Case, Kubectl, Step
from tests.differential.schemas import RESOURCES

FIELD_MANAGER = ("fieldManager", "differential")


def o(
    resource: str,
    spec: Any = None,
    *,
    status: Any = None,
    metadata: dict[str, Any] | None = None,
    **top: Any,
) -> dict[str, Any]:
    """An object of `resource` named {NAME} (templated per back end)."""
    body: dict[str, Any] = {
        "apiVersion": "{API}",
        "kind": RESOURCES[resource].kind,
        "metadata": {"name": "{NAME}", **(metadata or {})},
    }
    if spec is not None:
        body["spec"] = spec
    if status is not None:
        body["status"] = status
    return {**body, **top}


def _params(fv: str | None, extra: tuple[tuple[str, str], ...] = ()) -> tuple[tuple[str, str], ...]:
    return ((("fieldValidation", fv),) if fv else ()) + extra


def create(body: Any, expect: int | None = 201, *, fv: str | None = None, **kw: Any) -> Call:
    return Call("create", body, params=_params(fv, kw.pop("params", ())), expect=expect, **kw)


def update(body: Any, expect: int | None = 200, *, fv: str | None = None, **kw: Any) -> Call:
    return Call("update", body, params=_params(fv, kw.pop("params", ())), expect=expect, **kw)


def merge(patch: Any, expect: int | None = 200, *, fv: str | None = None, **kw: Any) -> Call:
    return Call("merge", patch, params=_params(fv, kw.pop("params", ())), expect=expect, **kw)


def jsonpatch(
    *ops: dict[str, Any], expect: int | None = 200, fv: str | None = None, **kw: Any
) -> Call:
    return Call("json", list(ops), params=_params(fv, kw.pop("params", ())), expect=expect, **kw)


def apply(
    body: Any,
    expect: int | None = 200,
    *,
    fv: str | None = None,
    manager: str = "differential",
    force: bool = False,
    **kw: Any,
) -> Call:
    extra: tuple[tuple[str, str], ...] = (("fieldManager", manager),)
    if force:
        extra += (("force", "true"),)
    return Call(
        "apply", body, params=_params(fv, extra + kw.pop("params", ())), expect=expect, **kw
    )


def get(expect: int | None = 200, **kw: Any) -> Call:
    return Call("get", expect=expect, **kw)


def delete(expect: int | None = 200, *, body: Any = None, **kw: Any) -> Call:
    return Call("delete", body, expect=expect, **kw)


def listed(*params: tuple[str, str], expect: int | None = 200, **kw: Any) -> Call:
    return Call("list", params=params, expect=expect, **kw)


def delete_collection(*params: tuple[str, str], expect: int | None = 200, **kw: Any) -> Call:
    return Call("deletecollection", params=params, expect=expect, **kw)


def case(
    id: str, resource: str, *steps: Step, category: str = "", name: str = "", doc: str = ""
) -> Case:
    return Case(id, resource, tuple(steps), category or CATEGORIES[resource], name, doc)


CATEGORIES = {
    "scalars": "scalars",
    "collections": "collections",
    "defaulteds": "defaults",
    "mixeds": "int-or-string/embedded",
    "rules": "cel",
    "celfns": "cel-libraries",
    "trackers": "status",
    "nameds": "name",
    "ratchets": "ratchet",
    "selectables": "selectable",
}


# -- scalars: one invalid value per keyword, created --------------------------------------------

SCALAR_BASE = {"name": "n"}
SCALAR_INVALID: list[tuple[str, dict[str, Any], int | None]] = [
    ("type-string", {"str": 5}, 422),
    ("type-integer-string", {"int": "5"}, 422),
    ("type-integer-fraction", {"int": 1.5}, 422),
    ("type-number-string", {"number": "1"}, 422),
    ("type-boolean-string", {"bool": "true"}, 422),
    ("type-boolean-number", {"bool": 1}, 422),
    ("type-object-list", {"obj": ["a"]}, 422),
    ("type-object-string", {"obj": "a"}, 422),
    ("min-length", {"str": "a"}, 422),
    ("max-length", {"str": "abcdef"}, 422),
    ("max-length-unicode", {"str": "ééééé"}, None),
    ("pattern", {"pattern": "Abc"}, 422),
    ("pattern-anchored", {"pattern": "abc-"}, 422),
    ("enum", {"enum": "pink"}, 422),
    ("enum-case", {"enum": "Red"}, 422),
    ("int-enum", {"intEnum": 4}, 422),
    ("minimum", {"int": 0}, 422),
    ("maximum", {"int": 11}, 422),
    ("exclusive-minimum", {"exclusive": 0}, 422),
    ("exclusive-maximum", {"exclusive": 10}, 422),
    ("multiple-of", {"multiple": 4}, 422),
    ("number-multiple-of", {"number": 1.25}, 422),
    ("number-minimum", {"number": 0}, 422),
    ("number-maximum", {"number": 10}, 422),
    ("int32-overflow", {"int32": 2**31}, None),
    ("int64-overflow", {"int64": 2**63}, None),
    ("date-time", {"dateTime": "yesterday"}, 422),
    ("date", {"date": "2026-13-01"}, 422),
    ("uuid", {"uuid": "not-a-uuid"}, 422),
    ("byte", {"byte": "!!not base64"}, 422),
    ("ipv4", {"ipv4": "300.1.1.1"}, 422),
    ("hostname", {"hostname": "-bad-"}, 422),
    ("duration", {"duration": "forever"}, 422),
    ("email", {"email": "nobody"}, 422),
    ("cidr", {"cidr": "10.0.0.0/40"}, 422),
    ("any-of", {"choice": "abc"}, 422),
    ("one-of-both", {"either": 7}, 422),
    ("not", {"notZero": 0}, 422),
    ("all-of", {"both": "abcd"}, 422),
    ("several", {"str": "a", "int": 0, "enum": "pink", "pattern": "A"}, 422),
    # kube-openapi checks an integral value against multipleOf 0.5 truncated to an integer
    # factor, and refuses it ("factor MultipleOf declared for spec.number must be positive: 0")
    ("number-integral-multiple-of-fraction", {"number": 2}, 422),
    ("null-string", {"str": None}, None),
    ("null-object", {"obj": None}, None),
]
SCALAR_VALID: list[tuple[str, dict[str, Any]]] = [
    (
        "lower-bounds",
        {"str": "ab", "int": 1, "exclusive": 1, "multiple": 0, "number": 0.5, "intEnum": 1},
    ),
    ("upper-bounds", {"str": "abcde", "int": 10, "exclusive": 9, "multiple": 9, "number": 9.5}),
    (
        "formats",
        {
            "dateTime": "2026-01-02T03:04:05Z",
            "date": "2026-01-02",
            "uuid": "5f2b5d9c-2b36-4d8a-9b39-0c1f1a5c2e11",
            "byte": "aGVsbG8=",
            "ipv4": "10.0.0.1",
            "hostname": "example.com",
            "duration": "1h30m",
            "email": "a@example.com",
            "cidr": "10.0.0.0/8",
        },
    ),
    ("date-time-offset", {"dateTime": "2026-01-02T03:04:05.123+02:00"}),
    ("integer-as-float", {"int": 2.0}),
    ("number-exponent", {"number": 2.5e0}),
    ("int64-max", {"int64": 2**63 - 1}),
    ("int64-min", {"int64": -(2**63)}),
    ("junctors", {"choice": "xyz", "either": 11, "notZero": 5, "both": "abc"}),
    ("unicode-string", {"str": "äöü", "pattern": "abc-def"}),
    ("empty-object", {"obj": {}}),
]
SCALAR_CASES = (
    [
        case(
            f"scalars-invalid-{key}",
            "scalars",
            create(o("scalars", {**SCALAR_BASE, **spec}), expect),
        )
        for key, spec, expect in SCALAR_INVALID
    ]
    + [
        case(f"scalars-valid-{key}", "scalars", create(o("scalars", {**SCALAR_BASE, **spec})))
        for key, spec in SCALAR_VALID
    ]
    + [
        case("scalars-invalid-required", "scalars", create(o("scalars", {"str": "abc"}), 422)),
        case("scalars-invalid-spec-string", "scalars", create(o("scalars", "a string"), 422)),
        case("scalars-invalid-spec-list", "scalars", create(o("scalars", [1]), 422)),
        case("scalars-valid-no-spec", "scalars", create(o("scalars"))),
    ]
)

# -- the same invalid values through every write ---------------------------------------------

WRITE_INVALID: dict[str, dict[str, Any]] = {
    "max-length": {"str": "abcdef"},
    "enum": {"enum": "pink"},
    "type": {"int": "five"},
    "required": {"name": None},
}


def _write_cases() -> list[Case]:
    out = []
    initial = {"name": "n", "str": "abc", "enum": "red", "int": 5}
    for key, bad in WRITE_INVALID.items():
        spec = {k: v for k, v in {**initial, **bad}.items() if v is not None}
        out += [
            case(
                f"writes-update-{key}",
                "scalars",
                create(o("scalars", initial)),
                update(o("scalars", spec), 422),
                category="writes",
            ),
            case(
                f"writes-merge-{key}",
                "scalars",
                create(o("scalars", initial)),
                merge({"spec": bad}, 422),
                category="writes",
            ),
            case(
                f"writes-json-{key}",
                "scalars",
                create(o("scalars", initial)),
                jsonpatch(
                    *(
                        {"op": "remove", "path": f"/spec/{k}"}
                        if v is None
                        else {"op": "replace", "path": f"/spec/{k}", "value": v}
                        for k, v in bad.items()
                    ),
                    expect=422,
                ),
                category="writes",
            ),
            case(
                f"writes-apply-{key}",
                "scalars",
                apply(o("scalars", initial), 201),
                # an SSA body of the wrong type: the CRD answers 500 (typed patch conversion)
                apply(o("scalars", spec), 500 if key == "type" else 422),
                category="writes",
            ),
        ]
    out += [
        case(
            "writes-update-valid",
            "scalars",
            create(o("scalars", initial)),
            update(o("scalars", {**initial, "str": "xyz", "int": 6})),
            category="writes",
        ),
        case(
            "writes-merge-valid",
            "scalars",
            create(o("scalars", initial)),
            merge({"spec": {"str": "xyz", "enum": None}}),
            category="writes",
        ),
        case(
            "writes-json-test-fails",
            "scalars",
            create(o("scalars", initial)),
            jsonpatch(
                {"op": "test", "path": "/spec/str", "value": "nope"},
                {"op": "replace", "path": "/spec/str", "value": "xyz"},
                expect=None,
            ),
            category="writes",
        ),
        case(
            "writes-json-remove-missing",
            "scalars",
            create(o("scalars", initial)),
            jsonpatch({"op": "remove", "path": "/spec/missing"}, expect=None),
            category="writes",
        ),
        case(
            "writes-strategic-merge",
            "scalars",
            create(o("scalars", initial)),
            Call("strategic", {"spec": {"str": "xyz"}}, expect=415),
            category="writes",
        ),
        case(
            "writes-dry-run-invalid",
            "scalars",
            create(o("scalars", {"name": "n", "int": 99}), 422, params=(("dryRun", "All"),)),
            category="writes",
        ),
        case(
            "writes-dry-run-valid",
            "scalars",
            create(o("scalars", {"name": "n", "int": 9}), 201, params=(("dryRun", "All"),)),
            category="writes",
        ),
        case(
            "writes-update-unchanged-invalid-elsewhere",
            "scalars",
            create(o("scalars", initial)),
            update(o("scalars", {**initial, "int": 0, "enum": "pink"}), 422),
            category="writes",
        ),
        case(
            "writes-status-without-subresource",
            "scalars",
            create(o("scalars", initial)),
            merge({"status": {"a": 1}}, 404, subresource="status"),
            category="writes",
        ),
    ]
    return out


# -- collections ---------------------------------------------------------------------------------

C = "collections"
COLLECTION_CREATES: list[tuple[str, dict[str, Any], int | None]] = [
    (
        "valid-all",
        {
            "list": ["a", "bc"],
            "set": ["a", "b"],
            "intSet": [1, 2],
            "map": [{"name": "a", "value": 1}, {"name": "b"}],
            "multiKey": [{"port": 80}, {"port": 80, "protocol": "UDP"}],
            "atomic": ["x", "x"],
            "objects": [{"a": "x", "b": 1}],
            "matrix": [[1, 2], []],
            "dict": {"a": 1, "b": 0},
            "atomicMap": {"x": "1"},
            "granular": {"y": "2"},
            "nested": {"a": {"b": {"c": "d"}}},
        },
        201,
    ),
    ("min-items", {"list": []}, 422),
    ("max-items", {"list": ["a", "b", "c", "d"]}, 422),
    ("item-max-length", {"list": ["a", "abcd"]}, 422),
    ("item-type", {"list": ["a", 1]}, 422),
    ("list-not-array", {"list": "a"}, 422),
    ("set-duplicate", {"set": ["a", "b", "a"]}, 422),
    ("int-set-duplicate", {"intSet": [1, 1]}, 422),
    ("map-duplicate-key", {"map": [{"name": "a", "value": 1}, {"name": "a", "value": 2}]}, 422),
    ("map-missing-key", {"map": [{"value": 1}]}, 422),
    (
        "multi-key-duplicate-after-default",
        {"multiKey": [{"port": 80}, {"port": 80, "protocol": "TCP"}]},
        422,
    ),
    (
        "multi-key-duplicate",
        {"multiKey": [{"port": 1, "protocol": "UDP"}, {"port": 1, "protocol": "UDP"}]},
        422,
    ),
    ("objects-missing-required", {"objects": [{"b": 1}]}, 422),
    ("objects-unknown-field", {"objects": [{"a": "x", "zzz": 1}]}, 201),
    ("matrix-inner-max-items", {"matrix": [[1, 2, 3]]}, 422),
    ("matrix-inner-type", {"matrix": [["a"]]}, 422),
    ("dict-negative", {"dict": {"a": -1}}, 422),
    ("dict-max-properties", {"dict": {"a": 1, "b": 2, "c": 3, "d": 4}}, 422),
    ("dict-min-properties", {"dict": {}}, 422),
    ("dict-value-type", {"dict": {"a": "x"}}, 422),
    ("any-dict", {"anyDict": {"a": 1, "b": {"c": "d"}, "e": [1]}}, 201),
    ("nested-missing-required", {"nested": {"a": {"b": {}}}}, 422),
    ("nested-unknown", {"nested": {"a": {"z": 1, "b": {"c": "d", "y": 2}}}}, 201),
    (
        "several-errors-order",
        {"set": ["a", "a"], "list": [], "dict": {"a": -1}, "objects": [{}]},
        422,
    ),
    ("null-items", {"list": ["a", None]}, 422),
]


def _collection_cases() -> list[Case]:
    out = [
        case(f"collections-{key}", C, create(o(C, spec), expect))
        for key, spec, expect in COLLECTION_CREATES
    ]
    initial = {
        "set": ["a", "b"],
        "map": [{"name": "a", "value": 1}],
        "atomic": ["x"],
        "atomicMap": {"x": "1", "y": "2"},
    }
    out += [
        case(
            "collections-json-add-set-duplicate",
            C,
            create(o(C, initial)),
            jsonpatch({"op": "add", "path": "/spec/set/-", "value": "a"}, expect=422),
        ),
        case(
            "collections-json-add-map-duplicate",
            C,
            create(o(C, initial)),
            jsonpatch({"op": "add", "path": "/spec/map/-", "value": {"name": "a"}}, expect=422),
        ),
        case(
            "collections-merge-replaces-list",
            C,
            create(o(C, initial)),
            merge({"spec": {"set": ["c"], "atomicMap": {"x": "3"}}}),
        ),
        case(
            "collections-apply-set-two-managers",
            C,
            apply(o(C, {"set": ["a"]}), 201, manager="one"),
            apply(o(C, {"set": ["b"]}), manager="two"),
        ),
        case(
            "collections-apply-map-two-managers",
            C,
            apply(o(C, {"map": [{"name": "a", "value": 1}]}), 201, manager="one"),
            apply(o(C, {"map": [{"name": "b", "value": 2}]}), manager="two"),
        ),
        case(
            "collections-apply-atomic-conflict",
            C,
            apply(o(C, {"atomic": ["a"]}), 201, manager="one"),
            apply(o(C, {"atomic": ["b"]}), 409, manager="two"),
        ),
        case(
            "collections-apply-atomic-force",
            C,
            apply(o(C, {"atomic": ["a"]}), 201, manager="one"),
            apply(o(C, {"atomic": ["b"]}), manager="two", force=True),
        ),
        case(
            "collections-apply-atomic-map-conflict",
            C,
            apply(o(C, {"atomicMap": {"x": "1"}}), 201, manager="one"),
            apply(o(C, {"atomicMap": {"y": "2"}}), 409, manager="two"),
        ),
        case(
            "collections-apply-granular-two-managers",
            C,
            apply(o(C, {"granular": {"x": "1"}}), 201, manager="one"),
            apply(o(C, {"granular": {"y": "2"}}), manager="two"),
        ),
        case(
            "collections-apply-removes-owned",
            C,
            apply(o(C, {"set": ["a", "b"], "dict": {"a": 1}}), 201),
            apply(o(C, {"set": ["b"]})),
        ),
        case(
            "collections-apply-map-item-missing-key",
            C,
            apply(o(C, {"map": [{"value": 1}]}), None),
        ),
        case(
            "collections-apply-set-duplicates-two-managers",
            C,
            apply(o(C, {"set": ["a", "b"]}), 201, manager="one"),
            apply(o(C, {"set": ["b", "c"]}), manager="two"),
            apply(o(C, {"set": []}), manager="one"),
            get(),
        ),
        case(
            "collections-apply-empty-list-vs-absent",
            C,
            apply(o(C, {"atomic": ["a"], "set": ["x"]}), 201),
            apply(o(C, {"atomic": [], "set": ["x"]})),
            get(),
        ),
        case(
            "collections-apply-shared-item-dropped-by-one",
            C,
            apply(o(C, {"map": [{"name": "a", "value": 1}]}), 201, manager="one"),
            apply(o(C, {"map": [{"name": "a", "value": 1}]}), manager="two"),
            apply(o(C, {"set": ["x"]}), manager="one"),
            get(),
        ),
        case(
            "collections-apply-map-item-conflict",
            C,
            apply(o(C, {"map": [{"name": "a", "value": 1}]}), 201, manager="one"),
            apply(o(C, {"map": [{"name": "a", "value": 2}, {"name": "b"}]}), 409, manager="two"),
        ),
        case(
            "collections-apply-many-conflicts",
            C,
            apply(
                o(C, {"set": ["a"], "granular": {"x": "1", "y": "2"}, "atomic": ["q"]}),
                201,
                manager="one",
            ),
            apply(o(C, {"granular": {"x": "9", "y": "8"}, "atomic": ["r"]}), 409, manager="two"),
        ),
        case(
            "collections-apply-conflict-with-update",
            C,
            create(o(C, {"granular": {"x": "1"}, "map": [{"name": "a", "value": 1}]})),
            apply(o(C, {"granular": {"x": "2"}, "map": [{"name": "a", "value": 3}]}), 409),
        ),
        case(
            "collections-apply-multikey-defaulted",
            C,
            apply(o(C, {"multiKey": [{"port": 80}, {"port": 80, "protocol": "UDP"}]}), None),
            get(),
        ),
        case(
            "collections-apply-multikey-two-managers",
            C,
            apply(
                o(C, {"multiKey": [{"port": 80, "protocol": "TCP", "x": "a"}]}), 201, manager="one"
            ),
            apply(o(C, {"multiKey": [{"port": 81, "protocol": "TCP"}]}), manager="two"),
            apply(o(C, {"multiKey": []}), manager="one"),
            get(),
        ),
        case(
            "collections-apply-untyped-list",
            C,
            apply(o(C, {"objects": [{"a": "x"}]}), 201, manager="one"),
            apply(o(C, {"objects": [{"a": "y"}]}), 409, manager="two"),
        ),
        case(
            "collections-apply-nested-removal",
            C,
            apply(o(C, {"nested": {"a": {"b": {"c": "x"}}}, "dict": {"k": 1}}), 201),
            apply(o(C, {"dict": {"k": 2}})),
            get(),
        ),
        case(
            "collections-apply-matrix",
            C,
            apply(o(C, {"matrix": [[1, 2], [3]]}), 201),
            apply(o(C, {"matrix": [[1]]}), manager="other", force=True),
            get(),
        ),
        case(
            "collections-apply-any-dict",
            C,
            apply(o(C, {"anyDict": {"a": {"b": [1, {"c": 2}]}}}), 201, manager="one"),
            apply(o(C, {"anyDict": {"a": {"d": 1}}}), None, manager="two"),
            get(),
        ),
        # what an apply keeps inside additionalProperties: true, the next write's decoder prunes
        case(
            "collections-apply-any-dict-then-merge",
            C,
            create(o(C, {})),
            apply(o(C, {"anyDict": {"free": {"k": "v"}, "n": 1, "l": [{"x": 1}]}}), manager="one"),
            merge({"metadata": {"finalizers": []}}),
            get(),
        ),
        case(
            "collections-apply-any-dict-then-label",
            C,
            apply(o(C, {"anyDict": {"free": {"k": "v"}}}), 201),
            merge({"metadata": {"labels": {"a": "b"}}}),
            get(),
        ),
        case(
            "collections-apply-after-merge-removes",
            C,
            apply(o(C, {"set": ["a", "b"], "granular": {"x": "1"}}), 201),
            merge({"spec": {"set": ["a", "b", "c"]}}),
            apply(o(C, {"granular": {"x": "1"}})),
            get(),
        ),
        case(
            "collections-apply-null-value",
            C,
            apply(o(C, {"set": ["a"], "granular": {"x": "1"}}), 201),
            apply(o(C, {"set": None, "granular": {"x": None}}), None),
            get(),
        ),
        case(
            "collections-apply-duplicate-set",
            C,
            apply(o(C, {"set": ["a", "a"]}), None),
        ),
        case(
            "collections-update-map-duplicate",
            C,
            create(o(C, initial)),
            update(o(C, {**initial, "map": [{"name": "a"}, {"name": "a"}]}), 422),
        ),
    ]
    return out


# -- nullable and defaults -----------------------------------------------------------------------

D = "defaulteds"
DEFAULT_CREATES: list[tuple[str, Any, int | None]] = [
    ("empty-spec", {}, 201),
    ("obj-empty", {"obj": {}}, 201),
    ("obj-plain-empty", {"obj": {"plain": {}}}, 201),
    ("obj-given", {"obj": {"inner": "mine", "deep": {"x": 5}}}, 201),
    ("list-items", {"list": [{"name": "a"}, {"name": "b", "weight": 1}]}, 201),
    ("list-default-empty", {"listDefault": []}, 201),
    ("dict-values", {"dict": {"k": {}, "l": {"v": "mine"}}}, 201),
    ("nullable-null", {"nullable": None}, 201),
    ("nullable-obj-null", {"nullableObj": None}, 201),
    ("nullable-obj-empty", {"nullableObj": {}}, 201),
    ("nullable-default-null", {"nullableDefault": None}, 201),
    ("not-nullable-null", {"notNullable": None}, None),
    ("not-nullable-obj-null", {"notNullableObj": None}, None),
    ("defaulted-null", {"str": None, "int": None, "obj": None}, None),
    ("nullable-list-null", {"nullableList": None}, 201),
    ("nullable-items", {"nullableItems": ["a", None]}, 201),
    ("list-item-null", {"list": [None]}, None),
    ("dict-value-null", {"dict": {"k": None}}, None),
    ("enum-default-invalid", {"enumDefault": "z"}, 422),
    ("type-invalid-with-default", {"int": "seven"}, 422),
    ("unknown-with-defaults", {"bogus": 1, "obj": {"bogus": 2}}, 201),
]


def _default_cases() -> list[Case]:
    out = [
        case(f"defaults-{key}", D, create(o(D, spec), expect))
        for key, spec, expect in DEFAULT_CREATES
    ]
    out += [
        case("defaults-no-spec", D, create(o(D))),
        case("defaults-spec-null", D, create({**o(D), "spec": None}, None)),
        case(
            "defaults-update-removes",
            D,
            create(o(D, {"str": "mine", "int": 1})),
            update(o(D, {"bool": False})),
        ),
        case(
            "defaults-merge-null-restores",
            D,
            create(o(D, {"str": "mine", "obj": {"inner": "mine"}})),
            merge({"spec": {"str": None, "obj": {"inner": None}}}),
        ),
        case(
            "defaults-json-remove-restores",
            D,
            create(o(D, {"int": 3})),
            jsonpatch({"op": "remove", "path": "/spec/int"}),
        ),
        case(
            "defaults-json-remove-obj",
            D,
            create(o(D, {})),
            jsonpatch({"op": "remove", "path": "/spec/obj"}),
        ),
        case(
            "defaults-apply",
            D,
            apply(o(D, {"list": [{"name": "a"}]}), 201),
            apply(o(D, {"dict": {"k": {}}})),
        ),
        case(
            "defaults-apply-owns-only-what-it-sent",
            D,
            apply(o(D, {"str": "mine"}), 201, manager="one"),
            apply(o(D, {"int": 9}), manager="two"),
            apply(o(D, {}), manager="one"),
            get(),
        ),
        case(
            "defaults-apply-null-restores-default",
            D,
            apply(o(D, {"str": "mine", "nullable": "x"}), 201),
            apply(o(D, {"str": None, "nullable": None}), None),
            get(),
        ),
        case(
            "defaults-apply-list-item-default",
            D,
            apply(o(D, {"list": [{"name": "a"}, {"name": "b", "weight": 3}]}), 201),
            apply(o(D, {"list": [{"name": "b"}]}), manager="other", force=True),
            get(),
        ),
        case(
            "defaults-dry-run",
            D,
            create(o(D, {}), 201, params=(("dryRun", "All"),)),
        ),
        case(
            "defaults-merge-nullable-null",
            D,
            create(o(D, {"nullable": "x", "nullableObj": {"a": "b"}})),
            merge({"spec": {"nullableObj": None}}),
        ),
    ]
    return out


# -- int-or-string, embedded resources, preserved fields ----------------------------------------

M = "mixeds"
EMBEDDED = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"a": "b"}}
MIXED_CREATES: list[tuple[str, dict[str, Any], int | None]] = [
    ("int-or-string-int", {"port": 80}, 201),
    ("int-or-string-string", {"port": "http"}, 201),
    ("int-or-string-bool", {"port": True}, 422),
    ("int-or-string-float", {"port": 1.5}, None),
    ("int-or-string-object", {"port": {"a": 1}}, 422),
    ("int-or-string-list", {"port": [1]}, 422),
    ("bounded-min", {"bounded": 0}, 422),
    ("bounded-max", {"bounded": 101}, 422),
    ("bounded-pattern", {"bounded": "ABC"}, 422),
    ("bounded-valid", {"bounded": "abc", "quantity": "10Mi"}, 201),
    ("quantity-int", {"quantity": 10}, 201),
    ("quantity-pattern", {"quantity": "10Ki"}, 422),
    ("embedded-valid", {"embedded": EMBEDDED}, 201),
    ("embedded-no-kind", {"embedded": {"apiVersion": "v1", "metadata": {"name": "a"}}}, 422),
    ("embedded-no-api-version", {"embedded": {"kind": "ConfigMap"}}, 422),
    ("embedded-empty", {"embedded": {}}, 422),
    ("embedded-bad-name", {"embedded": {**EMBEDDED, "metadata": {"name": "Bad_Name"}}}, None),
    (
        "embedded-metadata-unknown",
        {"embedded": {**EMBEDDED, "metadata": {"name": "cm", "bogus": 1, "labels": {"a": "b"}}}},
        201,
    ),
    (
        "embedded-metadata-wrong-type",
        {"embedded": {**EMBEDDED, "metadata": {"name": "cm", "labels": "x"}}},
        None,
    ),
    (
        "typed-embedded-unknown",
        {"typedEmbedded": {"apiVersion": "v1", "kind": "X", "spec": {"a": "b", "z": 1}, "top": 2}},
        201,
    ),
    ("free-anything", {"free": {"a": {"b": [1, {"c": None}]}, "d": "e"}}, 201),
    ("free-not-object", {"free": [1]}, 422),
    (
        "free-typed",
        {"freeTyped": {"known": 1, "unknown": {"x": 1}, "inner": {"k": "v", "z": 2}}},
        201,
    ),
    ("free-typed-invalid", {"freeTyped": {"known": "one"}}, 422),
    ("anything-string", {"anything": "s"}, 201),
    ("anything-list", {"anything": [1, "a", {"b": None}]}, 201),
    ("anything-null", {"anything": None}, None),
]


def _mixed_cases() -> list[Case]:
    out = [
        case(f"mixed-{key}", M, create(o(M, spec), expect)) for key, spec, expect in MIXED_CREATES
    ]
    out += [
        case(
            "mixed-apply-int-or-string",
            M,
            apply(o(M, {"port": 80}), 201, manager="one"),
            apply(o(M, {"port": "http"}), None, manager="two"),
            apply(o(M, {"port": "http"}), manager="two", force=True),
            get(),
        ),
        case(
            "mixed-apply-embedded",
            M,
            apply(o(M, {"embedded": EMBEDDED}), 201, manager="one"),
            apply(o(M, {"embedded": {**EMBEDDED, "data": {"c": "d"}}}), None, manager="two"),
            get(),
        ),
        case(
            "mixed-apply-preserved",
            M,
            apply(o(M, {"free": {"a": {"b": 1}}, "freeTyped": {"known": 1, "x": [1]}}), 201),
            apply(o(M, {"free": {"a": {"c": 2}}, "freeTyped": {"x": [2]}}), 409, manager="other"),
            apply(o(M, {"free": {}}), None),
            get(),
        ),
        case(
            "mixed-apply-anything-scalar",
            M,
            apply(o(M, {"anything": 5}), 201),
            apply(o(M, {"anything": {"x": 1}}), None, manager="other"),
            get(),
        ),
        case(
            "mixed-int-or-string-merge-type-change",
            M,
            create(o(M, {"port": 80})),
            merge({"spec": {"port": "http"}}),
        ),
        # kube stores a whole float64 as an integer (3.0 as 3, -0.0 as 0): served back so.
        case(
            "mixed-free-whole-floats",
            M,
            create(o(M, {"free": {"whole": 3.0, "zero": -0.0, "big": 1e16, "half": 2.5}})),
            merge({"spec": {"free": {"list": [1.0, -2.0, 0.5], "whole": 4.0}}}),
        ),
        case(
            "scalars-number-whole",
            "scalars",
            create(
                o("scalars", {"name": "n", "str": "abc", "enum": "red", "int": 5, "number": 2.0})
            ),
        ),
        case(
            "mixed-free-strict",
            M,
            create(o(M, {"free": {"x": 1}, "freeTyped": {"y": 2}}), fv="Strict"),
        ),
        case(
            "mixed-embedded-strict-unknown",
            M,
            create(
                o(M, {"typedEmbedded": {"apiVersion": "v1", "kind": "X", "top": 2}}),
                None,
                fv="Strict",
            ),
        ),
    ]
    return out


# -- CEL -------------------------------------------------------------------------------------------

R = "rules"
RULE_CREATES: list[tuple[str, dict[str, Any], int | None]] = [
    (
        "valid",
        {
            "min": 1,
            "max": 2,
            "prefixed": "n-x",
            "tags": ["ab"],
            "ports": [{"name": "http", "port": 80}],
        },
        201,
    ),
    ("spec-rule-message", {"min": 3, "max": 2}, 422),
    ("message-expression", {"forbidden": "yes"}, 422),
    ("reason-field-path", {"replicas": 100}, 422),
    ("reason-required", {"mode": "manual"}, 422),
    ("property-rule", {"prefixed": "x"}, 422),
    ("item-rule", {"tags": ["ok", "a"]}, 422),
    ("list-rule", {"tags": ["ok", "bad"]}, 422),
    ("list-rule-reason", {"tags": ["aa", "bb", "cc", "dd", "ee"]}, 422),
    ("map-rule", {"labels": {"l-a": "x", "b": "y"}}, 422),
    ("list-map-item-rule", {"ports": [{"name": "http", "port": 0}]}, 422),
    ("root-rule", {"replicas": 13}, 422),
    ("several", {"min": 3, "max": 2, "prefixed": "x", "tags": ["bad"], "replicas": 200}, 422),
    ("with-schema-error", {"min": "one", "prefixed": "x"}, 422),
    ("transition-ignored-on-create", {"immutable": "a", "grow": 5, "once": "x"}, 201),
]


def _rule_cases() -> list[Case]:
    out = [case(f"cel-{key}", R, create(o(R, spec), expect)) for key, spec, expect in RULE_CREATES]
    base = {
        "immutable": "a",
        "grow": 5,
        "once": "x",
        "ports": [{"name": "http", "port": 80}],
        "tags": ["ab"],
    }
    out += [
        case("cel-root-name", R, create(o(R, {}), 422), name="root-forbidden"),
        case(
            "cel-transition-immutable-change",
            R,
            create(o(R, base)),
            update(o(R, {**base, "immutable": "b"}), 422),
        ),
        case(
            "cel-transition-immutable-same",
            R,
            create(o(R, base)),
            update(o(R, {**base, "tags": ["cd"]})),
        ),
        case(
            "cel-transition-immutable-added",
            R,
            create(o(R, {"grow": 1})),
            merge({"spec": {"immutable": "new"}}),
        ),
        case(
            "cel-transition-grow-shrink", R, create(o(R, base)), merge({"spec": {"grow": 4}}, 422)
        ),
        case("cel-transition-grow-more", R, create(o(R, base)), merge({"spec": {"grow": 6}})),
        case(
            "cel-optional-old-self-set",
            R,
            create(o(R, {"grow": 1})),
            merge({"spec": {"once": "first"}}),
        ),
        case(
            "cel-optional-old-self-change",
            R,
            create(o(R, base)),
            merge({"spec": {"once": "other"}}, 422),
        ),
        case(
            "cel-optional-old-self-remove", R, create(o(R, base)), merge({"spec": {"once": None}})
        ),
        case(
            "cel-transition-list-map-item",
            R,
            create(o(R, base)),
            merge({"spec": {"ports": [{"name": "http", "port": 81}]}}, 422),
        ),
        case(
            "cel-transition-list-map-new-item",
            R,
            create(o(R, base)),
            merge(
                {"spec": {"ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}]}}
            ),
        ),
        case(
            "cel-transition-json-patch",
            R,
            create(o(R, base)),
            jsonpatch({"op": "replace", "path": "/spec/immutable", "value": "z"}, expect=422),
        ),
        case(
            "cel-transition-apply",
            R,
            apply(o(R, base), 201),
            apply(o(R, {**base, "grow": 1, "immutable": "q"}), 422),
        ),
        case(
            "cel-update-unchanged-failing-rule",
            R,
            create(o(R, base)),
            update(o(R, {**base, "min": 5, "max": 1}), 422),
        ),
        case(
            "cel-transition-and-schema-error",
            R,
            create(o(R, base)),
            merge({"spec": {"immutable": "b", "min": "x"}}, 422),
        ),
    ]
    return out


# -- CEL's libraries: a value each rule passes, and one it refuses (or cannot evaluate) -------------

CEL_VALUES: dict[str, tuple[Any, Any]] = {
    "regex": ("abc1", "abc"),
    "find": ("a12b", "a13b"),
    "quantity": ("1Gi", "3Gi"),
    "url": ("https://example.com/x", "http://example.com"),
    "ip": ("10.0.0.1", "::1"),
    "cidr": ("10.0.0.0/8", "10.0.0.0/4"),
    "duration": ("30m", "2h"),
    "timestamp": ("2021-05-06T07:08:09Z", "2019-01-01T00:00:00Z"),
    "sorted": ([1, 2, 2, 5], [3, 1]),
    "sum": ([10, 20], [60, 50]),
    "indexOf": ("axe", "xyz"),
    "upper": ("ABC", "AbC"),
    "split": ("a,b,c", "a,b,c,d"),
    "existsOne": (["primary", "b"], ["primary", "primary"]),
    "optional": ({"b": "bad"}, {"a": "bad"}),
    "mapKeys": ({"ok": "x"}, {"forbidden": "x"}),
    "format": ("label-1", "Not_A_Label"),
    "formatted": ("yes", "no"),
    "arithmetic": (5, -5),
    "unicode": ("äöü", "äöüß"),
    "trim": ("a b", " ab"),
    "lists": (["a", "b"], ["a", "b", "a"]),
    "indexed": ([0, 1, 5], [0, 0]),
    "entries": ({"a": "b", "c": "c"}, {"a": "b"}),
    "transformed": (["ab", "long", "cd"], ["ab", "cd", "long"]),
}
CEL_RUNTIME: dict[str, Any] = {  # values the rule cannot evaluate
    "quantity-not-a-quantity": ("quantity", "lots"),
    "duration-not-a-duration": ("duration", "forever"),
    "timestamp-not-a-timestamp": ("timestamp", "yesterday"),
    "url-not-a-url": ("url", "::"),
    "arithmetic-overflow": ("arithmetic", 2**62),
}


def _cel_library_cases() -> list[Case]:
    out = []
    for key, (good, bad) in CEL_VALUES.items():
        out.append(case(f"celfn-{key.lower()}-passes", "celfns", create(o("celfns", {key: good}))))
        out.append(
            case(f"celfn-{key.lower()}-fails", "celfns", create(o("celfns", {key: bad}), 422))
        )
    for id, (key, value) in CEL_RUNTIME.items():
        out.append(case(f"celfn-{id.lower()}", "celfns", create(o("celfns", {key: value}), None)))
    return out


# -- the status subresource ---------------------------------------------------------------------

T = "trackers"
TRACKED = {"replicas": 1, "note": "n"}
STATUS = {"phase": "Running", "count": 1, "conditions": [{"type": "Ready", "status": "True"}]}


OWNER_REF = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "name": "owner",
    "uid": "6a1e0f8e-0000-4000-8000-0000000000aa",
}


def _status_cases() -> list[Case]:
    def made() -> Call:
        return create(o(T, TRACKED))

    def with_status() -> tuple[Call, Call]:
        return made(), merge({"status": STATUS}, subresource="status")

    applied_status = o(T, None, status={"phase": "Running"})
    return [
        # a strategy's metadata error that blocks (a required value) leaves the rules unchecked
        case(
            "rules-owner-without-uid",
            R,
            create(o(R, {"min": 1, "max": 2})),
            merge({"metadata": {"ownerReferences": [{**OWNER_REF, "uid": ""}]}}, 422),
            category="cel",
        ),
        case(
            "rules-create-owner-without-uid",
            R,
            create(
                o(
                    R,
                    {"min": 1, "max": 2},
                    metadata={"ownerReferences": [{**OWNER_REF, "uid": ""}]},
                ),
                422,
            ),
            category="cel",
        ),
        case(
            "rules-owner-without-name-and-rule-broken",
            R,
            create(o(R, {"min": 1, "max": 2})),
            merge(
                {"metadata": {"ownerReferences": [{**OWNER_REF, "name": ""}]}, "spec": {"min": 5}},
                422,
            ),
            category="cel",
        ),
        # a status write never creates: the object must exist before the patch is looked at
        case("status-apply-missing", T, apply(applied_status, None, subresource="status")),
        case(
            "status-apply-missing-not-yaml",
            T,
            Call("apply", "{not: [yaml", subresource="status", params=(FIELD_MANAGER,)),
        ),
        case(
            "scale-apply-missing",
            SC,
            Call("apply", {"spec": {"replicas": 1}}, subresource="scale", params=(FIELD_MANAGER,)),
            category="scale",
        ),
        case(
            "status-apply-missing-untyped",
            T,
            apply(o(T, None, status={"conditions": [{"status": "x"}]}), None, subresource="status"),
        ),
        case(
            "status-merge-missing",
            T,
            merge({"status": {"phase": "Running"}}, None, subresource="status"),
        ),
        case(
            "status-put-missing",
            T,
            update(o(T, TRACKED, status=STATUS), None, subresource="status"),
        ),
        case(
            "status-apply-deleted",
            T,
            made(),
            delete(),
            apply(applied_status, None, subresource="status"),
        ),
        case(
            "status-put-other-uid",
            T,
            made(),
            update(
                o(
                    T,
                    TRACKED,
                    status=STATUS,
                    metadata={"uid": "6a1e0f8e-0000-4000-8000-000000000021"},
                ),
                None,
                subresource="status",
            ),
        ),
        case(
            "status-merge-labels-ignored",
            T,
            made(),
            merge(
                {"metadata": {"labels": {"a": "-"}}, "status": STATUS}, None, subresource="status"
            ),
            get(),
        ),
        case(
            "status-merge-finalizers-ignored",
            T,
            made(),
            merge(
                {"metadata": {"finalizers": ["a/b/c"]}, "status": STATUS},
                None,
                subresource="status",
            ),
            get(),
        ),
        case(
            "status-held-finalizer-added",
            T,
            create(o(T, TRACKED, metadata=HOLD)),
            delete(),
            merge(
                {
                    "metadata": {"finalizers": ["example.com/hold", "example.com/more"]},
                    "status": STATUS,
                },
                None,
                subresource="status",
            ),
            get(),
            RELEASE,
        ),
        case(
            "status-merge-status-null",
            T,
            *with_status(),
            merge({"status": None}, None, subresource="status"),
            get(),
        ),
        case(
            "status-put-without-status",
            T,
            *with_status(),
            update(o(T, TRACKED), None, subresource="status"),
            get(),
        ),
        case(
            "status-json-remove-status",
            T,
            *with_status(),
            jsonpatch({"op": "remove", "path": "/status"}, expect=None, subresource="status"),
            get(),
        ),
        case(
            "status-merge-generation",
            T,
            made(),
            merge({"metadata": {"generation": 7}, "status": STATUS}, None, subresource="status"),
            get(),
        ),
        case(
            "status-dry-run",
            T,
            made(),
            merge({"status": STATUS}, None, subresource="status", params=(("dryRun", "All"),)),
            get(),
        ),
        case(
            "status-merge-stale-rv",
            T,
            made(),
            merge(
                {"metadata": {"resourceVersion": "1"}, "status": STATUS}, None, subresource="status"
            ),
        ),
        case(
            "status-merge-other-uid",
            T,
            made(),
            merge(
                {"metadata": {"uid": "6a1e0f8e-0000-4000-8000-000000000022"}, "status": STATUS},
                None,
                subresource="status",
            ),
        ),
        case(
            "status-merge-kind-null", T, made(), merge({"kind": None}, None, subresource="status")
        ),
        case(
            "status-merge-api-version-other",
            T,
            made(),
            merge({"apiVersion": "elsewhere.test/v1"}, None, subresource="status"),
        ),
        case("status-create-drops-status", T, create(o(T, TRACKED, status=STATUS))),
        case(
            "status-update-ignores-status",
            T,
            *with_status(),
            update(o(T, {**TRACKED, "replicas": 2}, status={"phase": "Done"})),
        ),
        case(
            "status-put-ignores-spec",
            T,
            made(),
            update(o(T, {"replicas": 9}, status=STATUS), subresource="status"),
        ),
        case(
            "status-put-invalid-enum",
            T,
            made(),
            update(o(T, TRACKED, status={"phase": "Lost"}), 422, subresource="status"),
        ),
        case(
            "status-merge-valid",
            T,
            made(),
            merge({"status": {"phase": "Done", "count": 3}}, subresource="status"),
        ),
        case(
            "status-merge-minimum",
            T,
            made(),
            merge({"status": {"count": -1}}, 422, subresource="status"),
        ),
        case(
            "status-merge-cel",
            T,
            made(),
            merge({"status": {"count": 101}}, 422, subresource="status"),
        ),
        case(
            "status-merge-spec-ignored",
            T,
            made(),
            merge({"spec": {"replicas": 5}, "status": {"phase": "Done"}}, subresource="status"),
        ),
        case(
            "status-json-add-condition",
            T,
            *with_status(),
            jsonpatch(
                {
                    "op": "add",
                    "path": "/status/conditions/-",
                    "value": {"type": "Synced", "status": "False"},
                },
                subresource="status",
            ),
        ),
        case(
            "status-json-duplicate-condition",
            T,
            *with_status(),
            jsonpatch(
                {
                    "op": "add",
                    "path": "/status/conditions/-",
                    "value": {"type": "Ready", "status": "False"},
                },
                expect=422,
                subresource="status",
            ),
        ),
        case(
            "status-condition-missing-required",
            T,
            made(),
            merge({"status": {"conditions": [{"type": "Ready"}]}}, 422, subresource="status"),
        ),
        case(
            "status-apply",
            T,
            made(),
            apply(
                o(T, status={"phase": "Pending", "conditions": [{"type": "A", "status": "True"}]}),
                subresource="status",
            ),
        ),
        case(
            "status-unknown-strict",
            T,
            made(),
            merge(
                {"status": {"phase": "Done", "bogus": 1}}, None, fv="Strict", subresource="status"
            ),
        ),
        case(
            "status-unknown-warn",
            T,
            made(),
            merge({"status": {"phase": "Done", "bogus": 1}}, fv="Warn", subresource="status"),
        ),
        case(
            "status-default-on-write",
            T,
            made(),
            merge({"status": {"phase": "Pending"}}, subresource="status"),
        ),
        case("status-spec-invalid", T, made(), merge({"spec": {"replicas": -1}}, 422)),
        case("status-spec-change-generation", T, *with_status(), merge({"spec": {"replicas": 3}})),
        case("status-main-merge-status-ignored", T, made(), merge({"status": {"phase": "Done"}})),
        case(
            "status-put-invalid-spec-ignored",
            T,
            made(),
            update(o(T, {"replicas": -5}, status={"phase": "Done"}), subresource="status"),
        ),
    ]


# -- metadata.name -----------------------------------------------------------------------------

N = "nameds"


def _name_cases() -> list[Case]:
    def named(id: str, name: str, expect: int | None) -> Case:
        return case(f"name-{id}", N, create(o(N, {"a": "b"}), expect), name=name, category="name")

    return [
        named("valid", "good-name", 201),
        named("too-long", "much-too-long-name", 422),
        named("pattern", "abc.def", 422),
        named("uppercase", "Upper", 422),
        named("trailing-dash", "abc-", 422),
        named("cel", "forbidden", 422),
        named("digits-first", "1abc", 422),
        case(
            "name-generate",
            N,
            create({**o(N, {"a": "b"}), "metadata": {"generateName": "gen-"}}),
            category="name",
        ),
        case(
            "name-generate-too-long",
            N,
            create({**o(N, {"a": "b"}), "metadata": {"generateName": "gen-far-too-long-"}}, 422),
            category="name",
        ),
    ]


# -- ratcheting: written through v1 (lenient), updated through v2 (strict) ----------------------

RT = "ratchets"
LOOSE = {"str": "toolong", "num": 50, "list": ["a", "b", "c"], "word": "bad"}


def _ratchet_cases() -> list[Case]:
    def seeded(id: str, *steps: Step) -> Case:
        return case(
            f"ratchet-{id}", RT, create(o(RT, LOOSE), version="v1"), *steps, category="ratchet"
        )

    return [
        seeded("get-v2", get(version="v2")),
        seeded("update-unrelated", update(o(RT, {**LOOSE, "other": "x"}), version="v2")),
        seeded("merge-unrelated", merge({"spec": {"other": "y"}}, version="v2")),
        seeded(
            "merge-invalid-changed", merge({"spec": {"str": "stilltoolong"}}, 422, version="v2")
        ),
        seeded("merge-number-changed", merge({"spec": {"num": 60}}, 422, version="v2")),
        seeded("merge-number-fixed", merge({"spec": {"num": 5}}, version="v2")),
        seeded(
            "merge-list-grown", merge({"spec": {"list": ["a", "b", "c", "d"]}}, 422, version="v2")
        ),
        seeded("cel-changed", merge({"spec": {"word": "worse"}}, 422, version="v2")),
        seeded(
            "json-unrelated",
            jsonpatch({"op": "add", "path": "/spec/other", "value": "z"}, version="v2"),
        ),
        seeded("apply-unrelated", apply(o(RT, {**LOOSE, "other": "w"}), force=True, version="v2")),
        seeded(
            "several-changed",
            update(o(RT, {**LOOSE, "str": "long!", "num": 11, "word": "b"}), 422, version="v2"),
        ),
        case("ratchet-create-v2", RT, create(o(RT, LOOSE), 422, version="v2"), category="ratchet"),
        case(
            "ratchet-set-duplicates-unchanged",
            RT,
            create(o(RT, {"tags": ["a", "a"]}), version="v1"),
            merge({"spec": {"other": "x"}}, None, version="v2"),
            category="ratchet",
        ),
        case(
            "ratchet-set-duplicates-changed",
            RT,
            create(o(RT, {"tags": ["a", "a"]}), version="v1"),
            merge({"spec": {"tags": ["a", "a", "b"]}}, None, version="v2"),
            category="ratchet",
        ),
        case(
            "ratchet-enum-unchanged",
            RT,
            create(o(RT, {"level": "medium"}), version="v1"),
            merge({"spec": {"other": "x"}}, version="v2"),
            category="ratchet",
        ),
        case(
            "ratchet-enum-changed",
            RT,
            create(o(RT, {"level": "medium"}), version="v1"),
            merge({"spec": {"level": "middle"}}, 422, version="v2"),
            category="ratchet",
        ),
        case(
            "ratchet-transition-rule",
            RT,
            create(o(RT, {"pinned": "a"}), version="v1"),
            merge({"spec": {"pinned": "b"}}, 422, version="v2"),
            category="ratchet",
        ),
        case(
            "ratchet-transition-rule-v1",
            RT,
            create(o(RT, {"pinned": "a"}), version="v1"),
            merge({"spec": {"pinned": "b"}}, version="v1"),
            category="ratchet",
        ),
        case(
            "versions-apply-both",
            RT,
            apply(o(RT, {"other": "a"}), 201, version="v1"),
            apply(o(RT, {"other": "a", "word": "good"}), None, version="v2"),
            get(version="v1"),
            category="versions",
        ),
        case(
            "versions-apply-conflict-across",
            RT,
            apply(o(RT, {"other": "a"}), 201, manager="one", version="v1"),
            apply(o(RT, {"other": "b"}), 409, manager="two", version="v2"),
            category="versions",
        ),
        case(
            "versions-update-then-apply",
            RT,
            create(o(RT, {"other": "a"}), version="v2"),
            merge({"spec": {"word": "good"}}, version="v1"),
            apply(o(RT, {"other": "c"}), None, version="v2"),
            get(version="v2"),
            category="versions",
        ),
        case(
            "versions-list-after-v2-write",
            RT,
            create(o(RT, {"other": "a"}, metadata={"labels": {"case": "{CASE}"}}), version="v2"),
            listed(MINE, version="v1"),
            listed(MINE, version="v2"),
            category="versions",
        ),
        case(
            "ratchet-status-of-v1-write",
            RT,
            create(o(RT, LOOSE), version="v1"),
            merge({"spec": {"other": "v1"}}, version="v1"),
            get(version="v2"),
            category="ratchet",
        ),
    ]


# -- fieldValidation: unknown and duplicate fields per write --------------------------------------

UNKNOWN = {"name": "n", "bogus": 1, "obj": {"a": "x", "inner": True}}


def _field_validation_cases() -> list[Case]:
    out = [
        # the 422 quotes the patched object: kube-apiserver keeps the patch's own text there
        case(
            "fv-strict-merge-escaped-text",
            D,
            create(o(D, {})),
            Call(
                "merge",
                '{"spec": {"nullableObj": {"a": "\\u00e9", "unknownField": true}}}',
                params=(("fieldValidation", "Strict"),),
                expect=422,
            ),
            category="fieldvalidation",
        )
    ]
    for fv in ("Strict", "Warn", "Ignore", None):
        level = (fv or "default").lower()
        strict = 400 if fv == "Strict" else None
        ok = 201 if fv != "Strict" else strict
        out += [
            case(
                f"fv-{level}-create-unknown",
                "scalars",
                create(o("scalars", UNKNOWN, metadata={"bogus": 1}, top="x"), ok, fv=fv),
                category="fieldvalidation",
            ),
            case(
                f"fv-{level}-update-unknown",
                "scalars",
                create(o("scalars", {"name": "n"})),
                update(o("scalars", UNKNOWN, top="x"), 200 if fv != "Strict" else strict, fv=fv),
                category="fieldvalidation",
            ),
            case(
                f"fv-{level}-merge-unknown",
                "scalars",
                create(o("scalars", {"name": "n"})),
                merge(
                    {"spec": {"bogus": 1, "obj": {"zz": 1}}},
                    200 if fv != "Strict" else 422,  # a patch's unknown fields: 422, not 400
                    fv=fv,
                ),
                category="fieldvalidation",
            ),
            case(
                f"fv-{level}-json-unknown",
                "scalars",
                create(o("scalars", {"name": "n"})),
                jsonpatch({"op": "add", "path": "/spec/bogus", "value": 1}, expect=None, fv=fv),
                category="fieldvalidation",
            ),
            case(
                f"fv-{level}-apply-unknown",
                "scalars",
                # one unknown field: with several, the CRD's typed-patch error lists them
                # as structured-merge-diff walks a Go map (some or all, in any order)
                apply(o("scalars", {"name": "n", "bogus": 1}), None, fv=fv),
                category="fieldvalidation",
            ),
            case(
                f"fv-{level}-create-duplicate",
                "scalars",
                create(
                    '{"apiVersion": "{API}", "kind": "Scalar", "metadata": {"name": "{NAME}"},'
                    ' "spec": {"name": "a", "str": "abc", "name": "b"}}',
                    None,
                    fv=fv,
                ),
                category="fieldvalidation",
            ),
            case(
                f"fv-{level}-unknown-and-invalid",
                "scalars",
                create(o("scalars", {"name": "n", "bogus": 1, "int": 99}), None, fv=fv),
                category="fieldvalidation",
            ),
        ]
    out += [
        case(
            "fv-strict-apply-duplicate-yaml",
            "scalars",
            apply(
                "apiVersion: {API}\nkind: Scalar\nmetadata:\n  name: {NAME}\nspec:\n  name: a\n  name: b\n",
                None,
                fv="Strict",
            ),
            category="fieldvalidation",
        ),
        case(
            "fv-strict-status-unknown-main",
            "trackers",
            create(o("trackers", {"replicas": 1}, status={"bogus": 1}), None, fv="Strict"),
            category="fieldvalidation",
        ),
        case(
            "fv-invalid-value",
            "scalars",
            create(o("scalars", {"name": "n"}), 422, fv="Sometimes"),
            category="fieldvalidation",
        ),
    ]
    return out


# -- kubectl -----------------------------------------------------------------------------------------


def k(*args: str, stdin: Any = None, expect: int | None = 0) -> Kubectl:
    return Kubectl(tuple(args), stdin, expect)


GET_JSON = k("get", "{R}", "{NAME}", "-o", "json")


def _kubectl_cases() -> list[Case]:
    s = "scalars"
    valid = o(s, {"name": "n", "str": "abc"})
    invalid = o(s, {"name": "n", "str": "abcdefg", "int": 0})
    unknown = o(s, {"name": "n", "bogus": 1})

    def kc(id: str, resource: str, *steps: Step) -> Case:
        return case(f"kubectl-{id}", resource, *steps, category="kubectl")

    return [
        kc("create-defaults", D, k("create", "-f", "-", "-o", "json", stdin=o(D, {}))),
        kc("create-invalid", s, k("create", "-f", "-", stdin=invalid, expect=1)),
        kc("create-unknown-strict", s, k("create", "-f", "-", stdin=unknown, expect=1)),
        kc(
            "create-unknown-warn",
            s,
            k("create", "--validate=warn", "-f", "-", stdin=unknown),
            GET_JSON,
        ),
        kc(
            "create-unknown-ignore",
            s,
            k("create", "--validate=false", "-f", "-", stdin=unknown),
            GET_JSON,
        ),
        kc(
            "apply-client-invalid",
            s,
            k("apply", "-f", "-", stdin=valid),
            k("apply", "-f", "-", stdin=invalid, expect=1),
        ),
        kc("apply-client-unknown", s, k("apply", "-f", "-", stdin=unknown, expect=1)),
        kc(
            "apply-server-invalid",
            s,
            k("apply", "--server-side", "-f", "-", stdin=invalid, expect=1),
        ),
        kc(
            "apply-server-unknown",
            s,
            k("apply", "--server-side", "-f", "-", stdin=unknown, expect=1),
        ),
        kc(
            "apply-server-defaults",
            D,
            k("apply", "--server-side", "-f", "-", stdin=o(D, {"list": [{"name": "a"}]})),
            k("get", "{R}", "{NAME}", "-o", "json", "--show-managed-fields"),
        ),
        kc(
            "replace-invalid",
            s,
            k("create", "-f", "-", stdin=valid),
            k("replace", "-f", "-", stdin=invalid, expect=1),
        ),
        kc(
            "patch-merge-invalid",
            s,
            k("create", "-f", "-", stdin=valid),
            k("patch", "{R}", "{NAME}", "--type=merge", "-p", '{"spec":{"enum":"pink"}}', expect=1),
        ),
        kc(
            "patch-json-invalid",
            s,
            k("create", "-f", "-", stdin=valid),
            k(
                "patch",
                "{R}",
                "{NAME}",
                "--type=json",
                "-p",
                '[{"op":"replace","path":"/spec/int","value":50}]',
                expect=1,
            ),
        ),
        kc(
            "patch-cel-transition",
            R,
            k("create", "-f", "-", stdin=o(R, {"immutable": "a"})),
            k(
                "patch",
                "{R}",
                "{NAME}",
                "--type=merge",
                "-p",
                '{"spec":{"immutable":"b"}}',
                expect=1,
            ),
        ),
        kc(
            "patch-cel-message-expression",
            R,
            k("create", "-f", "-", stdin=o(R, {"forbidden": "yes"}), expect=1),
        ),
        kc(
            "patch-status-invalid",
            T,
            k("create", "-f", "-", stdin=o(T, TRACKED)),
            k(
                "patch",
                "{R}",
                "{NAME}",
                "--subresource=status",
                "--type=merge",
                "-p",
                '{"status":{"phase":"Lost"}}',
                expect=1,
            ),
        ),
        kc(
            "create-dry-run-server",
            D,
            k("create", "--dry-run=server", "-f", "-", "-o", "json", stdin=o(D, {"obj": {}})),
        ),
        kc(
            "create-collection-duplicate",
            C,
            k("create", "-f", "-", stdin=o(C, {"set": ["a", "a"]}), expect=1),
        ),
        kc(
            "create-yaml-output",
            M,
            k("create", "-f", "-", "-o", "yaml", stdin=o(M, {"port": "http", "free": {"x": 1}})),
        ),
    ]


# -- more edges: YAML and raw JSON bodies, resourceVersions, no-ops, dry runs ---------------------

SCALAR_YAML = "apiVersion: {API}\nkind: Scalar\nmetadata:\n  name: {NAME}\nspec:\n"


def raw_scalar(spec: str, rv: str = "") -> str:
    """A Scalar as JSON text: for numbers Python would not write and keys it would not repeat."""
    meta = '"name": "{NAME}"' + (f', "resourceVersion": "{rv}"' if rv else "")
    return f'{{"apiVersion": "{{API}}", "kind": "Scalar", "metadata": {{{meta}}}, "spec": {spec}}}'


def _edge_cases() -> list[Case]:
    s = "scalars"
    initial = {"name": "n", "str": "abc"}

    def edge(id: str, resource: str, *steps: Step) -> Case:
        return case(f"edge-{id}", resource, *steps, category="edges")

    return [
        edge(
            "yaml-create", s, Call("create-yaml", SCALAR_YAML + "  name: x\n  int: 3\n", expect=201)
        ),
        # YAML 1.1, as sigs.k8s.io/yaml reads it: `n` is false
        edge(
            "yaml-1-1-n-is-false", s, Call("create-yaml", SCALAR_YAML + "  name: n\n", expect=422)
        ),
        edge(
            "yaml-create-invalid",
            s,
            Call("create-yaml", SCALAR_YAML + "  name: x\n  int: 30\n  enum: pink\n", expect=422),
        ),
        edge(
            "yaml-1-1-booleans",
            s,
            Call("create-yaml", SCALAR_YAML + "  name: x\n  bool: yes\n  str: no\n", expect=None),
        ),
        edge(
            "yaml-duplicate-strict",
            s,
            Call(
                "create-yaml",
                SCALAR_YAML + "  name: a\n  name: b\n",
                params=(("fieldValidation", "Strict"),),
                expect=None,
            ),
        ),
        edge(
            "yaml-duplicate-warn",
            s,
            Call(
                "create-yaml",
                SCALAR_YAML + "  name: a\n  name: b\n",
                params=(("fieldValidation", "Warn"),),
                expect=None,
            ),
        ),
        edge("json-integer-exponent", s, create(raw_scalar('{"name": "n", "int": 1e1}'), None)),
        edge(
            "json-integer-trailing-zero", s, create(raw_scalar('{"name": "n", "int": 10.0}'), None)
        ),
        edge("json-number-huge", s, create(raw_scalar('{"name": "n", "number": 1e400}'), None)),
        edge(
            "json-integer-huge",
            s,
            create(raw_scalar('{"name": "n", "int64": 123456789012345678901234567890}'), None),
        ),
        edge(
            "json-negative-zero",
            s,
            create(raw_scalar('{"name": "n", "number": -0.0, "multiple": -0}'), None),
        ),
        edge(
            "json-duplicate-nested-strict",
            s,
            create(raw_scalar('{"name": "n", "obj": {"a": "x", "a": "y"}}'), None, fv="Strict"),
        ),
        edge(
            "json-duplicate-metadata-strict",
            s,
            create(
                '{"apiVersion": "{API}", "kind": "Scalar", "metadata": {"name": "{NAME}", '
                '"labels": {"a": "1", "a": "2"}}, "spec": {"name": "n"}}',
                None,
                fv="Strict",
            ),
        ),
        edge(
            "json-duplicate-root-warn",
            s,
            create(
                '{"apiVersion": "{API}", "kind": "Scalar", "metadata": {"name": "{NAME}"}, '
                '"spec": {"name": "a"}, "spec": {"name": "b", "int": 2}}',
                None,
                fv="Warn",
            ),
        ),
        edge(
            "update-without-rv", s, create(o(s, initial)), update(raw_scalar('{"name": "m"}'), 422)
        ),
        edge(
            "update-stale-rv",
            s,
            create(o(s, initial)),
            update(raw_scalar('{"name": "m"}', rv="1"), 409),
        ),
        edge("update-noop", s, create(o(s, initial)), update(o(s, initial))),
        edge("merge-empty", s, create(o(s, initial)), merge({})),
        edge("merge-same-value", s, create(o(s, initial)), merge({"spec": {"str": "abc"}})),
        edge(
            "update-dry-run-invalid",
            s,
            create(o(s, initial)),
            update(o(s, {**initial, "int": 50}), 422, params=(("dryRun", "All"),)),
        ),
        edge(
            "update-dry-run-valid",
            s,
            create(o(s, initial)),
            update(o(s, {**initial, "int": 5}), params=(("dryRun", "All"),)),
        ),
        edge(
            "status-metadata-through-status",
            T,
            create(o(T, TRACKED)),
            merge(
                {"metadata": {"labels": {"via": "status"}}, "status": {"phase": "Done"}},
                subresource="status",
            ),
        ),
        edge(
            "status-update-noop",
            T,
            create(o(T, TRACKED)),
            merge({"status": {"phase": "Done"}}, subresource="status"),
            merge({"status": {"phase": "Done"}}, subresource="status"),
        ),
        edge("cel-message-expression-empty", R, create(o(R, {"fallback": "x"}), 422)),
        edge("cel-runtime-error", R, create(o(R, {"numeric": "abc"}), None)),
        edge("cel-runtime-ok", R, create(o(R, {"numeric": "12"}))),
        edge("cel-sees-default", D, create(o(D, {"probe": "no-bool"}), 422)),
        edge("cel-sees-default-int", D, create(o(D, {"probe": "int-seven"}))),
        edge(
            "apply-map-key-default",
            C,
            apply(o(C, {"multiKey": [{"port": 80}]}), 201),
            apply(o(C, {"multiKey": [{"port": 80, "protocol": "TCP", "x": "y"}]}), None),
        ),
        edge(
            "apply-map-key-default-two-managers",
            C,
            apply(o(C, {"multiKey": [{"port": 80, "x": "a"}]}), 201, manager="one"),
            apply(o(C, {"multiKey": [{"port": 80, "protocol": "TCP"}]}), None, manager="two"),
        ),
        edge(
            "warn-many-unknown",
            s,
            create(
                o(
                    s,
                    {"name": "n", "zeta": 1, "alpha": {"b": 2}, "obj": {"a": "x", "m": 1, "b": 2}},
                    metadata={"zz": 1, "aa": 2},
                    extra=1,
                ),
                fv="Warn",
            ),
        ),
        edge(
            "strict-many-unknown",
            s,
            create(
                o(s, {"name": "n", "zeta": 1, "alpha": {"b": 2}, "obj": {"m": 1, "b": 2}}, extra=1),
                None,
                fv="Strict",
            ),
        ),
        edge(
            "strict-unknown-and-duplicate",
            s,
            create(
                '{"apiVersion": "{API}", "kind": "Scalar", "metadata": {"name": "{NAME}"}, '
                '"spec": {"name": "a", "bogus": 1, "name": "b"}}',
                None,
                fv="Strict",
            ),
        ),
        edge(
            "embedded-labels-invalid",
            M,
            create(
                o(
                    M,
                    {"embedded": {**EMBEDDED, "metadata": {"name": "cm", "labels": {"a b": "c"}}}},
                ),
                None,
            ),
        ),
        edge(
            "embedded-generate-name",
            M,
            create(o(M, {"embedded": {**EMBEDDED, "metadata": {"generateName": "cm-"}}}), None),
        ),
        edge(
            "int-or-string-cel-free-defaults",
            M,
            create(o(M, {"freeTyped": {"inner": {}}, "anything": {"x": {"y": None}}}), None),
        ),
        edge(
            "cel-list-map-reordered",
            R,
            create(o(R, {"ports": [{"name": "a", "port": 1}, {"name": "b", "port": 2}]})),
            merge({"spec": {"ports": [{"name": "b", "port": 2}, {"name": "a", "port": 1}]}}),
        ),
        edge(
            "cel-list-map-reordered-changed",
            R,
            create(o(R, {"ports": [{"name": "a", "port": 1}, {"name": "b", "port": 2}]})),
            merge({"spec": {"ports": [{"name": "b", "port": 3}, {"name": "a", "port": 1}]}}, 422),
        ),
        edge(
            "status-apply-two-managers-conflict",
            T,
            create(o(T, TRACKED)),
            apply(o(T, status={"phase": "Pending"}), manager="one", subresource="status"),
            apply(o(T, status={"phase": "Done"}), 409, manager="two", subresource="status"),
        ),
        edge(
            "status-json-test-fails",
            T,
            create(o(T, TRACKED)),
            jsonpatch(
                {"op": "test", "path": "/status/phase", "value": "Done"},
                expect=None,
                subresource="status",
            ),
        ),
        edge(
            "defaults-apply-managed-fields",
            D,
            apply(o(D, {"obj": {}}), 201),
            get(),
        ),
        edge(
            "kubectl-apply-removes-then-default",
            D,
            k("apply", "-f", "-", stdin=o(D, {"str": "mine", "int": 1})),
            k("apply", "-f", "-", stdin=o(D, {"int": 1})),
            GET_JSON,
        ),
        edge(
            "kubectl-replace-unknown",
            s,
            k("create", "-f", "-", stdin=o(s, initial)),
            k("replace", "-f", "-", stdin=o(s, {**initial, "bogus": 1}), expect=1),
        ),
        edge(
            "kubectl-create-no-client-validation-invalid",
            s,
            k(
                "create",
                "--validate=false",
                "-f",
                "-",
                stdin=o(s, {"name": "n", "int": 99}),
                expect=1,
            ),
        ),
    ]


# -- deletes: what each kind of delete answers -------------------------------------------------

HOLD = {"finalizers": ["example.com/hold"]}
RELEASE = merge({"metadata": {"finalizers": None}})


def _delete_cases() -> list[Case]:
    s, base = "scalars", {"name": "n"}

    def options(**fields: Any) -> dict[str, Any]:
        return {"kind": "DeleteOptions", "apiVersion": "v1", **fields}

    def made() -> Call:
        return create(o(s, base))

    def held() -> Call:
        return create(o(s, base, metadata=HOLD))

    dry_run = (("dryRun", "All"),)
    other_uid = "6a1e0f8e-0000-4000-8000-000000000000"
    deletes: dict[str, tuple[Step, ...]] = {
        "immediate": (made(), delete(), get(404)),
        "dry-run": (made(), delete(params=dry_run), get()),
        "dry-run-in-body": (made(), delete(body=options(dryRun=["All"]))),
        "grace-period": (made(), delete(params=(("gracePeriodSeconds", "30"),))),
        "held": (held(), delete(), get(), RELEASE),
        "held-twice": (held(), delete(), delete(), RELEASE),
        "held-dry-run": (held(), delete(params=dry_run), RELEASE),
        "held-released": (held(), delete(), RELEASE, get(404)),
        "held-then-updated": (held(), delete(), merge({"spec": {"name": "m"}}), RELEASE),
        "uid-precondition-met": (made(), delete(body=options(preconditions={"uid": "{UID}"}))),
        # without a body, the query's uid and resourceVersion are preconditions
        "query-uid-met": (made(), delete(params=(("uid", "{UID}"),))),
        "query-uid-failed": (made(), delete(409, params=(("uid", other_uid),))),
        "query-rv-met": (made(), delete(params=(("resourceVersion", "{RV}"),))),
        "query-rv-failed": (made(), delete(409, params=(("resourceVersion", "1"),))),
        # with a body, the query is not read at all
        "body-and-query": (
            made(),
            delete(body=options(propagationPolicy="Background"), params=dry_run),
            get(404),
        ),
        "body-and-bad-query": (
            made(),
            delete(body=options(), params=(("gracePeriodSeconds", "soon"),)),
        ),
        "uid-precondition-failed": (
            made(),
            delete(409, body=options(preconditions={"uid": other_uid})),
        ),
        "rv-precondition-failed": (
            made(),
            delete(409, body=options(preconditions={"resourceVersion": "1"})),
        ),
        "missing": (delete(404),),
        # Propagation: with no garbage collector in this control plane, the object stays,
        # held by the finalizer the delete added, until that is removed.
        "orphan": (made(), delete(body=options(propagationPolicy="Orphan")), get(), RELEASE),
        "orphan-query": (made(), delete(params=(("propagationPolicy", "Orphan"),)), RELEASE),
        "foreground": (
            made(),
            delete(body=options(propagationPolicy="Foreground")),
            get(),
            RELEASE,
            get(404),
        ),
        "background": (made(), delete(body=options(propagationPolicy="Background")), get(404)),
        "orphan-dependents": (made(), delete(body=options(orphanDependents=True)), RELEASE),
        "orphan-dependents-false": (made(), delete(body=options(orphanDependents=False))),
        "orphan-dependents-and-policy": (
            made(),
            delete(422, body=options(orphanDependents=True, propagationPolicy="Orphan")),
        ),
        "unknown-policy": (made(), delete(422, body=options(propagationPolicy="Sideways"))),
        "orphan-dry-run": (
            made(),
            delete(body=options(propagationPolicy="Orphan", dryRun=["All"])),
            get(),
        ),
        "held-then-orphan": (
            held(),
            delete(),
            delete(body=options(propagationPolicy="Orphan")),
            get(),
            RELEASE,
        ),
        "held-then-foreground": (
            held(),
            delete(),
            delete(body=options(propagationPolicy="Foreground")),
            get(),
            RELEASE,
        ),
        "foreground-then-orphan": (
            made(),
            delete(body=options(propagationPolicy="Foreground")),
            delete(body=options(propagationPolicy="Orphan")),
            get(),
            RELEASE,
        ),
        "foreground-then-background": (
            made(),
            delete(body=options(propagationPolicy="Foreground")),
            # Background takes foregroundDeletion away again: nothing holds the object then
            delete(body=options(propagationPolicy="Background")),
            get(404),
        ),
        "orphan-then-update": (
            made(),
            delete(body=options(propagationPolicy="Orphan")),
            # no new finalizer on an object being deleted, nor one swapped for another
            merge({"metadata": {"finalizers": ["orphan", "example.com/hold"]}}, 422),
            merge({"metadata": {"finalizers": ["example.com/hold"]}}, 422),
            merge({"metadata": {"finalizers": ["orphan", "orphan"]}}, None),
            get(),
            RELEASE,
        ),
        "orphan-with-grace": (
            made(),
            delete(body=options(propagationPolicy="Orphan", gracePeriodSeconds=30)),
            get(),
            RELEASE,
        ),
    }
    return [case(f"delete-{id}", s, *steps, category="deletes") for id, steps in deletes.items()]


# -- collections read and deleted, each case's own objects selected by a label ------------------

METADATA = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"
METADATA_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
MINE = ("labelSelector", "case={CASE}")


TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io"
TABLE_V1BETA1 = "application/json;as=Table;v=v1beta1;g=meta.k8s.io"
METADATA_V1BETA1 = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1"


def _collection_read_cases() -> list[Case]:
    s, base = "scalars", {"name": "n"}

    def mine(suffix: str = "", **metadata: Any) -> Call:
        labels = {"case": "{CASE}", **metadata.pop("labels", {})}
        return create(
            o(s, base, metadata={"name": "{CASE}" + suffix, "labels": labels, **metadata})
        )

    two = (mine(), mine("-b"))
    reads: dict[str, tuple[Step, ...]] = {
        "list-selected": (*two, listed(MINE)),
        "list-selected-metadata": (*two, listed(MINE, accept=METADATA_LIST)),
        "list-selected-limit": (*two, listed(MINE, ("limit", "1"))),
        "list-by-name": (*two, listed(("fieldSelector", "metadata.name={CASE}"))),
        "list-by-name-and-label": (
            *two,
            listed(("fieldSelector", "metadata.name={CASE}"), ("labelSelector", "case=none")),
        ),
        "list-set-based": (
            mine(labels={"tier": "a"}),
            mine("-b", labels={"tier": "b"}),
            listed(("labelSelector", "case={CASE},tier notin (a)")),
        ),
        "get-metadata": (mine(), get(accept=METADATA)),
        "get-table": (mine(), get(accept=TABLE)),
        "get-table-with-object": (mine(), get(accept=TABLE, params=(("includeObject", "Object"),))),
        "get-table-without-object": (
            mine(),
            get(accept=TABLE, params=(("includeObject", "None"),)),
        ),
        "get-table-bogus-include": (
            mine(),
            get(None, accept=TABLE, params=(("includeObject", "Everything"),)),
        ),
        "list-table": (*two, listed(MINE, accept=TABLE)),
        "list-table-limit": (*two, listed(MINE, ("limit", "1"), accept=TABLE)),
        "list-table-empty": (listed(("labelSelector", "case=nothing-here"), accept=TABLE),),
        "get-table-and-json": (mine(), get(accept=f"{TABLE},application/json")),
        "get-table-v1beta1": (mine(), get(accept=TABLE_V1BETA1)),
        "get-metadata-v1beta1": (mine(), get(accept=METADATA_V1BETA1)),
        "list-table-v1beta1": (*two, listed(MINE, accept=TABLE_V1BETA1)),
        "list-metadata-v1beta1": (
            *two,
            listed(MINE, accept=METADATA_V1BETA1.replace("Metadata;", "MetadataList;")),
        ),
        "get-table-unknown-version": (mine(), get(None, accept=TABLE.replace("v=v1", "v=v2"))),
        "get-metadata-of-list": (mine(), get(None, accept=METADATA_LIST)),
        "list-metadata-of-object": (*two, listed(MINE, accept=METADATA, expect=None)),
        "get-yaml": (mine(), get(accept="application/yaml")),
        "get-yaml-strings": (
            mine(
                annotations={
                    "long": "a sentence of words " * 8,
                    "lines": "one\ntwo\n",
                    "typed": "true",
                    "number": "012",
                    "colon": "key: value",
                    "empty": "",
                    "unicode": "größe ☃",
                }
            ),
            get(accept="application/yaml"),
        ),
        "list-yaml": (*two, listed(MINE, accept="application/yaml")),
        "deletecollection-selected": (*two, delete_collection(MINE), listed(MINE)),
        "deletecollection-limit": (*two, delete_collection(MINE, ("limit", "1")), listed(MINE)),
        # the query's resourceVersion is also every delete's precondition: 409 at the first
        "deletecollection-resource-version": (
            *two,
            delete_collection(MINE, ("resourceVersion", "0"), expect=409),
            listed(MINE),
        ),
        "deletecollection-by-name": (
            *two,
            delete_collection(("fieldSelector", "metadata.name={CASE}-b")),
            listed(MINE),
        ),
        "deletecollection-dry-run": (
            *two,
            delete_collection(MINE, ("dryRun", "All")),
            listed(MINE),
        ),
        "deletecollection-orphan": (
            mine(),
            delete_collection(MINE, body={"propagationPolicy": "Orphan"}),
            listed(MINE),
            RELEASE,
        ),
        "deletecollection-foreground": (
            mine(),
            delete_collection(MINE, body={"propagationPolicy": "Foreground"}),
            listed(MINE),
            RELEASE,
        ),
        "deletecollection-orphan-query": (
            mine(),
            delete_collection(MINE, ("propagationPolicy", "Orphan")),
            listed(MINE),
            RELEASE,
        ),
        "deletecollection-body-dry-run": (
            *two,
            delete_collection(MINE, body={"dryRun": ["All"]}),
            listed(MINE),
        ),
        "deletecollection-uid-precondition": (
            *two,
            delete_collection(MINE, body={"preconditions": {"uid": "{UID}"}}, expect=None),
            listed(MINE),
        ),
        "deletecollection-grace": (
            *two,
            delete_collection(MINE, body={"gracePeriodSeconds": 30}),
            listed(MINE),
        ),
        "deletecollection-as-table": (
            *two,
            delete_collection(MINE, accept=TABLE, expect=None),
            listed(MINE),
        ),
        "deletecollection-as-metadata": (
            *two,
            delete_collection(MINE, accept=METADATA_LIST, expect=None),
            listed(MINE),
        ),
        "deletecollection-held-then-orphan": (
            mine(finalizers=["example.com/hold"]),
            delete_collection(MINE),
            delete_collection(MINE, body={"propagationPolicy": "Orphan"}),
            listed(MINE),
            RELEASE,
        ),
        "deletecollection-held": (
            mine(finalizers=["example.com/hold"]),
            delete_collection(MINE),
            listed(MINE),
            RELEASE,
        ),
    }
    return [case(id, s, *steps, category="collections-read") for id, steps in reads.items()]


# -- the scale subresource -----------------------------------------------------------------------

SC = "scaleds"


def _scale_cases() -> list[Case]:
    def made(replicas: int | None = 2) -> Call:
        spec = {} if replicas is None else {"replicas": replicas}
        return create(o(SC, spec))

    def running() -> tuple[Call, Call]:
        status = {"status": {"replicas": 2, "selector": "app=x"}}
        return made(), merge(status, subresource="status")

    def scale(replicas: Any) -> dict[str, Any]:
        return {
            "apiVersion": "autoscaling/v1",
            "kind": "Scale",
            "metadata": {"name": "{NAME}"},
            "spec": {"replicas": replicas},
        }

    scales: dict[str, tuple[Step, ...]] = {
        "get": (*running(), get(subresource="scale")),
        "get-deep-status": (made(), get(None, subresource="status/x/y/z")),
        "get-deep-scale": (made(), get(None, subresource="scale/x")),
        "get-without-status": (made(), get(subresource="scale")),
        "get-without-replicas": (made(None), get(500, subresource="scale")),
        "update": (*running(), update(scale(5), subresource="scale"), get()),
        "update-over-maximum": (made(), update(scale(51), None, subresource="scale")),
        "update-negative": (made(), update(scale(-1), None, subresource="scale")),
        "update-wrong-kind": (
            made(),
            update({**scale(3), "kind": "Other"}, None, subresource="scale"),
        ),
        "held-update": (
            create(o(SC, {"replicas": 2}, metadata=HOLD)),
            delete(),
            update(scale(5), None, subresource="scale"),
            get(),
            RELEASE,
        ),
        "merge-labels-ignored": (
            made(),
            merge(
                {"metadata": {"labels": {"a": "b"}}, "spec": {"replicas": 4}},
                None,
                subresource="scale",
            ),
            get(),
        ),
        "update-name-other": (
            made(),
            update({**scale(3), "metadata": {"name": "other"}}, None, subresource="scale"),
        ),
        "merge-spec-null": (made(), merge({"spec": None}, None, subresource="scale"), get()),
        "json-patch-remove-replicas": (
            made(),
            jsonpatch({"op": "remove", "path": "/spec/replicas"}, expect=None, subresource="scale"),
            get(),
        ),
        "update-status-ignored": (
            made(),
            update(
                {**scale(3), "status": {"replicas": 9, "selector": "x=y"}},
                None,
                subresource="scale",
            ),
            get(),
        ),
        "update-stale": (
            made(),
            update(
                {**scale(3), "metadata": {"name": "{NAME}", "resourceVersion": "1"}},
                None,
                subresource="scale",
            ),
        ),
        "merge": (*running(), merge({"spec": {"replicas": 7}}, subresource="scale"), get()),
        "merge-text": (made(), merge({"spec": {"replicas": "7"}}, None, subresource="scale")),
        "merge-fraction": (made(), merge({"spec": {"replicas": 1.5}}, None, subresource="scale")),
        "merge-over-int32": (
            made(),
            merge({"spec": {"replicas": 2**31}}, None, subresource="scale"),
        ),
        "merge-status-text": (
            made(),
            merge({"status": {"replicas": "2"}}, None, subresource="scale"),
        ),
        "update-text": (made(), update(scale("7"), None, subresource="scale")),
        "update-labels-text": (
            made(),
            update(
                {**scale(3), "metadata": {"name": "{NAME}", "labels": "x"}},
                None,
                subresource="scale",
            ),
        ),
        "merge-labels-text": (
            made(),
            merge({"metadata": {"labels": "x"}}, None, subresource="scale"),
        ),
        "update-over-int32": (made(), update(scale(2**31), None, subresource="scale")),
        "update-unknown-warn": (
            made(),
            update({**scale(3), "spec": {"replicas": 3, "paused": True}}, subresource="scale"),
        ),
        "update-unknown-metadata-warn": (
            made(),
            update(
                {
                    **scale(3),
                    "metadata": {"name": "{NAME}", "zone": "a", "labels": {"a": "b"}},
                    "extra": 1,
                    "status": {"replicas": 1, "ready": 1},
                },
                subresource="scale",
            ),
        ),
        "update-unknown-strict": (
            made(),
            update(
                {**scale(3), "spec": {"replicas": 3, "paused": True}},
                None,
                fv="Strict",
                subresource="scale",
            ),
        ),
        "merge-unknown-strict": (
            made(),
            merge(
                {"spec": {"replicas": 3, "paused": True}}, None, fv="Strict", subresource="scale"
            ),
        ),
        "merge-unknown-warn": (
            made(),
            merge({"spec": {"replicas": 3}, "extra": 1}, subresource="scale"),
            get(),
        ),
        "merge-stale": (
            made(),
            merge(
                {"metadata": {"resourceVersion": "1"}, "spec": {"replicas": 3}},
                None,
                subresource="scale",
            ),
        ),
        "merge-uid": (
            made(),
            merge(
                {
                    "metadata": {
                        "uid": "6a1e0f8e-0000-4000-8000-000000000009",
                        "labels": {"a": "b"},
                    },
                    "spec": {"replicas": 3},
                },
                None,
                subresource="scale",
            ),
            get(),
        ),
        "merge-dry-run": (
            made(),
            merge({"spec": {"replicas": 4}}, subresource="scale", params=(("dryRun", "All"),)),
            get(),
        ),
        "merge-field-manager": (
            made(),
            merge(
                {"spec": {"replicas": 4}}, subresource="scale", params=(("fieldManager", "hpa"),)
            ),
            get(),
        ),
        "json-patch-text": (
            made(),
            jsonpatch(
                {"op": "replace", "path": "/spec/replicas", "value": "x"},
                expect=None,
                subresource="scale",
            ),
        ),
        "json-patch-test-managers": (
            made(),
            jsonpatch(
                {"op": "test", "path": "/metadata/managedFields/0/manager", "value": "Python"},
                {"op": "replace", "path": "/spec/replicas", "value": 3},
                subresource="scale",
            ),
            get(),
        ),
        "json-patch": (
            made(),
            jsonpatch({"op": "replace", "path": "/spec/replicas", "value": 3}, subresource="scale"),
        ),
        "to-zero": (*running(), merge({"spec": {"replicas": 0}}, subresource="scale"), get()),
        **{
            f"{verb}-replicas-{label}": (
                *running(),
                update(scale(value), None, subresource="scale")
                if verb == "update"
                else merge({"spec": {"replicas": value}}, None, subresource="scale"),
                get(),
            )
            for verb in ("update", "merge")
            for label, value in (
                ("null", None),
                ("string", "3"),
                ("fraction", 1.5),
                ("integral-float", 3.0),
                ("bool", True),
                ("int32-overflow", 2**31),
                ("negative", -1),
                ("object", {"n": 1}),
            )
        },
        "to-zero-and-back": (
            *running(),
            merge({"spec": {"replicas": 0}}, subresource="scale"),
            merge({"spec": {"replicas": 0}}, subresource="scale"),
            merge({"spec": {"replicas": 4}}, subresource="scale"),
            get(),
        ),
        "same-count": (
            *running(),
            merge({"spec": {"replicas": 2}}, subresource="scale"),
            get(),
            merge({"spec": {"replicas": 3}}),
        ),
        "same-count-applied": (
            apply(o(SC, {"replicas": 2}), 201),
            merge({"spec": {"replicas": 2}}, subresource="scale"),
            merge({"spec": {"replicas": 5}}, subresource="scale"),
            get(),
        ),
        "unowned": (
            made(None),
            merge({"metadata": {"labels": {"a": "b"}}}),
            merge({"spec": {"replicas": 4}}, subresource="scale"),
            update(scale(6), subresource="scale"),
            get(),
        ),
        "apply": (
            made(),
            apply(
                {**scale(4), "metadata": {"name": "{NAME}"}},
                None,
                subresource="scale",
                force=True,
            ),
        ),
        "main-negative": (made(), merge({"spec": {"replicas": -3}}, None)),
    }
    return [case(f"scale-{id}", SC, *steps, category="scale") for id, steps in scales.items()]


# -- metadata the server owns or checks, on create, update and patch ------------------------------

OWNER = {"apiVersion": "v1", "kind": "ConfigMap", "name": "cm", "uid": "{UID}"}


def _metadata_cases() -> list[Case]:
    s, base = "scalars", {"name": "n"}

    def made(**metadata: Any) -> Call:
        return create(o(s, base, metadata=metadata), None)

    def owner(**changes: Any) -> dict[str, Any]:
        ref = {**OWNER, "uid": "6a1e0f8e-0000-4000-8000-00000000000a", **changes}
        return {k: v for k, v in ref.items() if v is not None}

    stamp = "2020-01-01T00:00:00Z"
    cases: dict[str, tuple[Step, ...]] = {
        "create-resource-version": (made(resourceVersion="5"),),
        "create-uid": (made(uid="6a1e0f8e-0000-4000-8000-000000000001"),),
        "create-timestamps": (
            made(creationTimestamp=stamp, deletionTimestamp=stamp, deletionGracePeriodSeconds=5),
        ),
        "create-generation": (made(generation=7),),
        "create-self-link": (made(selfLink="/somewhere"),),
        "create-managed-fields": (
            made(
                managedFields=[
                    {
                        "manager": "someone",
                        "operation": "Update",
                        "apiVersion": "v1",
                        "fieldsType": "FieldsV1",
                        "fieldsV1": {"f:spec": {"f:name": {}}},
                    }
                ]
            ),
        ),
        "create-managed-fields-invalid": (made(managedFields=[{"manager": 5}]),),
        "create-owner": (made(ownerReferences=[owner()]),),
        "create-owner-no-uid": (made(ownerReferences=[owner(uid="")]),),
        "create-owner-no-kind": (made(ownerReferences=[owner(kind=None)]),),
        "create-owner-bad-api-version": (made(ownerReferences=[owner(apiVersion="a/b/c")]),),
        "create-owner-two-controllers": (
            made(
                ownerReferences=[
                    owner(controller=True),
                    owner(name="cm2", uid="6a1e0f8e-0000-4000-8000-00000000000b", controller=True),
                ]
            ),
        ),
        "create-finalizer-standard": (made(finalizers=["kubernetes"]),),
        "create-finalizer-unqualified": (made(finalizers=["hold"]),),
        "create-finalizer-duplicate": (made(finalizers=["example.com/a", "example.com/a"]),),
        "create-annotation-too-big": (made(annotations={"big": "x" * (256 * 1024)}),),
        "update-uid": (
            made(),
            update(o(s, base, metadata={"uid": "6a1e0f8e-0000-4000-8000-000000000002"}), None),
        ),
        "update-creation-timestamp": (
            made(),
            update(o(s, base, metadata={"creationTimestamp": stamp}), None),
        ),
        "update-generation": (made(), update(o(s, base, metadata={"generation": 9}), None)),
        "update-deletion-grace": (
            made(),
            update(o(s, base, metadata={"deletionGracePeriodSeconds": 5}), None),
        ),
        "update-finalizer-added": (
            made(finalizers=["example.com/a"]),
            update(o(s, base, metadata={"finalizers": ["example.com/a", "hold", "kubernetes"]})),
        ),
        "update-held-deletion-timestamp": (
            made(finalizers=["example.com/a"]),
            delete(),
            update(
                o(s, base, metadata={"finalizers": ["example.com/a"], "deletionTimestamp": stamp})
            ),
            RELEASE,
        ),
        "update-deletion-timestamp": (
            made(),
            update(o(s, base, metadata={"deletionTimestamp": stamp}), None),
        ),
        # a create's metadata errors with the schema's
        "create-label-and-schema": (
            create(o(s, {"name": "n", "int": 50}, metadata={"labels": {"a": "b c"}}), 422),
        ),
        "create-owner-and-schema": (
            create(
                o(s, {"name": "n", "int": 50}, metadata={"ownerReferences": [owner(uid="")]}), 422
            ),
        ),
        "create-finalizer-and-schema": (
            create(o(s, {"name": "n", "int": 50}, metadata={"finalizers": ["a/b/c"]}), 422),
        ),
        "create-annotation-and-label": (
            create(o(s, base, metadata={"labels": {"a": "-"}, "annotations": {"b c": "d"}}), 422),
        ),
        "create-wrong-kind-and-label": (
            create({**o(s, base, metadata={"labels": {"a": "-"}}), "kind": "Other"}, None),
        ),
        "create-name-and-schema": (
            create({**o(s, {"name": "n", "int": 50}), "metadata": {"name": "Bad_Name"}}, 422),
        ),
        "update-wrong-kind-and-label": (
            made(),
            update({**o(s, base, metadata={"labels": {"a": "-"}}), "kind": "Other"}, None),
        ),
        # an update's metadata errors: ObjectMeta's, the update's own, with the schema's
        "merge-label-invalid": (made(), merge({"metadata": {"labels": {"a": "b c"}}}, 422)),
        "merge-annotation-invalid": (
            made(),
            merge({"metadata": {"annotations": {"a b": "c"}}}, 422),
        ),
        "merge-owner-no-uid": (
            made(),
            merge({"metadata": {"ownerReferences": [owner(uid="")]}}, 422),
        ),
        # an update checks names only as path segments
        "merge-generate-name-invalid": (made(), merge({"metadata": {"generateName": "Bad_"}}, 200)),
        "merge-generate-name-slash": (made(), merge({"metadata": {"generateName": "a/b%"}}, 422)),
        "merge-annotations-too-big": (
            made(),
            merge({"metadata": {"annotations": {"big": "x" * (256 * 1024)}}}, None),
        ),
        "merge-two-controllers": (
            made(),
            merge(
                {
                    "metadata": {
                        "ownerReferences": [
                            owner(controller=True),
                            owner(
                                name="cm2",
                                uid="6a1e0f8e-0000-4000-8000-00000000000b",
                                controller=True,
                            ),
                        ]
                    }
                },
                None,
            ),
        ),
        "merge-namespace-other": (made(), merge({"metadata": {"namespace": "other"}}, None)),
        "merge-name-other": (made(), merge({"metadata": {"name": "other"}}, None)),
        "merge-finalizers-both-policies": (
            made(),
            merge({"metadata": {"finalizers": ["orphan", "foregroundDeletion"]}}, None),
        ),
        "merge-finalizer-unqualified": (
            made(),
            merge({"metadata": {"finalizers": ["a/b/c"]}}, None),
        ),
        "merge-label-key-invalid": (
            made(),
            merge({"metadata": {"labels": {"Example.com/a": "b"}}}, None),
        ),
        "merge-generation-negative": (made(), merge({"metadata": {"generation": -4}}, None)),
        "merge-creation-timestamp": (
            made(),
            merge({"metadata": {"creationTimestamp": "2020-01-01T00:00:00Z"}}, None),
        ),
        "merge-self-link": (made(), merge({"metadata": {"selfLink": "/x"}}, None)),
        "merge-label-and-schema": (
            made(),
            merge({"metadata": {"labels": {"a": "b c"}}, "spec": {"int": 50}}, 422),
        ),
        "merge-uid-and-schema": (
            made(),
            merge(
                {"metadata": {"uid": "6a1e0f8e-0000-4000-8000-000000000003"}, "spec": {"int": 50}},
                422,
            ),
        ),
        "merge-uid-and-label": (
            made(),
            merge(
                {"metadata": {"uid": "6a1e0f8e-0000-4000-8000-000000000003", "labels": {"a": "-"}}},
                422,
            ),
        ),
        "merge-held-finalizer-and-schema": (
            made(finalizers=["example.com/a"]),
            delete(),
            merge(
                {
                    "metadata": {"finalizers": ["example.com/a", "example.com/b"]},
                    "spec": {"int": 50},
                },
                422,
            ),
            RELEASE,
        ),
        "merge-held-finalizer-and-label": (
            made(finalizers=["example.com/a"]),
            delete(),
            merge(
                {
                    "metadata": {
                        "finalizers": ["example.com/a", "example.com/b"],
                        "labels": {"a": "-"},
                    }
                },
                422,
            ),
            RELEASE,
        ),
        "merge-held-finalizer-and-uid": (
            made(finalizers=["example.com/a"]),
            delete(),
            merge(
                {
                    "metadata": {
                        "finalizers": ["example.com/a", "b"],
                        "uid": "6a1e0f8e-0000-4000-8000-000000000004",
                    }
                },
                422,
            ),
            RELEASE,
        ),
        "update-label-and-schema": (
            made(),
            update(o(s, {"name": "n", "int": 50}, metadata={"labels": {"a": "b c"}}), 422),
        ),
        "merge-managed-fields-reset": (made(), merge({"metadata": {"managedFields": []}}, None)),
        "merge-managed-fields-invalid": (
            made(),
            merge({"metadata": {"managedFields": [{"manager": 5}]}}, None),
        ),
        "merge-owner-added": (made(), merge({"metadata": {"ownerReferences": [owner()]}}, None)),
        "merge-labels-int": (made(), merge({"metadata": {"labels": {"a": 5}}}, None)),
        "merge-owners-string": (made(), merge({"metadata": {"ownerReferences": "str"}}, None)),
        "merge-name-int": (made(), merge({"metadata": {"name": 5}}, None)),
        "json-patch-managed-fields-garbage": (
            made(),
            jsonpatch({"op": "add", "path": "/metadata/managedFields", "value": "g"}, expect=None),
        ),
        "create-dry-run": (create(o(s, base), params=(("dryRun", "All"),)), get(404)),
        "create-generate-name-dry-run": (
            create(
                {
                    **o(s, base, metadata={"generateName": "gen-"}),
                    "metadata": {"generateName": "gen-"},
                },
                params=(("dryRun", "All"),),
            ),
        ),
        "create-namespace-matching": (made(namespace="differential"),),
        "create-exists": (made(), create(o(s, base), None)),
        "create-empty-labels-annotations": (made(labels={}, annotations={}, finalizers=[]),),
        "update-same-object": (made(), update(o(s, base))),
        "update-no-spec": (made(), update({**o(s, base), "spec": None}, None)),
        "merge-labels-null": (
            made(labels={"a": "b"}),
            merge({"metadata": {"labels": {"a": None}}}, None),
        ),
    }
    return [case(f"meta-{id}", s, *steps, category="metadata") for id, steps in cases.items()]


# -- server-side apply: creating, owning, conflicting, refusing -----------------------------------


def _apply_cases() -> list[Case]:
    s = "scalars"

    def cfg(spec: Any = None, **metadata: Any) -> dict[str, Any]:
        return o(s, spec if spec is not None else {"name": "n"}, metadata=metadata or None)

    labelled = cfg(labels={"team": "a", "tier": "x"})
    applies: dict[str, tuple[Step, ...]] = {
        "creates": (apply(cfg(), 201), get()),
        "again-no-op": (apply(cfg(), 201), apply(cfg())),
        "dry-run-creates": (apply(cfg(), 201, params=(("dryRun", "All"),)), get(404)),
        "without-manager": (create(o(s, {"name": "n"})), Call("apply", cfg(), expect=422)),
        "other-version": (
            create(o(s, {"name": "n"})),
            apply({**cfg(), "apiVersion": "{API}9"}, None),  # v19: no such version
        ),
        "other-kind": (create(o(s, {"name": "n"})), apply({**cfg(), "kind": "Other"}, None)),
        "other-group": (
            create(o(s, {"name": "n"})),
            apply({**cfg(), "apiVersion": "x.io/v1"}, None),
        ),
        "with-managed-fields": (
            create(o(s, {"name": "n"})),
            apply(cfg(managedFields=[{"manager": "x", "operation": "Apply"}]), None),
        ),
        "other-name": (
            create(o(s, {"name": "n"})),
            apply({**cfg(), "metadata": {"name": "someone-else"}}, None),
        ),
        "missing-with-uid": (apply(cfg(uid="6a1e0f8e-0000-4000-8000-00000000000c"), None),),
        "conflict-with-update": (
            create(o(s, {"name": "n", "str": "abc"})),
            apply(cfg({"name": "n", "str": "xyz"}), None),
        ),
        "conflict-forced": (
            create(o(s, {"name": "n", "str": "abc"})),
            apply(cfg({"name": "n", "str": "xyz"}), force=True),
        ),
        "two-appliers-labels": (
            apply(labelled, 201),
            apply(cfg(labels={"team": "b"}), None, manager="other"),
            apply(cfg(labels={"owner": "b"}), manager="other"),
        ),
        "drops-owned-label": (apply(labelled, 201), apply(cfg(labels={"team": "a"}))),
        "shared-value": (
            apply(labelled, 201),
            apply(cfg(labels={"team": "a"}), manager="other"),
            apply(cfg(), manager="differential"),
        ),
        "empty-config": (
            create(o(s, {"name": "n"})),
            apply({"apiVersion": "{API}", "kind": "Scalar", "metadata": {"name": "{NAME}"}}),
        ),
        "managed-fields-empty-list": (
            create(o(s, {"name": "n"})),
            apply(cfg(managedFields=[]), None),
        ),
        "dry-run-existing": (
            apply(cfg({"name": "n", "str": "aa"}), 201),
            apply(cfg({"name": "n", "str": "bb"}), params=(("dryRun", "All"),)),
            get(),
        ),
        "removes-label-owned-by-two": (
            apply(labelled, 201),
            apply(cfg(labels={"team": "a"}), manager="other"),
            apply(cfg(labels={"tier": "x"})),
            get(),
        ),
        "update-then-apply-conflict-text": (
            create(o(s, {"name": "n", "str": "aa", "int": 3})),
            merge({"spec": {"str": "bb"}}, params=(("fieldManager", "editor"),)),
            apply(cfg({"name": "n", "str": "cc", "int": 4}), None),
        ),
        "force-takes-from-two": (
            apply(cfg({"name": "n", "str": "aa"}), 201, manager="one"),
            apply(cfg({"name": "n", "int": 2}), manager="two"),
            apply(cfg({"name": "x", "str": "bb", "int": 3}), manager="three", force=True),
            get(),
        ),
        "labels-two-managers-remove": (
            apply(cfg(labels={"a": "1", "b": "2"}), 201, manager="one"),
            apply(cfg(labels={"b": "2", "c": "3"}), manager="two"),
            apply(cfg(labels={}), manager="one"),
            apply(cfg(), manager="two"),
            get(),
        ),
        "annotations-removed": (
            apply(cfg(annotations={"x": "1", "y": "2"}), 201),
            apply(cfg(annotations={"y": "3"})),
            get(),
        ),
        "finalizers-two-managers": (
            apply(cfg(finalizers=["example.com/a"]), 201, manager="one"),
            apply(cfg(finalizers=["example.com/b"]), manager="two"),
            apply(cfg(), manager="one"),
            get(),
            RELEASE,
        ),
        "owner-references": (
            apply(
                cfg(ownerReferences=[dict(OWNER, uid="6a1e0f8e-0000-4000-8000-0000000000aa")]), 201
            ),
            apply(
                cfg(ownerReferences=[dict(OWNER, uid="6a1e0f8e-0000-4000-8000-0000000000ab")]),
                manager="other",
            ),
            get(),
        ),
        "label-conflict": (
            apply(cfg(labels={"a": "1"}), 201, manager="one"),
            apply(cfg(labels={"a": "2"}), 409, manager="two"),
        ),
        "force-false": (
            apply(cfg({"name": "n", "str": "aa"}), 201, manager="one"),
            apply(
                cfg({"name": "n", "str": "bb"}), 409, manager="two", params=(("force", "false"),)
            ),
        ),
        "after-kubectl-update": (
            create(o(s, {"name": "n", "str": "aa"}), params=(("fieldManager", "kubectl-edit"),)),
            apply(cfg({"name": "n", "str": "bb"}), None),
            apply(cfg({"name": "n", "str": "bb"}), force=True),
            get(),
        ),
        "empty-labels": (apply(cfg(labels={}), 201), get()),
        "empty-finalizers": (apply(cfg(finalizers=[], annotations={}), 201), get()),
        "null-labels": (apply(cfg(labels=None), 201), get()),
        "label-null-value": (apply(cfg(labels={"a": None}), None), get(None)),
        "field-manager-long": (apply(cfg(), None, manager="m" * 129),),
        "empty-spec": (apply(cfg(), 201), apply({**cfg(), "spec": {}}, None), get()),
        "null-spec": (apply(cfg(), 201), apply({**cfg(), "spec": None}, None), get()),
        "after-update-takes-over": (
            apply(cfg({"name": "n", "int": 1}), 201),
            merge({"spec": {"int": 2}}),
            apply(cfg({"name": "n", "int": 3}), None),
        ),
    }
    return [case(f"ssa-{id}", s, *steps, category="apply") for id, steps in applies.items()]


# -- watches: replayed from a revision the case made, or from now -------------------------------

ONE_SECOND = ("timeoutSeconds", "1")  # the server ends the stream; the runner reads it whole
INITIAL_EVENTS = (("sendInitialEvents", "true"), ("resourceVersionMatch", "NotOlderThan"))
BOOKMARKS = ("allowWatchBookmarks", "true")


def watched(
    *params: tuple[str, str], expect: int | None = 200, seconds: int = 1, **kw: Any
) -> Call:
    """A watch the server ends after `seconds` (the runner compares no plain bookmarks)."""
    timeout = ("timeoutSeconds", str(seconds))
    return Call("watch", params=(("watch", "1"), *params, timeout), expect=expect, **kw)


def _watch_cases() -> list[Case]:
    s, base = "scalars", {"name": "n"}
    by_name = ("fieldSelector", "metadata.name={CASE}")
    since_created = ("resourceVersion", "{RV1}")
    # A watch from "0" is served whatever state the CRD's watch cache holds, which may not yet
    # hold the case's last write: such cases first watch for a second, while it catches up.

    def mine(suffix: str = "", **metadata: Any) -> Call:
        labels = {"case": "{CASE}", **metadata.pop("labels", {})}
        return create(
            o(s, base, metadata={"name": "{CASE}" + suffix, "labels": labels, **metadata})
        )

    def relabel(tier: str) -> Call:
        return merge({"metadata": {"labels": {"tier": tier}}})

    edits = (merge({"spec": {"str": "abc"}}), relabel("a"))
    watches: dict[str, tuple[Step, ...]] = {
        "replayed": (mine(), *edits, delete(), watched(by_name, since_created)),
        "replayed-by-label": (mine(), *edits, delete(), watched(MINE, since_created)),
        "replayed-all-namespaces": (
            mine(),
            *edits,
            watched(MINE, since_created, all_namespaces=True),
        ),
        "from-zero": (
            mine(),
            *edits,
            watched(by_name, since_created),
            watched(by_name, ("resourceVersion", "0")),
        ),
        "from-now": (mine(), *edits, watched(by_name)),
        "from-last-write": (mine(), *edits, watched(by_name, ("resourceVersion", "{RV}"))),
        "of-nothing": (watched(("fieldSelector", "metadata.name=nothing-here")),),
        "leaving-selection": (
            mine(labels={"tier": "a"}),
            relabel("b"),
            relabel("a"),
            merge({"spec": {"str": "abc"}}),
            watched(("labelSelector", "case={CASE},tier=a"), since_created),
        ),
        "entering-selection": (
            mine(labels={"tier": "b"}),
            relabel("a"),
            watched(("labelSelector", "case={CASE},tier=a"), since_created),
        ),
        "no-match": (
            mine(),
            *edits,
            watched(by_name, ("labelSelector", "case=none"), since_created),
        ),
        "dry-run": (
            mine(),
            merge({"spec": {"str": "abc"}}, params=(("dryRun", "All"),)),
            watched(by_name, since_created),
        ),
        "unchanged": (mine(), merge({"spec": base}), watched(by_name, since_created)),
        "finalized": (
            mine(finalizers=["example.com/hold"]),
            delete(),
            RELEASE,
            watched(by_name, since_created),
        ),
        "initial-events": (
            mine(),
            mine("-b"),
            watched(MINE, *INITIAL_EVENTS, BOOKMARKS),
        ),
        "initial-events-since": (
            mine(),
            mine("-b"),
            watched(MINE, *INITIAL_EVENTS, BOOKMARKS, ("resourceVersion", "{RV1}")),
        ),
        "initial-events-zero": (
            mine(),
            watched(by_name, since_created),
            watched(MINE, *INITIAL_EVENTS, BOOKMARKS, ("resourceVersion", "0")),
        ),
        "initial-events-off": (
            mine(),
            watched(
                MINE,
                ("sendInitialEvents", "false"),
                ("resourceVersionMatch", "NotOlderThan"),
                BOOKMARKS,
                ("resourceVersion", "{RV1}"),
            ),
        ),
        "initial-events-without-bookmarks": (
            mine(),
            watched(MINE, *INITIAL_EVENTS),
        ),
        "deleted-by-collection": (
            mine(),
            mine("-b"),
            delete_collection(MINE),
            watched(MINE, since_created),
        ),
        "table-without-object": (
            mine(),
            *edits,
            delete(),
            watched(by_name, since_created, ("includeObject", "None"), accept=TABLE),
        ),
        "continue": (mine(), watched(by_name, ("continue", "abc"), expect=None)),
        "initial-events-none": (
            watched(("labelSelector", "case=nothing-here"), *INITIAL_EVENTS, BOOKMARKS),
        ),
        "initial-events-table": (
            mine(),
            watched(MINE, *INITIAL_EVENTS, BOOKMARKS, accept=TABLE),
        ),
        "table": (mine(), *edits, watched(by_name, since_created, accept=TABLE)),
        "table-with-object": (
            mine(),
            *edits,
            watched(by_name, since_created, ("includeObject", "Object"), accept=TABLE),
        ),
        "table-from-zero": (
            mine(),
            watched(by_name, since_created),
            watched(by_name, ("resourceVersion", "0"), accept=TABLE),
        ),
        "metadata": (mine(), *edits, watched(by_name, since_created, accept=METADATA)),
        "metadata-list": (mine(), *edits, watched(by_name, since_created, accept=METADATA_LIST)),
        "yaml": (mine(), watched(by_name, since_created, accept="application/yaml", expect=406)),
        "limit": (
            mine(),
            mine("-b"),
            watched(MINE, since_created),
            watched(MINE, ("limit", "1"), ("resourceVersion", "0")),
        ),
        "legacy-path": (mine(), *edits, watched(by_name, since_created, prefix="watch")),
        "legacy-path-item": (
            mine(),
            *edits,
            Call("watch-item", params=(since_created, ONE_SECOND), prefix="watch", expect=200),
        ),
        "item-path": (mine(), Call("watch-item", params=(("watch", "1"), ONE_SECOND))),
        "name-mismatch": (
            mine(),
            Call(
                "watch-item",
                params=(("fieldSelector", "metadata.name=other"), ONE_SECOND),
                prefix="watch",
            ),
        ),
        "future": (mine(), watched(by_name, ("resourceVersion", "99999999"))),
        "future-bookmarks": (
            mine(),
            watched(by_name, BOOKMARKS, ("resourceVersion", "99999999")),
        ),
        "future-initial-events": (
            mine(),
            watched(by_name, *INITIAL_EVENTS, BOOKMARKS, ("resourceVersion", "99999999")),
        ),
        # rv unset: a WatchList, whose initial events end with a bookmark
        "watch-list-by-default": (mine(), watched(by_name, BOOKMARKS)),
        "proxy-path": (mine(), get(None, prefix="proxy")),
        "yaml-error": (get(404, accept="application/yaml"),),
        "status": (
            mine(),
            watched(by_name, since_created, subresource="status", expect=None),
        ),
    }
    cases = [case(f"watch-{id}", s, *steps, category="watch") for id, steps in watches.items()]
    ratchet = {"str": "ab"}
    cases.append(
        case(
            "watch-other-version",
            "ratchets",
            create(o("ratchets", ratchet, metadata={"labels": {"case": "{CASE}"}}), version="v1"),
            merge({"spec": {"str": "abc"}}, version="v1"),
            watched(by_name, since_created, version="v2"),
            category="watch",
        )
    )
    cases.append(
        case(
            "watch-other-version-selected",
            "ratchets",
            create(o("ratchets", ratchet, metadata={"labels": {"case": "{CASE}"}}), version="v1"),
            merge({"metadata": {"labels": {"tier": "a"}}}, version="v1"),
            merge({"metadata": {"labels": {"tier": "b"}}}, version="v1"),
            watched(("labelSelector", "case={CASE},tier=a"), since_created, version="v2"),
            category="watch",
        )
    )
    trackers = "trackers"
    cases.append(
        case(
            "watch-status-writes",
            trackers,
            create(o(trackers, {})),
            merge({"status": {"phase": "Running"}}, subresource="status"),
            watched(by_name, since_created),
            category="watch",
        )
    )
    return cases


# -- single-object reads ------------------------------------------------------------------------


def _read_cases() -> list[Case]:
    s, base = "scalars", {"name": "n"}
    t, sc = "trackers", "scaleds"
    made = create(o(s, base, metadata={"labels": {"case": "{CASE}"}}))
    edited = merge({"spec": {"str": "abc"}})
    caught_up = watched(("fieldSelector", "metadata.name={CASE}"), ("resourceVersion", "{RV1}"))

    def read(id: str, resource: str, *steps: Step) -> Case:
        return case(id, resource, *steps, category="reads")

    reads = [
        read(
            "get-any-version", s, made, edited, caught_up, get(params=(("resourceVersion", "0"),))
        ),
        # After the edit reached kube's watch cache: "not older than" the first revision is
        # the edit there too, not the first write a lagging cache still holds.
        read(
            "get-older-version",
            s,
            made,
            edited,
            caught_up,
            get(params=(("resourceVersion", "{RV1}"),)),
        ),
        read("get-current-version", s, made, edited, get(params=(("resourceVersion", "{RV}"),))),
        read(
            "get-future-version",
            s,
            made,
            get(None, params=(("resourceVersion", "99999999"),)),
        ),
        read("get-missing-any-version", s, get(404, params=(("resourceVersion", "0"),))),
        # list options on a get: not a get's, so not read
        read(
            "get-with-rvmatch",
            s,
            made,
            get(None, params=(("resourceVersion", "{RV}"), ("resourceVersionMatch", "Exact"))),
        ),
        read("get-with-selectors", s, made, get(None, params=(("labelSelector", "case=none"),))),
        read("get-with-bad-selector", s, made, get(None, params=(("labelSelector", "a in ("),))),
        read("get-with-limit", s, made, get(None, params=(("limit", "-1"), ("continue", "x")))),
        read("get-with-timeout", s, made, get(None, params=(("timeoutSeconds", "soon"),))),
    ]
    # status and scale in each of the other shapes a get can answer
    shapes = {"table": TABLE, "metadata": METADATA, "yaml": "application/yaml"}
    for sub, resource, spec in (("status", t, {}), ("scale", sc, {"replicas": 1})):
        reads += [
            read(
                f"get-{sub}-{shape}",
                resource,
                create(o(resource, spec)),
                get(subresource=sub, accept=accept),
            )
            for shape, accept in shapes.items()
        ]
    return reads


# -- layout: the bytes of a response, pretty-printed when asked (negotiate.go isPrettyPrint) ------

CURL = ("User-Agent", "curl/8.5.0")
TABLE_YAML = "application/yaml;as=Table;v=v1;g=meta.k8s.io"
METADATA_LIST_YAML = "application/yaml;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
PRETTY = ("pretty", "true")


def _layout_cases() -> list[Case]:
    s, base = "scalars", {"name": "n"}
    made = create(o(s, base, metadata={"labels": {"case": "{CASE}"}}))

    def layout(id: str, *steps: Step, resource: str = s) -> Case:
        return case(id, resource, *steps, category="layouts")

    def raw(op: str, *params: tuple[str, str], expect: int | None = 200, **kw: Any) -> Call:
        return Call(op, params=params, expect=expect, raw=True, **kw)

    agents = {
        "curl": "curl/8.5.0",
        "wget": "Wget/1.21.4",
        "browser": "Mozilla/5.0 (X11; Linux x86_64)",
        "kubectl": "kubectl/v1.37.2 (linux/amd64) kubernetes/abcdef",
        "lower-mozilla": "mozilla/5.0",
    }
    return [
        layout("compact-get", made, raw("get")),
        layout("compact-list", made, raw("list", MINE)),
        layout("compact-empty-list", raw("list", MINE)),
        layout("compact-missing", raw("get", expect=404)),
        *(
            layout(f"pretty-{id}", made, raw("get", ("pretty", value)))
            for id, value in (
                ("true", "true"),
                ("1", "1"),
                ("t", "T"),
                ("upper-true", "TRUE"),
                ("false", "false"),
                ("0", "0"),
                ("yes", "yes"),
                ("empty", ""),
            )
        ),
        *(
            layout(f"agent-{agent}", made, raw("get", headers=(("User-Agent", ua),)))
            for agent, ua in agents.items()
        ),
        layout("agent-curl-pretty-false", made, raw("get", ("pretty", "false"), headers=(CURL,))),
        layout("agent-curl-pretty-bad", made, raw("get", ("pretty", "yes"), headers=(CURL,))),
        layout("agent-curl-pretty-empty", made, raw("get", ("pretty", ""), headers=(CURL,))),
        layout("pretty-accept-param", made, raw("get", accept="application/json;pretty=1")),
        layout("pretty-list", made, raw("list", MINE, PRETTY)),
        layout("pretty-empty-list", raw("list", MINE, PRETTY)),
        layout("pretty-missing", raw("get", PRETTY, expect=404)),
        layout(
            "pretty-create",
            Call("create", o(s, base), params=(PRETTY,), expect=201, raw=True),
        ),
        layout(
            "pretty-invalid-create",
            Call("create", o(s, {"name": 5}), params=(PRETTY,), expect=422, raw=True),
        ),
        layout(
            "pretty-merge",
            made,
            Call("merge", {"spec": {"str": "<&>"}}, params=(PRETTY,), expect=200, raw=True),
        ),
        layout("pretty-delete", made, raw("delete", PRETTY)),
        layout("pretty-table", made, raw("get", PRETTY, accept=TABLE)),
        layout("pretty-table-list", made, raw("list", MINE, PRETTY, accept=TABLE)),
        layout("pretty-metadata", made, raw("get", PRETTY, accept=METADATA)),
        layout("pretty-yaml", made, raw("get", PRETTY, accept="application/yaml")),
        layout("curl-yaml", made, raw("get", accept="application/yaml", headers=(CURL,))),
        layout(
            "yaml-list",
            made,
            create(
                o(
                    s,
                    {"name": "multi\nline", "str": "true"},
                    metadata={"name": "{CASE}-b", "labels": {"case": "{CASE}"}},
                )
            ),
            raw("list", MINE, accept="application/yaml"),
        ),
        layout("yaml-empty-list", raw("list", MINE, accept="application/yaml")),
        layout(
            "yaml-paged",
            made,
            create(o(s, base, metadata={"name": "{CASE}-b", "labels": {"case": "{CASE}"}})),
            raw("list", MINE, ("limit", "1"), accept="application/yaml"),
        ),
        layout("compact-metadata-empty-list", raw("list", MINE, accept=METADATA_LIST)),
        layout("compact-table-empty-list", raw("list", MINE, accept=TABLE)),
        *(
            layout(f"yaml-{id}", *steps, raw("list", MINE, *params, accept=accept))
            for id, steps, params, accept in (
                ("table-list", (made,), (), TABLE_YAML),
                ("table-object-list", (made,), (("includeObject", "Object"),), TABLE_YAML),
                ("table-empty-list", (), (), TABLE_YAML),
                ("metadata-list", (made,), (), METADATA_LIST_YAML),
                ("metadata-empty-list", (), (), METADATA_LIST_YAML),
            )
        ),
        layout(
            "pretty-watch",
            made,
            raw("watch", MINE, ("resourceVersion", "{RV1}"), PRETTY, ONE_SECOND),
        ),
        layout(
            "curl-watch",
            made,
            raw("watch", MINE, ("resourceVersion", "{RV1}"), ONE_SECOND, headers=(CURL,)),
        ),
        # compact, as sent: the other shapes and errors
        layout("compact-table", made, raw("get", accept=TABLE)),
        layout("compact-table-list", made, raw("list", MINE, accept=TABLE)),
        layout(
            "compact-table-object",
            made,
            raw("list", MINE, ("includeObject", "Object"), accept=TABLE),
        ),
        layout("compact-metadata-list", made, raw("list", MINE, accept=METADATA_LIST)),
        layout(
            "compact-paged",
            made,
            create(o(s, base, metadata={"name": "{CASE}-b", "labels": {"case": "{CASE}"}})),
            raw("list", MINE, ("limit", "1")),
        ),
        layout("compact-bad-selector", raw("list", ("labelSelector", "a in ("), expect=400)),
        layout("compact-not-acceptable", made, raw("get", expect=406, accept="text/plain")),
        layout(
            "compact-invalid",
            Call("create", o(s, {"name": 5, "str": "<&>"}), expect=422, raw=True),
        ),
        layout(
            "compact-conflict",
            made,
            Call(
                "apply",
                o(s, {"name": "o"}),
                params=(("fieldManager", "other"),),
                expect=409,
                raw=True,
            ),
        ),
        layout(
            "compact-unsupported-patch",
            made,
            Call("strategic", {"spec": {}}, expect=415, raw=True),
        ),
        layout("compact-watch", made, raw("watch", MINE, ("resourceVersion", "{RV1}"), ONE_SECOND)),
        layout(
            "compact-watch-table",
            made,
            raw("watch", MINE, ("resourceVersion", "{RV1}"), ONE_SECOND, accept=TABLE),
        ),
        # A Status whose Accept ErrorNegotiated cannot meet (its endpoint restrictions allow
        # no transformation) is written by WriteRawJSON: indented.
        layout(
            "indented-watch-metadata",
            made,
            raw(
                "watch", MINE, ("resourceVersion", "{RV1}"), ONE_SECOND, accept=METADATA, expect=406
            ),
        ),
        layout("indented-get-table-only", raw("get", accept=TABLE, expect=404)),
        layout("compact-deletecollection", made, raw("deletecollection", MINE)),
        layout(
            "pretty-status",
            create(o("trackers", TRACKED)),
            raw("get", PRETTY, subresource="status"),
            resource="trackers",
        ),
        layout(
            "pretty-scale",
            create(o("scaleds", {"replicas": 1})),
            raw("get", PRETTY, subresource="scale"),
            resource="scaleds",
        ),
    ]


# -- paging ---------------------------------------------------------------------------------------


def _paging_cases() -> list[Case]:
    s, base = "scalars", {"name": "n"}

    def mine(suffix: str, **labels: str) -> Call:
        meta = {"name": "{CASE}" + suffix, "labels": {"case": "{CASE}", **labels}}
        return create(o(s, base, metadata=meta))

    five = tuple(mine(f"-{c}", tier="odd" if c in "ace" else "even") for c in "abcde")
    limit2 = ("limit", "2")
    then = ("continue", "{CONTINUE}")
    pages: dict[str, tuple[Step, ...]] = {
        "walk": (*five, listed(MINE, limit2), listed(MINE, limit2, then), listed(MINE, then)),
        "after-writes": (
            *five,
            listed(MINE, limit2),
            merge({"spec": {"str": "abc"}}),  # the last created object
            delete_collection(("labelSelector", "case={CASE},tier=even")),
            listed(MINE, limit2, then),
        ),
        "other-selector": (
            *five,
            listed(MINE, limit2),
            listed(("labelSelector", "case={CASE},tier=odd"), then),
        ),
        "selected": (
            *five,
            listed(("labelSelector", "case={CASE},tier=odd"), ("limit", "1")),
            listed(("labelSelector", "case={CASE},tier=odd"), ("limit", "1"), then),
        ),
        "limit-zero": (*five, listed(MINE, ("limit", "0"))),
        "limit-all": (*five, listed(MINE, ("limit", "5"))),
        "limit-more": (*five, listed(MINE, ("limit", "6"))),
        "any-version": (
            *five,
            watched(MINE),  # the CRD's watch cache catches up meanwhile
            listed(MINE, limit2, ("resourceVersion", "0")),
        ),
        "exact": (
            *five,
            listed(MINE, limit2, ("resourceVersion", "{RV}"), ("resourceVersionMatch", "Exact")),
        ),
        "exact-then": (
            *five,
            listed(MINE, limit2, ("resourceVersion", "{RV}"), ("resourceVersionMatch", "Exact")),
            listed(MINE, limit2, then),
        ),
        "not-older-than": (
            *five,
            listed(
                MINE, limit2, ("resourceVersion", "{RV}"), ("resourceVersionMatch", "NotOlderThan")
            ),
        ),
        "continue-with-zero": (
            *five,
            listed(MINE, limit2),
            listed(MINE, limit2, then, ("resourceVersion", "0")),
        ),
        "across-walk": (
            *five,
            listed(MINE, limit2, all_namespaces=True),
            listed(MINE, limit2, then, all_namespaces=True),
            listed(MINE, then, all_namespaces=True),
        ),
        # a token's start key is relative to the list it came from (its key prefix)
        "across-token-in-namespace": (
            *five,
            listed(MINE, limit2, all_namespaces=True),
            listed(MINE, limit2, then),
        ),
        "namespace-token-across": (
            *five,
            listed(MINE, limit2),
            listed(MINE, limit2, then, all_namespaces=True),
        ),
        "continue-as-table": (
            *five,
            listed(MINE, limit2, accept=TABLE),
            listed(MINE, limit2, then, accept=TABLE),
        ),
        "continue-as-metadata": (
            *five,
            listed(MINE, limit2, accept=METADATA_LIST),
            listed(MINE, limit2, then, accept=METADATA_LIST),
        ),
    }
    return [case(f"page-{id}", s, *steps, category="paging") for id, steps in pages.items()]


# -- label selectors: which objects they select -------------------------------------------------


def _label_cases() -> list[Case]:
    s, base = "scalars", {"name": "n"}

    def made(suffix: str, **labels: str) -> Call:
        meta = {"name": "{CASE}" + suffix, "labels": {"case": "{CASE}", **labels}}
        return create(o(s, base, metadata=meta))

    objects = (
        made("-a", tier="web", n="1", **{"example.com/team": "x"}),
        made("-b", tier="db", n="10"),
        made("-c", tier="", n="x"),
        made("-d", n="02"),
        made("-e"),
    )
    selectors = {
        "equals": "tier=web",
        "double-equals": "tier==web",
        "not-equals": "tier!=web",
        "empty-value": "tier=",
        "not-empty": "tier!=",
        "exists": "tier",
        "not-exists": "!tier",
        "in": "tier in (web,db)",
        "in-empty": "tier in (web,)",
        "notin": "tier notin (web)",
        "greater": "n>1",
        "less": "n<5",
        "greater-negative": "n>-3",
        "spaces": " tier = web , n ",
        "prefixed": "example.com/team=x",
        "prefixed-exists": "example.com/team",
        "everything": "",
        "exists-and-not": "tier,!n",
    }
    return [
        case(
            f"labels-select-{id}",
            s,
            *objects,
            listed(
                ("labelSelector", f"case={{CASE}},{selector}" if selector else "case={CASE}"),
                expect=None,
            ),
            category="labels",
        )
        for id, selector in selectors.items()
    ]


# -- field selectors on selectableFields ---------------------------------------------------------


def _selectable_cases() -> list[Case]:
    s = "selectables"

    def made(suffix: str, spec: dict[str, Any]) -> Call:
        meta = {"name": "{CASE}" + suffix, "labels": {"case": "{CASE}"}}
        return create(o(s, spec, metadata=meta))

    # five objects: every type set, some unset, an empty string
    objects = (
        made("-a", {"str": "x", "int": 3, "bool": True, "nested": {"str": "n"}, "enum": "a"}),
        made("-b", {"str": "y", "int": -1, "bool": False, "enum": "b"}),
        made("-c", {"str": "", "int": 0}),
        made("-d", {"nested": {}}),
        made("-e", {"str": "x,y=z"}),
    )
    selectors = {
        "str": "spec.str=x",
        "str-double-equals": "spec.str==x",
        "str-not": "spec.str!=x",
        "str-empty": "spec.str=",
        "str-not-empty": "spec.str!=",
        "str-escaped": "spec.str=x\\,y\\=z",
        "int": "spec.int=3",
        "int-negative": "spec.int=-1",
        "int-zero": "spec.int=0",
        "int-padded": "spec.int=03",
        "int-not": "spec.int!=3",
        "bool-true": "spec.bool=true",
        "bool-false": "spec.bool=false",
        "bool-title": "spec.bool=True",
        "nested": "spec.nested.str=n",
        "nested-unset": "spec.nested.str=",
        "enum": "spec.enum=b",
        "two": "spec.str=x,spec.int=3",
        "with-name": "metadata.name={CASE}-a,spec.str=x",
        "namespace": "metadata.namespace=differential,spec.enum=a",
        "undeclared": "spec.other=x",
        "undeclared-status": "status.phase=x",
        "set-based": "spec.str in (x)",
    }
    cases = [
        case(
            f"select-{id}",
            s,
            *objects,
            listed(MINE, ("fieldSelector", selector), expect=None),
            category="selectable",
        )
        for id, selector in selectors.items()
    ]
    cases.append(
        case(
            "select-watched",
            s,
            made("-a", {"str": "x"}),
            merge({"spec": {"str": "y"}}),
            merge({"spec": {"str": "x"}}),
            merge({"spec": {"int": 1}}),
            delete(),
            watched(MINE, ("fieldSelector", "spec.str=x"), ("resourceVersion", "{RV1}")),
            category="selectable",
        )
    )
    tabled: dict[str, tuple[Step, ...]] = {
        "watched-table": (
            made("-a", {"str": "x", "int": 3, "bool": True, "nested": {"str": "n"}}),
            merge({"spec": {"str": "y", "int": None}}),
            delete(),
            watched(MINE, ("resourceVersion", "{RV1}"), accept=TABLE),
        ),
        "watched-table-with-object": (
            made("-a", {"str": "x"}),
            merge({"spec": {"int": 4}}),
            watched(MINE, ("resourceVersion", "{RV1}"), ("includeObject", "Object"), accept=TABLE),
        ),
        "watched-table-without-object": (
            made("-a", {"str": "x"}),
            merge({"spec": {"int": 4}}),
            watched(MINE, ("resourceVersion", "{RV1}"), ("includeObject", "None"), accept=TABLE),
        ),
        "watched-table-initial-events": (
            *objects,
            watched(MINE, ("allowWatchBookmarks", "true"), accept=TABLE),
        ),
        "listed-table-columns": (*objects, listed(MINE, accept=TABLE)),
        "got-table-columns": (
            made("-a", {"str": "x", "int": 3, "bool": False}),
            get(accept=TABLE),
        ),
    }
    cases += [
        case(f"select-{id}", s, *steps, category="selectable") for id, steps in tabled.items()
    ]
    cases.append(
        case(
            "select-table",
            s,
            *objects,
            listed(MINE, ("fieldSelector", "spec.bool=false"), accept=TABLE),
            category="selectable",
        )
    )
    return cases


# -- a cluster-scoped resource ------------------------------------------------------------------

G = "globals"


def _cluster_cases() -> list[Case]:
    """Paths, keys, lists, selectors, watches and subresources with no namespace; a namespace
    in the body or the path of a cluster-scoped object."""
    base = {"replicas": 1, "str": "a"}
    by_name = ("fieldSelector", "metadata.name={CASE}")
    since_created = ("resourceVersion", "{RV1}")

    def mine(suffix: str = "", spec: Any = None, **metadata: Any) -> Call:
        labels = {"case": "{CASE}", **metadata.pop("labels", {})}
        meta = {"name": "{CASE}" + suffix, "labels": labels, **metadata}
        return create(o(G, base if spec is None else spec, metadata=meta))

    five = tuple(mine(f"-{c}", {"replicas": 1, "str": c}) for c in "abcde")
    then = ("continue", "{CONTINUE}")
    running = (
        mine(),
        merge({"status": {"replicas": 1, "selector": "app=x"}}, subresource="status"),
    )

    def scale(replicas: Any, **metadata: Any) -> dict[str, Any]:
        return {
            "apiVersion": "autoscaling/v1",
            "kind": "Scale",
            "metadata": {"name": "{NAME}", **metadata},
            "spec": {"replicas": replicas},
        }

    cases: dict[str, tuple[Step, ...]] = {
        "create-get": (mine(), get()),
        "create-namespace-in-body": (mine(namespace="differential"), get()),
        "create-other-namespace-in-body": (mine(namespace="elsewhere"), get()),
        "create-bad-namespace-in-body": (mine(namespace="Not A Namespace"), get(None)),
        "create-generate-name": (
            create(o(G, base, metadata={"name": "", "generateName": "gen-"})),
        ),
        "create-in-namespace-path": (
            create(o(G, base), None, namespace_path=True),
            get(None),
        ),
        "create-namespace-path-yaml": (
            Call("create-yaml", "kind: Global", expect=None, namespace_path=True),
        ),
        "get-in-namespace-path": (mine(), get(None, namespace_path=True)),
        "get-absent": (get(404),),
        "update-namespace-in-body": (
            mine(),
            update(o(G, {"replicas": 2, "str": "b"}, metadata={"namespace": "differential"})),
        ),
        "update-in-namespace-path": (mine(), update(o(G, base), None, namespace_path=True)),
        "update-other-name": (
            mine(),
            update(o(G, base, metadata={"name": "{CASE}-other"}), None),
        ),
        "update-creates": (update(o(G, base), None), get(None)),
        "merge-namespace": (mine(), merge({"metadata": {"namespace": "elsewhere"}}, None), get()),
        "merge-null-namespace": (mine(), merge({"metadata": {"namespace": None}}, None)),
        "json-patch-namespace": (
            mine(),
            jsonpatch({"op": "add", "path": "/metadata/namespace", "value": "x"}, expect=None),
            get(),
        ),
        "merge-in-namespace-path": (
            mine(),
            merge({"spec": {"str": "b"}}, None, namespace_path=True),
        ),
        "apply-create": (apply(o(G, base, metadata={"labels": {"case": "{CASE}"}}), 201), get()),
        "apply-namespace-in-body": (
            apply(o(G, base, metadata={"namespace": "differential"}), None),
            get(None),
        ),
        "apply-other-namespace-in-body": (
            apply(o(G, base, metadata={"namespace": "elsewhere"}), None),
            get(None),
        ),
        "apply-then-update": (
            apply(o(G, base), 201),
            apply(o(G, {"replicas": 3}), force=True),
            get(),
        ),
        "apply-in-namespace-path": (apply(o(G, base), None, namespace_path=True),),
        "delete": (mine(), delete(), get(404)),
        "delete-in-namespace-path": (mine(), delete(None, namespace_path=True), get()),
        "delete-precondition": (
            mine(),
            delete(None, body={"preconditions": {"uid": "{UID}", "resourceVersion": "{RV}"}}),
        ),
        "delete-precondition-stale": (
            mine(),
            merge({"spec": {"str": "b"}}),
            delete(None, body={"preconditions": {"resourceVersion": "{RV1}"}}),
        ),
        "delete-dry-run": (mine(), delete(params=(("dryRun", "All"),)), get()),
        "delete-orphan": (mine(), delete(body={"propagationPolicy": "Orphan"}), get(None)),
        "list": (*five, listed(MINE)),
        "list-in-namespace-path": (mine(), listed(MINE, expect=None, namespace_path=True)),
        "list-all-namespaces": (mine(), listed(MINE, all_namespaces=True)),
        "list-table": (*five, listed(MINE, accept=TABLE)),
        "list-table-object": (
            mine(),
            listed(MINE, ("includeObject", "Object"), accept=TABLE),
        ),
        "list-metadata": (mine(), listed(MINE, accept=METADATA_LIST)),
        "get-table": (mine(), get(accept=TABLE)),
        "get-metadata": (mine(), get(accept=METADATA)),
        "paged": (
            *five,
            listed(MINE, ("limit", "2")),
            listed(MINE, ("limit", "2"), then),
            listed(MINE, then),
        ),
        "paged-after-delete": (
            *five,
            listed(MINE, ("limit", "2")),
            delete_collection(("labelSelector", "case={CASE}"), ("fieldSelector", "spec.str=c")),
            listed(MINE, ("limit", "2"), then),
        ),
        "select-by-name": (*five, listed(MINE, ("fieldSelector", "metadata.name={CASE}-b"))),
        "select-by-field": (*five, listed(MINE, ("fieldSelector", "spec.str!=b"))),
        "select-by-field-set": (*five, listed(MINE, ("fieldSelector", "spec.str=d,spec.str!=e"))),
        "select-by-namespace": (
            mine(),
            listed(MINE, ("fieldSelector", "metadata.namespace=differential"), expect=None),
        ),
        "select-by-empty-namespace": (
            mine(),
            listed(MINE, ("fieldSelector", "metadata.namespace="), expect=None),
        ),
        "select-by-namespace-not": (
            mine(),
            listed(MINE, ("fieldSelector", "metadata.namespace!=default"), expect=None),
        ),
        "select-unselectable": (
            mine(),
            listed(MINE, ("fieldSelector", "spec.replicas=1"), expect=400),
        ),
        "delete-collection": (*five, delete_collection(("labelSelector", "case={CASE}"))),
        "delete-collection-selected": (
            *five,
            delete_collection(MINE, ("fieldSelector", "spec.str=a")),
            listed(MINE),
        ),
        "delete-collection-in-namespace-path": (
            mine(),
            delete_collection(MINE, expect=None, namespace_path=True),
            get(),
        ),
        "watch": (
            mine(),
            merge({"spec": {"str": "b"}}),
            delete(),
            watched(by_name, since_created),
        ),
        "watch-by-label": (*five, watched(MINE, since_created)),
        "watch-by-field": (
            *five,
            merge({"spec": {"str": "a"}}),
            watched(MINE, ("fieldSelector", "spec.str=a"), since_created),
        ),
        "watch-in-namespace-path": (mine(), watched(by_name, expect=None, namespace_path=True)),
        "watch-initial-events": (mine(), mine("-b"), watched(MINE, *INITIAL_EVENTS, BOOKMARKS)),
        "watch-table": (
            mine(),
            merge({"spec": {"str": "b"}}),
            watched(by_name, since_created, accept=TABLE),
        ),
        "watch-legacy-path": (mine(), watched(by_name, since_created, prefix="watch")),
        "watch-item-path": (
            mine(),
            Call("watch-item", params=(since_created, ONE_SECOND), prefix="watch", expect=200),
        ),
        "status-merge": (
            mine(),
            merge({"status": {"phase": "Running"}, "spec": {"str": "z"}}, subresource="status"),
            get(subresource="status"),
        ),
        "status-update-namespace": (
            *running,
            update(
                o(G, base, status={"phase": "Done"}, metadata={"namespace": "differential"}),
                subresource="status",
            ),
        ),
        "status-in-namespace-path": (mine(), get(None, subresource="status", namespace_path=True)),
        "scale-get": (*running, get(subresource="scale")),
        "scale-update": (*running, update(scale(4), subresource="scale"), get()),
        "scale-update-namespace": (
            *running,
            update(scale(4, namespace="differential"), None, subresource="scale"),
            get(),
        ),
        "scale-merge": (*running, merge({"spec": {"replicas": 7}}, subresource="scale"), get()),
        "scale-over-maximum": (*running, update(scale(51), None, subresource="scale")),
        "scale-in-namespace-path": (*running, get(None, subresource="scale", namespace_path=True)),
        "kubectl-get": (*five, k("get", "{R}", "-l", "case={CASE}")),
        "kubectl-get-wide-labels": (
            *five,
            k("get", "{R}", "-l", "case={CASE}", "-o", "wide", "--show-labels"),
        ),
        "kubectl-get-all-namespaces": (*five, k("get", "{R}", "-l", "case={CASE}", "-A")),
        "kubectl-get-yaml": (mine(), k("get", "{R}", "{NAME}", "-o", "yaml")),
        "kubectl-describe": (mine(), k("describe", "{R}", "{NAME}")),
        "kubectl-field-selector": (
            *five,
            k("get", "{R}", "-l", "case={CASE}", "--field-selector", "spec.str=c"),
        ),
        "kubectl-chunked": (
            *five,
            k("get", "{R}", "-l", "case={CASE}", "--chunk-size=2", "-o", "name"),
        ),
        "kubectl-scale": (*running, k("scale", "{R}", "{NAME}", "--replicas=3"), get()),
        "kubectl-label": (mine(), k("label", "{R}", "{NAME}", "tier=x"), get()),
        "kubectl-delete": (mine(), k("delete", "{R}", "{NAME}")),
        "kubectl-delete-selected": (*five, k("delete", "{R}", "-l", "case={CASE}")),
        "kubectl-apply-server": (
            k("apply", "--server-side", "-f", "-", stdin=o(G, base)),
            k("apply", "--server-side", "-f", "-", stdin=o(G, {"replicas": 2})),
            get(),
        ),
        "kubectl-apply-client": (
            k("apply", "-f", "-", stdin=o(G, base)),
            k("apply", "-f", "-", stdin=o(G, {"replicas": 2, "str": "b"})),
            get(),
        ),
        "kubectl-create-namespace-flag": (
            k("create", "-n", "elsewhere", "-f", "-", stdin=o(G, base), expect=None),
        ),
        # served versions, two of them deprecated (one with its own warning)
        "deprecated-create": (create(o(G, base), version="v1beta1"), get(version="v1beta1")),
        "deprecated-own-warning": (create(o(G, base), version="v1alpha1"), get()),
        "deprecated-invalid": (create(o(G, {"replicas": 99}), 422, version="v1beta1"),),
        "deprecated-absent": (get(404, version="v1alpha1"),),
        "deprecated-list": (*five, listed(MINE, version="v1beta1")),
        "deprecated-list-table": (*five, listed(MINE, accept=TABLE, version="v1alpha1")),
        "deprecated-paged": (
            *five,
            listed(MINE, ("limit", "3"), version="v1beta1"),
            listed(MINE, then, version="v1"),
        ),
        "deprecated-watch": (
            mine(),
            merge({"spec": {"str": "b"}}, version="v1alpha1"),
            watched(by_name, since_created, version="v1beta1"),
        ),
        "deprecated-watch-initial-events": (
            mine(),
            watched(MINE, *INITIAL_EVENTS, BOOKMARKS, version="v1alpha1"),
        ),
        "deprecated-status": (
            mine(),
            merge({"status": {"phase": "Running"}}, subresource="status", version="v1beta1"),
            get(subresource="status", version="v1alpha1"),
        ),
        "deprecated-scale": (
            *running,
            update(scale(3), subresource="scale", version="v1beta1"),
            get(subresource="scale", version="v1beta1"),
        ),
        # counts beyond int32 in the object: the Scale holds them as Go's int32() wraps them
        "scale-of-huge-counts": (
            mine(),
            # v1alpha1 has no scale: nothing checks the count
            merge({"status": {"replicas": 2**31 + 5}}, subresource="status", version="v1alpha1"),
            merge({"spec": {"replicas": 7}}, version="v1alpha1"),
            get(subresource="scale"),
            merge({"spec": {"replicas": 3}}, None, subresource="scale"),
        ),
        "scale-of-int64-max": (
            mine(),
            merge({"status": {"replicas": 2**63 - 1}}, subresource="status", version="v1alpha1"),
            get(subresource="scale"),
            merge({"spec": {"replicas": -1}}, None, subresource="scale"),
        ),
        # the scale's replicas path through a spec that is no object, or null
        "spec-not-an-object": (create(o(G, "x"), None),),
        "spec-null": (mine(), merge({"spec": None}, None), get()),
        "spec-null-applied": (
            apply(o(G, base), 201),
            apply(o(G, None) | {"spec": {}}, None, version="v1beta1"),
            get(),
        ),
        "status-put-after-orphan-delete": (
            mine(),
            delete(body={"propagationPolicy": "Orphan"}),
            update(o(G, base, status={"phase": "x"}), subresource="status"),
            get(),
        ),
        # reset fields: a status write's are every version's; the main resource's its own
        "status-put-keeps-other-versions-spec": (
            mine(),
            merge({"spec": {"replicas": 10}}, version="v1beta1"),
            update(o(G, {"str": "abc"}, status={"phase": "Up"}), subresource="status"),
            get(),
        ),
        "put-drops-other-versions-status": (
            mine(),
            merge({"status": {"phase": "Up"}}, subresource="status", version="v1beta1"),
            update(o(G, base, status={"phase": "Down"}, metadata={"labels": {"case": "{CASE}"}})),
            get(),
        ),
        # v1alpha1 declares no scale, other selectable fields and other columns
        "version-without-scale": (*running, get(404, subresource="scale", version="v1alpha1")),
        "version-without-scale-update": (
            *running,
            update(scale(3), None, subresource="scale", version="v1alpha1"),
        ),
        "version-selectable": (
            *five,
            listed(MINE, ("fieldSelector", "spec.replicas=1"), version="v1alpha1"),
            listed(MINE, ("fieldSelector", "spec.replicas=1"), expect=400),
            listed(MINE, ("fieldSelector", "spec.str=a"), expect=400, version="v1alpha1"),
        ),
        "version-selectable-watch": (
            mine(),
            merge({"spec": {"replicas": 2}}),
            watched(MINE, ("fieldSelector", "spec.replicas=1"), since_created, version="v1alpha1"),
        ),
        "version-columns": (
            *running,
            merge({"status": {"phase": "Up"}}, subresource="status"),
            listed(MINE, accept=TABLE, version="v1alpha1"),
            get(accept=TABLE, version="v1beta1"),
        ),
        "version-columns-watch": (
            mine(),
            watched(by_name, since_created, accept=TABLE, version="v1alpha1"),
        ),
        "version-kubectl-get": (
            *running,
            k("get", "globals.v1alpha1.{GROUP}", "-l", "case={CASE}", "-o", "wide"),
            k(
                "get",
                "globals.v1alpha1.{GROUP}",
                "--field-selector",
                "spec.replicas=1",
                "-l",
                "case={CASE}",
            ),
        ),
        "version-kubectl-scale": (
            *running,
            k("scale", "globals.v1alpha1.{GROUP}", "{NAME}", "--replicas=2", expect=None),
        ),
        "deprecated-apply": (
            apply(o(G, base), 201, version="v1beta1"),
            apply(o(G, {"replicas": 2}), version="v1"),
            apply(o(G, {"replicas": 3}), None, manager="other", version="v1alpha1"),
            get(version="v1alpha1"),
        ),
        "deprecated-update": (
            mine(),
            update(
                o(G, {"replicas": 4, "str": "u"}, metadata={"labels": {"case": "{CASE}"}}),
                version="v1alpha1",
            ),
            get(),
        ),
        "deprecated-namespace-path": (mine(), get(None, namespace_path=True, version="v1beta1")),
        "deprecated-delete": (mine(), delete(version="v1beta1")),
        "deprecated-delete-collection": (*five, delete_collection(MINE, version="v1alpha1")),
        "deprecated-kubectl-get": (
            *five,
            k("get", "globals.v1beta1.{GROUP}", "-l", "case={CASE}", "-o", "wide"),
        ),
        "deprecated-kubectl-apply": (
            k(
                "apply",
                "--server-side",
                "-f",
                "-",
                stdin=o(G, base) | {"apiVersion": "{GROUP}/v1alpha1"},
            ),
            get(),
        ),
        "kubectl-create-other-namespace": (
            k(
                "create",
                "-f",
                "-",
                stdin=o(G, base, metadata={"namespace": "elsewhere"}),
                expect=None,
            ),
            get(None),
        ),
    }
    return [case(f"cluster-{id}", G, *steps, category="cluster") for id, steps in cases.items()]


def _kubectl_more_cases() -> list[Case]:
    """kubectl's other write forms: replace, delete's options, labels and annotations with
    revisions, server-side dry runs, lists of objects, subresources."""
    s = "scalars"
    valid = o(s, {"name": "n", "str": "abc"})
    changed = o(s, {"name": "n", "str": "xyz", "int": 5})
    other = o(s, {"name": "n"}, metadata={"name": "{CASE}-b"})
    create_valid = k("create", "-f", "-", stdin=valid)
    scaled = o(SC, {"replicas": 2})
    running_scale = (
        k("create", "-f", "-", stdin=scaled),
        merge({"status": {"replicas": 2, "selector": "app=x"}}, subresource="status"),
    )

    def items(*objects: Any) -> dict[str, Any]:
        return {"apiVersion": "v1", "kind": "List", "items": list(objects)}

    cases: dict[str, tuple[Step, ...]] = {
        "replace": (create_valid, k("replace", "-f", "-", "-o", "json", stdin=changed)),
        "replace-force": (create_valid, k("replace", "--force", "-f", "-", stdin=changed)),
        "replace-missing": (k("replace", "-f", "-", stdin=valid, expect=1),),
        "replace-save-config": (
            create_valid,
            k("replace", "--save-config", "-f", "-", stdin=changed),
            k("apply", "-f", "-", stdin=valid),
        ),
        "create-save-config-apply": (
            k("create", "--save-config", "-f", "-", stdin=valid),
            k("apply", "-f", "-", "-o", "json", stdin=changed),
        ),
        "replace-status": (
            k("create", "-f", "-", stdin=o(T, TRACKED)),
            k(
                "replace",
                "--subresource=status",
                "-f",
                "-",
                stdin=o(T, TRACKED, status={"phase": "Running", "count": 3}),
            ),
        ),
        "apply-status": (
            k("create", "-f", "-", stdin=o(T, TRACKED)),
            k(
                "apply",
                "--server-side",
                "--subresource=status",
                "-f",
                "-",
                stdin=o(T, None, status={"phase": "Done"}),
            ),
        ),
        # the orphan finalizer stays: no garbage collector runs here
        "delete-orphan": (
            create_valid,
            k("delete", "{R}", "{NAME}", "--cascade=orphan", "--wait=false"),
        ),
        "delete-foreground": (
            create_valid,
            k("delete", "{R}", "{NAME}", "--cascade=foreground", "--wait=false"),
        ),
        "delete-dry-run": (create_valid, k("delete", "{R}", "{NAME}", "--dry-run=server")),
        "delete-force": (
            create_valid,
            k("delete", "{R}", "{NAME}", "--grace-period=0", "--force"),
        ),
        "delete-now": (create_valid, k("delete", "{R}", "{NAME}", "--now")),
        "delete-missing": (k("delete", "{R}", "{NAME}", expect=1),),
        "delete-ignore-missing": (k("delete", "{R}", "{NAME}", "--ignore-not-found"),),
        "patch-dry-run": (
            create_valid,
            k(
                "patch",
                "{R}",
                "{NAME}",
                "--dry-run=server",
                "--type=merge",
                "-p",
                '{"spec":{"str":"dry"}}',
                "-o",
                "json",
            ),
        ),
        "apply-server-dry-run": (
            k("apply", "--server-side", "--dry-run=server", "-f", "-", "-o", "yaml", stdin=valid),
        ),
        "label-overwrite": (
            k("create", "-f", "-", stdin=o(s, {"name": "n"}, metadata={"labels": {"t": "a"}})),
            k("label", "{R}", "{NAME}", "t=b", expect=1),
            k("label", "{R}", "{NAME}", "t=b", "--overwrite"),
            k("label", "{R}", "{NAME}", "t-"),
        ),
        "label-stale-revision": (
            create(valid),  # by the API: {RV1} is the created object's revision
            merge({"spec": {"str": "new"}}),
            k("label", "{R}", "{NAME}", "t=a", "--resource-version={RV1}", expect=1),
        ),
        "annotate-revision": (
            create_valid,
            k("annotate", "{R}", "{NAME}", "note=x", "--resource-version={RV}"),
        ),
        "get-go-template": (
            create_valid,
            k("get", "{R}", "{NAME}", "-o", "go-template={{.spec.str}}/{{.metadata.generation}}"),
        ),
        "get-some-missing": (create_valid, k("get", "{R}", "{NAME}", "{NAME}-nope", expect=1)),
        "create-list": (
            k("create", "-f", "-", stdin=items(valid, other)),
            listed(("fieldSelector", "metadata.name={CASE}-b")),
        ),
        "create-list-one-invalid": (
            k("create", "-f", "-", stdin=items(o(s, {"name": "n", "int": 0}), other), expect=1),
            listed(("fieldSelector", "metadata.name={CASE}-b")),
        ),
        "apply-list-one-invalid": (
            k("apply", "-f", "-", stdin=items(other, o(s, {"name": "n", "int": 0})), expect=1),
            listed(("fieldSelector", "metadata.name={CASE}-b")),
        ),
        "create-twice": (create_valid, k("create", "-f", "-", stdin=valid, expect=1)),
        "scale-current-mismatch": (
            *running_scale,
            k("scale", "{R}", "{NAME}", "--current-replicas=5", "--replicas=3", expect=1),
        ),
        "scale-current-match": (
            *running_scale,
            k("scale", "{R}", "{NAME}", "--current-replicas=2", "--replicas=3"),
        ),
        "scale-stale-revision": (
            create(scaled),
            merge({"status": {"replicas": 2, "selector": "app=x"}}, subresource="status"),
            k("scale", "{R}", "{NAME}", "--resource-version={RV1}", "--replicas=3", expect=1),
        ),
        "patch-scale": (
            *running_scale,
            k(
                "patch",
                "{R}",
                "{NAME}",
                "--subresource=scale",
                "--type=merge",
                "-p",
                '{"spec":{"replicas":4}}',
            ),
        ),
        "get-scale-json": (
            *running_scale,
            k("get", "{R}", "{NAME}", "--subresource=scale", "-o", "json"),
        ),
    }
    resources = {
        "replace-status": T,
        "apply-status": T,
        "scale-current-mismatch": SC,
        "scale-current-match": SC,
        "scale-stale-revision": SC,
        "patch-scale": SC,
        "get-scale-json": SC,
    }
    return [
        case(f"kubectl-{id}", resources.get(id, s), *steps, category="kubectl")
        for id, steps in cases.items()
    ]


CASES: list[Case] = (
    SCALAR_CASES
    + _write_cases()
    + _collection_cases()
    + _default_cases()
    + _mixed_cases()
    + _rule_cases()
    + _cel_library_cases()
    + _status_cases()
    + _name_cases()
    + _ratchet_cases()
    + _field_validation_cases()
    + _kubectl_cases()
    + _edge_cases()
    + _delete_cases()
    + _collection_read_cases()
    + _scale_cases()
    + _watch_cases()
    + _selectable_cases()
    + _paging_cases()
    + _label_cases()
    + _read_cases()
    + _layout_cases()
    + _metadata_cases()
    + _apply_cases()
    + _cluster_cases()
    + _kubectl_more_cases()
    + fuzzed_cases()
)
BY_ID: dict[str, Case] = {c.id: c for c in CASES}
assert len(BY_ID) == len(CASES), "case ids must be unique"
