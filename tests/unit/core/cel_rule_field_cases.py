"""Rules with fieldPaths, messages, reasons and messageExpressions to check, with the errors
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
                    "type": "object",
                    "properties": {
                        "a": {
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a"}],
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
                    "properties": {
                        "a": {
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a.b"}],
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
                    "properties": {
                        "a": {
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".x"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".x": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": "a"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: "a": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a."}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".a.": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": "..a"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: "..a": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a.b.c"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".a.b.c": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".list"}],
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
                    "properties": {
                        "a": {
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".list[0]"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".list[0]": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".list[0].name"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".list[0].name": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".plain[1]"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".plain[1]": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".m"}],
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
                    "properties": {
                        "a": {
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".m.k"}],
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
                    "properties": {
                        "a": {
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".m['k']"}],
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
                    "properties": {
                        "a": {
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": "['a']"}],
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
                    "properties": {
                        "a": {
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".m['k'].z"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                "Invalid value: \".m['k'].z\": must be a valid path",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": "['dash-name']"}],
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
                    "properties": {
                        "a": {
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".dash-name"}],
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
                    "properties": {
                        "a": {
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": "['dot.name']"}],
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
                    "properties": {
                        "a": {
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a['b']"}],
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
                    "properties": {
                        "a": {
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".list['x']"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                "Invalid value: \".list['x']\": must be a valid path",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a[0]"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".a[0]": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": " .a"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: " .a": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a "}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".a ": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": "[a]"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: "[a]": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": '.m["k"]'}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".m[\\"k\\"]": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".m['k"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".m[\'k": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".list[-1]"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".list[-1]": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".list[01]"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".list[01]": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".m['it\\'s']"}],
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
                    "properties": {
                        "a": {
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a\n"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".a\\n": must not contain line breaks',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".a\\n": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a.b"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".x"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".x": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": "a"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: "a": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a."}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".a.": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": "..a"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: "..a": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a.b.c"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".a.b.c": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".list"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".list[0]"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".list[0]": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".list[0].name"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".list[0].name": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".plain[1]"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".plain[1]": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".m"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".m.k"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".m['k']"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": "['a']"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".m['k'].z"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                "Invalid value: \".m['k'].z\": must be a valid path",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": "['dash-name']"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".dash-name"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": "['dot.name']"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a['b']"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".list['x']"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                "Invalid value: \".list['x']\": must be a valid path",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a[0]"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".a[0]": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": " .a"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: " .a": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a "}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".a ": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": "[a]"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: "[a]": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": '.m["k"]'}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".m[\\"k\\"]": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".m['k"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".m[\'k": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".list[-1]"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".list[-1]": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".list[01]"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".list[01]": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".m['it\\'s']"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": ".a\n"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".a\\n": must not contain line breaks',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".a\\n": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "message": " "}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].message",
                "FieldValueInvalid",
                'Invalid value: " ": must be non-empty if specified',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "message": "two\nlines"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].message",
                "FieldValueInvalid",
                'Invalid value: "two\\nlines": must not contain line breaks',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true ||\nfalse"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].message",
                "FieldValueRequired",
                "Required value: message must be specified if rule contains line breaks",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true ||\nfalse", "message": "ok"}],
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
                    "properties": {
                        "a": {
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "messageExpression": "  "}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].messageExpression",
                "FieldValueRequired",
                "Required value: messageExpression must be non-empty if specified",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "reason": "FieldValueTooLong"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].reason",
                "FieldValueNotSupported",
                'Unsupported value: "FieldValueTooLong": supported values: "FieldValueDuplicate", '
                '"FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": "  "}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: "  ": must be non-empty if specified',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: "  ": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                                "required": ["name"],
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [
                        {"rule": " ", "reason": "Nope", "fieldPath": ".x"}
                    ],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule",
                "FieldValueRequired",
                "Required value: rule is not specified",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].reason",
                "FieldValueNotSupported",
                'Unsupported value: "Nope": supported values: "FieldValueDuplicate", "FieldValueForbidden", '
                '"FieldValueInvalid", "FieldValueRequired"',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".x": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "message": " "}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].message",
                "FieldValueInvalid",
                'Invalid value: " ": must be non-empty if specified',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "message": "two\nlines"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].message",
                "FieldValueInvalid",
                'Invalid value: "two\\nlines": must not contain line breaks',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true ||\nfalse"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].message",
                "FieldValueRequired",
                "Required value: message must be specified if rule contains line breaks",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true ||\nfalse", "message": "ok"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "messageExpression": "  "}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].messageExpression",
                "FieldValueRequired",
                "Required value: messageExpression must be non-empty if specified",
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "reason": "FieldValueTooLong"}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].reason",
                "FieldValueNotSupported",
                'Unsupported value: "FieldValueTooLong": supported values: "FieldValueDuplicate", '
                '"FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [{"rule": "true", "fieldPath": "  "}],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: "  ": must be non-empty if specified',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: "  ": must be a valid path',
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
                            "type": "object",
                            "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                        },
                        "list": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "port": {"type": "integer"},
                                },
                            },
                            "x-kubernetes-list-type": "map",
                            "x-kubernetes-list-map-keys": ["name"],
                        },
                        "plain": {"type": "array", "items": {"type": "string"}},
                        "m": {"type": "object", "additionalProperties": {"type": "string"}},
                        "dash-name": {"type": "string"},
                        "dot.name": {"type": "string"},
                    },
                    "x-kubernetes-validations": [
                        {"rule": " ", "reason": "Nope", "fieldPath": ".x"}
                    ],
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items.properties[name].default",
                "FieldValueRequired",
                "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or "
                "be a required property",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule",
                "FieldValueRequired",
                "Required value: rule is not specified",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].reason",
                "FieldValueNotSupported",
                'Unsupported value: "Nope": supported values: "FieldValueDuplicate", "FieldValueForbidden", '
                '"FieldValueInvalid", "FieldValueRequired"',
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath",
                "FieldValueInvalid",
                'Invalid value: ".x": must be a valid path',
            ),
        ],
    ),
]
