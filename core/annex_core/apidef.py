"""The ApiDefinition model: parsing and static validation, shared by operator and gateway.

An ApiDefinition declares one API group the way a CustomResourceDefinition declares one
resource: `spec.resources[]` holds CRD-shaped `names`, `scope` and `versions[]`. Parsing
turns the raw object into immutable dataclasses; everything that can be checked without
looking at the cluster is checked here, with field paths as kube-apiserver reports them.
Checks against the cluster (CRDs, foreign APIServices) are the operator's.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

from annex_core import conversion as conversions
from annex_core import selectable
from annex_core.schema.names import is_dns1123_subdomain

GROUP = "annex.dev"
VERSION = "v1alpha1"
KIND = "ApiDefinition"
PLURAL = "apidefinitions"
API_VERSION = f"{GROUP}/{VERSION}"
# The gateway's ApiDefinition admission webhook (the operator registers it): what a changed
# schema would make of the stored objects, as warnings, before the change takes effect.
IMPACT_WEBHOOK_PATH = "/annex.dev/apidefinitions/impact"

# Groups kube-apiserver serves itself without the `.k8s.io` suffix. Everything under
# `k8s.io` and `kubernetes.io` is reserved for Kubernetes as well.
BUILTIN_GROUPS = frozenset({"", "apps", "autoscaling", "batch", "extensions", "policy"})
RESERVED_SUFFIXES = (".k8s.io", ".kubernetes.io")
RESERVED_GROUPS = frozenset({"k8s.io", "kubernetes.io", GROUP})

_VERSION_RE = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")

Scope = Literal["Namespaced", "Cluster"]


@dataclass(frozen=True)
class FieldError:
    """One invalid field, in the shape of a Kubernetes `StatusCause`."""

    field: str
    reason: str  # FieldValueInvalid, FieldValueRequired, FieldValueDuplicate, ...
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class DefinitionError(ValueError):
    """The ApiDefinition is invalid; `errors` says where and why."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Names:
    plural: str
    singular: str
    kind: str
    list_kind: str
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrinterColumn:
    name: str
    type: str
    json_path: str
    format: str = ""
    description: str = ""
    priority: int = 0


@dataclass(frozen=True)
class ScaleSubresource:
    spec_replicas_path: str
    status_replicas_path: str
    label_selector_path: str | None = None


@dataclass(frozen=True)
class ResourceVersion:
    """One version of one resource, as in a CRD's `spec.versions[]`."""

    name: str
    served: bool
    storage: bool
    schema: Mapping[str, Any] | None = None
    status_subresource: bool = False
    scale_subresource: ScaleSubresource | None = None
    printer_columns: tuple[PrinterColumn, ...] = ()
    deprecated: bool = False
    deprecation_warning: str | None = None
    # the schema paths a field selector may name, resolved against the schema
    selectable_fields: tuple[selectable.SelectableField, ...] = ()


@dataclass(frozen=True)
class Resource:
    names: Names
    scope: Scope
    versions: tuple[ResourceVersion, ...]
    conversion: conversions.Conversion = conversions.NONE

    @property
    def namespaced(self) -> bool:
        return self.scope == "Namespaced"

    @property
    def storage_version(self) -> str:
        return next(v.name for v in self.versions if v.storage)

    def version(self, name: str) -> ResourceVersion | None:
        return next((v for v in self.versions if v.name == name and v.served), None)


@dataclass(frozen=True)
class ApiDefinition:
    name: str
    group: str
    resources: tuple[Resource, ...]

    @property
    def served_versions(self) -> tuple[str, ...]:
        """Every version served by at least one resource, preferred (highest priority) first."""
        names = {v.name for r in self.resources for v in r.versions if v.served}
        return tuple(sorted(names, key=version_sort_key))

    def resources_in(self, version: str) -> tuple[tuple[Resource, ResourceVersion], ...]:
        """The resources served at `version`, each with its definition at that version."""
        found = []
        for resource in self.resources:
            rv = resource.version(version)
            if rv is not None:
                found.append((resource, rv))
        return tuple(found)


def version_sort_key(version: str) -> tuple[int, int, int, str]:
    """Kubernetes' version priority as a sort key, highest priority first.

    GA before beta before alpha, higher numbers first within each, then versions that don't
    look like Kubernetes versions, alphabetically (`k8s.io/apimachinery` CompareKubeAwareVersionStrings).
    """
    m = _VERSION_RE.fullmatch(version)
    if not m:
        return (3, 0, 0, version)
    major, level, minor = int(m.group(1)), m.group(2), int(m.group(3) or 0)
    rank = {None: 0, "beta": 1, "alpha": 2}[level]
    return (rank, -major, -minor, version)


def storage_key(group: str, plural: str) -> str:
    """The storage prefix of a resource: independent of the version it is served at."""
    return f"{group}/{plural}"


def group_errors(group: str, path: str = "spec.group") -> list[FieldError]:
    """Why `group` cannot be an ApiDefinition's group, if it can't."""
    if not group:
        return [FieldError(path, "FieldValueRequired", "Required value")]
    if not is_dns1123_subdomain(group):
        return [
            FieldError(
                path,
                "FieldValueInvalid",
                f'Invalid value: "{group}": a lowercase RFC 1123 subdomain must consist of '
                "lower case alphanumeric characters, '-' or '.'",
            )
        ]
    if "." not in group:
        return [
            FieldError(
                path,
                "FieldValueInvalid",
                f'Invalid value: "{group}": should be a domain with at least one dot',
            )
        ]
    if group in BUILTIN_GROUPS or group in RESERVED_GROUPS or group.endswith(RESERVED_SUFFIXES):
        return [
            FieldError(
                path,
                "FieldValueForbidden",
                f'Forbidden: "{group}" is reserved for Kubernetes or for kube-annex itself',
            )
        ]
    return []


def accepted_already(obj: Mapping[str, Any]) -> bool:
    """Whether the object's status reports its names accepted at its current generation."""
    metadata, status = obj.get("metadata"), obj.get("status")
    if not isinstance(metadata, Mapping) or not isinstance(status, Mapping):
        return False
    generation = metadata.get("generation")
    if not isinstance(generation, int) or status.get("observedGeneration") != generation:
        return False
    conditions = status.get("conditions")
    return isinstance(conditions, list) and any(
        isinstance(c, Mapping) and c.get("type") == "NamesAccepted" and c.get("status") == "True"
        for c in conditions
    )


def _definition() -> ModuleType:
    """annex_core.schema.definition: a CRD's checks (imported late: it imports this module)."""
    return importlib.import_module("annex_core.schema.definition")


def _child(path: str, key: str) -> str:
    """`path.key`, or just `key` at the top level (`spec`, not `.spec`, as kube-apiserver says)."""
    return f"{path}.{key}" if path else key


# A definition is read by the gateway's unauthenticated impact webhook too (and from files):
# a 3 MiB body of a million empty resources would otherwise make millions of errors.
MAX_RESOURCES = 64  # the ApiDefinition CRD's maxItems for spec.resources
MAX_ITEMS = 256  # any other list: versions, printer columns, selectable fields, names
MAX_ERRORS = 256  # errors kept; the rest are counted


class _Errors:
    """A definition's errors, the first MAX_ERRORS of them; `dropped` counts the others."""

    def __init__(self) -> None:
        self.kept: list[FieldError] = []
        self.dropped = 0

    def __bool__(self) -> bool:
        return bool(self.kept)

    def append(self, error: FieldError) -> None:
        if len(self.kept) < MAX_ERRORS:
            self.kept.append(error)
        else:
            self.dropped += 1

    def extend(self, errors: Iterable[FieldError]) -> None:
        for error in errors:
            self.append(error)

    def at(self, path: str) -> bool:
        """Whether an error was reported at `path` (a list too long, or not a list)."""
        return any(e.field == path for e in self.kept)

    def all(self) -> list[FieldError]:
        """The errors kept, and one more saying how many were not."""
        if not self.dropped:
            return list(self.kept)
        return [
            *self.kept,
            FieldError(
                "spec",
                "FieldValueTooMany",
                f"Too many: {len(self.kept) + self.dropped} errors: only the first {MAX_ERRORS} "
                "are listed",
            ),
        ]


class _Parser:
    """Reads the raw object field by field, collecting every error before raising."""

    def __init__(self, cost_limits: bool = True) -> None:
        self.errors = _Errors()
        self.cost_limits = cost_limits

    def error(self, path: str, reason: str, message: str) -> None:
        self.errors.append(FieldError(path, reason, message))

    def string(self, obj: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str:
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.error(_child(path, key), "FieldValueRequired", "Required value")
            return ""
        if not isinstance(value, str):
            self.error(_child(path, key), "FieldValueTypeInvalid", "must be a string")
            return ""
        return value

    def mapping(self, obj: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
        value = obj.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.error(_child(path, key), "FieldValueTypeInvalid", "must be an object")
            return {}
        return value

    def items(
        self, obj: Mapping[str, Any], key: str, path: str, limit: int = MAX_ITEMS
    ) -> list[Mapping[str, Any]]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.error(_child(path, key), "FieldValueTypeInvalid", "must be a list of objects")
            return []
        return value if self.within(value, _child(path, key), limit) else []

    def within(self, value: list[Any], path: str, limit: int) -> bool:
        """Whether the list at `path` has at most `limit` entries (else a TooMany error)."""
        if len(value) <= limit:
            return True
        message = f"Too many: {len(value)}: must have at most {limit} items"
        self.error(path, "FieldValueTooMany", message)
        return False

    def strings(self, obj: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = obj.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(_child(path, key), "FieldValueTypeInvalid", "must be a list of strings")
            return ()
        return tuple(value) if self.within(value, _child(path, key), MAX_ITEMS) else ()

    def names(self, raw: Mapping[str, Any], path: str) -> Names:
        plural = self.string(raw, "plural", path)
        kind = self.string(raw, "kind", path)
        singular = self.string(raw, "singular", path, required=False) or kind.lower()
        list_kind = self.string(raw, "listKind", path, required=False) or f"{kind}List"
        short_names = self.strings(raw, "shortNames", path)
        categories = self.strings(raw, "categories", path)
        self.errors.extend(_definition().names_errors(raw, path))  # a CRD's names checks
        return Names(plural, singular, kind, list_kind, short_names, categories)

    def printer_columns(self, raw: list[Mapping[str, Any]], path: str) -> tuple[PrinterColumn, ...]:
        columns = []
        for i, col in enumerate(raw):
            p = f"{path}[{i}]"
            ctype = self.string(col, "type", p, required=False)  # checked as a CRD's
            priority = col.get("priority", 0)
            if not isinstance(priority, int) or priority < 0:
                self.error(f"{p}.priority", "FieldValueInvalid", "must be a non-negative integer")
                priority = 0
            columns.append(
                PrinterColumn(
                    name=self.string(col, "name", p, required=False),
                    type=ctype,
                    json_path=self.string(col, "jsonPath", p, required=False),
                    format=self.string(col, "format", p, required=False),
                    description=self.string(col, "description", p, required=False),
                    priority=priority,
                )
            )
        return tuple(columns)

    def version(self, raw: Mapping[str, Any], path: str) -> ResourceVersion:
        name = self.string(raw, "name", path, required=False)  # checked as a CRD's
        subresources = self.mapping(raw, "subresources", path)
        scale_raw = subresources.get("scale")
        scale = None
        if isinstance(scale_raw, Mapping):
            sp = f"{path}.subresources.scale"
            scale = ScaleSubresource(
                spec_replicas_path=self.string(scale_raw, "specReplicasPath", sp, required=False),
                status_replicas_path=self.string(
                    scale_raw, "statusReplicasPath", sp, required=False
                ),
                label_selector_path=self.string(scale_raw, "labelSelectorPath", sp, required=False)
                or None,
            )
        schema = self.mapping(raw, "schema", path).get("openAPIV3Schema")
        return ResourceVersion(
            name=name,
            served=bool(raw.get("served", True)),
            storage=bool(raw.get("storage", False)),
            schema=schema if isinstance(schema, Mapping) else None,
            status_subresource="status" in subresources,
            scale_subresource=scale,
            printer_columns=self.printer_columns(
                self.items(raw, "additionalPrinterColumns", path),
                f"{path}.additionalPrinterColumns",
            ),
            deprecated=bool(raw.get("deprecated", False)),
            deprecation_warning=raw.get("deprecationWarning") or None,
            selectable_fields=self.selectable_fields(
                self.items(raw, "selectableFields", path),
                schema if isinstance(schema, Mapping) else None,
                f"{path}.selectableFields",
            ),
        )

    def selectable_fields(
        self, raw: list[Mapping[str, Any]], schema: Mapping[str, Any] | None, path: str
    ) -> tuple[selectable.SelectableField, ...]:
        """ValidateCustomResourceSelectableFields, without its limit of 8."""
        found: list[selectable.SelectableField] = []
        for i, item in enumerate(raw):
            p = f"{path}[{i}].jsonPath"
            json_path = item.get("jsonPath")
            if not isinstance(json_path, str) or not json_path:
                self.error(p, "FieldValueRequired", "Required value")
                continue
            if schema is None:
                self.error(
                    path,
                    "FieldValueInvalid",
                    'Invalid value: "": may only be set when `version.schema.openAPIV3Schema` '
                    "is not included",
                )
                break
            compiled, problems = selectable.check(json_path, schema)
            for problem in problems:
                self.error(
                    p, "FieldValueInvalid", f"Invalid value: {json.dumps(json_path)}: {problem}"
                )
            if any(f.json_path == json_path for f in found):
                self.error(p, "FieldValueDuplicate", f"Duplicate value: {json.dumps(json_path)}")
            elif compiled is not None:
                found.append(compiled)
        return tuple(found)

    def resource(self, raw: Mapping[str, Any], path: str) -> Resource:
        names = self.names(self.mapping(raw, "names", path), f"{path}.names")
        scope = raw.get("scope", "Namespaced")
        if scope not in ("Namespaced", "Cluster"):
            self.error(
                f"{path}.scope",
                "FieldValueNotSupported",
                f'Unsupported value: "{scope}": supported values: "Cluster", "Namespaced"',
            )
            scope = "Namespaced"
        raw_versions = self.items(raw, "versions", path)
        versions = tuple(
            self.version(v, f"{path}.versions[{i}]") for i, v in enumerate(raw_versions)
        )
        self.check_versions(versions, f"{path}.versions")
        # a CRD's version checks: names, schemas, subresources, columns, storage
        self.errors.extend(
            _definition().versions_errors(
                raw_versions, f"{path}.versions", cost_limits=self.cost_limits
            )
        )
        converts = conversions.parse(
            raw.get("conversion"), [v.name for v in versions], f"{path}.conversion", self.error
        )
        return Resource(names, scope, versions, converts)

    def check_versions(self, versions: tuple[ResourceVersion, ...], path: str) -> None:
        if not versions:
            if not self.errors.at(path):  # too many, or not a list
                self.error(
                    path, "FieldValueRequired", "Required value: must have at least one version"
                )
            return
        # unique names and one storage version: annex_core.schema.definition, as a CRD's
        if not any(v.served for v in versions):
            self.error(path, "FieldValueInvalid", "must have at least one version marked as served")

    def check_unique_names(self, resources: tuple[Resource, ...], path: str) -> None:
        """Names must not clash between the resources of the group.

        As apiextensions-apiserver's naming controller checks the CRDs of one group: plural,
        singular and short names share one namespace (kubectl resolves all three), kind and
        listKind another. A resource may repeat its own names: plural `fish` with kind `Fish`,
        or singular equal to plural, are valid CRD names.
        """
        resource_names: dict[str, int] = {}
        kinds: dict[str, int] = {}
        for i, r in enumerate(resources):
            names = r.names
            for seen, fieldname, value in (
                (resource_names, "plural", names.plural),
                (resource_names, "singular", names.singular),
                *((resource_names, "shortNames", s) for s in names.short_names),
                (kinds, "kind", names.kind),
                (kinds, "listKind", names.list_kind if names.kind else ""),
            ):
                key = value.lower()
                if not key:
                    continue
                owner = seen.setdefault(key, i)
                if owner != i:
                    self.error(
                        f"{path}[{i}].names.{fieldname}",
                        "FieldValueDuplicate",
                        f'Duplicate value: "{value}": already used by {path}[{owner}]',
                    )


def parse(obj: Mapping[str, Any]) -> ApiDefinition:
    """Parse and validate an ApiDefinition object; raise DefinitionError with every problem.

    CEL rules are held to the static cost limits unless this generation of the object was
    accepted already (its status says so): an ApiDefinition accepted before those limits
    were checked keeps being served, as kube-apiserver lets a CRD update that leaves its
    schema unchanged keep rules over the limit."""
    p = _Parser(cost_limits=not accepted_already(obj))
    metadata = p.mapping(obj, "metadata", "")
    spec = p.mapping(obj, "spec", "")
    name = p.string(metadata, "name", "metadata")
    group = p.string(spec, "group", "spec")
    if group:
        p.errors.extend(group_errors(group))
    if name and group and name != group:
        p.error(
            "metadata.name", "FieldValueInvalid", f'Invalid value: "{name}": must be spec.group'
        )
    raw_resources = p.items(spec, "resources", "spec", MAX_RESOURCES)
    if not raw_resources and not p.errors.at("spec.resources"):
        p.error("spec.resources", "FieldValueRequired", "Required value: at least one resource")
    resources = tuple(p.resource(r, f"spec.resources[{i}]") for i, r in enumerate(raw_resources))
    p.check_unique_names(resources, "spec.resources")
    if p.errors:
        raise DefinitionError(p.errors.all())
    return ApiDefinition(name=name, group=group, resources=resources)
