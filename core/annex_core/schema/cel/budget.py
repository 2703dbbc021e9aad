"""The static cost limits a CRD write enforces on its rules (apiextensions-apiserver
pkg/apis/apiextensions/validation: validation.go `getExpressionCost`, `getCostErrorMessage`,
cel_validation.go `TotalCost`, `extractMaxElements`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annex_core.apidef import FieldError
from annex_core.schema import fielderrors
from annex_core.schema.cel.estimate import U64, mul

__all__ = [
    "PER_EXPRESSION_LIMIT",
    "PER_SCHEMA_LIMIT",
    "TotalCost",
    "child_cardinality",
    "cost_error_message",
    "expression_cost",
]

PER_EXPRESSION_LIMIT = 10_000_000  # StaticEstimatedCostLimit
PER_SCHEMA_LIMIT = 100_000_000  # StaticEstimatedCRDCostLimit


def cost_error_message(name: str, cost: int, limit: int) -> str:
    factor = float(cost) / float(limit)
    if factor > 100.0:
        shown = "more than 100x"
    elif factor < 1.5:
        shown = f"{factor:f}x"
    else:
        shown = f"{factor:.1f}x"
    return (
        f"{name} exceeds budget by factor of {shown} (try simplifying the rule, or adding "
        "maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)"
    )


def expression_cost(max_cost: int, cardinality: int) -> int:
    """The rule's cost times how often it may run (multiplyWithOverflowGuard)."""
    return 0 if max_cost == 0 else mul(max_cost, cardinality)


def child_cardinality(parent: Mapping[str, Any], cardinality: int | None) -> int | None:
    """How often a child of `parent` may occur, None if unbounded (childContext)."""
    if cardinality is None:
        return None
    kind = parent.get("type")
    bound: Any = 1
    if kind == "object" and parent.get("additionalProperties") is not None:
        bound = parent.get("maxProperties")
    elif kind == "array":
        bound = parent.get("maxItems")
    if bound is None:
        return None
    return mul(cardinality, max(int(bound), 0))


@dataclass
class TotalCost:
    """The schema's summed rule and messageExpression costs and its four costliest."""

    total: int = 0
    most_expensive: list[tuple[str, int]] = field(default_factory=list)

    def observe(self, path: str, cost: int) -> None:
        self.total = min(self.total + cost, U64)
        if cost < PER_SCHEMA_LIMIT // 100:  # under 1% of the limit
            return
        self.most_expensive.append((path, cost))
        # Go's sort.Slice sorts so few items by insertion: stable, as sorted() is
        self.most_expensive = sorted(self.most_expensive, key=lambda p: -p[1])[:4]

    def errors(self, root: str) -> list[FieldError]:
        if self.total <= PER_SCHEMA_LIMIT:
            return []
        errors = [
            fielderrors.forbidden(
                path,
                "contributed to estimated rule cost total exceeding cost limit for entire "
                "OpenAPIv3 schema",
            )
            for path, _ in self.most_expensive
        ]
        detail = cost_error_message(
            "x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema",
            self.total,
            PER_SCHEMA_LIMIT,
        )
        errors.append(fielderrors.forbidden(root, detail))
        return errors
