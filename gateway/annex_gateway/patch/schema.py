"""A CRD version's OpenAPI v3 schema as structured-merge-diff types.

What apiextensions-apiserver builds for its field manager (pkg/controller/openapi/builder:
the structural schema plus apiVersion, kind and an ObjectMeta `metadata`, also inside
x-kubernetes-embedded-resource objects) converted the way k8s.io/kube-openapi
pkg/schemaconv/openapi.go and smd.go do: lists are atomic unless x-kubernetes-list-type says
set or map; maps are granular unless x-kubernetes-map-type is atomic; objects without
properties, and anything under x-kubernetes-preserve-unknown-fields, are "deduced".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ATOMIC = "atomic"
ASSOCIATIVE = "associative"
SEPARABLE = "separable"

NUMERIC, STRING, BOOLEAN, UNTYPED = "numeric", "string", "boolean", "untyped"


@dataclass(eq=False)
class ListType:
    relationship: str = ATOMIC
    keys: tuple[str, ...] = ()
    element: Atom | None = None


@dataclass(eq=False)
class MapType:
    fields: dict[str, Atom] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    relationship: str = ""  # "" behaves as separable
    # None is Go's empty TypeRef: fields not in `fields` are not declared in the schema.
    element: Atom | None = None

    def field_type(self, name: str) -> Atom | None:
        return self.fields.get(name, self.element)


@dataclass(eq=False)
class Atom:
    """schema.Atom: any of the three may be set; "untyped" atoms set all three."""

    scalar: str | None = None
    list: ListType | None = None
    map: MapType | None = None
    name: str = ""  # named types, for error messages


def _untyped_atomic() -> Atom:
    a = Atom(scalar=UNTYPED, name="__untyped_atomic_")
    a.list = ListType(ATOMIC, (), a)
    a.map = MapType(relationship=ATOMIC, element=a)
    return a


UNTYPED_ATOMIC = _untyped_atomic()


def _deduced() -> Atom:
    a = Atom(scalar=UNTYPED, list=ListType(ATOMIC, (), UNTYPED_ATOMIC), name="__untyped_deduced_")
    a.map = MapType(relationship=SEPARABLE, element=a)
    return a


DEDUCED = _deduced()
INVALID = Atom(name="inlined")  # Go's empty TypeRef resolved: no scalar, list or map


def _string() -> Atom:
    return Atom(scalar=STRING)


def _object_meta() -> Atom:
    """io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta as served in the static OpenAPI."""
    untyped = Atom(scalar=UNTYPED)  # date-time strings are "untyped" scalars
    owner_ref = Atom(
        map=MapType(
            fields={
                "apiVersion": _string(),
                "kind": _string(),
                "name": _string(),
                "uid": _string(),
                "controller": Atom(scalar=BOOLEAN),
                "blockOwnerDeletion": Atom(scalar=BOOLEAN),
            },
            relationship=ATOMIC,  # +structType=atomic
        )
    )
    entry = Atom(
        map=MapType(
            fields={
                "manager": _string(),
                "operation": _string(),
                "apiVersion": _string(),
                "time": untyped,
                "fieldsType": _string(),
                "fieldsV1": Atom(map=MapType(element=DEDUCED)),
                "subresource": _string(),
            }
        )
    )
    string_map = Atom(map=MapType(element=_string()))
    return Atom(
        name="io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        map=MapType(
            fields={
                "name": _string(),
                "generateName": _string(),
                "namespace": _string(),
                "selfLink": _string(),
                "uid": _string(),
                "resourceVersion": _string(),
                "generation": Atom(scalar=NUMERIC),
                "creationTimestamp": untyped,
                "deletionTimestamp": untyped,
                "deletionGracePeriodSeconds": Atom(scalar=NUMERIC),
                "labels": string_map,
                "annotations": string_map,
                "ownerReferences": Atom(list=ListType(ASSOCIATIVE, ("uid",), owner_ref)),
                "finalizers": Atom(list=ListType(ASSOCIATIVE, (), _string())),
                "managedFields": Atom(list=ListType(ATOMIC, (), entry)),
            }
        ),
    )


OBJECT_META = _object_meta()


class SchemaError(ValueError):
    """The schema could not be converted (schemaconv's reportError)."""


def _type(s: Mapping[str, Any]) -> str:
    t = s.get("type", "")
    if isinstance(t, list):
        return str(t[0]) if t else ""
    return str(t or "")


class _Converter:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def convert(self, s: Mapping[str, Any], preserve: bool) -> Atom:
        """visitSpec + parseSchema; preserve-unknown-fields is inherited downwards."""
        if s.get("x-kubernetes-preserve-unknown-fields") is True:
            preserve = True
        typ = _type(s)
        if typ == "":
            return Atom(scalar=UNTYPED, list=self._list(s, preserve), map=self._object(s, preserve))
        if typ == "object":
            return Atom(map=self._object(s, preserve))
        if typ == "array":
            return Atom(list=self._list(s, preserve))
        if typ in ("integer", "number"):
            return Atom(scalar=NUMERIC)
        if typ == "boolean":
            return Atom(scalar=BOOLEAN)
        if typ == "string":
            fmt = s.get("format", "")
            return Atom(scalar=STRING if fmt in ("", "byte") else UNTYPED)
        self.errors.append(f"unrecognized type: '{typ}'")
        return Atom(scalar=UNTYPED)

    def _object(self, s: Mapping[str, Any], preserve: bool) -> MapType:
        props: Mapping[str, Any] = s.get("properties") or {}
        fields = {name: self.convert(sub, preserve) for name, sub in props.items()}
        defaults = {n: sub["default"] for n, sub in props.items() if "default" in sub}
        if s.get("x-kubernetes-embedded-resource") is True:
            fields.setdefault("apiVersion", _string())
            fields.setdefault("kind", _string())
            fields["metadata"] = OBJECT_META
        ap = s.get("additionalProperties")
        element: Atom | None
        if ap is None:
            element = DEDUCED if preserve or not props else None
        elif isinstance(ap, Mapping):
            element = self.convert(ap, preserve)
        else:
            element = DEDUCED if ap else None
        rel = s.get("x-kubernetes-map-type")
        relationship = {None: "", "atomic": ATOMIC, "granular": SEPARABLE}.get(rel)
        if relationship is None:
            self.errors.append(f"unknown map type {rel}")
            relationship = ""
        return MapType(fields, defaults, relationship, element)

    def _list(self, s: Mapping[str, Any], preserve: bool) -> ListType:
        rel, keys = ATOMIC, tuple[str, ...]()
        list_type = s.get("x-kubernetes-list-type")
        if list_type == "set":
            rel = ASSOCIATIVE
        elif list_type == "map":
            rel = ASSOCIATIVE
            raw = s.get("x-kubernetes-list-map-keys")
            if raw is None:
                self.errors.append("missing map keys")
            else:
                keys = tuple(k for k in raw if isinstance(k, str))
        elif list_type not in (None, "atomic"):
            self.errors.append(f"unknown list type {list_type}")
        items = s.get("items")
        if isinstance(items, Mapping):
            element = self.convert(items, preserve)
        else:
            if items is not None:
                self.errors.append("structural schema arrays must have exactly one member subtype")
                element = DEDUCED
            else:
                if _type(s):
                    self.errors.append("`items` must be specified on arrays")
                element = UNTYPED_ATOMIC
        return ListType(rel, keys, element)


def from_openapi(schema: Mapping[str, Any] | None) -> Atom:
    """The root type of a custom resource for `schema` (a version's openAPIV3Schema).

    Without a schema every object is "deduced": maps granular, lists atomic."""
    if schema is None:
        return DEDUCED
    c = _Converter()
    root = c.convert(schema, preserve=False)
    top = root.map
    if top is None:
        top = MapType(element=DEDUCED)
        root = Atom(map=top)
    # buildKubeNative: metadata is always ObjectMeta; apiVersion and kind are strings.
    top.fields["metadata"] = OBJECT_META
    top.fields["apiVersion"] = _string()
    top.fields["kind"] = _string()
    if c.errors:
        raise SchemaError("\n".join(c.errors))
    return root
