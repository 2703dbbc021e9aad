"""The Kubernetes CEL libraries a CRD rule may call (apiserver `pkg/cel/library`), in Python.

Kubernetes value types (Quantity, IP, CIDR, URL, Semver, Format) are protobuf messages of a
private descriptor pool: cel-expr-python passes messages through typed overloads, not opaque
Python objects. Each message holds one canonical string, so CEL equality is value equality.

Functions that kube declares as returning an optional (`<Format>.validate`, `format.named`)
return a list / a Format here, with `hasValue`, `value` and `orValue` overloads on those
types: the binding cannot hand an optional back from Python.
"""

from __future__ import annotations

import base64
import datetime
import functools
import ipaddress
import re
import urllib.parse
import uuid as uuidlib
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from cel_expr_python import cel
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from annex_core.gotext import go_quote
from annex_core.schema.gourl import parse_query, parse_request_uri
from annex_core.schema.names import dns1035_label_errors

T = cel.Type

POOL = descriptor_pool.DescriptorPool()
_FILE = descriptor_pb2.FileDescriptorProto(
    name="annex_kubernetes_cel.proto", package="kubernetes", syntax="proto3"
)
_NAMES = ("Quantity", "IP", "CIDR", "URL", "Semver", "NamedFormat")
for _name in _NAMES:
    _msg = _FILE.message_type.add(name=_name)
    _msg.field.add(
        name="value", number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING, label=1
    )
POOL.Add(_FILE)
_CLASSES = {
    n: message_factory.GetMessageClass(POOL.FindMessageTypeByName(f"kubernetes.{n}"))
    for n in _NAMES
}
QUANTITY, IP, CIDR, URL, SEMVER, FORMAT = (T(f"kubernetes.{n}") for n in _NAMES)


class CelError(Exception):
    """An evaluation error whose text is what cel-go would say."""


def _make(kind: str, value: str) -> Any:
    return _CLASSES[kind](value=value)


# --- quantity (resource.Quantity) ---------------------------------------------------------

_QTY = re.compile(
    r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))([eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE]?)$"
)
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}


def parse_quantity(text: str) -> Fraction:
    m = _QTY.match(text)
    if m is None:
        raise CelError(
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        )
    number = Fraction(Decimal(m.group(1)))
    suffix = m.group(2)
    if suffix in _BINARY:
        return number * Fraction(2 ** _BINARY[suffix])
    if suffix in _DECIMAL:
        return number * Fraction(10) ** _DECIMAL[suffix]
    return number * Fraction(10) ** int(suffix[1:])


def _q(msg: Any) -> Fraction:
    num, _, den = msg.value.partition("/")
    return Fraction(int(num), int(den))


def _qmake(value: Fraction) -> Any:
    # resource.Quantity rounds up to nano units (its smallest scale).
    nanos = value * 10**9
    if nanos.denominator != 1:
        value = Fraction(-((-nanos.numerator) // nanos.denominator), 10**9)
    return _make("Quantity", f"{value.numerator}/{value.denominator}")


def _quantity(text: str) -> Any:
    return _qmake(parse_quantity(text))


def _is_quantity(text: str) -> bool:
    try:
        parse_quantity(text)
    except CelError:
        return False
    return True


def _cmp(a: Any, b: Any) -> int:
    return int(a > b) - int(a < b)


def _as_integer(q: Any) -> int:
    v = _q(q)
    if v.denominator != 1 or not -(2**63) <= v.numerator < 2**63:
        raise CelError("cannot convert value to integer")
    return v.numerator


def _is_integer(q: Any) -> bool:
    v = _q(q)
    return v.denominator == 1 and -(2**63) <= v.numerator < 2**63


# --- ip / cidr ----------------------------------------------------------------------------


def _parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """kube's parseIPAddr over Go's netip.ParseAddr, with their errors."""
    try:
        addr = _parse_addr(text)
    except ValueError as exc:
        raise CelError(
            f"IP Address {go_quote(text)} parse error during conversion from string: {exc}"
        ) from None
    if isinstance(addr, ipaddress.IPv6Address) and addr.scope_id is not None:
        raise CelError(f"IP address {go_quote(text)} with zone value is not allowed")
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        raise CelError(f"IPv4-mapped IPv6 address {go_quote(text)} is not allowed")
    return addr


def _parse_addr(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """netip.ParseAddr: the first '.', ':' or '%' says what the text tries to be; Go's
    parsers and words (parseIPv4, parseIPv6)."""

    def failed(why: str, at: str = "") -> ValueError:
        where = f" (at {go_quote(at)})" if at else ""
        return ValueError(f"ParseAddr({go_quote(text)}): {why}{where}")

    for c in text:
        if c == ".":
            return ipaddress.IPv4Address(bytes(_ipv4_fields(text, failed)))
        if c == ":":
            return _parse_ipv6(text, failed)
        if c == "%":
            raise failed("missing IPv6 address")
    raise failed("unable to parse IP")


def _ipv4_fields(part: str, failed: Callable[..., ValueError]) -> list[int]:
    """parseIPv4Fields: the four octets of `part`."""
    octets: list[int] = []
    value = digits = 0
    for i, c in enumerate(part):
        if "0" <= c <= "9":
            if digits == 1 and value == 0:
                raise failed("IPv4 field has octet with leading zero")
            value, digits = value * 10 + int(c), digits + 1
            if value > 255:
                raise failed("IPv4 field has value >255")
        elif c == ".":
            if i == 0 or i == len(part) - 1 or part[i - 1] == ".":
                raise failed("IPv4 field must have at least one digit", part[i:])
            if len(octets) == 3:
                raise failed("IPv4 address too long")
            octets.append(value)
            value = digits = 0
        else:
            raise failed("unexpected character", part[i:])
    if len(octets) < 3:
        raise failed("IPv4 address too short")
    return [*octets, value]


def _parse_ipv6(text: str, failed: Callable[..., ValueError]) -> ipaddress.IPv6Address:
    """parseIPv6."""
    s, percent, zone = text.partition("%")
    if percent and not zone:
        raise failed("zone must be a non-empty string")
    ip = [0] * 16
    ellipsis = -1
    if s.startswith("::"):
        ellipsis, s = 0, s[2:]
        if not s:
            return ipaddress.IPv6Address(f"::%{zone}" if zone else "::")
    i = 0
    while i < 16:
        off = acc = 0
        while off < len(s) and s[off] in _HEX_DIGITS:
            acc = (acc << 4) + int(s[off], 16)
            if off > 3:
                raise failed("each group must have 4 or less digits", s)
            if acc > 0xFFFF:
                raise failed("IPv6 field has value >=2^16", s)
            off += 1
        if off == 0:
            raise failed("each colon-separated field must have at least one digit", s)
        if off < len(s) and s[off] == ".":
            if ellipsis < 0 and i != 12:
                raise failed(
                    "embedded IPv4 address must replace the final 2 fields of the address", s
                )
            if i + 4 > 16:
                raise failed(
                    "too many hex fields to fit an embedded IPv4 at the end of the address", s
                )
            ip[i : i + 4] = _ipv4_fields(s, failed)
            s, i = "", i + 4
            break
        ip[i], ip[i + 1] = acc >> 8, acc & 0xFF
        i += 2
        s = s[off:]
        if not s:
            break
        if s[0] != ":":
            raise failed("unexpected character, want colon", s)
        if len(s) == 1:
            raise failed("colon must be followed by more characters", s)
        s = s[1:]
        if s[0] == ":":
            if ellipsis >= 0:
                raise failed("multiple :: in address", s)
            ellipsis, s = i, s[1:]
            if not s:
                break
    if s:
        raise failed("trailing garbage after address", s)
    if i < 16:
        if ellipsis < 0:
            raise failed("address string too short")
        n = 16 - i
        ip = ip[:ellipsis] + [0] * n + ip[ellipsis:i]
    elif ellipsis >= 0:
        raise failed("the :: must expand to at least one field of zeros")
    address = str(ipaddress.IPv6Address(bytes(ip)))
    return ipaddress.IPv6Address(f"{address}%{zone}" if zone else address)


_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def _ip(text: str) -> Any:
    return _make("IP", str(_parse_ip(text)))


def _is_ip(text: str) -> bool:
    try:
        _parse_ip(text)
    except CelError:
        return False
    return True


def _addr(msg: Any) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    return ipaddress.ip_address(msg.value)


def _parse_cidr(text: str) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, int]:
    """kube's parseCIDR over Go's netip.ParsePrefix, with their errors."""

    def failed(why: str) -> CelError:
        return CelError(
            "network address parse error during conversion from string: "
            f"netip.ParsePrefix({go_quote(text)}): {why}"
        )

    slash = text.rfind("/")
    if slash < 0:
        raise failed("no '/'")
    addr_text, bits = text[:slash], text[slash + 1 :]
    try:
        addr = _parse_addr(addr_text)
    except ValueError as exc:
        raise failed(str(exc)) from None
    if "%" in addr_text:
        raise failed("IPv6 zones cannot be present in a prefix")
    if (len(bits) > 1 and not "1" <= bits[0] <= "9") or not bits.isdigit():
        raise failed(f"bad bits after slash: {go_quote(bits)}")
    if int(bits) > addr.max_prefixlen:
        raise failed("prefix length out of range")
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        raise CelError(f"IPv4-mapped IPv6 address {go_quote(text)} is not allowed")
    return addr, int(bits)


def _cidr(text: str) -> Any:
    try:
        addr, length = _parse_cidr(text)
    except CelError as exc:  # stringToCIDR wraps parseCIDR's error once more
        raise CelError(
            f"network address parse error during conversion from string: {exc}"
        ) from None
    return _make("CIDR", f"{addr}/{length}")


def _is_cidr(text: str) -> bool:
    try:
        _parse_cidr(text)
    except CelError:
        return False
    return True


def _network(msg: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return ipaddress.ip_network(msg.value, strict=False)


def _contains_ip(c: Any, ip: Any) -> bool:
    if isinstance(ip, str):
        try:
            addr = _parse_ip(ip)
        except CelError:
            # kube's cidrContainsIP gets the parse error where it wants an IP
            raise CelError("no such overload") from None
    else:
        addr = _addr(ip)
    net = _network(c)
    return addr.version == net.version and addr in net


def _contains_cidr(c: Any, other: Any) -> bool:
    inner = _network(_cidr(other) if isinstance(other, str) else other)
    net = _network(c)
    return inner.version == net.version and inner.subnet_of(net)  # type: ignore[arg-type]


def _cidr_ip(c: Any) -> Any:
    return _make("IP", c.value.partition("/")[0])


def _masked(c: Any) -> Any:
    net = _network(c)
    return _make("CIDR", f"{net.network_address}/{net.prefixlen}")


# --- url ----------------------------------------------------------------------------------


def _parse_url(text: str) -> urllib.parse.SplitResult:
    """The URL's parts, once Go's url.ParseRequestURI takes it (kube's check)."""
    try:
        parse_request_uri(text)
    except ValueError as exc:
        raise CelError(f"URL parse error during conversion from string: {exc}") from None
    return urllib.parse.urlsplit(text)


def _url(text: str) -> Any:
    _parse_url(text)
    return _make("URL", text)


def _is_url(text: str) -> bool:
    try:
        _parse_url(text)
    except CelError:
        return False
    return True


def _host(u: Any) -> str:
    """URL.Host: unescaped (a zone's %25 is %)."""
    return urllib.parse.unquote(_parse_url(u.value).netloc.rpartition("@")[2])


def _hostname(u: Any) -> str:
    host = _host(u)
    if host.startswith("["):
        return host[1 : host.index("]")] if "]" in host else host[1:]
    return host.rpartition(":")[0] if ":" in host else host


def _port(u: Any) -> str:
    host = _host(u)
    tail = host.rpartition("]")[2] if host.startswith("[") else host
    return tail.rpartition(":")[2] if ":" in tail else ""


# --- semver -------------------------------------------------------------------------------

_NUMBERS = frozenset("0123456789")
_ALPHANUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789")
_U64 = (1 << 64) - 1


def _number(part: str, what: str) -> int:
    """A major, minor or patch number as blang/semver v4 reads it, with its errors."""
    if not set(part) <= _NUMBERS:
        raise CelError(f"Invalid character(s) found in {what} number {go_quote(part)}")
    if len(part) > 1 and part[0] == "0":
        raise CelError(
            f"{what.capitalize()} number must not contain leading zeroes {go_quote(part)}"
        )
    if not part or int(part) > _U64:
        why = "invalid syntax" if not part else "value out of range"
        raise CelError(f"strconv.ParseUint: parsing {go_quote(part)}: {why}")
    return int(part)


def _semver_strict(text: str) -> tuple[int, int, int, str]:
    """blang/semver v4 Parse: (major, minor, patch, prerelease); build metadata checked and
    dropped."""
    if not text:
        raise CelError("Version string empty")
    parts = text.split(".", 2)
    if len(parts) != 3:
        raise CelError("No Major.Minor.Patch elements found")
    major = _number(parts[0], "major")
    minor = _number(parts[1], "minor")
    patch, _, build = parts[2].partition("+")
    patch, dash, pre = patch.partition("-")
    number = _number(patch, "patch")
    for p in pre.split(".") if dash else ():
        if not p:
            raise CelError("Prerelease is empty")
        if set(p) <= _NUMBERS:
            if len(p) > 1 and p[0] == "0":
                raise CelError(
                    f"Numeric PreRelease version must not contain leading zeroes {go_quote(p)}"
                )
        elif not set(p) <= _ALPHANUM:
            raise CelError(f"Invalid character(s) found in prerelease {go_quote(p)}")
    for b in build.split(".") if "+" in parts[2] else ():
        if not b:
            raise CelError("Build meta data is empty")
        if not set(b) <= _ALPHANUM:
            raise CelError(f"Invalid character(s) found in build meta data {go_quote(b)}")
    return major, minor, number, pre


def _semver_parse(text: str, normalize: bool = False) -> tuple[int, int, int, str]:
    if normalize:
        text = text.removeprefix("v")
        m = re.match(r"^([0-9.]*)(.*)$", text)
        core, rest = (m.group(1), m.group(2)) if m else (text, "")
        parts = core.split(".")
        if len(parts) < 3:
            if rest:
                raise CelError("short version cannot contain PreRelease/Build meta data")
            parts += ["0"] * (3 - len(parts))
        parts = [p.lstrip("0") or "0" for p in parts]
        text = ".".join(parts) + rest
    return _semver_strict(text)


def _semver(text: str, normalize: bool = False) -> Any:
    major, minor, patch, pre = _semver_parse(text, normalize)
    return _make("Semver", f"{major}.{minor}.{patch}" + (f"-{pre}" if pre else ""))


def _is_semver(text: str, normalize: bool = False) -> bool:
    try:
        _semver_parse(text, normalize)
    except CelError:
        return False
    return True


def _semver_key(v: Any) -> tuple[int, int, int, int, list[tuple[int, int | str]]]:
    major, minor, patch, pre = _semver_parse(v.value)
    ids: list[tuple[int, int | str]] = [
        (0, int(p)) if p.isdigit() else (1, p) for p in pre.split(".") if pre
    ]
    return major, minor, patch, 0 if pre else 1, ids


def _semver_cmp(a: Any, b: Any) -> int:
    return _cmp(_semver_key(a), _semver_key(b))


# --- format -------------------------------------------------------------------------------

_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_QNAME = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"


def _regex_msg(what: str, regex: str, examples: Sequence[str]) -> str:
    ex = ",  or ".join(f"'{e}'" for e in examples)
    return f"{what} (e.g. {ex}, regex used for validation is '{regex}')"


def _dns1123_label(s: str) -> list[str]:
    errs = []
    if len(s) > 63:
        errs.append("must be no more than 63 characters")
    if not re.fullmatch(_LABEL, s):
        errs.append(
            _regex_msg(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                _LABEL,
                ["my-name", "123-abc"],
            )
        )
    return errs


def _dns1123_subdomain(s: str) -> list[str]:
    errs = []
    if len(s) > 253:
        errs.append("must be no more than 253 characters")
    sub = _LABEL + r"(\." + _LABEL + ")*"
    if not re.fullmatch(sub, s):
        errs.append(
            _regex_msg(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                sub,
                ["example.com"],
            )
        )
    return errs


def _prefix(check: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    def validate(s: str) -> list[str]:
        return check(s[:-1] + "a" if s.endswith("-") else s)

    return validate


def _qualified_name(s: str) -> list[str]:
    errs: list[str] = []
    parts = s.split("/")
    name = parts[-1]
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs += ["prefix part " + e for e in _dns1123_subdomain(prefix)]
    elif len(parts) > 2:
        return [
            _regex_msg(
                "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                _QNAME,
                ["MyName", "my.name", "123-abc"],
            )
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part must be no more than 63 characters")
    if name and not re.fullmatch(_QNAME, name):
        errs.append(
            "name part "
            + _regex_msg(
                "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                _QNAME,
                ["MyName", "my.name", "123-abc"],
            )
        )
    return errs


def _label_value(s: str) -> list[str]:
    errs = []
    if len(s) > 63:
        errs.append("must be no more than 63 characters")
    if s and not re.fullmatch(_QNAME, s):
        errs.append(
            _regex_msg(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                "(" + _QNAME + ")?",
                ["MyValue", "my_value", "12345"],
            )
        )
    return errs


def _uri(s: str) -> list[str]:
    return [] if _is_url(s) else ["invalid URI"]


def _uuid(s: str) -> list[str]:
    try:
        uuidlib.UUID(s)
    except ValueError:
        return ["does not match the UUID format"]
    return []


def _byte(s: str) -> list[str]:
    try:
        base64.b64decode(s, validate=True)
    except ValueError:
        return ["invalid base64"]
    return []


def _date(s: str) -> list[str]:
    try:
        datetime.date.fromisoformat(s)
    except ValueError:
        return ["invalid date"]
    return [] if len(s) == 10 else ["invalid date"]


def _datetime(s: str) -> list[str]:
    try:
        datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return ["invalid datetime"]
    return []


FORMATS: dict[str, Callable[[str], list[str]]] = {
    "dns1123Label": _dns1123_label,
    "dns1123Subdomain": _dns1123_subdomain,
    "dns1035Label": dns1035_label_errors,
    "qualifiedName": _qualified_name,
    "dns1123LabelPrefix": _prefix(_dns1123_label),
    "dns1123SubdomainPrefix": _prefix(_dns1123_subdomain),
    "dns1035LabelPrefix": _prefix(dns1035_label_errors),
    "labelValue": _label_value,
    "uri": _uri,
    "uuid": _uuid,
    "byte": _byte,
    "date": _date,
    "datetime": _datetime,
}


def _format_validate(f: Any, s: str) -> list[str]:
    return FORMATS[f.value](s)


def _named(name: str) -> Any:
    return _make("NamedFormat", name if name in FORMATS else "")


def _format_value(f: Any) -> Any:
    if not f.value:
        raise CelError("optional.none() dereference")
    return f


def _errors_value(errs: list[str]) -> list[str]:
    if not errs:
        raise CelError("optional.none() dereference")
    return errs


# --- lists, regex, sets -------------------------------------------------------------------


def _nonempty(name: str, items: list[Any]) -> list[Any]:
    if not items:
        raise CelError(f"{name} called on empty list")
    return items


def _sum(items: list[Any]) -> Any:
    if not items:
        return 0
    total = items[0]
    for x in items[1:]:
        total = total + x
    return total


def _index_of(items: list[Any], x: Any) -> int:
    for i, v in enumerate(items):
        if v == x and type(v) is type(x):
            return i
    return -1


def _last_index_of(items: list[Any], x: Any) -> int:
    for i in range(len(items) - 1, -1, -1):
        if items[i] == x and type(items[i]) is type(x):
            return i
    return -1


# RE2's error codes (cel-cpp's matches) in Go's regexp/syntax words, which kube's are
_RE2_CODES = {
    "missing )": "missing closing )",
    "missing ]": "missing closing ]",
    "unexpected )": "unexpected )",
    "bad repetition operator": "invalid nested repetition operator",
    "no argument for repetition operator": "missing argument to repetition operator",
    "invalid repetition size": "invalid repeat count",
    "invalid perl operator": "invalid or unsupported Perl syntax",
    "invalid named capture group": "invalid named capture",
    "invalid escape sequence": "invalid escape sequence",
    "invalid character class": "invalid character class",
    "invalid character class range": "invalid character class range",
    "invalid UTF-8": "invalid UTF-8",
    "trailing \\": "trailing backslash at end of expression",
}
_RE2_ERROR = re.compile(r"(?:[A-Z_]+: )?invalid regular expression: (.*?)(?:: (.*))?", re.DOTALL)


def go_regexp_error(re2_message: str) -> str | None:
    """`error parsing regexp: <code>: `<expr>``, Go's words for an RE2 error; None when
    `re2_message` is no RE2 syntax error."""
    m = _RE2_ERROR.fullmatch(re2_message)
    if m is None or m.group(1) not in _RE2_CODES:
        return None
    return f"error parsing regexp: {_RE2_CODES[m.group(1)]}: `{m.group(2) or ''}`"


@functools.cache
def _re2_probe() -> Any:
    return cel.NewEnv(variables={"p": cel.Type.STRING}).compile("''.matches(p)")


@functools.lru_cache(maxsize=256)
def _compile_regex(pattern: str) -> re.Pattern[str]:
    """The pattern, once RE2 (Go's regexp syntax, not Python's: no lookaround, no
    backreferences) takes it; Python's re then runs it."""
    checked = _re2_probe().eval(data={"p": pattern})
    if checked.type() == cel.Type.ERROR:
        why = go_regexp_error(str(checked.value())) or f"error parsing regexp: {checked.value()}"
        raise CelError(f"Illegal regex: {why}")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise CelError(f"Illegal regex: error parsing regexp: {exc}") from None


def _find(s: str, pattern: str) -> str:
    m = _compile_regex(pattern).search(s)
    return m.group(0) if m else ""


def _find_all(s: str, pattern: str, limit: int = -1) -> list[str]:
    found = [m.group(0) for m in _compile_regex(pattern).finditer(s)]
    return found if limit < 0 else found[:limit]


def _contains(a: list[Any], b: list[Any]) -> bool:
    return all(x in a for x in b)


def _flatten(items: list[Any], depth: int = 1) -> list[Any]:
    if depth < 0:
        raise CelError("level must be non-negative")
    out: list[Any] = []
    for x in items:
        if isinstance(x, list) and depth > 0:
            out += _flatten(x, depth - 1)
        else:
            out.append(x)
    return out


def _distinct(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for x in items:
        if _index_of(out, x) < 0:
            out.append(x)
    return out


MAX_RANGE_SIZE = 1_000_000  # cel-go ext.Lists' defaultMaxRangeSize (kube sets none other)


def _range(n: int) -> list[int]:
    """genRange (cel-go v0.29)."""
    if n < 0:
        raise CelError(f"lists.range: size must be non-negative, got {n}")
    if n > MAX_RANGE_SIZE:
        raise CelError(f"lists.range: size {n} exceeds maximum allowed ({MAX_RANGE_SIZE})")
    return list(range(n))


def _slice(items: list[Any], start: int, end: int) -> list[Any]:
    if start < 0 or end < 0:
        raise CelError(f"cannot slice({start}, {end}), negative indexes not supported")
    if start > end:
        raise CelError(
            f"cannot slice({start}, {end}), start index must be less than or equal to end index"
        )
    if end > len(items):
        raise CelError(f"cannot slice({start}, {end}), list is length {len(items)}")
    return items[start:end]


# --- declarations -------------------------------------------------------------------------

_L = T.List(T.DYN)


def _fn(name: str, *overloads: tuple[str, Any, list[Any], bool, Callable[..., Any]]) -> Any:
    return cel.FunctionDecl(
        name,
        [
            cel.Overload(oid, ret, params, is_member=member, impl=impl)
            for oid, ret, params, member, impl in overloads
        ],
    )


def declarations() -> list[Any]:
    """The function declarations of the Kubernetes libraries CRD rules have at 1.37."""
    b, i, s, d = T.BOOL, T.INT, T.STRING, T.DOUBLE
    ls = T.List(T.STRING)
    return [
        # k8s lists
        _fn(
            "isSorted",
            (
                "list_is_sorted",
                b,
                [_L],
                True,
                lambda xs: all(xs[k] <= xs[k + 1] for k in range(len(xs) - 1)),
            ),
        ),
        _fn("sum", ("list_sum", T.DYN, [_L], True, _sum)),
        _fn("min", ("list_min", T.DYN, [_L], True, lambda xs: min(_nonempty("min", xs)))),
        _fn("max", ("list_max", T.DYN, [_L], True, lambda xs: max(_nonempty("max", xs)))),
        _fn("indexOf", ("list_index_of", i, [_L, T.DYN], True, _index_of)),
        _fn("lastIndexOf", ("list_last_index_of", i, [_L, T.DYN], True, _last_index_of)),
        # cel-go ext.Lists v3 (those that return no optional)
        _fn("slice", ("list_slice", _L, [_L, i, i], True, _slice)),
        _fn(
            "flatten",
            ("list_flatten", _L, [_L], True, _flatten),
            ("list_flatten_int", _L, [_L, i], True, _flatten),
        ),
        _fn("distinct", ("list_distinct", _L, [_L], True, _distinct)),
        _fn("reverse", ("list_reverse", _L, [_L], True, lambda xs: list(reversed(xs)))),
        _fn("sort", ("list_sort", _L, [_L], True, sorted)),
        _fn("lists.range", ("lists_range", T.List(i), [i], False, _range)),
        # regex
        _fn("find", ("string_find_string", s, [s, s], True, _find)),
        _fn(
            "findAll",
            ("string_find_all_string", ls, [s, s], True, _find_all),
            ("string_find_all_string_int", ls, [s, s, i], True, _find_all),
        ),
        # sets
        _fn("sets.contains", ("list_sets_contains_list", b, [_L, _L], False, _contains)),
        _fn(
            "sets.equivalent",
            (
                "list_sets_equivalent_list",
                b,
                [_L, _L],
                False,
                lambda a, c: _contains(a, c) and _contains(c, a),
            ),
        ),
        _fn(
            "sets.intersects",
            ("list_sets_intersects_list", b, [_L, _L], False, lambda a, c: any(x in a for x in c)),
        ),
        # url
        _fn("url", ("string_to_url", URL, [s], False, _url)),
        _fn("isURL", ("is_url_string", b, [s], False, _is_url)),
        _fn("getScheme", ("url_get_scheme", s, [URL], True, lambda u: _parse_url(u.value).scheme)),
        _fn("getHost", ("url_get_host", s, [URL], True, _host)),
        _fn("getHostname", ("url_get_hostname", s, [URL], True, _hostname)),
        _fn("getPort", ("url_get_port", s, [URL], True, _port)),
        _fn(
            "getEscapedPath",
            ("url_get_escaped_path", s, [URL], True, lambda u: _parse_url(u.value).path),
        ),
        _fn(
            "getQuery",
            (
                "url_get_query",
                T.Map(s, ls),
                [URL],
                True,
                lambda u: parse_query(_parse_url(u.value).query),
            ),
        ),
        # quantity
        _fn("quantity", ("string_to_quantity", QUANTITY, [s], False, _quantity)),
        _fn("isQuantity", ("is_quantity_string", b, [s], False, _is_quantity)),
        _fn("sign", ("quantity_sign", i, [QUANTITY], False, lambda q: _cmp(_q(q), 0))),
        _fn(
            "asApproximateFloat",
            ("quantity_get_float", d, [QUANTITY], True, lambda q: float(_q(q))),
        ),
        _fn("asInteger", ("quantity_get_int", i, [QUANTITY], True, _as_integer)),
        _fn("isInteger", ("quantity_is_integer", b, [QUANTITY], True, _is_integer)),
        _fn(
            "add",
            (
                "quantity_add",
                QUANTITY,
                [QUANTITY, QUANTITY],
                True,
                lambda a, c: _qmake(_q(a) + _q(c)),
            ),
            ("quantity_add_int", QUANTITY, [QUANTITY, i], True, lambda a, c: _qmake(_q(a) + c)),
        ),
        _fn(
            "sub",
            (
                "quantity_sub",
                QUANTITY,
                [QUANTITY, QUANTITY],
                True,
                lambda a, c: _qmake(_q(a) - _q(c)),
            ),
            ("quantity_sub_int", QUANTITY, [QUANTITY, i], True, lambda a, c: _qmake(_q(a) - c)),
        ),
        # ip / cidr
        _fn("ip", ("string_to_ip", IP, [s], False, _ip), ("cidr_ip", IP, [CIDR], True, _cidr_ip)),
        _fn("isIP", ("is_ip", b, [s], False, _is_ip)),
        _fn(
            "ip.isCanonical",
            ("ip_is_canonical", b, [s], False, lambda t: str(_parse_ip(t)) == t),
        ),
        _fn("family", ("ip_family", i, [IP], True, lambda a: _addr(a).version)),
        _fn(
            "isUnspecified", ("ip_is_unspecified", b, [IP], True, lambda a: _addr(a).is_unspecified)
        ),
        _fn("isLoopback", ("ip_is_loopback", b, [IP], True, lambda a: _addr(a).is_loopback)),
        _fn(
            "isLinkLocalMulticast",
            ("ip_is_link_local_multicast", b, [IP], True, _link_local_multicast),
        ),
        _fn(
            "isLinkLocalUnicast",
            ("ip_is_link_local_unicast", b, [IP], True, lambda a: _addr(a).is_link_local),
        ),
        _fn("isGlobalUnicast", ("ip_is_global_unicast", b, [IP], True, _global_unicast)),
        _fn("cidr", ("string_to_cidr", CIDR, [s], False, _cidr)),
        _fn("isCIDR", ("is_cidr", b, [s], False, _is_cidr)),
        _fn(
            "containsIP",
            ("cidr_contains_ip_string", b, [CIDR, s], True, _contains_ip),
            ("cidr_contains_ip_ip", b, [CIDR, IP], True, _contains_ip),
        ),
        _fn(
            "containsCIDR",
            ("cidr_contains_cidr_string", b, [CIDR, s], True, _contains_cidr),
            ("cidr_contains_cidr", b, [CIDR, CIDR], True, _contains_cidr),
        ),
        _fn(
            "prefixLength",
            ("cidr_prefix_length", i, [CIDR], True, lambda c: int(c.value.partition("/")[2])),
        ),
        _fn("masked", ("cidr_masked", CIDR, [CIDR], True, _masked)),
        # cel-cpp dispatches all messages alike at runtime: one overload serves IP and CIDR.
        _fn("string", ("ip_to_string", s, [IP], False, lambda a: a.value)),
        # semver
        _fn(
            "semver",
            ("string_to_semver", SEMVER, [s], False, _semver),
            ("string_bool_to_semver", SEMVER, [s, b], False, _semver),
        ),
        _fn(
            "isSemver",
            ("is_semver_string", b, [s], False, _is_semver),
            ("is_semver_string_bool", b, [s, b], False, _is_semver),
        ),
        _fn("major", ("semver_major", i, [SEMVER], True, lambda v: _semver_key(v)[0])),
        _fn("minor", ("semver_minor", i, [SEMVER], True, lambda v: _semver_key(v)[1])),
        _fn("patch", ("semver_patch", i, [SEMVER], True, lambda v: _semver_key(v)[2])),
        # comparisons shared by quantity and semver: one dyn overload each, as cel-cpp
        # dispatches all messages alike at runtime.
        _fn("compareTo", ("annex_compare_to", i, [T.DYN, T.DYN], True, _compare)),
        _fn(
            "isGreaterThan",
            ("annex_is_greater_than", b, [T.DYN, T.DYN], True, lambda a, c: _compare(a, c) > 0),
        ),
        _fn(
            "isLessThan",
            ("annex_is_less_than", b, [T.DYN, T.DYN], True, lambda a, c: _compare(a, c) < 0),
        ),
        # format
        *[
            _fn(f"format.{name}", (f"format_{name}", FORMAT, [], False, _const_format(name)))
            for name in FORMATS
        ],
        _fn("format.named", ("format_named", FORMAT, [s], False, _named)),
        _fn("validate", ("format_validate", ls, [FORMAT, s], True, _format_validate)),
        _fn(
            "hasValue",
            ("annex_format_has_value", b, [FORMAT], True, lambda f: bool(f.value)),
            ("annex_errors_has_value", b, [ls], True, bool),
        ),
        _fn(
            "value",
            ("annex_format_value", FORMAT, [FORMAT], True, _format_value),
            ("annex_errors_value", ls, [ls], True, _errors_value),
        ),
        _fn(
            "orValue",
            ("annex_errors_or_value", ls, [ls, ls], True, lambda e, o: e if e else o),
        ),
    ]


def _compare(a: Any, c: Any) -> int:
    kinds = (
        getattr(getattr(a, "DESCRIPTOR", None), "name", None),
        getattr(getattr(c, "DESCRIPTOR", None), "name", None),
    )
    if kinds == ("Quantity", "Quantity"):
        return _cmp(_q(a), _q(c))
    if kinds == ("Semver", "Semver"):
        return _semver_cmp(a, c)
    raise CelError("no such overload")


def _const_format(name: str) -> Callable[[], Any]:
    return lambda: _make("NamedFormat", name)


def _link_local_multicast(a: Any) -> bool:
    addr = _addr(a)
    if addr.version == 4:
        return addr in ipaddress.ip_network("224.0.0.0/24")
    return addr in ipaddress.ip_network("ff02::/16")


def _global_unicast(a: Any) -> bool:
    addr = _addr(a)
    if addr.version == 4 and addr == ipaddress.IPv4Address("255.255.255.255"):
        return False
    return not (addr.is_unspecified or addr.is_loopback or addr.is_multicast or addr.is_link_local)


__all__ = ["POOL", "CelError", "declarations", "parse_quantity"]
