"""The document's containers addressed by JSON pointer, as evanphx/json-patch v4.13.0 does.

findObject, and get, set, add and remove on a partialDoc (an object) or a partialArray (an
array) by a decoded pointer token, with evanphx's error strings (strconv.Atoi's included).
"""

from __future__ import annotations

import re
from typing import Any, Final

from annex_core.gotext import go_quote


class ApplyError(Exception):
    """An apply error on its way out (message = Go's err.Error())."""


_KEY_ESCAPE: Final = re.compile(r"~[01]")
_ATOI: Final = re.compile(r"[+-]?[0-9]+")
MISSING: Final = "missing value"
_INVALID_INDEX: Final = "invalid index referenced"


def decode_key(k: str) -> str:
    """A reference token unescaped: ~1 is /, ~0 is ~."""
    return _KEY_ESCAPE.sub(lambda m: "/" if m.group() == "~1" else "~", k) if "~" in k else k


def _atoi(key: str) -> int:
    """strconv.Atoi."""
    if not _ATOI.fullmatch(key):
        raise ApplyError(f"strconv.Atoi: parsing {go_quote(key)}: invalid syntax")
    n = int(key)
    if not -(2**63) <= n < 2**63:
        raise ApplyError(f"strconv.Atoi: parsing {go_quote(key)}: value out of range")
    return n


def _invalid_index(idx: int) -> ApplyError:
    return ApplyError(f"Unable to access invalid index: {idx}: {_INVALID_INDEX}")


def get_key(con: dict[str, Any] | list[Any], key: str) -> Any:
    if isinstance(con, dict):
        return con.get(key)
    idx = _atoi(key)
    if idx < 0:
        if idx < -len(con):
            raise _invalid_index(idx)
        idx += len(con)
    if idx >= len(con):
        raise _invalid_index(idx)
    return con[idx]


def set_key(con: dict[str, Any] | list[Any], key: str, val: Any) -> None:
    if isinstance(con, dict):
        con[key] = val
        return
    idx = _atoi(key)
    if idx < 0:
        if idx < -len(con):
            raise _invalid_index(idx)
        idx += len(con)
    con[idx] = val  # replace has checked the index with get


def add_key(con: dict[str, Any] | list[Any], key: str, val: Any) -> None:
    if isinstance(con, dict):
        con[key] = val
        return
    if key == "-":
        con.append(val)
        return
    try:
        idx = _atoi(key)
    except ApplyError as e:
        raise ApplyError(f"value was not a proper array index: '{key}': {e}") from None
    size = len(con) + 1
    if idx >= size:
        raise _invalid_index(idx)
    if idx < 0:
        if idx < -size:
            raise _invalid_index(idx)
        idx += size
    con.insert(idx, val)


def remove_key(con: dict[str, Any] | list[Any], key: str) -> None:
    if isinstance(con, dict):
        if key not in con:
            raise ApplyError(f"Unable to remove nonexistent key: {key}: {MISSING}")
        del con[key]
        return
    idx = _atoi(key)
    if idx >= len(con):
        raise _invalid_index(idx)
    if idx < 0:
        if idx < -len(con):
            raise _invalid_index(idx)
        idx += len(con)
    del con[idx]


def find_object(root: Any, path: str) -> tuple[dict[str, Any] | list[Any] | None, str]:
    """findObject: the container of the path's last token, and that token decoded."""
    split = path.split("/")
    if len(split) < 2:
        return None, ""
    doc = root
    for part in split[1:-1]:
        try:
            nxt = get_key(doc, decode_key(part))
        except ApplyError:
            return None, ""
        if not isinstance(nxt, dict | list):  # nil, a value-less node, or a scalar
            return None, ""
        doc = nxt
    return doc, decode_key(split[-1])
