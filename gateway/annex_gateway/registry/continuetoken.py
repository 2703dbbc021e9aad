"""List continue tokens as kube-apiserver writes and reads them (storage.EncodeContinue and
DecodeContinue): base64url without padding of `{"v":"meta.k8s.io/v1","rv":N,"start":K}`,
where K is the key to resume at, relative to the list's key prefix — `name\\0` within one
namespace or for a cluster-scoped resource, `namespace/name\\0` across namespaces (the last
key returned and a NUL: the first key after it). A token that does not read is refused in
the words DecodeContinue uses, and `rv` -1 (what an expired token's 410 offers) continues
at the current state.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from annex_core.gotext import NumberError, parse_int64
from annex_gateway import apierrors
from annex_gateway.patch.gojson import go_syntax_error, kind

VERSION = "meta.k8s.io/v1"
NOT_VALID = "continue key is not valid"
Key = tuple[str, str]  # (namespace, name)


@dataclass(frozen=True)
class KeySpace:
    """The keys a list walks: in one namespace, or across them (None), of a resource that is
    namespaced or not. Its tokens' start keys are relative to its prefix."""

    namespace: str | None
    namespaced: bool

    def relative(self, key: Key) -> str:
        across = self.namespaced and self.namespace is None
        return f"{key[0]}/{key[1]}" if across else key[1]

    def key(self, relative: str) -> Key:
        if not self.namespaced:
            return ("", relative)
        if self.namespace is not None:
            return (self.namespace, relative)
        namespace, _, name = relative.partition("/")
        return (namespace, name)


def encode(revision: int, last: Key, space: KeySpace) -> str:
    """The token of a page whose last key is `last` (revision -1: continue at the latest)."""
    token = {"v": VERSION, "rv": revision, "start": space.relative(last) + "\0"}
    text = json.dumps(token, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


def decode(token: str, space: KeySpace) -> tuple[int | None, Key]:
    """(the snapshot revision, None for the current state; the key to start after), or the
    400 kube-apiserver answers. The start key's NUL makes "after" exact; a start key without
    one (no server writes those) is taken as the key to start after too."""
    try:
        revision, start = _read(token)
    except ValueError as e:
        raise apierrors.bad_request(f"invalid continue token: {e}") from None
    if start.endswith("\0"):
        start = start[:-1]
    return (revision if revision > 0 else None), space.key(start)


def _read(token: str) -> tuple[int, str]:
    """DecodeContinue's checks, in its order; ValueError with its words."""
    data = _raw_url_base64(token.encode())
    message = go_syntax_error(data)
    if message is not None:
        raise ValueError(f"{NOT_VALID}: {message}")
    value = json.loads(data.decode(errors="replace"), parse_int=_Number, parse_float=_Number)
    fields = _continue_token(value)
    version, revision, start = fields["v"], fields["rv"], fields["start"]
    if version != VERSION:
        raise ValueError(f"{NOT_VALID}: server does not recognize this encoded version {version}")
    if revision == 0:
        raise ValueError(
            f"{NOT_VALID}: incorrect encoded start resourceVersion (version {VERSION})"
        )
    if not start:
        raise ValueError(f"{NOT_VALID}: encoded start key empty (version {VERSION})")
    # No climbing out of the list's prefix: the start key must be a clean path already.
    key = start if start.startswith("/") else "/" + start
    if _clean(key) != key:
        raise ValueError(f"{NOT_VALID}: {start}")
    return revision, key[1:]


class _Number(str):
    """A number literal as the JSON text spells it (Go quotes it in its errors)."""


_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_VALUES = {c: i for i, c in enumerate(_ALPHABET)}


def _raw_url_base64(src: bytes) -> bytes:
    """base64.RawURLEncoding.DecodeString: no padding, newlines skipped, Go's error."""
    out = bytearray()
    si = 0
    while True:
        quantum = [0, 0, 0, 0]
        j = 0
        while j < 4:
            if si == len(src):
                if j == 0:
                    return bytes(out)
                if j == 1:
                    raise ValueError(f"{NOT_VALID}: illegal base64 data at input byte {si - j}")
                break
            byte = src[si]
            si += 1
            value = _VALUES.get(byte)
            if value is not None:
                quantum[j] = value
                j += 1
            elif byte not in (10, 13):
                raise ValueError(f"{NOT_VALID}: illegal base64 data at input byte {si - 1}")
        bits = quantum[0] << 18 | quantum[1] << 12 | quantum[2] << 6 | quantum[3]
        out += bits.to_bytes(3, "big")[: j - 1 if j < 4 else 3]
        if j < 4:
            return bytes(out)


_FIELDS = {"v": "string", "rv": "int64", "start": "string"}


def _continue_token(value: Any) -> dict[str, Any]:
    """json.Unmarshal into storage's continueToken: keys matched without regard to case,
    the first type error reported once all is read."""
    fields: dict[str, Any] = {"v": "", "rv": 0, "start": ""}
    if value is None:
        return fields
    if not isinstance(value, dict):
        raise ValueError(
            f"{NOT_VALID}: json: cannot unmarshal {_kind(value)} into Go value of type "
            "storage.continueToken"
        )
    error = ""
    for key, item in value.items():
        name = key.casefold()  # the field tags are lower case: an exact match folds to itself
        if name not in _FIELDS or item is None:
            continue
        problem = _mismatch(item, _FIELDS[name])
        if problem is None:
            fields[name] = int(item) if name == "rv" else item
        elif not error:
            error = (
                f"json: cannot unmarshal {problem} into Go struct field continueToken.{name} "
                f"of type {_FIELDS[name]}"
            )
    if error:
        raise ValueError(f"{NOT_VALID}: {error}")
    return fields


def _mismatch(item: Any, wanted: str) -> str | None:
    """What encoding/json calls `item` when a field of type `wanted` cannot hold it."""
    found = _kind(item)
    if wanted == "string":
        return None if found == "string" else found
    if found != "number":
        return found
    try:
        parse_int64(item)  # as encoding/json reads an int64: strconv.ParseInt of the literal
    except NumberError:
        return f"number {item}"  # a fraction, an exponent, or beyond int64: its literal
    return None


def _kind(item: Any) -> str:
    return "number" if isinstance(item, _Number) else kind(item)


def _clean(path: str) -> str:
    """Go's path.Clean of a rooted path."""
    parts: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if parts:
                parts.pop()
            continue
        parts.append(segment)
    return "/" + "/".join(parts)
