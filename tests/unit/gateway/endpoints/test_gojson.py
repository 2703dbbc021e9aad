"""JSON laid out as Go's encoders write it: json.Indent's layout, whole or fed in pieces."""

from __future__ import annotations

import json

import pytest

from annex_gateway.endpoints import gojson

COMPACT = (
    b'{"apiVersion":"v1","items":[{"a":[],"b":{},"c":[1,{"d":"x,:{}[]\\"\\\\"}]},'
    b'{"e":null,"f":-1.5,"g":true}],"kind":"List","metadata":{"continue":""}}'
)


def test_indent_is_json_indent_with_two_spaces() -> None:
    """Python's json.dumps(indent=2) writes the same layout for this text (no escapes it
    would write differently, `{}` and `[]` kept as they are)."""
    expected = json.dumps(json.loads(COMPACT), indent=2).encode()
    assert gojson.indent(COMPACT) == expected


@pytest.mark.parametrize("cut", [1, 27, 28, 60, 61, 100, len(COMPACT) - 1])
def test_indenter_fed_in_pieces_writes_what_indent_writes(cut: int) -> None:
    """Pieces end between tokens, as a list's head, pages and tail do."""
    tokens = [m.end() for m in gojson._TOKEN.finditer(COMPACT)]
    at = min(tokens, key=lambda end: abs(end - cut))
    indenter = gojson.Indenter()
    assert indenter.feed(COMPACT[:at]) + indenter.feed(COMPACT[at:]) == gojson.indent(COMPACT)


@pytest.mark.parametrize(
    ("query", "agent", "pretty"),
    [
        ({"pretty": "true"}, None, True),
        ({"pretty": "1"}, None, True),
        ({"pretty": "T"}, None, True),
        ({"pretty": "yes"}, "curl/8.5.0", False),  # ParseBool fails: false, agent unread
        ({"pretty": "false"}, "curl/8.5.0", False),
        ({"pretty": ""}, "curl/8.5.0", True),  # empty: the agent decides
        ({}, "Wget/1.21", True),
        ({}, "Mozilla/5.0 (X11)", True),
        ({}, "mozilla/5.0", False),
        ({}, "kubectl/v1.37.2", False),
        ({}, None, False),
    ],
)
def test_wants_pretty_is_is_pretty_print(
    query: dict[str, str], agent: str | None, pretty: bool
) -> None:
    assert gojson.wants_pretty(query, agent) is pretty
