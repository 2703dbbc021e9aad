"""A resource's versions as its field managers see them: the schema of each and how an object
moves between them (k8s.io/apimachinery managedfields' versionConverter over the CRD's
converter and type models). A manager that recorded its fields at another version has them
compared, fitted and pruned there."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import orjson

from annex_gateway.jsoncopy import copy_json
from annex_gateway.patch.errors import unconvertible
from annex_gateway.patch.schema import Atom, from_openapi
from annex_gateway.patch.typed import ValidationErrors, validate

# (object, apiVersion) -> the object at that apiVersion; may change its argument
Convert = Callable[[dict[str, Any], str], Awaitable[dict[str, Any]]]


class ResourceVersions:
    """Every apiVersion ("group/version") of a resource with its openAPIV3Schema (None:
    untyped). `convert` None: the versions differ in their schemas only (conversion strategy
    None rewrites apiVersion)."""

    def __init__(self, schemas: Mapping[str, Mapping[str, Any] | None], convert: Convert | None):
        self._schemas = dict(schemas)
        self._convert = convert
        self._roots: dict[str, Atom] = {}  # built when a manager at that version shows up
        self._by_schema: dict[bytes, Atom] = {}  # versions with equal schemas share a root

    def known(self, api_version: str) -> bool:
        return api_version in self._schemas

    def root(self, api_version: str) -> Atom:
        root = self._roots.get(api_version)
        if root is None:
            schema = self._schemas[api_version]
            key = orjson.dumps(schema, option=orjson.OPT_SORT_KEYS)
            root = self._by_schema.get(key)
            if root is None:
                root = self._by_schema[key] = from_openapi(schema)
            self._roots[api_version] = root
        return root

    def moves_fields(self) -> bool:
        return self._convert is not None

    async def convert(self, obj: Any, api_version: str) -> Any:
        """versionConverter.Convert: converted, then made typed at the target version
        (ObjectToTyped, duplicates refused)."""
        if not isinstance(obj, dict):
            raise unconvertible(f"cannot convert {type(obj).__name__} to {api_version}")
        if self._convert is None:
            out = {**obj, "apiVersion": api_version}
        else:
            out = await self._convert(copy_json(obj), api_version)
        try:
            validate(out, self.root(api_version), allow_duplicates=False)
        except ValidationErrors as e:
            raise unconvertible(f"failed to convert object to {api_version}: {e.message}") from None
        return out
