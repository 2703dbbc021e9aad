"""What the verb handlers share: the capability check, the name check, DeleteOptions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from annex_core.gotext import go_quote
from annex_core.schema.names import path_segment_errors
from annex_gateway import apierrors
from annex_gateway.endpoints import jsonbody, negotiation, options
from annex_gateway.endpoints.scope import VerbRequest
from annex_gateway.registry.options import DeleteOptions

T = TypeVar("T")
JSON = dict[str, Any]


def capable(req: VerbRequest, capability: type[T], verb: str) -> T:
    """The addressed REST object if it can serve `verb`; 405 (404 for an unknown subresource).
    Every handler asks first, so a name in the URL no key could hold is refused first too."""
    if not req.name and verb in ("update", "patch"):
        raise apierrors.bad_request("name must be provided")  # handlers/namer.go errEmptyName
    check_url_name(req.name)
    target = req.target
    if target is None:  # a subresource it does not have: the object is "not found"
        raise apierrors.not_found(req.served.group, req.served.plural, req.name)
    if not has_capability(target, capability):
        raise apierrors.method_not_supported(req.served.group, req.served.plural, verb)
    return cast(T, target)


def check_url_name(name: str) -> None:
    """400 for a name no storage key can hold, as the store's key function answers it."""
    invalid = path_segment_errors(name)
    if invalid:
        raise apierrors.bad_request(
            f"Name parameter invalid: {go_quote(name)}: {';'.join(invalid)}"
        )


_CAPABLE: dict[tuple[type, type], bool] = {}


def has_capability(target: object, capability: type) -> bool:
    """isinstance on a runtime protocol inspects every member, each time: once per class."""
    kind = type(target)
    found = _CAPABLE.get((kind, capability))
    if found is None:
        found = _CAPABLE[(kind, capability)] = issubclass(kind, capability)
    return found


def check_name(req: VerbRequest, obj: JSON) -> None:
    """The object's name must be the URL's (handlers/rest.go checkName): 400 otherwise."""
    name = (obj.get("metadata") or {}).get("name") or ""
    if name != req.name:
        raise apierrors.wrong_name(name, req.name)


async def delete_options(req: VerbRequest) -> DeleteOptions:
    body = None
    if req.body.strip():
        try:
            body = await negotiation.decode_body(req.body, req.content_type, req.limits)
        except jsonbody.Unreadable as e:
            raise apierrors.bad_request(e.decoder_error) from None  # the decoder's own words
    return options.delete_options(body, req.query)


@contextmanager
def warned(warnings: Sequence[str]) -> Iterator[None]:
    """A failure in this block carries the warnings the request got so far (decoding's:
    unknown and duplicate fields), as kube-apiserver sends them with its error too.
    `warnings` is read when the failure happens: a patch finds its own as it applies."""
    try:
        yield
    except apierrors.StatusError as e:
        e.warnings = (*warnings, *e.warnings)
        raise
