"""Schema cases with the errors apiextensions-apiserver v0.37.2 gives a CRD version with that schema
(ValidateCustomResourceDefinition, run on each; paths moved from spec.versions[0] to
spec.resources[0].versions[0]). Generated once from the Go code; the unit tests compare.
"""

from typing import Any

CASES: list[tuple[dict[str, Any], dict[str, Any] | None, list[tuple[str, str, str]]]] = [
    (
        {"type": "object", "properties": {"spec": {"properties": {"a": {"type": "string"}}}}},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].type",
                "FieldValueRequired",
                "Required value: must not be empty for specified object fields",
            )
        ],
    ),
    (
        {"properties": {"a": {"type": "string"}}},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.type",
                "FieldValueRequired",
                "Required value: must not be empty at the root",
            )
        ],
    ),
    (
        {"type": "array", "items": {"type": "string"}},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.type",
                "FieldValueInvalid",
                'Invalid value: "array": must be object at the root',
            )
        ],
    ),
    (
        {"type": "object", "properties": {"a": {"type": "array"}}},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].items",
                "FieldValueRequired",
                "Required value: must be specified",
            )
        ],
    ),
    (
        {"type": "object", "additionalProperties": {"type": "string"}},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.additionalProperties",
                "FieldValueForbidden",
                "Forbidden: must not be used at the root",
            )
        ],
    ),
    (
        {"type": "object", "additionalProperties": False},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.additionalProperties",
                "FieldValueForbidden",
                "Forbidden: must not be used at the root",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "properties": {"b": {"type": "string"}},
                }
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].additionalProperties",
                "FieldValueForbidden",
                "Forbidden: additionalProperties and properties are mutual exclusive",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "object",
                    "additionalProperties": True,
                    "properties": {"b": {"type": "string"}},
                }
            },
        },
        None,
        [],
    ),
    ({"type": "object", "properties": {"a": {"x-kubernetes-int-or-string": True}}}, None, []),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "x-kubernetes-int-or-string": True,
                    "anyOf": [{"type": "integer"}, {"type": "string"}],
                }
            },
        },
        None,
        [],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "x-kubernetes-int-or-string": True,
                    "allOf": [
                        {"anyOf": [{"type": "integer"}, {"type": "string"}]},
                        {"maxLength": 3},
                    ],
                }
            },
        },
        None,
        [],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "x-kubernetes-int-or-string": True,
                    "x-kubernetes-preserve-unknown-fields": True,
                    "x-kubernetes-embedded-resource": True,
                }
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].type",
                "FieldValueRequired",
                "Required value: must be object if x-kubernetes-embedded-resource is true",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-embedded-resource",
                "FieldValueInvalid",
                "Invalid value: true: must be false if x-kubernetes-int-or-string is true",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-preserve-unknown-fields",
                "FieldValueInvalid",
                "Invalid value: true: must be false if x-kubernetes-int-or-string is true",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "string",
                    "anyOf": [
                        {
                            "type": "string",
                            "description": "d",
                            "title": "t",
                            "default": "x",
                            "nullable": True,
                        }
                    ],
                }
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].anyOf[0].default",
                "FieldValueForbidden",
                "Forbidden: must be undefined to be structural",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].anyOf[0].description",
                "FieldValueForbidden",
                "Forbidden: must be empty to be structural",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].anyOf[0].nullable",
                "FieldValueForbidden",
                "Forbidden: must be false to be structural",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].anyOf[0].title",
                "FieldValueForbidden",
                "Forbidden: must be empty to be structural",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].anyOf[0].type",
                "FieldValueForbidden",
                "Forbidden: must be empty to be structural",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "object",
                    "anyOf": [
                        {"additionalProperties": True},
                        {"properties": {"metadata": {}}},
                        {
                            "x-kubernetes-list-type": "set",
                            "x-kubernetes-map-type": "atomic",
                            "x-kubernetes-list-map-keys": ["a"],
                            "x-kubernetes-validations": [{"rule": "true"}],
                        },
                    ],
                }
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].anyOf[0].additionalProperties",
                "FieldValueForbidden",
                "Forbidden: must be undefined to be structural",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].anyOf[1].properties[metadata]",
                "FieldValueForbidden",
                "Forbidden: must not be specified in a nested context",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].anyOf[2].type",
                "FieldValueRequired",
                "Required value: must be array if x-kubernetes-list-type is specified",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].anyOf[2].type",
                "FieldValueRequired",
                "Required value: must be object if x-kubernetes-map-type is specified",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].anyOf[2].x-kubernetes-list-map-keys",
                "FieldValueForbidden",
                "Forbidden: must be empty to be structural",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].anyOf[2].x-kubernetes-list-type",
                "FieldValueForbidden",
                "Forbidden: must be undefined to be structural",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].anyOf[2].x-kubernetes-list-type",
                "FieldValueInvalid",
                'Invalid value: "set": must be map if x-kubernetes-list-map-keys is non-empty',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].anyOf[2].x-kubernetes-map-type",
                "FieldValueForbidden",
                "Forbidden: must be undefined to be structural",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].anyOf[2].x-kubernetes-validations",
                "FieldValueForbidden",
                "Forbidden: must be empty to be structural",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "object",
                    "properties": {"b": {"type": "string"}},
                    "anyOf": [{"properties": {"c": {}}}, {"required": ["b"]}],
                    "not": {"properties": {"d": {"items": {}}}},
                }
            },
        },
        None,
        [],
    ),
    (
        {
            "type": "object",
            "anyOf": [{"properties": {"spec": {"properties": {"q": {}}}}}],
            "properties": {"spec": {"type": "object", "properties": {"a": {"type": "string"}}}},
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[q]",
                "FieldValueRequired",
                "Required value: because it is defined in "
                "spec.resources[0].versions[0].schema.openAPIV3Schema.anyOf[0].properties[spec].properties[q]",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {"a": {"type": "object", "x-kubernetes-embedded-resource": True}},
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].properties",
                "FieldValueRequired",
                "Required value: must not be empty if x-kubernetes-embedded-resource is true without "
                "x-kubernetes-preserve-unknown-fields",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {"a": {"type": "string", "x-kubernetes-embedded-resource": True}},
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].properties",
                "FieldValueRequired",
                "Required value: must not be empty if x-kubernetes-embedded-resource is true without "
                "x-kubernetes-preserve-unknown-fields",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].type",
                "FieldValueInvalid",
                'Invalid value: "string": must be object if x-kubernetes-embedded-resource is true',
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "x-kubernetes-embedded-resource": True,
                    "x-kubernetes-preserve-unknown-fields": True,
                    "additionalProperties": {"type": "string"},
                }
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].additionalProperties",
                "FieldValueForbidden",
                "Forbidden: must not be used if x-kubernetes-embedded-resource is set",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].type",
                "FieldValueRequired",
                "Required value: must be object if x-kubernetes-embedded-resource is true",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "object",
                    "x-kubernetes-embedded-resource": True,
                    "properties": {
                        "kind": {"type": "integer"},
                        "apiVersion": {},
                        "metadata": {"type": "string", "properties": {"x": {"type": "string"}}},
                    },
                }
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].properties[apiVersion].type",
                "FieldValueInvalid",
                'Invalid value: "": must be string',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].properties[apiVersion].type",
                "FieldValueRequired",
                "Required value: must not be empty for specified object fields",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].properties[kind].type",
                "FieldValueInvalid",
                'Invalid value: "integer": must be string',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].properties[metadata].type",
                "FieldValueInvalid",
                'Invalid value: "string": must be object',
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "kind": {"type": "integer"},
                "apiVersion": {"type": "string"},
                "metadata": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "generateName": {"type": "string"}},
                },
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[kind].type",
                "FieldValueInvalid",
                'Invalid value: "integer": must be string',
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "metadata": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "labels": {"type": "string"}},
                }
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[metadata]",
                "FieldValueForbidden",
                "Forbidden: must not specify anything other than name and generateName, but metadata is "
                "implicitly specified",
            )
        ],
    ),
    (
        {"type": "object", "properties": {"metadata": {"type": "object", "required": ["name"]}}},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[metadata]",
                "FieldValueForbidden",
                "Forbidden: must not specify anything other than name and generateName, but metadata is "
                "implicitly specified",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {"metadata": {"type": "object", "default": {"name": "x"}}},
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[metadata].default",
                "FieldValueForbidden",
                "Forbidden: must not be set in top-level metadata",
            )
        ],
    ),
    (
        {"type": "object", "properties": {"metadata": {"type": "string"}}},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[metadata].type",
                "FieldValueInvalid",
                'Invalid value: "string": must be object',
            )
        ],
    ),
    (
        {"type": "string"},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.type",
                "FieldValueInvalid",
                'Invalid value: "string": must be object at the root',
            )
        ],
    ),
    (
        {"type": "object", "nullable": True},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.nullable",
                "FieldValueForbidden",
                "Forbidden: nullable cannot be true at the root",
            )
        ],
    ),
    (
        {"type": "object", "properties": {"a": {"type": "null"}}},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].type",
                "FieldValueForbidden",
                "Forbidden: type cannot be set to null, use nullable as an alternative",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].type",
                "FieldValueNotSupported",
                'Unsupported value: "null": supported values: "array", "boolean", "integer", "number", '
                '"object", "string"',
            ),
        ],
    ),
    (
        {"type": "object", "properties": {"a": {"type": "foo"}}},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].type",
                "FieldValueNotSupported",
                'Unsupported value: "foo": supported values: "array", "boolean", "integer", "number", '
                '"object", "string"',
            )
        ],
    ),
    (
        {"type": "object", "properties": {"a": {"type": "string", "uniqueItems": True}}},
        None,
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
            "properties": {"a": {"type": "string", "x-kubernetes-preserve-unknown-fields": False}},
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-preserve-unknown-fields",
                "FieldValueInvalid",
                "Invalid value: false: must be true or undefined",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {"a": {"type": "string", "patternProperties": {"x": {"type": "string"}}}},
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].patternProperties",
                "FieldValueForbidden",
                "Forbidden: patternProperties is not supported",
            )
        ],
    ),
    (
        {"type": "object", "properties": {"a": {"type": "string", "$ref": "#/x"}}},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].$ref",
                "FieldValueForbidden",
                "Forbidden: $ref is not supported",
            )
        ],
    ),
    (
        {"type": "object", "properties": {"a": {"type": "string", "id": "x"}}},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].id",
                "FieldValueForbidden",
                "Forbidden: id is not supported",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {"a": {"type": "string", "definitions": {"x": {"type": "string"}}}},
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].definitions",
                "FieldValueForbidden",
                "Forbidden: definitions is not supported",
            )
        ],
    ),
    (
        {"type": "object", "properties": {"a": {"type": "string", "dependencies": {"x": ["y"]}}}},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].dependencies",
                "FieldValueForbidden",
                "Forbidden: dependencies is not supported",
            )
        ],
    ),
    (
        {"type": "object", "properties": {"a": {"type": "array", "items": [{"type": "string"}]}}},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].items",
                "FieldValueForbidden",
                "Forbidden: items must be a schema object and not an array",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {"type": "array", "items": {"type": "string"}, "additionalItems": False}
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].additionalItems",
                "FieldValueForbidden",
                "Forbidden: additionalItems is not supported",
            )
        ],
    ),
    (
        {"type": "object", "properties": {"a": {"type": "string", "$schema": "x"}}},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueInvalid",
                "Invalid value: \"\": OpenAPIV3Schema 'schema' is not supported",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {"a": {"type": "string", "x-kubernetes-map-type": "atomic"}},
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].type",
                "FieldValueInvalid",
                'Invalid value: "string": must be object if x-kubernetes-map-type is specified',
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {"x-kubernetes-preserve-unknown-fields": True, "x-kubernetes-map-type": "foo"}
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].type",
                "FieldValueRequired",
                "Required value: must be object if x-kubernetes-map-type is specified",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-map-type",
                "FieldValueNotSupported",
                'Unsupported value: "foo": supported values: "atomic", "granular"',
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {"a": {"type": "object", "x-kubernetes-list-type": "set"}},
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].type",
                "FieldValueInvalid",
                'Invalid value: "object": must be array if x-kubernetes-list-type is specified',
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "bag"}
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-list-type",
                "FieldValueNotSupported",
                'Unsupported value: "bag": supported values: "atomic", "set", "map"',
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "array",
                    "items": {"type": "string"},
                    "x-kubernetes-list-map-keys": ["k"],
                }
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-list-type",
                "FieldValueRequired",
                "Required value: must be map if x-kubernetes-list-map-keys is non-empty",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "array",
                    "items": {"type": "string"},
                    "x-kubernetes-list-type": "set",
                    "x-kubernetes-list-map-keys": ["k"],
                }
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-list-type",
                "FieldValueInvalid",
                'Invalid value: "set": must be map if x-kubernetes-list-map-keys is non-empty',
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "map"}
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].items.type",
                "FieldValueInvalid",
                'Invalid value: "string": must be object if parent array\'s x-kubernetes-list-type is '
                "map",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-list-map-keys",
                "FieldValueRequired",
                "Required value: must not be empty if x-kubernetes-list-type is map",
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
                        "properties": {"k": {"type": "object"}, "j": {"type": "string"}},
                    },
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["k", "j", "z", "j"],
                }
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].items.properties[j].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a "
                "default or be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].items.properties[j].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a "
                "default or be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].items.properties[k].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a "
                "default or be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].items.properties[k].type",
                "FieldValueInvalid",
                'Invalid value: "object": must be a scalar type if parent array\'s x-kubernetes-list-type '
                "is map",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-list-map-keys",
                "FieldValueInvalid",
                'Invalid value: ["k","j","z","j"]: entries must all be names of item properties',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-list-map-keys",
                "FieldValueInvalid",
                'Invalid value: ["k","j","z","j"]: must not contain duplicate entries',
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
                        "nullable": True,
                        "required": ["k"],
                        "properties": {
                            "k": {"type": "string", "nullable": True},
                            "j": {"type": "string", "default": "x"},
                        },
                    },
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["k", "j"],
                }
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].items.nullable",
                "FieldValueForbidden",
                "Forbidden: cannot be nullable when x-kubernetes-list-type is map",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].items.properties[k].nullable",
                "FieldValueForbidden",
                "Forbidden: this property is in x-kubernetes-list-map-keys, so it cannot be nullable",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"b": {"type": "string"}}},
                    "x-kubernetes-list-type": "set",
                }
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].items.x-kubernetes-map-type",
                "FieldValueInvalid",
                "Invalid value: null: must be atomic as item of a list with x-kubernetes-list-type=set",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "array",
                    "items": {
                        "type": "array",
                        "items": {"type": "string"},
                        "x-kubernetes-list-type": "set",
                    },
                    "x-kubernetes-list-type": "set",
                }
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].items.x-kubernetes-list-type",
                "FieldValueInvalid",
                'Invalid value: "set": must be atomic as item of a list with '
                "x-kubernetes-list-type=set",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "string",
                    "x-kubernetes-validations": [
                        {"rule": " "},
                        {"rule": "self.size() > 1", "message": " "},
                        {"rule": "x", "message": "a\nb"},
                        {"rule": "a\n|| b"},
                        {"rule": "self == 'a'", "messageExpression": " ", "reason": "Bad"},
                        {"rule": "true", "fieldPath": " "},
                        {"rule": "true", "fieldPath": ".x\n"},
                    ],
                }
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-validations[0].rule",
                "FieldValueRequired",
                "Required value: rule is not specified",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-validations[1].message",
                "FieldValueInvalid",
                'Invalid value: " ": must be non-empty if specified',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-validations[2].message",
                "FieldValueInvalid",
                'Invalid value: "a\\nb": must not contain line breaks',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-validations[3].message",
                "FieldValueRequired",
                "Required value: message must be specified if rule contains line breaks",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-validations[4].messageExpression",
                "FieldValueRequired",
                "Required value: messageExpression must be non-empty if specified",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-validations[4].reason",
                "FieldValueNotSupported",
                'Unsupported value: "Bad": supported values: "FieldValueDuplicate", '
                '"FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-validations[5].fieldPath",
                "FieldValueInvalid",
                'Invalid value: " ": must be a valid path',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-validations[5].fieldPath",
                "FieldValueInvalid",
                'Invalid value: " ": must be non-empty if specified',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-validations[6].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".x\\n": must be a valid path',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-validations[6].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".x\\n": must not contain line breaks',
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "object",
                    "properties": {"b": {"type": "string"}},
                    "x-kubernetes-validations": [
                        {"rule": "true", "fieldPath": ".c"},
                        {"rule": "true", "fieldPath": ".b"},
                    ],
                }
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".c": must be a valid path',
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "object",
                    "properties": {"b": {"type": "string"}},
                    "default": {"b": "x", "c": 1},
                }
            },
        },
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].default",
                "FieldValueInvalid",
                'Invalid value: {"b":"x","c":1}: must not have unknown fields',
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "a": {"type": "object", "additionalProperties": {"type": "integer", "default": "x"}}
            },
        },
        None,
        [],
    ),
    (
        {"type": "object", "properties": {"a": {"type": "string", "pattern": "(x"}}},
        None,
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[a].pattern",
                "FieldValueInvalid",
                'Invalid value: "(x": must be a valid regular expression, but isn\'t: error parsing '
                "regexp: missing closing ): `(x`",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {"status": {"type": "object", "properties": {"p": {"type": "string"}}}},
            "required": ["status"],
            "description": "d",
        },
        {"status": {}},
        [],
    ),
    (
        {
            "type": "object",
            "properties": {"status": {"type": "object", "properties": {"p": {"type": "string"}}}},
            "anyOf": [{"required": ["status"]}],
        },
        {"status": {}},
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueInvalid",
                "Invalid value: "
                '{"ID":"","Schema":"","Ref":null,"Description":"","Type":"object","Nullable":false,"Format":"","Title":"","Default":null,"Maximum":null,"ExclusiveMaximum":false,"Minimum":null,"ExclusiveMinimum":false,"MaxLength":null,"MinLength":null,"Pattern":"","MaxItems":null,"MinItems":null,"UniqueItems":false,"MultipleOf":null,"Enum":null,"MaxProperties":null,"MinProperties":null,"Required":null,"Items":null,"AllOf":null,"OneOf":null,"AnyOf":[{"ID":"","Schema":"","Ref":null,"Description":"","Type":"","Nullable":false,"Format":"","Title":"","Default":null,"Maximum":null,"ExclusiveMaximum":false,"Minimum":null,"ExclusiveMinimum":false,"MaxLength":null,"MinLength":null,"Pattern":"","MaxItems":null,"MinItems":null,"UniqueItems":false,"MultipleOf":null,"Enum":null,"MaxProperties":null,"MinProperties":null,"Required":["status"],"Items":null,"AllOf":null,"OneOf":null,"AnyOf":null,"Not":null,"Properties":null,"AdditionalProperties":null,"PatternProperties":null,"Dependencies":null,"AdditionalItems":null,"Definitions":null,"ExternalDocs":null,"Example":null,"XPreserveUnknownFields":null,"XEmbeddedResource":false,"XIntOrString":false,"XListMapKeys":null,"XListType":null,"XMapType":null,"XValidations":null}],"Not":null,"Properties":{"status":{"ID":"","Schema":"","Ref":null,"Description":"","Type":"object","Nullable":false,"Format":"","Title":"","Default":null,"Maximum":null,"ExclusiveMaximum":false,"Minimum":null,"ExclusiveMinimum":false,"MaxLength":null,"MinLength":null,"Pattern":"","MaxItems":null,"MinItems":null,"UniqueItems":false,"MultipleOf":null,"Enum":null,"MaxProperties":null,"MinProperties":null,"Required":null,"Items":null,"AllOf":null,"OneOf":null,"AnyOf":null,"Not":null,"Properties":{"p":{"ID":"","Schema":"","Ref":null,"Description":"","Type":"string","Nullable":false,"Format":"","Title":"","Default":null,"Maximum":null,"ExclusiveMaximum":false,"Minimum":null,"ExclusiveMinimum":false,"MaxLength":null,"MinLength":null,"Pattern":"","MaxItems":null,"MinItems":null,"UniqueItems":false,"MultipleOf":null,"Enum":null,"MaxProperties":null,"MinProperties":null,"Required":null,"Items":null,"AllOf":null,"OneOf":null,"AnyOf":null,"Not":null,"Properties":null,"AdditionalProperties":null,"PatternProperties":null,"Dependencies":null,"AdditionalItems":null,"Definitions":null,"ExternalDocs":null,"Example":null,"XPreserveUnknownFields":null,"XEmbeddedResource":false,"XIntOrString":false,"XListMapKeys":null,"XListType":null,"XMapType":null,"XValidations":null}},"AdditionalProperties":null,"PatternProperties":null,"Dependencies":null,"AdditionalItems":null,"Definitions":null,"ExternalDocs":null,"Example":null,"XPreserveUnknownFields":null,"XEmbeddedResource":false,"XIntOrString":false,"XListMapKeys":null,"XListType":null,"XMapType":null,"XValidations":null}},"AdditionalProperties":null,"PatternProperties":null,"Dependencies":null,"AdditionalItems":null,"Definitions":null,"ExternalDocs":null,"Example":null,"XPreserveUnknownFields":null,"XEmbeddedResource":false,"XIntOrString":false,"XListMapKeys":null,"XListType":null,"XMapType":null,"XValidations":null}: '
                "only [Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum "
                "MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items "
                "Properties ExternalDocs Example XPreserveUnknownFields XValidations] fields are allowed "
                "at the root of the schema if the status subresource is enabled",
            )
        ],
    ),
    (
        {
            "type": "string",
            "properties": {"status": {"type": "object", "properties": {"p": {"type": "string"}}}},
        },
        {"status": {}},
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.type",
                "FieldValueInvalid",
                'Invalid value: "string": must be object at the root',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.type",
                "FieldValueInvalid",
                'Invalid value: "string": only "object" is allowed as the type at the root of the schema '
                "if the status subresource is enabled",
            ),
        ],
    ),
    (
        {"type": "object", "additionalProperties": False, "properties": {"a": {"type": "string"}}},
        {"status": {}},
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueInvalid",
                "Invalid value: "
                '{"ID":"","Schema":"","Ref":null,"Description":"","Type":"object","Nullable":false,"Format":"","Title":"","Default":null,"Maximum":null,"ExclusiveMaximum":false,"Minimum":null,"ExclusiveMinimum":false,"MaxLength":null,"MinLength":null,"Pattern":"","MaxItems":null,"MinItems":null,"UniqueItems":false,"MultipleOf":null,"Enum":null,"MaxProperties":null,"MinProperties":null,"Required":null,"Items":null,"AllOf":null,"OneOf":null,"AnyOf":null,"Not":null,"Properties":{"a":{"ID":"","Schema":"","Ref":null,"Description":"","Type":"string","Nullable":false,"Format":"","Title":"","Default":null,"Maximum":null,"ExclusiveMaximum":false,"Minimum":null,"ExclusiveMinimum":false,"MaxLength":null,"MinLength":null,"Pattern":"","MaxItems":null,"MinItems":null,"UniqueItems":false,"MultipleOf":null,"Enum":null,"MaxProperties":null,"MinProperties":null,"Required":null,"Items":null,"AllOf":null,"OneOf":null,"AnyOf":null,"Not":null,"Properties":null,"AdditionalProperties":null,"PatternProperties":null,"Dependencies":null,"AdditionalItems":null,"Definitions":null,"ExternalDocs":null,"Example":null,"XPreserveUnknownFields":null,"XEmbeddedResource":false,"XIntOrString":false,"XListMapKeys":null,"XListType":null,"XMapType":null,"XValidations":null}},"AdditionalProperties":{"Allows":false,"Schema":null},"PatternProperties":null,"Dependencies":null,"AdditionalItems":null,"Definitions":null,"ExternalDocs":null,"Example":null,"XPreserveUnknownFields":null,"XEmbeddedResource":false,"XIntOrString":false,"XListMapKeys":null,"XListType":null,"XMapType":null,"XValidations":null}: '
                "only [Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum "
                "MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items "
                "Properties ExternalDocs Example XPreserveUnknownFields XValidations] fields are allowed "
                "at the root of the schema if the status subresource is enabled",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.additionalProperties",
                "FieldValueForbidden",
                "Forbidden: additionalProperties and properties are mutual exclusive",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.additionalProperties",
                "FieldValueForbidden",
                "Forbidden: must not be used at the root",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {"spec": {"type": "object", "properties": {"r": {"type": "integer"}}}},
        },
        {
            "scale": {
                "specReplicasPath": "spec.r",
                "statusReplicasPath": ".spec.r",
                "labelSelectorPath": ".metadata.x",
            }
        },
        [
            (
                "spec.resources[0].versions[0].subresources.scale.labelSelectorPath",
                "FieldValueInvalid",
                'Invalid value: ".metadata.x": should be a json path under either .spec or .status',
            ),
            (
                "spec.resources[0].versions[0].subresources.scale.specReplicasPath",
                "FieldValueInvalid",
                'Invalid value: "spec.r": must be a simple json path starting with .',
            ),
            (
                "spec.resources[0].versions[0].subresources.scale.statusReplicasPath",
                "FieldValueInvalid",
                'Invalid value: ".spec.r": should be a json path under .status',
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {"spec": {"type": "object", "properties": {"r": {"type": "integer"}}}},
        },
        {
            "scale": {
                "specReplicasPath": ".spec.r",
                "statusReplicasPath": ".status.r",
                "labelSelectorPath": "x",
            }
        },
        [
            (
                "spec.resources[0].versions[0].subresources.scale.labelSelectorPath",
                "FieldValueInvalid",
                'Invalid value: "x": must be a simple json path starting with .',
            )
        ],
    ),
]
