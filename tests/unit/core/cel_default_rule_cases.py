"""Defaults checked against the CEL rules at and below them, and unmatched overloads, with the errors
apiextensions-apiserver v0.37.2 gives a CRD version with that schema
(ValidateCustomResourceDefinition; paths moved from spec.versions[0] to
spec.resources[0].versions[0]). Generated once from the Go code by
tests/unit/core/gen/cel_cost_cases_gen.py (Go program: gen/costgen); the unit tests
compare, in order."""

from typing import Any

CASES: list[tuple[dict[str, Any], list[tuple[str, str, str]]]] = [
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "integer",
                    "default": 3,
                    "x-kubernetes-validations": [{"rule": "self > 5"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueInvalid",
                "Invalid value: 3: failed rule: self > 5",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "integer",
                    "default": 7,
                    "x-kubernetes-validations": [{"rule": "self > 5"}],
                }
            },
        },
        [],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "integer",
                    "default": 3,
                    "x-kubernetes-validations": [{"rule": "self > 5", "message": "too small"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueInvalid",
                "Invalid value: 3: too small",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "integer",
                    "default": 3,
                    "x-kubernetes-validations": [
                        {"rule": "self > 5", "messageExpression": "'got ' + string(self)"}
                    ],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueInvalid",
                "Invalid value: 3: got 3",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "integer",
                    "default": 3,
                    "x-kubernetes-validations": [
                        {"rule": "self > 5", "reason": "FieldValueForbidden"}
                    ],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueForbidden",
                "Forbidden: failed rule: self > 5",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "integer",
                    "default": 3,
                    "x-kubernetes-validations": [{"rule": "self == oldSelf"}],
                }
            },
        },
        [],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "integer",
                    "default": 3,
                    "x-kubernetes-validations": [{"rule": "self != oldSelf"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueInvalid",
                "Invalid value: 3: failed rule: self != oldSelf",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "integer",
                    "default": 3,
                    "x-kubernetes-validations": [
                        {"rule": "!oldSelf.hasValue()", "optionalOldSelf": True}
                    ],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueInvalid",
                "Invalid value: 3: failed rule: !oldSelf.hasValue()",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "integer",
                    "default": 3,
                    "x-kubernetes-validations": [
                        {"rule": "oldSelf.hasValue()", "optionalOldSelf": True}
                    ],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueInvalid",
                "Invalid value: 3: failed rule: oldSelf.hasValue()",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "integer",
                    "default": 3,
                    "x-kubernetes-validations": [{"rule": "self.p0 > 1"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueInvalid",
                'Invalid value: "integer": rule compile error: compilation failed: ERROR: <input>:1:5: type '
                "'int' does not support field selection\n"
                " | self.p0 > 1\n"
                " | ....^",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "integer",
                    "default": 3,
                    "x-kubernetes-validations": [{"rule": "self.p0 > 1", "fieldPath": ".p0"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueInvalid",
                'Invalid value: "integer": rule compile error: compilation failed: ERROR: <input>:1:5: type '
                "'int' does not support field selection\n"
                " | self.p0 > 1\n"
                " | ....^",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".p0": must be a valid path',
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "integer",
                    "default": 3,
                    "x-kubernetes-validations": [{"rule": "bad((("}, {"rule": "self > 5"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueInvalid",
                'Invalid value: "integer": rule compile error: compilation failed: ERROR: <input>:1:7: Syntax '
                "error: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', "
                "'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}\n"
                " | bad(((\n"
                " | ......^",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueInvalid",
                "Invalid value: 3: failed rule: self > 5",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "integer",
                    "default": 3,
                    "x-kubernetes-validations": [{"rule": "self + 1"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueInvalid",
                'Invalid value: "integer": rule compile error: cel expression must evaluate to a bool',
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "string",
                    "default": "ab",
                    "x-kubernetes-validations": [
                        {"rule": "self.size() > 3"},
                        {"rule": "self.startsWith('b')"},
                    ],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueInvalid",
                'Invalid value: "ab": failed rule: self.size() > 3',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueInvalid",
                "Invalid value: \"ab\": failed rule: self.startsWith('b')",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {
                        "a": {
                            "type": "integer",
                            "x-kubernetes-validations": [{"rule": "self < 2"}],
                        },
                        "b": {"type": "string"},
                    },
                    "default": {"a": 5, "b": "x"},
                    "x-kubernetes-validations": [{"rule": "has(self.b)"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default.a",
                "FieldValueInvalid",
                "Invalid value: 5: failed rule: self < 2",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {
                        "a": {
                            "type": "integer",
                            "x-kubernetes-validations": [{"rule": "self < 2"}],
                        },
                        "b": {"type": "string"},
                    },
                    "default": {"b": "x"},
                    "x-kubernetes-validations": [{"rule": "has(self.a)"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueInvalid",
                "Invalid value: failed rule: has(self.a)",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "array",
                    "items": {
                        "type": "string",
                        "x-kubernetes-validations": [{"rule": "self != 'x'"}],
                    },
                    "default": ["a", "x", "x"],
                    "x-kubernetes-validations": [{"rule": "self.size() < 2"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueInvalid",
                "Invalid value: failed rule: self.size() < 2",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default[1]",
                "FieldValueInvalid",
                "Invalid value: \"x\": failed rule: self != 'x'",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default[2]",
                "FieldValueInvalid",
                "Invalid value: \"x\": failed rule: self != 'x'",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "integer",
                        "x-kubernetes-validations": [{"rule": "self >= 0"}],
                    },
                    "default": {"k": -1, "j": 2},
                    "x-kubernetes-validations": [{"rule": "self.size() == 1"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default",
                "FieldValueInvalid",
                "Invalid value: failed rule: self.size() == 1",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].default[k]",
                "FieldValueInvalid",
                "Invalid value: -1: failed rule: self >= 0",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {
                        "n": {
                            "type": "object",
                            "properties": {
                                "m": {
                                    "type": "string",
                                    "default": "q",
                                    "x-kubernetes-validations": [{"rule": "self == 'p'"}],
                                }
                            },
                        }
                    },
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[n].properties[m].default",
                "FieldValueInvalid",
                "Invalid value: \"q\": failed rule: self == 'p'",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"a": {"type": "string"}},
                    "additionalProperties": True,
                    "default": {},
                    "x-kubernetes-validations": [{"rule": "true"}],
                }
            },
        },
        [],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "additionalProperties": True,
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".k"}],
                }
            },
        },
        [],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "number",
                    "x-kubernetes-validations": [{"rule": "self.size() > 0"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule",
                "FieldValueInvalid",
                'Invalid value: {"Rule":"self.size() \\u003e '
                '0","Message":"","MessageExpression":"","Reason":null,"FieldPath":"","OptionalOldSelf":null}: '
                "compilation failed: ERROR: <input>:1:10: found no matching overload for 'size' applied to "
                "'double.()'\n"
                " | self.size() > 0\n"
                " | .........^",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "string",
                    "x-kubernetes-validations": [{"rule": "self.startsWith(1)"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule",
                "FieldValueInvalid",
                "Invalid value: "
                '{"Rule":"self.startsWith(1)","Message":"","MessageExpression":"","Reason":null,"FieldPath":"","OptionalOldSelf":null}: '
                "compilation failed: ERROR: <input>:1:16: found no matching overload for 'startsWith' applied "
                "to 'string.(int)'\n"
                " | self.startsWith(1)\n"
                " | ...............^",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "array",
                    "items": {"type": "integer"},
                    "x-kubernetes-validations": [{"rule": "self.exists(x, x.startsWith('a'))"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule",
                "FieldValueInvalid",
                'Invalid value: {"Rule":"self.exists(x, '
                'x.startsWith(\'a\'))","Message":"","MessageExpression":"","Reason":null,"FieldPath":"","OptionalOldSelf":null}: '
                "compilation failed: ERROR: <input>:1:28: found no matching overload for 'startsWith' applied "
                "to 'int.(string)'\n"
                " | self.exists(x, x.startsWith('a'))\n"
                " | ...........................^",
            )
        ],
    ),
]
