"""k8s.io/apimachinery/pkg/util/validation's name checks, with its messages, for everything
that checks names: a DNS-1035 label (CRD names and version names, an embedded resource's
kind, the CEL `format.dns1035Label()`), DNS-1123 labels and subdomains, qualified names (label
and annotation keys, finalizers), label values and path segments (ObjectMeta, of objects and
of embedded resources, and selectors), and `RegexError`."""

from __future__ import annotations

import re

_DNS1035_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?"
_DNS1035_RE = re.compile(_DNS1035_LABEL)
_DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_SUBDOMAIN = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
_NAME_PART = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_VALUE = f"({_NAME_PART})?"
_DNS1123_LABEL_RE = re.compile(_DNS1123_LABEL)
_SUBDOMAIN_RE = re.compile(_SUBDOMAIN)
_NAME_PART_RE = re.compile(_NAME_PART)
_LABEL_VALUE_RE = re.compile(_LABEL_VALUE)


def regex_error(message: str, pattern: str, *examples: str) -> str:
    """validation.RegexError."""
    if not examples:
        return f"{message} (regex used for validation is '{pattern}')"
    listed = " or ".join(f"'{e}', " for e in examples)
    return f"{message} (e.g. {listed}regex used for validation is '{pattern}')"


_DNS1035_MESSAGE = regex_error(
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character",
    _DNS1035_LABEL,
    "my-name",
    "abc-123",
)


def _checked(value: str, limit: int, regex: re.Pattern[str], message: str) -> list[str]:
    """The two checks most names have: at most `limit` characters, matching `regex`."""
    problems = []
    if len(value) > limit:
        problems.append(f"must be no more than {limit} characters")
    if not regex.fullmatch(value):
        problems.append(message)
    return problems


def _content_checked(value: str, limit: int, regex: re.Pattern[str], message: str) -> list[str]:
    """As `_checked`, for the checks of k8s.io/apimachinery's api/validate/content (label keys
    and values in 1.37): Go's length, in bytes, and its words for it."""
    problems = []
    if len(value.encode()) > limit:
        problems.append(f"must be no more than {limit} bytes")
    if not regex.fullmatch(value):
        problems.append(message)
    return problems


def dns1035_label_errors(value: str) -> list[str]:
    """validation.IsDNS1035Label."""
    return _checked(value, 63, _DNS1035_RE, _DNS1035_MESSAGE)


DNS1123_LABEL_MESSAGE = regex_error(
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character",
    _DNS1123_LABEL,
    "my-name",
    "123-abc",
)
SUBDOMAIN_MESSAGE = regex_error(
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character",
    _SUBDOMAIN,
    "example.com",
)
_NAME_PART_MESSAGE = regex_error(
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character",
    _NAME_PART,
    "MyName",
    "my.name",
    "123-abc",
)
LABEL_VALUE_MESSAGE = regex_error(
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character",
    _LABEL_VALUE,
    "MyValue",
    "my_value",
    "12345",
)


def dns1123_label_errors(value: str) -> list[str]:
    """validation.IsDNS1123Label."""
    return _checked(value, 63, _DNS1123_LABEL_RE, DNS1123_LABEL_MESSAGE)


def is_dns1123_label(value: str) -> bool:
    return not dns1123_label_errors(value)


def subdomain_errors(value: str) -> list[str]:
    """validation.IsDNS1123Subdomain."""
    return _checked(value, 253, _SUBDOMAIN_RE, SUBDOMAIN_MESSAGE)


def is_dns1123_subdomain(value: str) -> bool:
    return not subdomain_errors(value)


def qualified_name_errors(value: str) -> list[str]:
    """validation.IsQualifiedName (`[prefix/]name`), which is content.IsLabelKey in 1.37."""
    parts = value.split("/")
    if len(parts) > 2:
        return [
            f"a valid label key {_NAME_PART_MESSAGE} with an optional DNS subdomain prefix and "
            "'/' (e.g. 'example.com/MyName')"
        ]
    problems: list[str] = []
    name = parts[-1]
    if len(parts) == 2:
        if not parts[0]:
            problems.append("prefix part must be non-empty")
        else:
            problems += [
                f"prefix part {m}"
                for m in _content_checked(parts[0], 253, _SUBDOMAIN_RE, SUBDOMAIN_MESSAGE)
            ]
    if not name:
        problems.append("name part must be non-empty")
    elif len(name.encode()) > 63:
        problems.append("name part must be no more than 63 bytes")
    if not _NAME_PART_RE.fullmatch(name):
        problems.append(f"name part {_NAME_PART_MESSAGE}")
    return problems


def label_value_errors(value: str) -> list[str]:
    """validation.IsValidLabelValue (content.IsLabelValue in 1.37): empty, or at most 63
    bytes of a name part."""
    return _content_checked(value, 63, _LABEL_VALUE_RE, LABEL_VALUE_MESSAGE)


def path_segment_errors(name: str, prefix: bool = False) -> list[str]:
    """content.IsPathSegmentName, or IsPathSegmentPrefix (a generateName)."""
    if not prefix and name in (".", ".."):
        return [f"may not be '{name}'"]
    return [f"may not contain '{c}'" for c in ("/", "%") if c in name]
