"""A CRD's spec checks, for the resources of an ApiDefinition (apiextensions-apiserver
pkg/apis/apiextensions/validation/validation.go: ValidateCustomResourceDefinitionNames,
validateCustomResourceDefinitionSpec's version checks, validateCustomResourceDefinitionVersion,
ValidateCustomResourceDefinitionSubresources, ValidateCustomResourceColumnDefinition).

Raw mappings in, FieldErrors out, with a CRD's reasons and messages; paths are the caller's
(`spec.resources[i].names`, `spec.resources[i].versions[j]`). Missing or ill-typed required
strings (plural, kind, version names' types) are apidef's parser's to report.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from annex_core.apidef import FieldError
from annex_core.gotext import go_json
from annex_core.schema import fielderrors as fe
from annex_core.schema import gointernal
from annex_core.schema.names import dns1035_label_errors
from annex_core.schema.schemacheck import validation_errors

_COLUMN_TYPES = "boolean,date,integer,number,string"
_COLUMN_FORMATS = frozenset(
    {"int32", "int64", "float", "double", "byte", "date", "date-time", "password"}
)


def _str(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    return value if isinstance(value, str) else ""


def _strings(raw: Mapping[str, Any], key: str) -> list[str]:
    value = raw.get(key)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


# -- names ---------------------------------------------------------------------------------


def names_errors(raw: Mapping[str, Any], path: str) -> list[FieldError]:
    """ValidateCustomResourceDefinitionNames on the defaulted names, with the spec's Required
    singular and listKind (plural and kind being apidef's)."""
    kind = _str(raw, "kind")
    plural = _str(raw, "plural")
    singular = _str(raw, "singular") or kind.lower()
    list_kind = _str(raw, "listKind") or (f"{kind}List" if kind else "")
    errors: list[FieldError] = []
    if not singular:
        errors.append(fe.required(f"{path}.singular"))
    if not list_kind:
        errors.append(fe.required(f"{path}.listKind"))
    for name, value, mixed in (
        ("plural", plural, False),
        ("singular", singular, False),
        ("kind", kind, True),
        ("listKind", list_kind, True),
    ):
        problems = dns1035_label_errors(value.lower() if mixed else value)
        if value and problems:
            prefix = "may have mixed case, but should otherwise match: " if mixed else ""
            errors.append(fe.invalid(f"{path}.{name}", value, prefix + ",".join(problems)))
    for i, short in enumerate(_strings(raw, "shortNames")):
        if problems := dns1035_label_errors(short):
            errors.append(fe.invalid(f"{path}.shortNames[{i}]", short, ",".join(problems)))
    if kind and kind == list_kind:
        errors.append(
            fe.invalid(f"{path}.listKind", list_kind, "kind and listKind may not be the same")
        )
    for i, category in enumerate(_strings(raw, "categories")):
        if problems := dns1035_label_errors(category):
            errors.append(fe.invalid(f"{path}.categories[{i}]", category, ",".join(problems)))
    return errors


# -- versions ------------------------------------------------------------------------------


def versions_errors(
    raws: Sequence[Mapping[str, Any]], path: str, *, cost_limits: bool = True
) -> list[FieldError]:
    """The spec's checks over one resource's versions: each name a DNS-1035 label, each
    version valid, names unique, exactly one storage version. `cost_limits`: see
    `apidef.parse`."""
    errors: list[FieldError] = []
    for i, raw in enumerate(raws):
        name = raw.get("name", "")  # absent decodes as ""
        if isinstance(name, str) and (problems := dns1035_label_errors(name)):
            errors.append(fe.invalid(f"{path}[{i}].name", name, ",".join(problems)))
        errors += version_errors(raw, f"{path}[{i}]", cost_limits=cost_limits)
    if not raws:
        return errors
    names = [raw.get("name") for raw in raws]
    rendered = gointernal.versions(list(raws))
    if len({go_json(n) for n in names}) != len(names):
        errors.append(_invalid_raw(path, rendered, "must contain unique version names"))
    if sum(raw.get("storage") is True for raw in raws) != 1:
        errors.append(
            _invalid_raw(path, rendered, "must have exactly one version marked as storage version")
        )
    return errors


def _invalid_raw(path: str, rendered: str, detail: str) -> FieldError:
    return FieldError(path, fe.INVALID, f"Invalid value: {rendered}: {detail}")


def version_errors(
    raw: Mapping[str, Any], path: str, *, cost_limits: bool = True
) -> list[FieldError]:
    """validateCustomResourceDefinitionVersion, less selectableFields (apidef's)."""
    errors: list[FieldError] = []
    warning = raw.get("deprecationWarning")
    if isinstance(warning, str):
        for problem in deprecation_warning_errors(raw.get("deprecated") is True, warning):
            errors.append(_invalid_raw(f"{path}.deprecationWarning", go_json(warning), problem))
    subresources = raw.get("subresources")
    subresources = subresources if isinstance(subresources, Mapping) else {}
    schema = raw.get("schema")
    if isinstance(schema, Mapping) and isinstance(schema.get("openAPIV3Schema"), Mapping):
        status_enabled = subresources.get("status") is not None
        errors += validation_errors(
            schema["openAPIV3Schema"], f"{path}.schema", status_enabled, cost_limits=cost_limits
        )
    errors += scale_errors(subresources.get("scale"), f"{path}.subresources")
    columns = raw.get("additionalPrinterColumns")
    for i, column in enumerate(columns if isinstance(columns, list) else []):
        if isinstance(column, Mapping):
            errors += column_errors(column, f"{path}.additionalPrinterColumns[{i}]")
    return errors


def deprecation_warning_errors(deprecated: bool, warning: str) -> list[str]:
    """validateDeprecationWarning (indexes are byte offsets, as Go ranges over a string)."""
    if not deprecated:
        return ["can only be set for deprecated versions"]
    errors = []
    if len(warning.encode()) > 256:
        errors.append("must be <= 256 characters long")
    if not warning:
        errors.append("must not be an empty string")
    for i, char in enumerate(warning):
        if not _go_is_print(char):
            offset = len(warning[:i].encode())
            errors.append(
                "must only contain printable UTF-8 characters; non-printable character found "
                f"at index {offset}"
            )
            break
    return errors


def _go_is_print(char: str) -> bool:
    """unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space."""
    return char == " " or unicodedata.category(char)[0] in "LMNPS"


# -- subresources and columns --------------------------------------------------------------


def _simple_json_path_errors(value: str, path: str) -> list[FieldError]:
    """validateSimpleJSONPath (its dot-notation check never fails)."""
    if not value:
        return [fe.invalid(path, value, "must not be empty")]
    if not value.startswith("."):
        return [fe.invalid(path, value, "must be a simple json path starting with .")]
    return []


def scale_errors(scale: Any, path: str) -> list[FieldError]:
    """ValidateCustomResourceDefinitionSubresources' scale paths."""
    if not isinstance(scale, Mapping):
        return []
    errors: list[FieldError] = []
    for key, prefix, where in (
        ("specReplicasPath", (".spec.",), ".spec"),
        ("statusReplicasPath", (".status.",), ".status"),
    ):
        value = _str(scale, key)
        p = f"{path}.scale.{key}"
        if not value:
            errors.append(fe.required(p))
        elif problems := _simple_json_path_errors(value, p):
            errors += problems
        elif not value.startswith(prefix):
            errors.append(fe.invalid(p, value, f"should be a json path under {where}"))
    selector = _str(scale, "labelSelectorPath")
    if selector:
        p = f"{path}.scale.labelSelectorPath"
        if problems := _simple_json_path_errors(selector, p):
            errors += problems
        elif not selector.startswith((".spec.", ".status.")):
            errors.append(
                _invalid_raw(
                    p, go_json(selector), "should be a json path under either .spec or .status"
                )
            )
    return errors


def column_errors(column: Mapping[str, Any], path: str) -> list[FieldError]:
    """ValidateCustomResourceColumnDefinition (its JSONPath field path is capitalised)."""
    errors: list[FieldError] = []
    if not _str(column, "name"):
        errors.append(fe.required(f"{path}.name"))
    ctype = _str(column, "type")
    if not ctype:
        errors.append(fe.required(f"{path}.type", f"must be one of {_COLUMN_TYPES}"))
    elif ctype not in _COLUMN_TYPES.split(","):
        errors.append(fe.invalid(f"{path}.type", ctype, f"must be one of {_COLUMN_TYPES}"))
    fmt = _str(column, "format")
    if fmt and fmt not in _COLUMN_FORMATS:
        errors.append(
            fe.invalid(f"{path}.format", fmt, f"must be one of {','.join(sorted(_COLUMN_FORMATS))}")
        )
    json_path = _str(column, "jsonPath")
    if not json_path:
        errors.append(fe.required(f"{path}.JSONPath"))
    else:
        errors += _simple_json_path_errors(json_path, f"{path}.JSONPath")
    return errors
