"""Per-resource behaviour, as apiextensions-apiserver's customresource strategies.

The generic store (store.py) runs the same steps for every resource; what differs lives
here: what a create or an update may set (status is the status subresource's), how
generation moves, what is validated, which fields a subresource never owns (reset fields,
which server-side apply honours too), and the warnings a write gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from annex_core.apidef import FieldError, ScaleSubresource
from annex_core.schema import fielderrors
from annex_gateway.admission import scale as scale_checks
from annex_gateway.admission.metadata import (
    validate_object_meta,
    validate_object_meta_update,
    warnings_for_object_meta,
)
from annex_gateway.admission.schema import SchemaAdmission
from annex_gateway.jsoncopy import copy_json

JSON = dict[str, Any]


@dataclass(frozen=True)
class ResourceStrategy:
    """The main resource of a custom resource (customresource/strategy.go)."""

    kind: str
    namespaced: bool
    status_subresource: bool
    schema: SchemaAdmission | None = None  # the version's schema (None: any object is valid)
    scale: ScaleSubresource | None = None  # its replicas must be readable as a Scale's
    api_version: str = ""  # what objects must say they are ("": not checked here)

    @property
    def reset_fields(self) -> tuple[str, ...]:
        """Top-level fields writes here never change (GetResetFields)."""
        return ("status",) if self.status_subresource else ()

    def prepare_for_create(self, obj: JSON) -> None:
        if self.status_subresource:
            obj.pop("status", None)
        obj["metadata"]["generation"] = 1

    def prepare_for_update(self, new: JSON, old: JSON) -> None:
        if self.status_subresource:
            if "status" in old:
                new["status"] = old["status"]
            else:
                new.pop("status", None)
        generation = int(old["metadata"].get("generation") or 1)
        if self._spec(new) != self._spec(old):
            generation += 1
        new["metadata"]["generation"] = generation

    def _spec(self, obj: JSON) -> JSON:
        """What generation counts: all but metadata (and status, with a status subresource)."""
        ignored = {"metadata", "apiVersion", "kind"} | self._status_fields()
        return {k: v for k, v in obj.items() if k not in ignored}

    def _status_fields(self) -> set[str]:
        return {"status"} if self.status_subresource else set()

    def validate(self, obj: JSON) -> list[FieldError]:
        if wrong_kind := self._kind_errors(obj):
            return wrong_kind
        errors = validate_object_meta(obj["metadata"])
        scale = self._scale_errors(obj)
        if self.schema is not None:
            return errors + self.schema.validate(obj, scale, meta=errors)
        return errors + scale

    def validate_update(
        self,
        new: JSON,
        old: JSON,
        warnings: list[str] | None = None,
        immutable: list[FieldError] | None = None,
    ) -> list[FieldError]:
        """The errors of `new` replacing `old`, given the `immutable` metadata fields it
        changed; `warnings` gets what ratcheting forgave."""
        errors, meta_update = _meta_update_errors(new, old, immutable)
        if wrong_kind := self._kind_errors(new):
            return errors + wrong_kind
        errors += meta_update
        scale = self._scale_errors(new)
        if self.schema is not None:
            return errors + self.schema.validate_update(new, old, warnings, scale, meta_update)
        return errors + scale

    def _kind_errors(self, obj: JSON) -> list[FieldError]:
        """ValidateTypeMeta, first of the strategy's checks and alone when it fails (after
        the common metadata checks): a body's kind is not checked when it is decoded (its
        apiVersion is: 400), but here (422); a patched object's apiVersion is checked here too."""
        errors = []
        kind = _string(obj.get("kind"))  # unstructured's GetKind: "" unless a string
        if kind != self.kind:
            errors.append(fielderrors.invalid("kind", kind, f"must be {self.kind}"))
        api_version = _string(obj.get("apiVersion"))
        if self.api_version and api_version != self.api_version:
            errors.append(
                fielderrors.invalid("apiVersion", api_version, f"must be {self.api_version}")
            )
        return errors

    def _scale_errors(self, obj: JSON) -> list[FieldError]:
        """ValidateScaleSpec and ValidateScaleStatus (none without a scale subresource)."""
        return scale_checks.spec_errors(obj, self.scale) + scale_checks.status_errors(
            obj, self.scale
        )

    def warnings(self, obj: JSON, old: JSON | None = None) -> list[str]:
        return warnings_for_object_meta(obj["metadata"], old["metadata"] if old else None)


@dataclass(frozen=True)
class StatusStrategy(ResourceStrategy):
    """Writes to /status change only .status (customresource/status_strategy.go): everything
    else, metadata included, stays as stored; managedFields are the field manager's."""

    # status_strategy.go GetResetFields: a status write owns neither metadata nor spec.
    reset_fields_of_status: ClassVar[tuple[str, ...]] = ("metadata", "spec")

    @property
    def reset_fields(self) -> tuple[str, ...]:
        return self.reset_fields_of_status

    def prepare_for_update(self, new: JSON, old: JSON) -> None:
        status = new.get("status")
        has_status = "status" in new
        managed = new["metadata"].get("managedFields")
        new.clear()
        new.update(copy_json(old))
        if managed is not None:
            new["metadata"]["managedFields"] = managed
        else:
            new["metadata"].pop("managedFields", None)
        if has_status:
            new["status"] = status
        else:
            new.pop("status", None)

    def validate_update(
        self,
        new: JSON,
        old: JSON,
        warnings: list[str] | None = None,
        immutable: list[FieldError] | None = None,
    ) -> list[FieldError]:
        # The metadata is the stored one (prepare_for_update): only its managedFields are new.
        errors, meta_update = _meta_update_errors(new, old, immutable)
        errors += meta_update
        scale = scale_checks.status_errors(new, self.scale)  # ValidateStatusUpdate: status only
        if self.schema is not None:
            return errors + self.schema.validate_status_update(
                new, old, warnings, scale, meta_update
            )
        return errors + scale

    def warnings(self, obj: JSON, old: JSON | None = None) -> list[str]:
        return []


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _meta_update_errors(
    new: JSON, old: JSON, immutable: list[FieldError] | None
) -> tuple[list[FieldError], list[FieldError]]:
    """(what every update's metadata gets first, what the strategy checks again).

    rest.ValidateUpdate lists ValidateObjectMetaAccessor's errors and
    ValidateObjectMetaAccessorUpdate's, then the strategy's; the strategy checks the type
    (alone, when that fails) and then the metadata update again (declaratively) before the
    schema. So a bad label on an update is listed three times, an added finalizer twice."""
    meta, old_meta = new["metadata"], old["metadata"]
    update = validate_object_meta_update(meta, old_meta, immutable or [])
    return [*validate_object_meta(meta, update=True), *update], update
