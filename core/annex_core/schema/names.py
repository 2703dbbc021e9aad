"""k8s.io/apimachinery/pkg/util/validation's checks that several schema rules share, with
its messages: a DNS-1035 label (CRD names and version names, an embedded resource's kind,
the CEL `format.dns1035Label()`), and `RegexError` for the others."""

from __future__ import annotations

import re

_DNS1035_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?"
_DNS1035_RE = re.compile(_DNS1035_LABEL)


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


def dns1035_label_errors(value: str) -> list[str]:
    """validation.IsDNS1035Label."""
    problems = []
    if len(value) > 63:
        problems.append("must be no more than 63 characters")
    if not _DNS1035_RE.fullmatch(value):
        problems.append(_DNS1035_MESSAGE)
    return problems
