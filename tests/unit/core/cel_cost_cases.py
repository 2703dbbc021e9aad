"""Schemas whose CEL rules exercise the static cost estimate, with the errors
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
                    "properties": {"items": {"type": "array", "items": {"type": "string"}}},
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.items.all(x, x.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'))"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"items": {"type": "array", "items": {"type": "string"}}},
                }
            },
            "x-kubernetes-validations": [{"rule": "self.spec.items.exists(x, x == 'a')"}],
        },
        [],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"items": {"type": "array", "items": {"type": "string"}}},
                }
            },
            "x-kubernetes-validations": [{"rule": "self.spec.items.map(x, x + '!').size() > 0"}],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"items": {"type": "array", "items": {"type": "string"}}},
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.items.filter(x, x.startsWith('a')).size() == 0"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of 1.6x (try simplifying the rule, or "
                "adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are "
                "declared)",
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
                        "items": {
                            "type": "array",
                            "items": {"type": "string", "maxLength": 63},
                            "maxItems": 100,
                        }
                    },
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.items.all(x, x.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'))"}
            ],
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
                        "items": {"type": "array", "items": {"type": "string"}, "maxItems": 10}
                    },
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.items.all(x, x.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'))"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of 2.5x (try simplifying the rule, or "
                "adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are "
                "declared)",
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
                        "items": {
                            "type": "array",
                            "items": {"type": "string", "maxLength": 1000},
                            "maxItems": 80,
                        }
                    },
                }
            },
            "x-kubernetes-validations": [{"rule": "self.spec.items.all(x, x.matches('[a-z]+'))"}],
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
                        "grid": {
                            "type": "array",
                            "items": {"type": "array", "items": {"type": "string"}},
                        }
                    },
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.grid.all(r, r.all(c, c.size() < 10))"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
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
                        "grid": {
                            "type": "array",
                            "items": {
                                "type": "array",
                                "items": {"type": "string", "maxLength": 10},
                                "maxItems": 100,
                            },
                            "maxItems": 100,
                        }
                    },
                }
            },
            "x-kubernetes-validations": [{"rule": "self.spec.grid.all(r, r.all(c, c == 'x'))"}],
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
                        "items": {
                            "type": "array",
                            "items": {
                                "type": "string",
                                "x-kubernetes-validations": [{"rule": "self.matches('^[a-z]+$')"}],
                            },
                        }
                    },
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[items].items.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[items].items.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
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
                        "items": {
                            "type": "array",
                            "items": {
                                "type": "string",
                                "maxLength": 20,
                                "x-kubernetes-validations": [{"rule": "self.matches('^[a-z]+$')"}],
                            },
                            "maxItems": 5000,
                        }
                    },
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
                        "grid": {
                            "type": "array",
                            "items": {
                                "type": "array",
                                "items": {
                                    "type": "string",
                                    "maxLength": 100,
                                    "x-kubernetes-validations": [
                                        {"rule": "self.lowerAscii() == self"}
                                    ],
                                },
                                "maxItems": 200,
                            },
                            "maxItems": 200,
                        }
                    },
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
                        "labels": {
                            "type": "object",
                            "additionalProperties": {
                                "type": "string",
                                "x-kubernetes-validations": [
                                    {"rule": "self.size() < 64 && self.contains('x')"}
                                ],
                            },
                        }
                    },
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[labels].additionalProperties.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[labels].additionalProperties.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
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
                        "labels": {
                            "type": "object",
                            "additionalProperties": {
                                "type": "string",
                                "maxLength": 63,
                                "x-kubernetes-validations": [{"rule": "self.contains('x')"}],
                            },
                            "maxProperties": 1000,
                        }
                    },
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
                        "labels": {"type": "object", "additionalProperties": {"type": "string"}}
                    },
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.labels.all(k, self.spec.labels[k].matches('^v'))"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
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
                        "labels": {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                            "maxProperties": 10,
                        }
                    },
                }
            },
            "x-kubernetes-validations": [{"rule": "self.spec.labels.exists(k, k.startsWith('x'))"}],
        },
        [],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                }
            },
            "x-kubernetes-validations": [{"rule": "self.spec.a + self.spec.b == 'ab'"}],
        },
        [],
    ),
    (
        {
            "type": "object",
            "properties": {"spec": {"type": "object", "properties": {"a": {"type": "string"}}}},
            "x-kubernetes-validations": [{"rule": "self.spec.a.size() < 10"}],
        },
        [],
    ),
    (
        {
            "type": "object",
            "properties": {"spec": {"type": "object", "properties": {"a": {"type": "string"}}}},
            "x-kubernetes-validations": [{"rule": "self.spec.a.split(',').all(x, x.size() < 3)"}],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of 2.0x (try simplifying the rule, or "
                "adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are "
                "declared)",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"items": {"type": "array", "items": {"type": "string"}}},
                }
            },
            "x-kubernetes-validations": [{"rule": "self.spec.items.join(',').lowerAscii() == 'a'"}],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"a": {"type": "string", "maxLength": 100}},
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.a.split(',').join('-').upperAscii() == self.spec.a"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"u": {"type": "array", "items": {"type": "string"}}},
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.u.all(x, isURL(x) && url(x).getHost() != '')"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"ips": {"type": "array", "items": {"type": "string"}}},
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.ips.all(x, isIP(x) && ip(x).family() == 4)"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"nets": {"type": "array", "items": {"type": "string"}}},
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.nets.all(x, cidr(x).containsIP('10.0.0.1'))"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"q": {"type": "array", "items": {"type": "string"}}},
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.q.all(x, quantity(x).isLessThan(quantity('1Gi')))"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"v": {"type": "array", "items": {"type": "string"}}},
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.v.all(x, isSemver(x) && semver(x).major() > 0)"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"n": {"type": "array", "items": {"type": "string"}}},
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.n.all(x, !format.dns1123Label().validate(x).hasValue())"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
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
                            "type": "array",
                            "items": {"type": "string", "maxLength": 63},
                            "maxItems": 64,
                        }
                    },
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.n.all(x, !format.dns1123Label().validate(x).hasValue())"}
            ],
        },
        [],
    ),
    (
        {
            "type": "object",
            "properties": {"spec": {"type": "object", "properties": {"a": {"type": "string"}}}},
            "x-kubernetes-validations": [
                {"rule": "self.spec.a == 'x'", "messageExpression": "'was ' + self.spec.a"}
            ],
        },
        [],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"items": {"type": "array", "items": {"type": "string"}}},
                }
            },
            "x-kubernetes-validations": [
                {
                    "rule": "self.spec.items.size() < 3",
                    "messageExpression": "self.spec.items.join(', ')",
                }
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].messageExpression",
                "FieldValueForbidden",
                "Forbidden: estimated messageExpression cost exceeds budget by factor of more than 100x (try "
                "simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, "
                "and strings are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].messageExpression",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {"type": "object", "properties": {"a": {"type": "string", "maxLength": 10}}}
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.a == 'x'", "messageExpression": "'was ' + self.spec.a"}
            ],
        },
        [],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"items": {"type": "array", "items": {"type": "string"}}},
                }
            },
            "x-kubernetes-validations": [
                {
                    "rule": "self.spec.items.all(x, x.contains('a'))",
                    "messageExpression": "self.spec.items.join(',')",
                },
                {"rule": "self.spec.nope == 1 +"},
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].messageExpression",
                "FieldValueForbidden",
                "Forbidden: estimated messageExpression cost exceeds budget by factor of more than 100x (try "
                "simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, "
                "and strings are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[1].rule",
                "FieldValueInvalid",
                'Invalid value: {"Rule":"self.spec.nope == 1 '
                '+","Message":"","MessageExpression":"","Reason":null,"FieldPath":"","OptionalOldSelf":null}: '
                "compilation failed: ERROR: <input>:1:22: Syntax error: mismatched input '<EOF>' expecting "
                "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, "
                "BYTES, IDENTIFIER}\n"
                " | self.spec.nope == 1 +\n"
                " | .....................^",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].messageExpression",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "objs": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string"},
                            "tags": {
                                "type": "array",
                                "items": {"type": "string", "maxLength": 10},
                                "maxItems": 3,
                            },
                        },
                    },
                    "maxItems": 20,
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.objs.all(o, o.tags.all(t, t.contains(o.name)))"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
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
                        "objs": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "tags": {
                                        "type": "array",
                                        "items": {"type": "string", "maxLength": 10},
                                        "maxItems": 3,
                                    },
                                },
                            },
                            "maxItems": 20,
                        }
                    },
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.objs.all(o, o.tags.all(t, t.contains(o.name)))"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of 7.5x (try simplifying the rule, or "
                "adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are "
                "declared)",
            )
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"items": {"type": "array", "items": {"type": "string"}}},
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.items.all(x, x in oldSelf.spec.items)"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
            ),
        ],
    ),
    (
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"items": {"type": "array", "items": {"type": "string"}}},
                }
            },
            "x-kubernetes-validations": [
                {
                    "rule": "!oldSelf.hasValue() || oldSelf.value().spec.items.all(x, "
                    "x.matches('a'))",
                    "optionalOldSelf": True,
                }
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
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
                        "objs": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "x-kubernetes-embedded-resource": True,
                                "properties": {"data": {"type": "string"}},
                                "x-kubernetes-validations": [
                                    {
                                        "rule": "self.metadata.name.matches('^[a-z]+$') "
                                        "&& "
                                        "self.data.contains('x')"
                                    }
                                ],
                            },
                        }
                    },
                }
            },
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[objs].items.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[objs].items.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
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
                        "ios": {"type": "array", "items": {"x-kubernetes-int-or-string": True}}
                    },
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.ios.all(x, string(x).matches('^[0-9]+$'))"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying "
                "the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings "
                "are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
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
                        "items": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string", "maxLength": 63},
                                    "port": {"type": "integer"},
                                },
                            },
                            "maxItems": 100,
                        }
                    },
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.items.all(x, x.name.matches('^[a-z]+$') && x.port > 0)"},
                {"rule": "self.spec.items.map(x, x.name).size() == self.spec.items.size()"},
            ],
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
                        "items": {
                            "type": "array",
                            "items": {"type": "string", "maxLength": 13000},
                            "maxItems": 1000,
                        }
                    },
                }
            },
            "x-kubernetes-validations": [{"rule": "self.spec.items.all(x, x.matches('^[a-z]+$'))"}],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of 1.040600x (try simplifying the "
                "rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are "
                "declared)",
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
                        "items": {
                            "type": "array",
                            "items": {"type": "string", "maxLength": 7000},
                            "maxItems": 1000,
                        }
                    },
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.items.all(x, x.matches('^[a-z]{10}$'))"},
                {"rule": "self.spec.items.all(x, x.matches('^[a-z]{11}$'))"},
                {"rule": "self.spec.items.all(x, x.matches('^[a-z]{12}$'))"},
                {"rule": "self.spec.items.all(x, x.matches('^[a-z]{13}$'))"},
                {"rule": "self.spec.items.all(x, x.matches('^[a-z]{14}$'))"},
                {"rule": "self.spec.items.all(x, x.matches('^[a-z]{15}$'))"},
                {"rule": "self.spec.items.all(x, x.matches('^[a-z]{16}$'))"},
                {"rule": "self.spec.items.all(x, x.matches('^[a-z]{17}$'))"},
                {"rule": "self.spec.items.all(x, x.matches('^[a-z]{18}$'))"},
                {"rule": "self.spec.items.all(x, x.matches('^[a-z]{19}$'))"},
                {"rule": "self.spec.items.all(x, x.matches('^[a-z]{20}$'))"},
                {"rule": "self.spec.items.all(x, x.matches('^[a-z]{21}$'))"},
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[1].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[2].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.x-kubernetes-validations[3].rule",
                "FieldValueForbidden",
                "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 "
                "schema",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema",
                "FieldValueForbidden",
                "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema "
                "exceeds budget by factor of 1.008840x (try simplifying the rule, or adding maxItems, "
                "maxProperties, and maxLength where arrays, maps, and strings are declared)",
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
                        "grid": {
                            "type": "array",
                            "items": {
                                "type": "array",
                                "items": {
                                    "type": "string",
                                    "maxLength": 6000,
                                    "x-kubernetes-validations": [
                                        {"rule": "self.matches('^[a-z]+$')"}
                                    ],
                                },
                                "maxItems": 60,
                            },
                            "maxItems": 60,
                        }
                    },
                    "x-kubernetes-validations": [
                        {"rule": "self.grid.all(r, r.all(c, c.matches('^[a-z]{1}$')))"},
                        {"rule": "self.grid.all(r, r.all(c, c.matches('^[a-z]{2}$')))"},
                        {"rule": "self.grid.all(r, r.all(c, c.matches('^[a-z]{3}$')))"},
                    ],
                }
            },
            "x-kubernetes-validations": [
                {"rule": "self.spec.grid.all(r, r.all(c, c.size() < 10))"}
            ],
        },
        [
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].properties[grid].items.items.x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of 1.7x (try simplifying the rule, or "
                "adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of 2.6x (try simplifying the rule, or "
                "adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[1].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of 2.6x (try simplifying the rule, or "
                "adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)",
            ),
            (
                "spec.resources[0].versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[2].rule",
                "FieldValueForbidden",
                "Forbidden: estimated rule cost exceeds budget by factor of 2.6x (try simplifying the rule, or "
                "adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are "
                "declared)",
            ),
        ],
    ),
]
