"""One served version's schema, compiled once for admission: what a CRD's request decoder
and strategy do with it (apiextensions-apiserver customresource_handler.go and
registry/customresource/strategy.go, status_strategy.go).

- `coerce`: pruning of unknown fields (returned, for fieldValidation) and of non-nullable
  nulls without defaults, as the decoder does (unstructuredSchemaCoercer.apply);
- `default`: structural defaulting, after decoding and on every read from storage;
- `validate*`: OpenAPI validation, embedded resources, list-type invariants, then CEL rules
  unless an earlier error blocks them, in the strategy's order (ratcheting on updates).

Compiled schemas are cached by content: a route-table rebuild recompiles only what changed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from annex_core.apidef import FieldError
from annex_core.schema import cel, embedded, fielderrors, listtype
from annex_core.schema.defaulting import Defaulter, compile_defaulter, has_defaults
from annex_core.schema.embedded import validate_embedded
from annex_core.schema.listtype import validate_list_sets_and_maps
from annex_core.schema.pruning import prune
from annex_core.schema.validation import Validator

JSON = dict[str, Any]

# strategy.go hasBlockingErr: CEL rules are not run over values these errors say are wrong.
_BLOCKING = frozenset(
    {
        fielderrors.NOT_SUPPORTED,
        fielderrors.REQUIRED,
        fielderrors.TOO_LONG,
        fielderrors.TOO_MANY,
        fielderrors.TYPE_INVALID,
    }
)
_BLOCKED = fielderrors.invalid(
    "<nil>",
    None,
    "some validation rules were not checked because the object was invalid; "
    "correct the existing errors to complete validation",
)


@dataclass(frozen=True)
class SchemaAdmission:
    schema: Mapping[str, Any]
    validator: Validator
    status_validator: Validator | None  # the status subresource validates .status alone
    rules: cel.CompiledRules
    has_defaults: bool
    has_embedded: bool  # some node is an x-kubernetes-embedded-resource (its metadata coerced)
    # The parts of the schema each walk needs (None: it has nothing to do), precomputed so
    # that the walks skip what cannot change their result.
    defaulter: Defaulter | None
    embedded_schema: Mapping[str, Any] | None
    list_schema: Mapping[str, Any] | None

    # -- decoding ---------------------------------------------------------------------------------

    def coerce(self, obj: JSON) -> list[str]:
        """Prune `obj` in place; the unknown fields it had, as `spec.bogus` paths."""
        return prune(obj, self.schema, nulls=True)  # and prune_nulls, in the same walk

    def default(self, obj: JSON) -> bool:
        """Apply the schema's defaults in place; whether any was applied."""
        return self.defaulter is not None and self.defaulter(obj)

    # -- validation ---------------------------------------------------------------------------

    def validate(
        self, obj: JSON, more: list[FieldError] | None = None, meta: list[FieldError] | None = None
    ) -> list[FieldError]:
        """`more`: the strategy's own errors, which come after the OpenAPI ones (scale).
        `meta`: the strategy's metadata errors, listed before these by the caller; like
        these, one that blocks (a required field) leaves the CEL rules unchecked."""
        errors = self.validator.validate(obj) + (more or [])
        errors += self._embedded_errors(obj)
        errors += self._list_errors(obj)
        return self._with_rules(errors, obj, None, meta=meta)

    def validate_update(
        self,
        new: JSON,
        old: JSON,
        warnings: list[str] | None = None,
        more: list[FieldError] | None = None,
        meta: list[FieldError] | None = None,
    ) -> list[FieldError]:
        errors = self.validator.validate_update(new, old) + (more or [])
        errors += self._embedded_errors(new)
        # Set and map lists that were already broken may stay so (ratcheting).
        if self.list_schema is not None and not self._list_errors(old):
            errors += self._list_errors(new)
        return self._with_rules(errors, new, old, warnings, meta)

    def validate_status_update(
        self,
        new: JSON,
        old: JSON,
        warnings: list[str] | None = None,
        more: list[FieldError] | None = None,
        meta: list[FieldError] | None = None,
    ) -> list[FieldError]:
        errors: list[FieldError] = []
        if self.status_validator is not None and "status" in new:
            errors += self.status_validator.validate_update(
                new["status"], old.get("status"), field_path="status"
            )
        errors += more or []
        list_errors = self._list_errors(new)
        if list_errors and not self._list_errors(old):
            errors += list_errors
        return self._with_rules(errors, new, old, warnings, meta)

    def _embedded_errors(self, obj: JSON) -> list[FieldError]:
        if self.embedded_schema is None:
            return []
        return validate_embedded(self.embedded_schema, obj)

    def _list_errors(self, obj: JSON) -> list[FieldError]:
        if self.list_schema is None:
            return []
        return validate_list_sets_and_maps(self.list_schema, obj)

    def _with_rules(
        self,
        errors: list[FieldError],
        new: JSON,
        old: JSON | None,
        warnings: list[str] | None = None,
        meta: list[FieldError] | None = None,
    ) -> list[FieldError]:
        """hasBlockingErr looks at every error of the strategy's validation, its metadata's
        (`meta`, not returned here) included."""
        if self.rules.empty:
            return errors
        if any(e.reason in _BLOCKING for e in [*(meta or []), *errors]):
            return [*errors, _BLOCKED]
        return errors + self.rules.validate(new, old, warnings)


def compile_schema(
    schema: Mapping[str, Any] | None, *, cached: bool = True
) -> SchemaAdmission | None:
    """The admission of a version with this openAPIV3Schema (None: none, nothing checked).
    `cached` False: compiled for one use, kept nowhere (a schema nobody has applied yet)."""
    if schema is None:
        return None
    key = orjson.dumps(schema, option=orjson.OPT_SORT_KEYS)
    return _compile(key) if cached else _compile.__wrapped__(key)


@functools.lru_cache(maxsize=256)
def _compile(key: bytes) -> SchemaAdmission:
    schema = orjson.loads(key)
    status = (schema.get("properties") or {}).get("status")
    return SchemaAdmission(
        schema=schema,
        validator=Validator(schema),
        status_validator=Validator(status) if isinstance(status, Mapping) else None,
        rules=cel.compile_rules(schema),
        has_defaults=has_defaults(schema),
        has_embedded=b'"x-kubernetes-embedded-resource":true' in key,
        defaulter=compile_defaulter(schema),
        embedded_schema=embedded.checked_schema(schema),
        list_schema=listtype.checked_schema(schema),
    )
