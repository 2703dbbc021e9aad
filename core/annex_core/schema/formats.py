"""String formats a CRD schema validates, as kube-openapi's strfmt.Default registry checks them.

Only the formats apiextensions-apiserver supports (pkg/apiserver/validation/formats.go, at
compatibility version 1.37) are kept in a schema; any other format is ignored. Names are
compared without dashes (strfmt.DefaultNameNormalizer): `date-time` is `datetime`.
Checks follow kube-openapi pkg/validation/strfmt (default.go, date.go, time.go, duration.go,
bson.go, kubernetes-extensions.go) and its govalidator copy; `email` (net/mail.ParseAddress)
and `uri` (net/url.ParseRequestURI) cover the common shapes, not every corner of the Go parsers.
"""

from __future__ import annotations

import datetime
import ipaddress
import re
import unicodedata
from collections.abc import Callable

from annex_core.schema.gourl import parse_request_uri

_SUPPORTED = frozenset(
    {
        "bsonobjectid",
        "uri",
        "email",
        "hostname",
        "ipv4",
        "ipv6",
        "cidr",
        "mac",
        "uuid",
        "uuid3",
        "uuid4",
        "uuid5",
        "isbn",
        "isbn10",
        "isbn13",
        "creditcard",
        "ssn",
        "hexcolor",
        "rgbcolor",
        "byte",
        "password",
        "date",
        "duration",
        "datetime",
        # since 1.34
        "k8sshortname",
        "k8slongname",
    }
)


def normalize_format(name: str) -> str:
    return name.replace("-", "")


def supported_format(name: str) -> bool:
    return normalize_format(name) in _SUPPORTED


def _rx(pattern: str) -> Callable[[str], bool]:
    compiled = re.compile(pattern, re.ASCII)
    # Go's `$` is the end of the text: no newline may follow.
    return lambda s: compiled.search(s) is not None and not s.endswith("\n")


_UUID = r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$"
_UUID3 = r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$"
_UUID4 = r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$"
_UUID5 = r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$"
_CREDIT_CARD = re.compile(
    r"^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}"
    r"|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11})$",
    re.ASCII,
)
_RGB = r"(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])"
_RGB_COLOR = rf"^rgb\(\s*{_RGB}\s*,\s*{_RGB}\s*,\s*{_RGB}\s*\)$"
_BASE64 = r"^(?:[A-Za-z0-9+\/]{4})*(?:[A-Za-z0-9+\/]{2}==|[A-Za-z0-9+\/]{3}=|[A-Za-z0-9+\/]{4})$"
_SHORT_NAME = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_SHORT_NAME_RE = re.compile(f"^{_SHORT_NAME}$")
_LONG_NAME_RE = re.compile(rf"^{_SHORT_NAME}(\.{_SHORT_NAME})*$")
# strfmt.HostnamePattern with \p{S} and \p{L} folded: letters become "a", symbols "~".
_HOSTNAME_RE = re.compile(
    r"^([a-zA-Z0-9~]((-?[a-zA-Z0-9~]{0,62})?)|([a-zA-Z0-9~](([a-zA-Z0-9\-~]{0,61}[a-zA-Z0-9~])?)(\.)){1,}([a-zA-Z]){2,63})$"
)
_DATETIME_RE = re.compile(
    r"^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$"
)
_DURATION_MATCH = re.compile(r"((\d+)\s*([A-Za-zµ]+))", re.ASCII)
_GO_DURATION = re.compile(r"^[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$", re.ASCII)
_TIME_UNITS = (
    ("ns", "nano"),
    ("us", "µs", "micro"),
    ("ms", "milli"),
    ("s", "sec"),
    ("m", "min"),
    ("h", "hr", "hour"),
    ("d", "day"),
    ("w", "wk", "week"),
)


def _ends_clean(s: str) -> bool:
    return not s.endswith("\n")


def is_hostname(s: str) -> bool:
    folded = "".join(_fold_hostname_char(c) for c in s)
    if _HOSTNAME_RE.match(folded) is None or not _ends_clean(s):
        return False
    return len(s.encode()) <= 255 and all(len(p.encode()) <= 63 for p in s.split("."))


def _fold_hostname_char(c: str) -> str:
    if c.isascii() and (c.isalnum() or c in "-."):
        return c
    category = unicodedata.category(c)
    if category[0] == "L":
        return "a"
    if category[0] == "S":
        return "~"
    return "\x00"


def _dtoi(s: str) -> int | None:
    if not s or not s.isascii() or not s.isdigit():
        return None
    n = int(s)
    return n if n < 0xFFFFFF else None


def _parse_ipv4_sloppy(s: str) -> bool:
    """netutils.ParseIPSloppy's IPv4: four decimal parts, leading zeros allowed."""
    parts = s.split(".")
    if len(parts) != 4:
        return False
    for part in parts:
        n = _dtoi(part)
        if n is None or n > 0xFF:
            return False
    return True


def _parse_ip(s: str, sloppy: bool) -> int | None:
    """net.ParseIP (or ParseIPSloppy): the address length in bytes, or None."""
    if "." in s and ":" not in s:
        if sloppy:
            return 4 if _parse_ipv4_sloppy(s) else None
        try:
            ipaddress.IPv4Address(s)
        except ValueError:
            return None
        return 4
    if ":" not in s or "%" in s:
        return None
    head, _, tail = s.rpartition(":")
    if "." in tail:
        if not _parse_ipv4_sloppy(tail) if sloppy else not _strict_v4(tail):
            return None
        tail = str(ipaddress.IPv4Address(".".join(str(int(p)) for p in tail.split("."))))
        s = f"{head}:{tail}"
    try:
        ipaddress.IPv6Address(s)
    except ValueError:
        return None
    return 16


def _strict_v4(s: str) -> bool:
    try:
        ipaddress.IPv4Address(s)
    except ValueError:
        return False
    return True


def is_ipv4(s: str) -> bool:
    return _parse_ip(s, sloppy=True) is not None and "." in s


def is_ipv6(s: str) -> bool:
    return _parse_ip(s, sloppy=False) is not None and ":" in s


def is_cidr(s: str) -> bool:
    """netutils.ParseCIDRSloppy."""
    addr, slash, mask = s.partition("/")
    if not slash:
        return False
    size = _parse_ip(addr, sloppy=True)
    n = _dtoi(mask)
    return size is not None and n is not None and n <= 8 * size


def is_mac(s: str) -> bool:
    """net.ParseMAC: 6, 8 or 20 octets as xx:xx.., xx-xx.. or xxxx.xxxx.. groups."""
    if len(s) < 14:
        return False
    hexdigits = set("0123456789abcdefABCDEF")
    if s[2] in ":-":
        if (len(s) + 1) % 3 != 0:
            return False
        n = (len(s) + 1) // 3
        if n not in (6, 8, 20):
            return False
        sep = s[2]
        for i in range(n):
            part = s[3 * i : 3 * i + 2]
            if len(part) != 2 or not set(part) <= hexdigits:
                return False
            if i < n - 1 and s[3 * i + 2] != sep:
                return False
        return True
    if s[4] == ".":
        if (len(s) + 1) % 5 != 0:
            return False
        n = 2 * (len(s) + 1) // 5
        if n not in (6, 8, 20):
            return False
        for i in range(n // 2):
            part = s[5 * i : 5 * i + 4]
            if len(part) != 4 or not set(part) <= hexdigits:
                return False
            if i < n // 2 - 1 and s[5 * i + 4] != ".":
                return False
        return True
    return False


def is_credit_card(s: str) -> bool:
    sanitized = re.sub(r"[^0-9]+", "", s)
    if _CREDIT_CARD.match(sanitized) is None:
        return False
    total = 0
    double = False
    for ch in reversed(sanitized):
        digit = int(ch)
        if double:
            digit *= 2
            total += digit % 10 + 1 if digit >= 10 else digit
        else:
            total += digit
        double = not double
    return total % 10 == 0


def _isbn(s: str, version: int) -> bool:
    sanitized = re.sub(r"[\s-]+", "", s, flags=re.ASCII)
    if version == 10:
        if re.fullmatch(r"[0-9]{9}X|[0-9]{10}", sanitized) is None:
            return False
        checksum = sum((i + 1) * int(sanitized[i]) for i in range(9))
        checksum += 100 if sanitized[9] == "X" else 10 * int(sanitized[9])
        return checksum % 11 == 0
    if re.fullmatch(r"[0-9]{13}", sanitized) is None:
        return False
    checksum = sum((1, 3)[i % 2] * int(sanitized[i]) for i in range(12))
    return int(sanitized[12]) - ((10 - checksum % 10) % 10) == 0


def is_ssn(s: str) -> bool:
    return (
        len(s.encode()) == 11
        and re.fullmatch(r"\d{3}[- ]?\d{2}[- ]?\d{4}", s, re.ASCII) is not None
    )


def is_date(s: str) -> bool:
    """time.Parse("2006-01-02", s)."""
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", s, re.ASCII) is None:
        return False
    try:
        datetime.date(int(s[:4]), int(s[5:7]), int(s[8:10]))
    except ValueError:
        return False
    return True


def is_datetime(s: str) -> bool:
    """strfmt.IsDateTime: a date, a "t", then hh:mm:ss[.frac](z|±hh:mm), compared as text."""
    if len(s.encode()) < 4:
        return False
    parts = s.lower().split("t")
    if len(parts) < 2 or not is_date(parts[0]):
        return False
    m = _DATETIME_RE.match(parts[1])
    if m is None or parts[1].endswith("\n"):
        return False
    return m.group(1) <= "23" and m.group(2) <= "59" and m.group(3) <= "59"


def is_duration(s: str) -> bool:
    """strfmt.ParseDuration: time.ParseDuration, else any "<digits> <unit>" it recognises."""
    if s in ("0", "+0", "-0") or _GO_DURATION.match(s):
        return True
    for match in _DURATION_MATCH.finditer(s):
        unit = match.group(3).strip().lower()
        for variants in _TIME_UNITS:
            last = len(variants) - 1
            for i, variant in enumerate(variants):
                if (i == last and unit.startswith(variant)) or variant.lower() == unit:
                    return True
    return False


def is_bson_object_id(s: str) -> bool:
    return len(s) == 24 and re.fullmatch(r"[0-9a-fA-F]{24}", s) is not None


def is_email(s: str) -> bool:
    """net/mail.ParseAddress, for `local@domain` and `Name <local@domain>`."""
    text = s.strip()
    m = re.fullmatch(r"(?:[^<>]*)<([^<>]*)>", text)
    if m is not None:
        text = m.group(1)
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        return False
    atom = r"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\U0010ffff]+"
    quoted = r'"(?:[^"\\\r\n]|\\.)*"'
    if re.fullmatch(rf"(?:{atom}(?:\.{atom})*|{quoted})", local) is None:
        return False
    return re.fullmatch(rf"{atom}(?:\.{atom})*|\[[^\[\]\\]*\]", domain) is not None


def is_request_uri(s: str) -> bool:
    """net/url.ParseRequestURI takes it."""
    try:
        parse_request_uri(s)
    except ValueError:
        return False
    return True


FORMAT_CHECKS: dict[str, Callable[[str], bool]] = {
    "bsonobjectid": is_bson_object_id,
    "uri": is_request_uri,
    "email": is_email,
    "hostname": is_hostname,
    "ipv4": is_ipv4,
    "ipv6": is_ipv6,
    "cidr": is_cidr,
    "mac": is_mac,
    "uuid": _rx(_UUID),
    "uuid3": _rx(_UUID3),
    "uuid4": _rx(_UUID4),
    "uuid5": _rx(_UUID5),
    "isbn": lambda s: _isbn(s, 10) or _isbn(s, 13),
    "isbn10": lambda s: _isbn(s, 10),
    "isbn13": lambda s: _isbn(s, 13),
    "creditcard": is_credit_card,
    "ssn": is_ssn,
    "hexcolor": _rx(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"),
    "rgbcolor": _rx(_RGB_COLOR),
    "byte": _rx(_BASE64),
    "password": lambda _s: True,
    "date": is_date,
    "duration": is_duration,
    "datetime": is_datetime,
    "k8sshortname": lambda s: (
        len(s) <= 63 and _SHORT_NAME_RE.match(s) is not None and _ends_clean(s)
    ),
    "k8slongname": lambda s: (
        len(s) <= 253 and _LONG_NAME_RE.match(s) is not None and _ends_clean(s)
    ),
}
