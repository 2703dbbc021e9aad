"""Duplicates in `x-kubernetes-list-type: set` and `map` lists.

apiextensions-apiserver pkg/apiserver/schema/listtype/validation.go ValidateListSetsAndMaps,
walking the structural schema (properties, additionalProperties, items; junctors are not
structural). A set item or map key seen before is a Duplicate at its second occurrence only.
Scalars compare as Go interface values (`1` and `1.0` differ), objects and lists by their
`json.Marshal` text (where `1` and `1.0` agree). Go iterates an object's keys in random order;
here they come in the object's own order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annex_core.apidef import FieldError
from annex_core.gotext import go_json
from annex_core.schema import fielderrors
from annex_core.schema.govalues import as_go_number


def validate_list_sets_and_maps(schema: Mapping[str, Any], obj: Any) -> list[FieldError]:
    """structurallisttype.ValidateListSetsAndMaps(nil, schema, obj)."""
    errs: list[FieldError] = []
    if isinstance(obj, dict):
        _object(None, schema, obj, errs)
    return errs


def checked_schema(schema: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The parts of `schema` where ValidateListSetsAndMaps can find anything (set and map lists
    and the way to them), or None if nowhere: the same errors, with nothing else walked."""
    reduced = _reduce(schema)
    return reduced or None


def _reduce(schema: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    list_type = schema.get("x-kubernetes-list-type")
    if list_type in ("set", "map"):
        out["x-kubernetes-list-type"] = list_type
        if "x-kubernetes-list-map-keys" in schema:
            out["x-kubernetes-list-map-keys"] = schema["x-kubernetes-list-map-keys"]
    additional = schema.get("additionalProperties")
    if isinstance(additional, Mapping):
        sub = _reduce(additional)
        if sub:
            out["additionalProperties"] = sub
    properties = schema.get("properties")
    if properties:
        # A property the walk would reach with nothing to find under it is left out.
        kept = {}
        for k, v in properties.items():
            sub = _reduce(v) if isinstance(v, Mapping) else v  # not a schema: as it is
            if sub is not None and (sub or not isinstance(sub, Mapping)):
                kept[k] = sub
        if kept:
            out["properties"] = kept
    items = schema.get("items")
    if isinstance(items, Mapping):
        sub = _reduce(items)
        if sub:
            out["items"] = sub
    return out


def _object(
    path: str | None, schema: Mapping[str, Any], obj: dict[str, Any], errs: list[FieldError]
) -> None:
    additional = schema.get("additionalProperties")
    if isinstance(additional, Mapping):
        for k, v in obj.items():
            _value(fielderrors.key(path, k), additional, v, errs)
    properties = schema.get("properties")
    if properties:
        for k, v in obj.items():
            sub = properties.get(k)
            if sub is not None:
                _value(fielderrors.child(path, k), sub, v, errs)


def _value(path: str, schema: Mapping[str, Any], value: Any, errs: list[FieldError]) -> None:
    if type(value) is list:
        _array(path, schema, value, errs)
    elif type(value) is dict:
        _object(path, schema, value, errs)


def _array(path: str, schema: Mapping[str, Any], items: list[Any], errs: list[FieldError]) -> None:
    list_type = schema.get("x-kubernetes-list-type")
    if list_type == "set":
        for i in _non_unique(items):
            errs.append(fielderrors.duplicate(fielderrors.key(path, i), items[i]))
    elif list_type == "map":
        errs += _list_map(path, schema, items)
    item_schema = schema.get("items")
    if isinstance(item_schema, Mapping):
        for i, item in enumerate(items):
            _value(fielderrors.key(path, i), item_schema, item, errs)


class _Unspecified:
    """A map item without its key (or a null item)."""


_UNSPECIFIED = _Unspecified()


def _identity(x: Any) -> Any:
    """How validateListSet tells values apart: Go interface equality, or json.Marshal text."""
    t = type(x)
    if t is dict or t is list:
        return ("json", go_json(x))
    if t is int or t is float:
        x = as_go_number(x)
        return (type(x), x)
    if x is _UNSPECIFIED:
        return _UNSPECIFIED
    return (t, x)


def _non_unique(items: list[Any]) -> list[int]:
    if len(items) <= 1:
        return []
    seen: dict[Any, int] = {}
    out: list[int] = []
    for i, x in enumerate(items):
        ident = _identity(x)
        times = seen.get(ident, 0)
        seen[ident] = times + 1
        if times == 1:
            out.append(i)
    return out


def _list_map(path: str, schema: Mapping[str, Any], items: list[Any]) -> list[FieldError]:
    for i, x in enumerate(items):
        if x is not None and type(x) is not dict:
            return [
                fielderrors.invalid(
                    fielderrors.key(path, i), x, "must be an object for an array of list-type map"
                )
            ]
    if len(items) <= 1:
        return []
    key_fields = [str(k) for k in schema.get("x-kubernetes-list-map-keys") or ()]
    if len(key_fields) == 1:
        field = key_fields[0]
        keys = [_UNSPECIFIED if x is None or field not in x else x[field] for x in items]
        errs = []
        for i in _non_unique(keys):
            shown = {} if keys[i] is _UNSPECIFIED else {field: keys[i]}
            errs.append(fielderrors.duplicate(fielderrors.key(path, i), shown))
        return errs
    composite = [{} if x is None else {f: x[f] for f in key_fields if f in x} for x in items]
    return [
        fielderrors.duplicate(fielderrors.key(path, i), composite[i])
        for i in _non_unique(composite)
    ]
