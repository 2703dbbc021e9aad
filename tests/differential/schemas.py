"""The schemas of the differential suite, each served as a CRD and as a resource of an ApiDefinition.

Two API groups per side, of the same length so messages and tables line up alike:

- `schemas.crdvs.test` (one CRD per resource) and `schemas.annex.test` (one ApiDefinition with
  every resource): version v1 only.
- `ratchets.crdvs.test` and `ratchets.annex.test`: one resource in two versions without
  conversion, v1 lenient (the storage version) and v2 strict; an object written through v1 and
  updated through v2 is what validation ratcheting is about.

Every schema keeps to what a CRD accepts (structural, CEL within its cost budget): the CRD side
is installed by kube-apiserver's own validation, so a schema mistake shows at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

VERSION = "v1"
SCHEMAS = "schemas"
RATCHETS = "ratchets"
CRD_SUFFIX = "crdvs.test"
ANNEX_SUFFIX = "annex.test"  # the same length as CRD_SUFFIX


def group(family: str, suffix: str) -> str:
    return f"{family}.{suffix}"


STR: dict[str, Any] = {"type": "string"}
INT: dict[str, Any] = {"type": "integer"}


def obj(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, **extra}


def arr(items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "array", "items": items, **extra}


def rule(expression: str, message: str = "", **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"rule": expression}
    if message:
        out["message"] = message
    return {**out, **extra}


# -- scalars: every value keyword -------------------------------------------------------------

SCALARS = obj(
    {
        "spec": obj(
            {
                "name": STR,
                "str": {"type": "string", "minLength": 2, "maxLength": 5},
                "pattern": {"type": "string", "pattern": "^[a-z]+(-[a-z]+)*$"},
                "enum": {"type": "string", "enum": ["red", "green", "blue"]},
                "intEnum": {"type": "integer", "enum": [1, 2, 3]},
                "int": {"type": "integer", "minimum": 1, "maximum": 10},
                "exclusive": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 10,
                    "exclusiveMinimum": True,
                    "exclusiveMaximum": True,
                },
                "multiple": {"type": "integer", "multipleOf": 3},
                "number": {"type": "number", "minimum": 0.5, "maximum": 9.5, "multipleOf": 0.5},
                "bool": {"type": "boolean"},
                "int32": {"type": "integer", "format": "int32"},
                "int64": {"type": "integer", "format": "int64"},
                "dateTime": {"type": "string", "format": "date-time"},
                "date": {"type": "string", "format": "date"},
                "uuid": {"type": "string", "format": "uuid"},
                "byte": {"type": "string", "format": "byte"},
                "ipv4": {"type": "string", "format": "ipv4"},
                "hostname": {"type": "string", "format": "hostname"},
                "duration": {"type": "string", "format": "duration"},
                "email": {"type": "string", "format": "email"},
                "cidr": {"type": "string", "format": "cidr"},
                "obj": obj({"a": STR}),
                "choice": {
                    "type": "string",
                    "anyOf": [{"maxLength": 2}, {"pattern": "^x"}],
                },
                "either": {"type": "integer", "oneOf": [{"minimum": 5}, {"maximum": 10}]},
                "notZero": {"type": "integer", "not": {"enum": [0]}},
                "both": {"type": "string", "allOf": [{"minLength": 2}, {"maxLength": 3}]},
            },
            required=["name"],
        ),
    }
)

# -- collections ---------------------------------------------------------------------------------

COLLECTIONS = obj(
    {
        "spec": obj(
            {
                "list": arr({"type": "string", "maxLength": 3}, minItems=1, maxItems=3),
                "set": arr(STR, **{"x-kubernetes-list-type": "set"}),
                "intSet": arr(INT, **{"x-kubernetes-list-type": "set"}),
                "map": arr(
                    obj({"name": STR, "value": INT}, required=["name"]),
                    **{
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["name"],
                    },
                ),
                "multiKey": arr(
                    obj(
                        {"port": INT, "protocol": {"type": "string", "default": "TCP"}, "x": STR},
                        required=["port"],
                    ),
                    **{
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["port", "protocol"],
                    },
                ),
                "atomic": arr(STR, **{"x-kubernetes-list-type": "atomic"}),
                "objects": arr(obj({"a": STR, "b": INT}, required=["a"])),
                "matrix": arr(arr(INT, maxItems=2)),
                "dict": {
                    "type": "object",
                    "additionalProperties": {"type": "integer", "minimum": 0},
                    "minProperties": 1,
                    "maxProperties": 3,
                },
                "anyDict": {"type": "object", "additionalProperties": True},
                "atomicMap": obj({"x": STR, "y": STR}, **{"x-kubernetes-map-type": "atomic"}),
                "granular": obj({"x": STR, "y": STR}, **{"x-kubernetes-map-type": "granular"}),
                "nested": obj({"a": obj({"b": obj({"c": STR}, required=["c"])})}),
            }
        ),
    }
)

# -- nullable and defaults ---------------------------------------------------------------------

DEFAULTS = obj(
    {
        "spec": obj(
            {
                "str": {"type": "string", "default": "dflt"},
                "int": {"type": "integer", "default": 7},
                "bool": {"type": "boolean", "default": True},
                "obj": obj(
                    {
                        "inner": {"type": "string", "default": "in"},
                        "deep": obj({"x": {"type": "integer", "default": 1}}, default={}),
                        "plain": obj({"y": {"type": "integer", "default": 2}}),
                    },
                    default={},
                ),
                "list": arr(obj({"name": STR, "weight": {"type": "integer", "default": 10}})),
                "listDefault": arr(STR, default=["a", "b"]),
                "dict": {
                    "type": "object",
                    "additionalProperties": obj({"v": {"type": "string", "default": "v"}}),
                },
                "nullable": {"type": "string", "nullable": True},
                "nullableObj": obj({"a": {"type": "string", "default": "a"}}, nullable=True),
                "nullableDefault": {"type": "string", "nullable": True, "default": "nd"},
                "notNullable": STR,
                "notNullableObj": obj({"a": STR}),
                "nullableList": arr(STR, nullable=True),
                "nullableItems": arr({"type": "string", "nullable": True}),
                "enumDefault": {"type": "string", "enum": ["x", "y"], "default": "x"},
                "probe": {"type": "string", "maxLength": 20},
            },
            default={},
            # CEL runs on the defaulted object: `bool` (default true) is always there
            **{
                "x-kubernetes-validations": [
                    rule(
                        "!has(self.probe) || self.probe != 'no-bool' || !has(self.bool)",
                        "CEL sees the defaulted bool",
                    ),
                    rule(
                        "!has(self.probe) || self.probe != 'int-seven' || self.int == 7",
                        "CEL does not see the defaulted int",
                    ),
                ]
            },
        ),
    }
)

# -- int-or-string, embedded resources, preserved unknown fields -------------------------------

MIXED = obj(
    {
        "spec": obj(
            {
                "port": {"x-kubernetes-int-or-string": True},
                "bounded": {
                    "x-kubernetes-int-or-string": True,
                    "minimum": 1,  # applies to an integer
                    "maximum": 100,
                    "pattern": "^[a-z]+$",  # applies to a string
                },
                "embedded": {
                    "type": "object",
                    "x-kubernetes-embedded-resource": True,
                    "x-kubernetes-preserve-unknown-fields": True,
                },
                "typedEmbedded": {
                    "type": "object",
                    "x-kubernetes-embedded-resource": True,
                    "properties": {"spec": obj({"a": STR})},
                },
                "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                "freeTyped": {
                    "type": "object",
                    "x-kubernetes-preserve-unknown-fields": True,
                    "properties": {"known": INT, "inner": obj({"k": STR})},
                },
                "anything": {"x-kubernetes-preserve-unknown-fields": True},
                "quantity": {
                    "x-kubernetes-int-or-string": True,
                    "pattern": "^[0-9]+(m|Mi|Gi)?$",
                },
            }
        ),
    }
)

# -- CEL ----------------------------------------------------------------------------------------

BOUNDED = {"type": "string", "maxLength": 20}
RULES = obj(
    {
        "spec": obj(
            {
                "min": INT,
                "max": INT,
                "forbidden": BOUNDED,
                "replicas": INT,
                "prefixed": {
                    **BOUNDED,
                    "x-kubernetes-validations": [
                        rule("self.startsWith('n-')", "must start with n-")
                    ],
                },
                "immutable": {
                    **BOUNDED,
                    "x-kubernetes-validations": [rule("self == oldSelf", "immutable is immutable")],
                },
                "grow": {
                    "type": "integer",
                    "x-kubernetes-validations": [
                        rule(
                            "self >= oldSelf",
                            messageExpression="'grow ' + (self < oldSelf ? 'shrank' : 'changed') + ', it may only grow'",
                        )
                    ],
                },
                "once": {
                    **BOUNDED,
                    "x-kubernetes-validations": [
                        rule(
                            "!oldSelf.hasValue() || oldSelf.value() == self",
                            "once set, cannot change",
                            optionalOldSelf=True,
                        )
                    ],
                },
                "tags": arr(
                    {
                        **BOUNDED,
                        "x-kubernetes-validations": [
                            rule("self.size() >= 2", "a tag needs 2 characters")
                        ],
                    },
                    maxItems=10,
                    **{
                        "x-kubernetes-validations": [
                            rule("self.all(t, t != 'bad')", "no bad tags"),
                            rule("size(self) <= 4", "at most 4 tags", reason="FieldValueForbidden"),
                        ]
                    },
                ),
                "ports": arr(
                    obj(
                        {"name": BOUNDED, "port": INT},
                        required=["name"],
                        **{
                            "x-kubernetes-validations": [
                                rule(
                                    "!has(self.port) || (self.port > 0 && self.port < 65536)",
                                    "port out of range",
                                ),
                                rule(
                                    "!has(oldSelf.port) || self.port == oldSelf.port",
                                    messageExpression="'port of ' + self.name + ' is immutable'",
                                ),
                            ]
                        },
                    ),
                    maxItems=10,
                    **{
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["name"],
                    },
                ),
                "labels": {
                    "type": "object",
                    "maxProperties": 10,
                    "additionalProperties": BOUNDED,
                    "x-kubernetes-validations": [
                        rule("self.all(k, k.startsWith('l-'))", "label keys must start with l-")
                    ],
                },
                "mode": {"type": "string", "enum": ["auto", "manual"]},
                "manualValue": INT,
                "fallback": {
                    **BOUNDED,
                    "x-kubernetes-validations": [
                        rule(
                            "self != 'x'",
                            "the static message",
                            messageExpression="self == 'x' ? '' : 'unused'",
                        )
                    ],
                },
                "numeric": {
                    **BOUNDED,
                    "x-kubernetes-validations": [
                        rule("int(self) >= 0", "must be a natural number")
                    ],
                },
            },
            **{
                "x-kubernetes-validations": [
                    rule(
                        "!has(self.min) || !has(self.max) || self.min <= self.max",
                        "min must not exceed max",
                    ),
                    rule(
                        "!has(self.forbidden)",
                        messageExpression="'forbidden is set to ' + self.forbidden",
                    ),
                    rule(
                        "!has(self.replicas) || self.replicas < 100",
                        "too many replicas",
                        reason="FieldValueForbidden",
                        fieldPath=".replicas",
                    ),
                    rule(
                        "!has(self.mode) || self.mode != 'manual' || has(self.manualValue)",
                        "manualValue is required in manual mode",
                        reason="FieldValueRequired",
                        fieldPath=".manualValue",
                    ),
                ]
            },
        ),
    },
    **{
        "x-kubernetes-validations": [
            rule(
                "!has(self.spec) || !has(self.spec.replicas) || self.spec.replicas != 13", "unlucky"
            ),
            rule("self.metadata.name != 'root-forbidden'", "this name is forbidden"),
        ]
    },
)

# -- CEL's libraries, one rule per property ------------------------------------------------------

LONG = {"type": "string", "maxLength": 64}


def checked(
    expression: str, message: str = "", base: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    return {**(base or LONG), "x-kubernetes-validations": [rule(expression, message, **extra)]}


INTS = arr(INT, maxItems=10)
WORDS = arr(LONG, maxItems=10)
CEL_LIBRARIES: dict[str, dict[str, Any]] = {
    "regex": checked("self.matches('^[a-z]+[0-9]$')", "must be letters then a digit"),
    "find": checked("self.find('[0-9]+') != '13'", "13 is unlucky"),
    "quantity": checked(
        "isQuantity(self) && quantity(self).isLessThan(quantity('2Gi'))", "under 2Gi"
    ),
    "url": checked("isURL(self) && url(self).getScheme() == 'https'", "an https URL"),
    "ip": checked("isIP(self) && ip(self).family() == 4", "an IPv4 address"),
    "cidr": checked("isCIDR(self) && cidr(self).prefixLength() >= 8", "a /8 or longer"),
    "duration": checked("duration(self) < duration('1h')", "under an hour"),
    "timestamp": checked("timestamp(self) > timestamp('2020-01-01T00:00:00Z')", "after 2020"),
    "sorted": checked("self.isSorted()", "sorted", INTS),
    "sum": checked("self.sum() < 100", "", INTS),
    "indexOf": checked("self.indexOf('x') != 0", "must not start with x"),
    "upper": checked("self.upperAscii() == self", "upper case"),
    "split": checked("self.split(',').size() <= 3", "at most 3 parts"),
    "existsOne": checked("self.exists_one(x, x == 'primary')", "exactly one primary", WORDS),
    "optional": checked(
        "self.?a.orValue('') != 'bad'",
        "a must not be bad",
        obj({"a": LONG, "b": LONG}),
    ),
    "mapKeys": checked(
        "!('forbidden' in self)",
        "no forbidden key",
        {"type": "object", "maxProperties": 10, "additionalProperties": LONG},
    ),
    "format": checked("!format.dns1123Label().validate(self).hasValue()", "a DNS label"),
    "formatted": checked(
        "self != 'no'",
        messageExpression="'value %s is not allowed'.format([self])",
    ),
    "arithmetic": checked("self * 2 > self", "doubling must grow", INT),
    "unicode": checked("self.size() <= 3", "at most 3 characters"),
    "trim": checked("self.trim() == self", "no surrounding spaces"),
    "lists": checked(
        "self.all(x, self.filter(y, y == x).size() == 1)",
        "no repeats",
        arr({"type": "string", "maxLength": 8}, maxItems=8),
    ),
    "indexed": checked("self.all(i, v, v >= i)", "each at least its index", INTS),
    "entries": checked(
        "self.exists(k, v, k == v)",
        "one key must equal its value",
        {"type": "object", "maxProperties": 10, "additionalProperties": LONG},
    ),
    "transformed": checked(
        "self.transformList(i, v, i % 2 == 0, v).all(v, v.size() < 3)",
        messageExpression="'first long item: ' + self.filter(v, v.size() >= 3)[0]",
        base=WORDS,
    ),
}
CEL_FUNCTIONS = obj({"spec": obj(CEL_LIBRARIES)})

# -- a status subresource ------------------------------------------------------------------------

TRACKERS = obj(
    {
        "spec": obj({"replicas": {"type": "integer", "minimum": 0}, "note": STR}),
        "status": obj(
            {
                "phase": {"type": "string", "enum": ["Pending", "Running", "Done"]},
                "count": {"type": "integer", "minimum": 0},
                "conditions": arr(
                    obj({"type": STR, "status": STR}, required=["type", "status"]),
                    **{
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["type"],
                    },
                ),
                "observed": {"type": "integer", "default": 0},
            },
            **{
                "x-kubernetes-validations": [
                    rule("!has(self.count) || self.count <= 100", "count too high")
                ]
            },
        ),
    }
)

# -- the scale subresource ----------------------------------------------------------------------
SCALEDS = obj(
    {
        "spec": obj({"replicas": {"type": "integer", "minimum": 0, "maximum": 50}}),
        "status": obj({"replicas": {"type": "integer"}, "selector": STR}),
    }
)
SCALE = {
    "specReplicasPath": ".spec.replicas",
    "statusReplicasPath": ".status.replicas",
    "labelSelectorPath": ".status.selector",
}

# -- selectable fields: one of each type a CRD may select by ----------------------------------

SELECTABLES = obj(
    {
        "spec": obj(
            {
                "str": STR,
                "int": INT,
                "bool": {"type": "boolean"},
                "nested": obj({"str": STR}),
                "enum": {"type": "string", "enum": ["a", "b"]},
            }
        )
    }
)
PRINTER_COLUMNS: list[dict[str, Any]] = [
    {"name": "Str", "type": "string", "jsonPath": ".spec.str", "description": "the string"},
    {"name": "Int", "type": "integer", "jsonPath": ".spec.int"},
    {"name": "Bool", "type": "boolean", "jsonPath": ".spec.bool", "priority": 1},
    {"name": "Nested", "type": "string", "jsonPath": ".spec.nested.str", "priority": 2},
    {"name": "Created", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
]
SELECTABLE_FIELDS = [
    {"jsonPath": path}
    for path in (".spec.str", ".spec.int", ".spec.bool", ".spec.nested.str", ".spec.enum")
]

# -- a cluster-scoped resource: its paths, its lists and its keys have no namespace --------------

GLOBALS = obj(
    {
        "spec": obj({"replicas": {"type": "integer", "minimum": 0, "maximum": 50}, "str": STR}),
        "status": obj({"replicas": INT, "selector": STR, "phase": STR}),
    }
)
# v1alpha1 also has `spec.legacy`: identical schemas would be hoisted to the CRD's top level,
# where per-version selectable fields and columns are refused.
GLOBALS_V1ALPHA1 = obj(
    {
        "spec": obj(
            {
                "replicas": {"type": "integer", "minimum": 0, "maximum": 50},
                "str": STR,
                "legacy": STR,
            }
        ),
        "status": obj({"replicas": INT, "selector": STR, "phase": STR}),
    }
)
GLOBAL_COLUMNS: list[dict[str, Any]] = [
    {"name": "Str", "type": "string", "jsonPath": ".spec.str"},
    {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"},
]

# -- metadata.name rules -------------------------------------------------------------------------

NAMEDS = obj(
    {
        "metadata": obj(
            {"name": {"type": "string", "maxLength": 15, "pattern": "^[a-z]+(-[a-z0-9]+)*$"}}
        ),
        "spec": obj({"a": STR}),
    },
    **{
        "x-kubernetes-validations": [
            rule("self.metadata.name != 'forbidden'", "this name is forbidden")
        ]
    },
)

# -- ratcheting: v1 lenient, v2 strict ---------------------------------------------------------

RATCHET_V1 = obj(
    {
        "spec": obj(
            {
                "str": STR,
                "num": INT,
                "list": arr(STR),
                "other": STR,
                "word": STR,
                "tags": arr(STR),
                "pinned": STR,
                "level": STR,
            }
        )
    }
)
RATCHET_V2 = obj(
    {
        "spec": obj(
            {
                "str": {"type": "string", "maxLength": 3},
                "num": {"type": "integer", "maximum": 10},
                "list": arr(STR, maxItems=2),
                "other": STR,
                "word": {
                    **BOUNDED,
                    "x-kubernetes-validations": [
                        rule("self.startsWith('a')", "word must start with a")
                    ],
                },
                "tags": arr(STR, **{"x-kubernetes-list-type": "set"}),
                "pinned": {
                    **BOUNDED,
                    "x-kubernetes-validations": [rule("self == oldSelf", "pinned is immutable")],
                },
                "level": {"type": "string", "enum": ["low", "high"]},
            }
        )
    }
)


@dataclass(frozen=True)
class Resource:
    family: str
    plural: str
    kind: str
    versions: tuple[tuple[str, dict[str, Any]], ...]  # (name, openAPIV3Schema); the first stores
    status: bool = False
    scale: dict[str, str] | None = None
    selectable: tuple[dict[str, str], ...] = ()
    columns: tuple[dict[str, Any], ...] = ()
    scope: str = "Namespaced"
    # (version, deprecationWarning or None for kube's default text): the deprecated versions
    deprecated: tuple[tuple[str, str | None], ...] = ()
    # (version, fields of its spec): what a version declares otherwise than the others
    overrides: tuple[tuple[str, dict[str, Any]], ...] = ()

    @property
    def namespaced(self) -> bool:
        return self.scope == "Namespaced"

    @property
    def names(self) -> dict[str, str]:
        return {
            "plural": self.plural,
            "singular": self.kind.lower(),
            "kind": self.kind,
            "listKind": f"{self.kind}List",
        }

    def version_specs(self) -> list[dict[str, Any]]:
        return [
            {
                "name": name,
                "served": True,
                "storage": i == 0,
                "schema": {"openAPIV3Schema": schema},
                **({"subresources": self.subresources()} if self.status else {}),
                **({"selectableFields": list(self.selectable)} if self.selectable else {}),
                **({"additionalPrinterColumns": list(self.columns)} if self.columns else {}),
                **self.deprecation(name),
                **dict(self.overrides).get(name, {}),
            }
            for i, (name, schema) in enumerate(self.versions)
        ]

    def deprecation(self, version: str) -> dict[str, Any]:
        for name, warning in self.deprecated:
            if name == version:
                return {"deprecated": True} | (
                    {} if warning is None else {"deprecationWarning": warning}
                )
        return {}

    def subresources(self) -> dict[str, Any]:
        return {"status": {}, **({"scale": self.scale} if self.scale else {})}

    def resource_spec(self) -> dict[str, Any]:
        return {"names": self.names, "scope": self.scope, "versions": self.version_specs()}


RESOURCES: dict[str, Resource] = {
    r.plural: r
    for r in (
        Resource(SCHEMAS, "scalars", "Scalar", ((VERSION, SCALARS),)),
        Resource(SCHEMAS, "collections", "Collection", ((VERSION, COLLECTIONS),)),
        Resource(SCHEMAS, "defaulteds", "Defaulted", ((VERSION, DEFAULTS),)),
        Resource(SCHEMAS, "mixeds", "Mixed", ((VERSION, MIXED),)),
        Resource(SCHEMAS, "rules", "Rule", ((VERSION, RULES),)),
        Resource(SCHEMAS, "celfns", "CelFn", ((VERSION, CEL_FUNCTIONS),)),
        Resource(SCHEMAS, "trackers", "Tracker", ((VERSION, TRACKERS),), status=True),
        Resource(SCHEMAS, "nameds", "Named", ((VERSION, NAMEDS),)),
        Resource(SCHEMAS, "scaleds", "Scaled", ((VERSION, SCALEDS),), status=True, scale=SCALE),
        Resource(
            SCHEMAS,
            "selectables",
            "Selectable",
            ((VERSION, SELECTABLES),),
            selectable=tuple(SELECTABLE_FIELDS),
            columns=tuple(PRINTER_COLUMNS),
        ),
        Resource(
            SCHEMAS,
            "globals",
            "Global",
            ((VERSION, GLOBALS), ("v1beta1", GLOBALS), ("v1alpha1", GLOBALS_V1ALPHA1)),
            status=True,
            scale=SCALE,
            selectable=({"jsonPath": ".spec.str"},),
            columns=tuple(GLOBAL_COLUMNS),
            scope="Cluster",
            deprecated=(("v1beta1", None), ("v1alpha1", "v1alpha1 Globals go away in 2027")),
            overrides=(
                (
                    "v1alpha1",
                    {
                        "subresources": {"status": {}},
                        "selectableFields": [{"jsonPath": ".spec.replicas"}],
                        "additionalPrinterColumns": [
                            {"name": "Phase", "type": "string", "jsonPath": ".status.phase"},
                            {"name": "Size", "type": "integer", "jsonPath": ".spec.replicas"},
                        ],
                    },
                ),
            ),
        ),
        Resource(RATCHETS, "ratchets", "Ratchet", (("v1", RATCHET_V1), ("v2", RATCHET_V2))),
    )
}
FAMILIES = (SCHEMAS, RATCHETS)


def custom_resource_definitions() -> list[dict[str, Any]]:
    return [
        {
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": f"{r.plural}.{group(r.family, CRD_SUFFIX)}"},
            "spec": {"group": group(r.family, CRD_SUFFIX), **r.resource_spec()},
        }
        for r in RESOURCES.values()
    ]


def api_definitions() -> list[dict[str, Any]]:
    return [
        {
            "apiVersion": "annex.dev/v1alpha1",
            "kind": "ApiDefinition",
            "metadata": {"name": group(family, ANNEX_SUFFIX)},
            "spec": {
                "group": group(family, ANNEX_SUFFIX),
                "resources": [r.resource_spec() for r in RESOURCES.values() if r.family == family],
            },
        }
        for family in FAMILIES
    ]


def apiservices() -> list[str]:
    """The APIServices the ApiDefinitions register (one per group and version)."""
    return sorted(
        {
            f"{version}.{group(r.family, ANNEX_SUFFIX)}"
            for r in RESOURCES.values()
            for version, _ in r.versions
        }
    )
