"""Go's url.ParseRequestURI as a check (net/url, Go 1.2x): what kube's `uri` format and its
CEL url() and isURL() accept, and the error it gives (`parse "<url>": <why>`) for what they refuse; and
url.ParseQuery's values. The other parts of an accepted URL are read elsewhere (Python's
urlsplit agrees with Go's url.Parse there)."""

from __future__ import annotations

from urllib.parse import unquote_plus

from annex_core.gotext import go_quote

__all__ = ["parse_query", "parse_request_uri"]

_HEX = frozenset("0123456789abcdefABCDEF")
_HOST_ALLOWED = frozenset("!$&'()*+,;=:[]<>\"-_.~")
_USERINFO_ALLOWED = frozenset("-._:~!$&'()*+,;=%@")


def parse_request_uri(raw: str) -> None:
    """Raises ValueError with Go's text when url.ParseRequestURI(raw) fails."""
    try:
        _parse(raw)
    except ValueError as exc:
        raise ValueError(f"parse {go_quote(raw)}: {exc}") from None


def parse_query(raw: str) -> dict[str, list[str]]:
    """url.ParseQuery's values: pairs holding a ';' or a bad escape are left out, as Go
    leaves them (it reports the first error, which URL.Query() drops)."""
    values: dict[str, list[str]] = {}
    for pair in raw.split("&"):
        if not pair or ";" in pair:
            continue
        try:
            _unescape(pair, host=False)
        except ValueError:
            continue
        key, _, value = pair.partition("=")
        values.setdefault(unquote_plus(key), []).append(unquote_plus(value))
    return values


def _parse(raw: str) -> None:
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in raw):
        raise ValueError("net/url: invalid control character in URL")
    if raw == "":
        raise ValueError("empty url")
    if raw == "*":
        return
    scheme, rest = _scheme(raw)
    rest = rest.partition("?")[0]  # the query is not checked
    if not rest.startswith("/"):
        if scheme:
            return  # opaque
        raise ValueError("invalid URI for request")
    if scheme and rest.startswith("//"):
        authority, slash, path = rest[2:].partition("/")
        _authority(authority)
        rest = slash + path
    _unescape(rest, host=False)


def _scheme(raw: str) -> tuple[str, str]:
    """getScheme."""
    for i, c in enumerate(raw):
        if c.isascii() and c.isalpha():
            continue
        if c.isascii() and (c.isdigit() or c in "+-."):
            if i == 0:
                return "", raw
            continue
        if c == ":":
            if i == 0:
                raise ValueError("missing protocol scheme")
            return raw[:i], raw[i + 1 :]
        return "", raw
    return "", raw


def _authority(authority: str) -> None:
    """parseAuthority: the host (after the last '@'), then the userinfo."""
    at = authority.rfind("@")
    _host(authority[at + 1 :] if at >= 0 else authority)
    if at < 0:
        return
    userinfo = authority[:at]
    if not all((c.isascii() and c.isalnum()) or c in _USERINFO_ALLOWED for c in userinfo):
        raise ValueError("net/url: invalid userinfo")
    user, colon, password = userinfo.partition(":")
    _unescape(user, host=False)
    if colon:
        _unescape(password, host=False)


def _host(host: str) -> None:
    """parseHost."""
    if host.startswith("["):
        end = host.rfind("]")
        if end < 0:
            raise ValueError("missing ']' in host")
        port = host[end + 1 :]
        if not _valid_port(port):
            raise ValueError(f"invalid port {go_quote(port)} after host")
        zone = host.find("%25", 0, end)
        if zone >= 0:
            _unescape(host[:zone], host=True)
            return
    elif ":" in host:
        port = host[host.rfind(":") :]
        if not _valid_port(port):
            raise ValueError(f"invalid port {go_quote(port)} after host")
    _unescape(host, host=True)


def _valid_port(port: str) -> bool:
    return port == "" or (port[0] == ":" and all("0" <= c <= "9" for c in port[1:]))


def _unescape(s: str, *, host: bool) -> None:
    """unescape's checks: well-formed escapes, and in a host only %-escaped non-ASCII bytes
    (or %25) and the characters a host may hold."""
    i = 0
    while i < len(s):
        c = s[i]
        if c == "%":
            if i + 2 >= len(s) or s[i + 1] not in _HEX or s[i + 2] not in _HEX:
                raise ValueError(f"invalid URL escape {go_quote(s[i : i + 3])}")
            if host and int(s[i + 1], 16) < 8 and s[i : i + 3] != "%25":
                raise ValueError(f"invalid URL escape {go_quote(s[i : i + 3])}")
            i += 3
            continue
        if host and c.isascii() and not c.isalnum() and c not in _HOST_ALLOWED:
            raise ValueError(f"invalid character {go_quote(c)} in host name")
        i += 1
