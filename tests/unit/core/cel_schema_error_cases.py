"""Schemas with schema errors beside or below CEL rules, with the errors
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
                "a": {
                    "type": "array",
                    "items": {"type": "string"},
                    "x-kubernetes-list-type": "map",
                },
                "b": {"type": "string", "x-kubernetes-validations": [{"rule": "self.nope()"}]},
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-list-map-keys",
                "FieldValueRequired",
                "Required value: must not be empty if x-kubernetes-list-type is map",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].items.type",
                "FieldValueInvalid",
                'Invalid value: "string": must be object if parent array\'s x-kubernetes-list-type is map',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[b].x-kubernetes-validations[0].rule",
                "FieldValueInvalid",
                "Invalid value: "
                '{"Rule":"self.nope()","Message":"","MessageExpression":"","Reason":null,"FieldPath":"","OptionalOldSelf":null}: '
                "compilation failed: ERROR: <input>:1:10: undeclared reference to 'nope' (in container '')\n"
                " | self.nope()\n"
                " | .........^",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
            },
            "x-kubernetes-validations": [{"rule": "self.a.size() > 0"}, {"rule": "bad syntax ((("}],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].uniqueItems",
                "FieldValueForbidden",
                "Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes "
                "quadratic",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "object",
                    "properties": {
                        "x": {
                            "type": "array",
                            "items": {"type": "string"},
                            "x-kubernetes-list-type": "map",
                        }
                    },
                    "x-kubernetes-validations": [{"rule": "self.x ++"}],
                },
                "b": {
                    "type": "object",
                    "properties": {"y": {"type": "string"}},
                    "x-kubernetes-validations": [{"rule": "self.y ++"}],
                },
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].properties[x].x-kubernetes-list-map-keys",
                "FieldValueRequired",
                "Required value: must not be empty if x-kubernetes-list-type is map",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].properties[x].items.type",
                "FieldValueInvalid",
                'Invalid value: "string": must be object if parent array\'s x-kubernetes-list-type is map',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[b].x-kubernetes-validations[0].rule",
                "FieldValueInvalid",
                'Invalid value: {"Rule":"self.y '
                '++","Message":"","MessageExpression":"","Reason":null,"FieldPath":"","OptionalOldSelf":null}: '
                "compilation failed: ERROR: <input>:1:9: Syntax error: mismatched input '+' expecting {'[', "
                "'{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, "
                "BYTES, IDENTIFIER}\n"
                " | self.y ++\n"
                " | ........^\n"
                "ERROR: <input>:1:10: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', '.', "
                "'-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}\n"
                " | self.y ++\n"
                " | .........^",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "object",
                    "properties": {
                        "x": {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
                    },
                    "x-kubernetes-validations": [{"rule": "self.q"}],
                },
                "b": {"type": "string", "x-kubernetes-validations": [{"rule": "self.z"}]},
            },
            "x-kubernetes-validations": [{"rule": "self.w"}],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].properties[x].uniqueItems",
                "FieldValueForbidden",
                "Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[b].x-kubernetes-validations[0].rule",
                "FieldValueInvalid",
                "Invalid value: "
                '{"Rule":"self.z","Message":"","MessageExpression":"","Reason":null,"FieldPath":"","OptionalOldSelf":null}: '
                "compilation failed: ERROR: <input>:1:5: type 'string' does not support field selection\n"
                " | self.z\n"
                " | ....^",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "string",
                    "x-kubernetes-validations": [{"rule": "self.q", "message": " "}],
                },
                "b": {
                    "type": "string",
                    "x-kubernetes-validations": [{"rule": "self.z"}, {"rule": "self.y"}],
                },
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-validations[0].message",
                "FieldValueInvalid",
                'Invalid value: " ": must be non-empty if specified',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[b].x-kubernetes-validations[0].rule",
                "FieldValueInvalid",
                "Invalid value: "
                '{"Rule":"self.z","Message":"","MessageExpression":"","Reason":null,"FieldPath":"","OptionalOldSelf":null}: '
                "compilation failed: ERROR: <input>:1:5: type 'string' does not support field selection\n"
                " | self.z\n"
                " | ....^",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[b].x-kubernetes-validations[1].rule",
                "FieldValueInvalid",
                "Invalid value: "
                '{"Rule":"self.y","Message":"","MessageExpression":"","Reason":null,"FieldPath":"","OptionalOldSelf":null}: '
                "compilation failed: ERROR: <input>:1:5: type 'string' does not support field selection\n"
                " | self.y\n"
                " | ....^",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"x": {"type": "string"}},
                        "x-kubernetes-validations": [{"rule": "self.q ++"}],
                    },
                    "x-kubernetes-list-type": "set",
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].items.x-kubernetes-map-type",
                "FieldValueInvalid",
                "Invalid value: null: must be atomic as item of a list with x-kubernetes-list-type=set",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].items.x-kubernetes-validations[0].rule",
                "FieldValueInvalid",
                'Invalid value: {"Rule":"self.q '
                '++","Message":"","MessageExpression":"","Reason":null,"FieldPath":"","OptionalOldSelf":null}: '
                "compilation failed: ERROR: <input>:1:9: Syntax error: mismatched input '+' expecting {'[', "
                "'{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, "
                "BYTES, IDENTIFIER}\n"
                " | self.q ++\n"
                " | ........^\n"
                "ERROR: <input>:1:10: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', '.', "
                "'-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}\n"
                " | self.q ++\n"
                " | .........^",
            ),
        ],
    ),
]
