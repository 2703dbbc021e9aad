"""OpenAPI validation of custom objects, as kube-apiserver v1.37 validates a CRD's objects.

apiextensions-apiserver pkg/apiserver/validation/validation.go converts the version's schema
to a kube-openapi `spec.Schema` (ConvertJSONSchemaPropsWithPostProcess, formats.go stripping
unsupported formats), validates with kube-openapi pkg/validation/validate, and turns the result
into field errors (kubeOpenAPIResultToFieldErrors). This module compiles a schema once into
`_Node`s and walks a value with the same validators, in the same order, with the same messages:

    per node: type, allOf/anyOf/oneOf/not, string, format, number, slice, enum, object
    (schema.go NewSchemaValidator); a null value sees only type and enum.

Go iterates maps in random order, so kube-apiserver reports sibling properties in an order
that varies from request to request; here they come in the object's own key order. Errors
with the same message are reported once (validate.Result.AddErrors). `validate_update`
ratchets as ratcheting.go does (see `_Correlation`).

Patterns are Go RE2; Python's `re` runs them after `_go_regex` rewrites the few spellings that
differ. Messages name the JSON path as kube-openapi builds it (`spec.items[0].name`), and
errors kube-openapi raises as plain Go errors (oneOf, anyOf, allOf, not, numeric range) land on
the field path of the call (`<nil>` from the root), as in Go.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Mapping
from typing import Any

from annex_core.apidef import FieldError
from annex_core.gotext import go_json, go_quote
from annex_core.schema import fielderrors
from annex_core.schema.formats import FORMAT_CHECKS, normalize_format, supported_format
from annex_core.schema.govalues import (
    INT64_MAX,
    INT64_MIN,
    as_go_number,
    float_to_int64,
    go_deep_equal,
    go_type_name,
    is_float64_a_json_integer,
)

# Error kinds, after kubeOpenAPIResultToFieldErrors's switch on the kube-openapi error code.
_TYPE = 0  # InvalidTypeCode -> TypeInvalid
_REQUIRED = 1  # RequiredFailCode -> Required
_ENUM = 2  # EnumFailCode -> NotSupported
_TOO_LONG = 3  # TooLongFailCode -> TooLong
_TOO_MANY = 4  # MaxItemsFailCode, TooManyPropertiesCode -> TooMany
_OTHER = 5  # any other *errors.Validation -> Invalid
_PLAIN = 6  # not an *errors.Validation (composite messages, range checks) -> Invalid at fldPath

# (kind, name, message, value, extra): name is kube-openapi's path, message its Error().
_Err = tuple[int, str, str, Any, Any]

_IN = "body"


def _quote(text: str) -> str:
    return go_quote(text)


def _go_number_text(value: int | float) -> str:
    """`%v` of an int64 or float64."""
    return fielderrors.go_value(value)


# -- schema compilation ------------------------------------------------------------------------


class _Node:
    """One schema node, as kube-openapi's SchemaValidator sees it, with its checks precomputed."""

    __slots__ = (
        "additional",
        "additional_allows",
        "all_of",
        "any_of",
        "enum",
        "enum_bools",
        "enum_floats",
        "enum_ints",
        "enum_others",
        "enum_strings",
        "enum_texts",
        "exclusive_maximum",
        "exclusive_minimum",
        "format",
        "format_check",
        "has_numeric_type",
        "has_props_validator",
        "items",
        "list_map_keys",
        "list_type",
        "max_items",
        "max_length",
        "max_properties",
        "maximum",
        "min_items",
        "min_length",
        "min_properties",
        "minimum",
        "multiple_of",
        "not_",
        "nullable",
        "number_format",
        "number_type",
        "one_of",
        "pattern",
        "pattern_text",
        "properties",
        "required",
        "type_applies",
        "type_text",
        "types",
        "unique_items",
    )

    def __init__(self, raw: Mapping[str, Any]) -> None:
        types: tuple[str, ...] = ()
        if raw.get("type"):
            types = (str(raw["type"]),)
        if raw.get("x-kubernetes-int-or-string") is True:
            types = ("integer", "string")
        self.types = types
        self.type_text = ",".join(types)
        self.has_numeric_type = "integer" in types or "number" in types
        self.nullable = raw.get("nullable") is True
        self.format = _kept_format(str(raw.get("format") or ""), types)
        self.format_check: Callable[[str], bool] | None = None
        if self.format:
            self.format_check = FORMAT_CHECKS.get(normalize_format(self.format))
        self.type_applies = bool(types) or bool(self.format)

        # numberValidator: type and format only when unambiguous (schema.go numberValidator).
        self.number_type = ""
        self.number_format = ""
        if len(types) == 1 and types[0] in ("integer", "number"):
            self.number_type = types[0]
            allowed = ("int32", "int64") if types[0] == "integer" else ("float", "double")
            self.number_format = self.format if self.format in allowed else ""
        self.maximum = _float_or_none(raw.get("maximum"))
        self.minimum = _float_or_none(raw.get("minimum"))
        self.exclusive_maximum = raw.get("exclusiveMaximum") is True
        self.exclusive_minimum = raw.get("exclusiveMinimum") is True
        self.multiple_of = _float_or_none(raw.get("multipleOf"))

        self.max_length = _int_or_none(raw.get("maxLength"))
        self.min_length = _int_or_none(raw.get("minLength"))
        pattern = raw.get("pattern")
        self.pattern_text = str(pattern) if pattern else ""
        self.pattern = _compile_pattern(self.pattern_text) if self.pattern_text else None

        self.max_items = _int_or_none(raw.get("maxItems"))
        self.min_items = _int_or_none(raw.get("minItems"))
        self.unique_items = raw.get("uniqueItems") is True
        items = raw.get("items")
        self.items = _Node(items) if isinstance(items, Mapping) else None
        self.list_type = str(raw.get("x-kubernetes-list-type") or "")
        self.list_map_keys = tuple(str(k) for k in raw.get("x-kubernetes-list-map-keys") or ())

        self.max_properties = _int_or_none(raw.get("maxProperties"))
        self.min_properties = _int_or_none(raw.get("minProperties"))
        self.required = tuple(str(r) for r in raw.get("required") or ())
        properties = raw.get("properties") or {}
        self.properties = {str(k): _Node(v) for k, v in properties.items()}
        additional = raw.get("additionalProperties")
        self.additional = _Node(additional) if isinstance(additional, Mapping) else None
        self.additional_allows = additional is not False

        self.all_of = [_Node(s) for s in raw.get("allOf") or ()]
        self.any_of = [_Node(s) for s in raw.get("anyOf") or ()]
        self.one_of = [_Node(s) for s in raw.get("oneOf") or ()]
        not_ = raw.get("not")
        self.not_ = _Node(not_) if isinstance(not_, Mapping) else None
        self.has_props_validator = bool(self.all_of or self.any_of or self.one_of or self.not_)

        enum = raw.get("enum")
        self.enum: list[Any] | None = None
        self.enum_strings: frozenset[str] = frozenset()
        self.enum_ints: frozenset[int] = frozenset()
        self.enum_floats: frozenset[float] = frozenset()
        self.enum_bools: tuple[bool, ...] = ()
        self.enum_others: list[Any] = []
        self.enum_texts: list[str] = []
        if enum:  # len(Enum) > 0 (basicCommonValidator)
            values = [as_go_number(v) if type(v) in (int, float) else v for v in enum]
            self.enum = values
            self.enum_strings = frozenset(v for v in values if type(v) is str)
            self.enum_ints = frozenset(v for v in values if type(v) is int)
            self.enum_floats = frozenset(v for v in values if type(v) is float)
            self.enum_bools = tuple(v for v in values if type(v) is bool)
            self.enum_others = [v for v in values if type(v) in (dict, list)]
            # NotSupported's list: strings as they are, anything else json.Marshal'ed.
            self.enum_texts = [v if type(v) is str else go_json(v) for v in values]


def _kept_format(fmt: str, types: tuple[str, ...]) -> str:
    """StripUnsupportedFormatsPostProcessorForVersion (formats.go): others become ""."""
    if not fmt:
        return ""
    schema_type = types[0] if len(types) == 1 else ""
    if schema_type in ("", "string"):
        return fmt if supported_format(fmt) else ""
    if schema_type == "integer":
        return fmt if fmt in ("int32", "int64") else ""
    if schema_type == "number":
        return fmt if fmt in ("float", "double") else ""
    return ""


def _float_or_none(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    return float(value)


def _int_or_none(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    return int(value)


_POSIX_CLASSES = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x00-\\x7f",
    "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z",
    "word": "0-9A-Za-z_",
    "xdigit": "0-9A-Fa-f",
}


def _go_regex(pattern: str) -> str:
    """A Go RE2 pattern in Python's `re` syntax (compiled with re.ASCII, as RE2's \\d \\w \\s
    \\b are ASCII): RE2's `$` (outside multi-line mode) and `\\z` are the end of the text, which
    is Python's `\\Z` (Python's `$` also matches before a final newline); POSIX classes
    `[[:alpha:]]` are spelled out. Unicode classes (`\\p{L}`) have no `re` spelling: a pattern
    using them fails to compile here, and is then not checked at all.
    """
    multiline = pattern.startswith("(?") and "m" in pattern[2 : pattern.find(")")]
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            out.append("\\Z" if nxt == "z" else c + nxt)
            i += 2
            continue
        if in_class:
            if c == "[" and pattern.startswith("[:", i):
                end = pattern.find(":]", i + 2)
                name = pattern[i + 2 : end] if end > 0 else ""
                negated = name.startswith("^")
                spelled = _POSIX_CLASSES.get(name.lstrip("^"))
                if spelled is not None and not negated:
                    out.append(spelled)
                    i = end + 2
                    continue
            if c == "]":
                in_class = False
            out.append("\\[" if c == "[" else c)
        elif c == "[":
            in_class = True
            out.append(c)
            # a "]" right after "[" or "[^" is a literal
            j = i + 1
            if j < n and pattern[j] == "^":
                out.append("^")
                j += 1
            if j < n and pattern[j] == "]":
                out.append("\\]")
                j += 1
            i = j
            continue
        elif c == "$" and not multiline:
            out.append("\\Z")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _compile_pattern(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(_go_regex(pattern), re.ASCII)
    except re.error:
        return None


# -- ratcheting correlation (apiserver/pkg/cel/common/equality.go, maplist.go) ---------------------


class _Correlation:
    """common.CorrelatedObject: a new value, the old value it corresponds to, and its schema."""

    __slots__ = ("_equal", "_map_list", "children", "node", "old", "value")

    def __init__(self, value: Any, old: Any, node: _Node) -> None:
        self.value = value
        self.old = old
        self.node = node
        self._equal: bool | None = None
        self._map_list: _MapList | None = None
        self.children: dict[Any, _Correlation | None] = {}

    def key(self, name: str) -> _Correlation | None:
        if name in self.children:
            return self.children[name]
        old, new = self.old, self.value
        if type(old) is not dict or type(new) is not dict or name not in old or name not in new:
            return None
        node = self.node.properties.get(name) or self.node.additional
        if node is None:
            return None
        child = _Correlation(new[name], old[name], node)
        self.children[name] = child
        return child

    def index(self, i: int) -> _Correlation | None:
        if i in self.children:
            return self.children[i]
        new, old = self.value, self.old
        if type(new) is not list or len(new) <= i or type(old) is not list:
            return None
        # Only list-type=map items correlate (correlateOldValueForChildAtNewIndex); set and
        # atomic lists are compared as a whole.
        if self.node.list_type != "map":
            return None
        if self._map_list is None:
            self._map_list = _MapList(self.node, old)
        old_item = self._map_list.get(new[i])
        if old_item is None or self.node.items is None:
            return None
        child = _Correlation(new[i], old_item, self.node.items)
        self.children[i] = child
        return child

    def deep_equal(self) -> bool:
        """CachedDeepEqual: children compared through the schema (unknown keys never equal)."""
        if self._equal is None:
            self._equal = self._compare()
        return self._equal

    def _compare(self) -> bool:
        new, old = self.value, self.old
        if new is None and old is None:
            return True
        if new is None or old is None:
            return False
        if (type(new) is list) != (type(old) is list) or (type(new) is dict) != (type(old) is dict):
            return False
        if type(old) is list:
            if len(old) != len(new):
                return False
            for i in range(len(new)):
                child = self.index(i)
                if child is None:
                    if self._map_list is None:
                        return go_deep_equal(old, new)
                    return False
                if not child.deep_equal():
                    return False
            return True
        if type(old) is dict:
            if len(old) != len(new):
                return False
            for name in new:
                child = self.key(name)
                if child is None or not child.deep_equal():
                    return False
            return True
        return go_deep_equal(old, new)


class _MapList:
    """common.MakeMapList: old items of a list-type=map by key, the first of each key wins."""

    __slots__ = ("_items", "_keyed", "_keys")

    def __init__(self, node: _Node, items: list[Any]) -> None:
        usable = bool(node.types) and node.types[0] == "array" and node.list_map_keys and items
        self._keys = node.list_map_keys if usable else ()
        self._keyed: dict[Any, Any] = {}
        self._items = list(items) if usable else []

    def _key_for(self, obj: dict[str, Any]) -> Any:
        if len(self._keys) == 1:
            v = obj.get(self._keys[0], _MISSING)
            return (type(v), v) if type(v) in (bool, float, int, str) else None
        parts: list[str] = []
        for key in self._keys:
            v = obj.get(key, _MISSING)
            t = type(v)
            if t is bool:
                parts.append("true" if v else "false")
            elif t is float:
                parts.append(f"{v:f}")
            elif t is int:
                parts.append(str(v))
            elif t is str:
                parts.append(_quote(v))
            else:
                return None
        return "\x00" + "\x00".join(parts)

    def get(self, obj: Any) -> Any:
        if not self._keys or type(obj) is not dict:
            return None
        key = self._key_for(obj)
        if key is None:
            return None
        if key in self._keyed:
            return self._keyed[key]
        while self._items:
            item = self._items.pop(0)
            if type(item) is not dict:
                continue
            item_key = self._key_for(item)
            if item_key is None:
                continue
            self._keyed.setdefault(item_key, item)
            if item_key == key:
                return item
        return None


_MISSING: Any = object()


# -- validation ------------------------------------------------------------------------------


def _type_error(path: str, type_name: str, found: str) -> _Err:
    """errors.InvalidType with a string value: `<path> in body must be of type <t>: "<v>"`."""
    return (
        _TYPE,
        path,
        f"{path} in {_IN} must be of type {type_name}: {_quote(found)}",
        found,
        None,
    )


def _validate(
    node: _Node, data: Any, path: str, errs: list[_Err], corr: _Correlation | None
) -> int:
    """SchemaValidator.Validate: appends errors, returns the result's MatchCount.

    `corr` is set under validate_update while the value correlates with the old object; the
    ratcheting validator then wraps each property and item validator (ratcheting.go).
    """
    if data is None:
        count = 1
        if node.types and "null" not in node.types and not node.nullable:
            errs.append(_type_error(path, node.type_text, "null"))
            count = 0
        if node.enum is not None:
            errs.append(_enum_error(node, data, path))
        return count

    t = type(data)
    count = 1
    # typeValidator
    if node.type_applies:
        count += 1
        err = _check_type(node, data, t, path)
        if err is None:
            count += 1
        else:
            errs.append(err)
    # schemaPropsValidator (always applies: its own Inc)
    count += 2
    if node.has_props_validator:
        count += _validate_props(node, data, path, errs)
    if t is str:
        count += 1  # stringValidator
        _check_string(node, data, path, errs)
        if node.format_check is not None:
            count += 1  # formatValidator
            if not node.format_check(data):
                errs.append(
                    (
                        _TYPE,
                        path,
                        f"{path} in {_IN} must be of type {node.format}: {_quote(data)}",
                        data,
                        None,
                    )
                )
    elif t is int or t is float:
        count += 2  # numberValidator: its own Inc, plus the schema's
        _check_number(node, as_go_number(data), path, errs)
    elif t is list:
        count += 2 + _validate_slice(node, data, path, errs, corr)
    # basicCommonValidator
    count += 1
    if node.enum is not None and not _enum_match(node, data):
        errs.append(_enum_error(node, data, path))
    if t is dict:
        count += 1 + _validate_object(node, data, path, errs, corr)
    return count


def _check_type(node: _Node, data: Any, t: type, path: str) -> _Err | None:
    """typeValidator.Validate for a non-null value (type.go)."""
    sch_type = go_type_name(data)
    types = node.types
    if sch_type in types:  # every branch below passes then
        return None
    is_float_int = (
        sch_type == "number" and "integer" in types and is_float64_a_json_integer(float(data))
    )
    is_int_float = sch_type == "integer" and "number" in types
    if node.format and t is not str and t is not list:
        data_format = (
            "int64" if sch_type == "integer" else "float64" if sch_type == "number" else ""
        )
        if not (sch_type in types or data_format == node.format or is_float_int or is_int_float):
            return _type_error(path, node.format, data_format)
    if not node.has_numeric_type and node.format and (t is str or t is list):
        return None
    if not (sch_type in types or is_float_int or is_int_float):
        return _type_error(path, node.type_text, sch_type)
    return None


def _check_string(node: _Node, data: str, path: str, errs: list[_Err]) -> None:
    """stringValidator: the first failing of maxLength, minLength, pattern (runes counted)."""
    if node.max_length is not None and len(data) > node.max_length:
        errs.append(
            (
                _TOO_LONG,
                path,
                f"{path} in {_IN} should be at most {node.max_length} chars long",
                data,
                node.max_length,
            )
        )
    elif node.min_length is not None and len(data) < node.min_length:
        errs.append(
            (
                _OTHER,
                path,
                f"{path} in {_IN} should be at least {node.min_length} chars long",
                data,
                None,
            )
        )
    elif node.pattern is not None and node.pattern.search(data) is None:
        errs.append(
            (_OTHER, path, f"{path} in {_IN} should match '{node.pattern_text}'", data, None)
        )


# -- numbers (validator.go numberValidator, values.go) ---------------------------------------------


def _range_error(
    value: int | float, type_name: str, fmt: str, prefix: str, path: str
) -> str | None:
    """IsValueValidAgainstRange: can `value` be held by the type and format without loss?"""
    if type_name == "integer":
        if type(value) is float:
            if not value.is_integer():
                ok = False
            else:
                value = int(value)
                ok = True
        else:
            ok = True
        if ok:
            lo, hi = (-(1 << 31), (1 << 31) - 1) if fmt == "int32" else (INT64_MIN, INT64_MAX)
            ok = lo <= value <= hi
    elif fmt == "float":
        ok = _fits_float32(float(value))
    else:
        return None
    if ok:
        return None
    if fmt:
        return f"{prefix} value must be of type {type_name} with format {fmt} in {path}"
    return f"{prefix} value must be of type {type_name} (default format) in {path}"


def _fits_float32(f: float) -> bool:
    """strconv.ParseFloat(s, 32) succeeds: the value rounds to a finite float32."""
    try:
        struct.pack("<f", f)
    except OverflowError:
        return False
    return True


def _check_number(node: _Node, val: int | float, path: str, errs: list[_Err]) -> None:
    ntype, nfmt = node.number_type, node.number_format
    if ntype:
        checked = _range_error(val, ntype, nfmt, "Checked", path)
        if checked is not None:
            errs.append((_PLAIN, path, checked, None, None))
    data = float(val)
    is_int = type(val) is int
    if node.multiple_of is not None:
        factor = node.multiple_of
        bad = _range_error(factor, ntype, nfmt, "MultipleOf", path) if ntype else None
        if bad is not None:
            errs.append((_PLAIN, path, bad, None, None))
        if bad is None and is_int:
            ifactor = float_to_int64(factor)
            if ifactor <= 0:
                errs.append(_must_be_positive(path, ifactor))
            elif val % ifactor:  # MultipleOfInt: mult*factor != data
                errs.append(_not_multiple(path, ifactor, val))
        else:
            if factor <= 0:
                errs.append(_must_be_positive(path, factor))
            else:
                mult = 1 / factor * data if factor < 1 else data / factor
                if not is_float64_a_json_integer(mult):
                    errs.append(_not_multiple(path, factor, data))
    if node.minimum is not None:
        _check_bound(node, val, data, node.minimum, node.exclusive_minimum, "Minimum", path, errs)
    if node.maximum is not None:
        _check_bound(node, val, data, node.maximum, node.exclusive_maximum, "Maximum", path, errs)


def _check_bound(
    node: _Node,
    val: int | float,
    data: float,
    bound: float,
    exclusive: bool,
    which: str,
    path: str,
    errs: list[_Err],
) -> None:
    ntype = node.number_type
    bad = (
        _range_error(bound, ntype, node.number_format, f"{which} boundary", path) if ntype else None
    )
    if bad is not None:
        errs.append((_PLAIN, path, bad, None, None))
    shown: int | float
    if bad is None and type(val) is int:
        # MaximumNativeType/MinimumNativeType: integers compare with int64(bound).
        shown = float_to_int64(bound)
        cmp_val: int | float = val
    else:
        shown = bound
        cmp_val = data
    if which == "Maximum":
        failed = cmp_val >= shown if exclusive else cmp_val > shown
        words = "less than" if exclusive else "less than or equal to"
    else:
        failed = cmp_val <= shown if exclusive else cmp_val < shown
        words = "greater than" if exclusive else "greater than or equal to"
    if failed:
        text = f"{path} in {_IN} should be {words} {_go_number_text(shown)}"
        errs.append((_OTHER, path, text, cmp_val, None))


def _must_be_positive(path: str, factor: int | float) -> _Err:
    text = f"factor MultipleOf declared for {path} must be positive: {_go_number_text(factor)}"
    return (_OTHER, path, text, factor, None)


def _not_multiple(path: str, factor: int | float, value: int | float) -> _Err:
    text = f"{path} in {_IN} should be a multiple of {_go_number_text(factor)}"
    return (_OTHER, path, text, value, None)


# -- enum (validator.go basicCommonValidator) -------------------------------------------------------


def _enum_match(node: _Node, data: Any) -> bool:
    """Some enum value equals the data converted to its Go type (reflect ConvertibleTo)."""
    t = type(data)
    if t is str:
        return data in node.enum_strings
    if t is bool:
        return data in node.enum_bools
    if t is int:
        v = as_go_number(data)
        if type(v) is float:
            return _float_enum_match(node, v)
        if v in node.enum_ints or float(v) in node.enum_floats:
            return True
        # int64 -> string is a conversion in Go: the rune's UTF-8 encoding.
        return bool(node.enum_strings) and _go_rune_string(int(v)) in node.enum_strings
    if t is float:
        return _float_enum_match(node, data)
    if t is dict or t is list:
        return any(type(v) is t and go_deep_equal(data, v) for v in node.enum_others)
    return False


def _float_enum_match(node: _Node, data: float) -> bool:
    return data in node.enum_floats or (
        bool(node.enum_ints) and float_to_int64(data) in node.enum_ints
    )


def _go_rune_string(value: int) -> str:
    if 0 <= value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF:
        return chr(value)
    return "\ufffd"


def _enum_error(node: _Node, data: Any, path: str) -> _Err:
    shown = " ".join(_go_print(v) for v in node.enum or ())
    return (_ENUM, path, f"{path} in {_IN} should be one of [{shown}]", data, node.enum_texts)


def _go_print(value: Any) -> str:
    """`%v` of a decoded JSON value (the enum list in kube-openapi's own message)."""
    t = type(value)
    if value is None:
        return "<nil>"
    if t is str:
        return str(value)
    if t is bool or t is int or t is float:
        return fielderrors.go_value(value)
    if t is list:
        return "[" + " ".join(_go_print(v) for v in value) + "]"
    if t is dict:
        inner = " ".join(f"{k}:{_go_print(value[k])}" for k in sorted(value))
        return f"map[{inner}]"
    return str(value)


# -- arrays (slice_validator.go) ---------------------------------------------------------------


def _validate_slice(
    node: _Node, data: list[Any], path: str, errs: list[_Err], corr: _Correlation | None
) -> int:
    count = 0
    items = node.items
    if items is not None:
        for i, item in enumerate(data):
            item_path = f"{path}[{i}]"
            child = corr.index(i) if corr is not None else None
            if child is None:
                count += _validate(items, item, item_path, errs, None)
            else:
                count += _ratchet(items, item, item_path, errs, child)
    size = len(data)
    if node.min_items is not None and size < node.min_items:
        text = f"{path} in {_IN} should have at least {node.min_items} items"
        errs.append((_OTHER, path, text, size, None))
    if node.max_items is not None and size > node.max_items:
        text = f"{path} in {_IN} should have at most {node.max_items} items"
        errs.append((_TOO_MANY, path, text, size, node.max_items))
    if node.unique_items:
        for i in range(1, size):
            if any(go_deep_equal(data[i], data[j]) for j in range(i)):
                errs.append(
                    (_OTHER, path, f"{path} in {_IN} shouldn't contain duplicates", None, None)
                )
                break
    return count


# -- objects (object_validator.go) -------------------------------------------------------------


def _validate_object(
    node: _Node, data: dict[str, Any], path: str, errs: list[_Err], corr: _Correlation | None
) -> int:
    count = 0
    num_keys = len(data)
    if node.min_properties is not None and num_keys < node.min_properties:
        text = f"{path} in {_IN} should have at least {node.min_properties} properties"
        errs.append((_OTHER, path, text, num_keys, None))
    if node.max_properties is not None and num_keys > node.max_properties:
        text = f"{path} in {_IN} should have at most {node.max_properties} properties"
        errs.append((_TOO_MANY, path, text, num_keys, node.max_properties))

    properties = node.properties
    if not node.additional_allows:
        for key in data:
            if key not in properties:
                text = f"{path}.{key} in {_IN} is a forbidden property"
                errs.append((_OTHER, path, text, key, None))
    elif node.additional is not None:
        additional = node.additional
        for key, value in data.items():
            if key not in properties:
                count += _child(additional, key, value, f"{path}.{key}", path, errs, corr)

    if properties:
        prefix = f"{path}." if path else ""
        for key, value in data.items():
            prop = properties.get(key)
            if prop is not None:
                count += _child(prop, key, value, prefix + key, path, errs, corr)

    for name in node.required:
        if name not in data:
            rpath = f"{path}.{name}"
            errs.append((_REQUIRED, rpath, f"{rpath} in {_IN} is required", None, None))
    return count


def _child(
    node: _Node,
    key: str,
    value: Any,
    child_path: str,
    path: str,
    errs: list[_Err],
    corr: _Correlation | None,
) -> int:
    """NewValidatorForField: ratcheting's SubPropertyValidator when the key correlates."""
    if corr is not None and not (path == "" and key in ("kind", "apiVersion")):
        child = corr.key(key)
        if child is not None:
            return _ratchet(node, value, child_path, errs, child)
    return _validate(node, value, child_path, errs, None)


def _ratchet(node: _Node, value: Any, path: str, errs: list[_Err], corr: _Correlation) -> int:
    """ratchetingValueValidator.Validate: errors on a value equal to its old self are dropped."""
    found: list[_Err] = []
    count = _validate(node, value, path, found, corr)
    if found and not corr.deep_equal():
        errs.extend(found)
    return count


# -- allOf, anyOf, oneOf, not (schema_props.go) ----------------------------------------------------


def _validate_props(node: _Node, data: Any, path: str, errs: list[_Err]) -> int:
    """schemaPropsValidator: junctor branches validate without ratcheting (Options() is empty)."""
    count = 0
    if node.any_of:
        best: tuple[int, list[_Err]] | None = None
        success: int | None = None
        for branch in node.any_of:
            found: list[_Err] = []
            n = _validate(branch, data, path, found, None)
            if not found:
                success, best = n, None
                break
            if best is None or n > best[0]:
                best = (n, found)
        if success is None:
            errs.append(
                (
                    _PLAIN,
                    path,
                    f"{_quote(path)} must validate at least one schema (anyOf)",
                    None,
                    None,
                )
            )
        if best is not None:
            errs.extend(best[1])
            count += best[0]
        elif success is not None:
            count += success
    if node.one_of:
        best = None
        first: int | None = None
        validated = 0
        for branch in node.one_of:
            found = []
            n = _validate(branch, data, path, found, None)
            if not found:
                validated += 1
                best = None
                if first is None:
                    first = n
                continue
            if validated == 0 and (best is None or n > best[0]):
                best = (n, found)
        if validated != 1:
            more = "Found none valid" if validated == 0 else f"Found {validated} valid alternatives"
            text = f"{_quote(path)} must validate one and only one schema (oneOf). {more}"
            errs.append((_PLAIN, path, text, None, None))
            if best is not None:
                errs.extend(best[1])
                count += best[0]
        elif first is not None:
            count += first
    if node.all_of:
        validated = 0
        for branch in node.all_of:
            found = []
            count += _validate(branch, data, path, found, None)
            if not found:
                validated += 1
            errs.extend(found)
        if validated != len(node.all_of):
            more = ". None validated" if validated == 0 else ""
            errs.append(
                (
                    _PLAIN,
                    path,
                    f"{_quote(path)} must validate all the schemas (allOf){more}",
                    None,
                    None,
                )
            )
    if node.not_ is not None:
        found = []
        _validate(node.not_, data, path, found, None)
        if not found:
            errs.append(
                (_PLAIN, path, f"{_quote(path)} must not validate the schema (not)", None, None)
            )
    return count


# -- results as field errors (validation.go kubeOpenAPIResultToFieldErrors) -----------------------


def _field_errors(errs: list[_Err], field_path: str | None) -> list[FieldError]:
    out: list[FieldError] = []
    seen: set[str] = set()
    base = "<nil>" if field_path is None else field_path
    for kind, name, message, value, extra in errs:
        if message in seen:  # Result.AddErrors keeps one error per message
            continue
        seen.add(message)
        if kind == _PLAIN:
            out.append(fielderrors.invalid(base, "", message))
            continue
        path = base
        if name and name != ".":
            child = name[1:] if name.startswith(".") else name
            path = child if field_path is None else f"{field_path}.{child}" if child else field_path
        if kind == _TYPE:
            out.append(fielderrors.type_invalid(path, "" if value is None else value, message))
        elif kind == _REQUIRED:
            out.append(fielderrors.required(path))
        elif kind == _ENUM:
            out.append(fielderrors.not_supported(path, value, extra))
        elif kind == _TOO_LONG:
            out.append(fielderrors.too_long(path, extra))
        elif kind == _TOO_MANY:
            out.append(fielderrors.too_many(path, value, extra))
        else:
            out.append(fielderrors.invalid(path, "" if value is None else value, message))
    return out


class Validator:
    """A version's openAPIV3Schema compiled once; validates every object written to it."""

    __slots__ = ("_root",)

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self._root = _Node(schema)

    def validate(self, obj: Any, field_path: str | None = None) -> list[FieldError]:
        """ValidateCustomResource(fldPath, obj, validator)."""
        errs: list[_Err] = []
        _validate(self._root, obj, "", errs, None)
        return _field_errors(errs, field_path) if errs else []

    def validate_update(
        self, new: Any, old: Any, field_path: str | None = None
    ) -> list[FieldError]:
        """ValidateCustomResourceUpdate with ratcheting (CRDValidationRatcheting, GA).

        An error found within a property or list-map item whose value deep-equals the old one
        (correlated by key, through the schema) is dropped, and so is every error when the
        whole value is unchanged.
        """
        errs: list[_Err] = []
        _ratchet(self._root, new, "", errs, _Correlation(new, old, self._root))
        return _field_errors(errs, field_path) if errs else []
