"""Go's text renderings that kube-apiserver's Table cells are made of.

* `human_duration`: `k8s.io/apimachinery/pkg/util/duration.HumanDuration` ("5m", "3d2h").
* `parse_rfc3339`: `time.Parse(time.RFC3339, s)` as `metav1.Time.UnmarshalQueryParameter` uses it.
* `format_rfc3339`: `metav1.Time.MarshalJSON` (UTC, whole seconds).
* `go_print`: `fmt.Fprint` of a JSON scalar (what `jsonpath.PrintResults` writes for one).
* `go_json`: `encoding/json.Marshal` of JSON data (sorted keys, HTML-safe escapes, Go floats).
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, timedelta, timezone

from annex_core.gotext import go_float_g, go_json, go_json_float, go_print

_NS_PER_S = 1_000_000_000
_MINUTE = 60 * _NS_PER_S
_HOUR = 60 * _MINUTE


class GoByte(int):
    """A byte of a string, as jsonpath's wildcard and recursive descent yield them (uint8)."""


def human_duration(d: timedelta) -> str:
    """`duration.HumanDuration`: about 2-3 significant figures; tolerate 2s of clock skew."""
    ns = (d.days * 86400 + d.seconds) * _NS_PER_S + d.microseconds * 1000
    seconds = int(ns / _NS_PER_S) if ns < 0 else ns // _NS_PER_S  # Go truncates toward zero
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60 * 2:
        return f"{seconds}s"
    minutes = ns // _MINUTE
    if minutes < 10:
        s = seconds % 60
        return f"{minutes}m" if s == 0 else f"{minutes}m{s}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = ns // _HOUR
    if hours < 8:
        m = minutes % 60
        return f"{hours}h" if m == 0 else f"{hours}h{m}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d" if h == 0 else f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if dy == 0 else f"{hours // 24 // 365}y{dy}d"
    return f"{hours // 24 // 365}y"


_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})",
    re.ASCII,
)


@functools.lru_cache(maxsize=4096)  # a list's timestamps repeat; datetimes are immutable
def parse_rfc3339(text: str) -> datetime | None:
    """An aware datetime, or None when Go's `time.Parse(time.RFC3339, text)` fails.

    Go accepts any number of fractional digits; Python keeps microseconds (truncated).
    """
    m = _RFC3339.fullmatch(text)
    if m is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    fraction, zone = m.group(7) or "", m.group(8)
    if zone == "Z":
        tz = UTC
    else:
        zh, zm = int(zone[1:3]), int(zone[4:6])
        if zh >= 24 or zm >= 60:
            return None
        offset = timedelta(hours=zh, minutes=zm)
        tz = timezone(-offset if zone[0] == "-" else offset)
    try:
        return datetime(
            year, month, day, hour, minute, second, int((fraction + "000000")[:6]), tzinfo=tz
        )
    except ValueError:  # month 13, February 30, hour 24, second 60...
        return None


def format_rfc3339(when: datetime) -> str:
    """`metav1.Time` as JSON: RFC 3339 in UTC, whole seconds."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_zero_time(when: datetime) -> bool:
    """Go's `Time.IsZero`: January 1, year 1, 00:00:00 UTC."""
    return when.astimezone(UTC).replace(tzinfo=None) == datetime(1, 1, 1)


__all__ = [
    "GoByte",
    "format_rfc3339",
    "go_float_g",
    "go_json",
    "go_json_float",
    "go_print",
    "human_duration",
    "is_zero_time",
    "parse_rfc3339",
]
