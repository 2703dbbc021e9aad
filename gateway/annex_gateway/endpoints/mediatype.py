"""A request's Content-Type read as Go's mime.ParseMediaType reads it: kube-apiserver answers
415 when it fails (`;;;`, `application/json; =x`, an unterminated quote, two types), and
ignores the parameters when it does not (`application/json;` is JSON)."""

from __future__ import annotations

_TSPECIALS = frozenset('()<>@,;:\\"/[]?=')


def _is_token_char(ch: str) -> bool:
    return " " < ch < "\x7f" and ch not in _TSPECIALS


def _token(text: str) -> tuple[str, str]:
    """consumeToken: the leading token characters, and the rest."""
    end = 0
    while end < len(text) and _is_token_char(text[end]):
        end += 1
    return text[:end], text[end:]


def _value(text: str) -> tuple[str, str]:
    """consumeValue: a token or a quoted string; ("", text) when there is none."""
    if not text.startswith('"'):
        return _token(text)
    out: list[str] = []
    i = 1
    while i < len(text):
        ch = text[i]
        if ch == '"':
            return "".join(out), text[i + 1 :]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in _TSPECIALS:
            out.append(text[i + 1])
            i += 2
            continue
        if ch in "\r\n":
            return "", text
        out.append(ch)
        i += 1
    return "", text  # no closing quote


def _param(text: str) -> tuple[str, str, str]:
    """consumeMediaParam: `; key=value`, and the rest; ("", "", text) when there is none."""
    rest = text.lstrip()
    if not rest.startswith(";"):
        return "", "", text
    key, rest = _token(rest[1:].lstrip())
    if not key:
        return "", "", text
    rest = rest.lstrip()
    if not rest.startswith("="):
        return "", "", text
    rest = rest[1:].lstrip()
    value, after = _value(rest)
    if not value and after == rest:
        return "", "", text
    return key.lower(), value, after


def parse_media_type(text: str) -> str | None:
    """The media type, lowercased, or None where mime.ParseMediaType fails."""
    base = text.split(";", 1)[0]
    media = base.lower().strip()
    first, rest = _token(media)
    if not first:
        return None
    if rest:
        if not rest.startswith("/"):
            return None
        second, rest = _token(rest[1:])
        if not second or rest:
            return None
    params: dict[str, str] = {}
    remaining = text[len(base) :]
    while remaining:
        remaining = remaining.lstrip()
        if not remaining:
            break
        key, value, after = _param(remaining)
        if not key:
            if after.strip() == ";":
                break  # a trailing semicolon is no error
            return None
        if params.get(key, value) != value:
            return None  # the same parameter twice, with two values
        params[key] = value
        remaining = after
    return media
