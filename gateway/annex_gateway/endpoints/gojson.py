"""JSON bytes laid out as kube-apiserver's Go encoders write them.

* `finish`: `json.Encoder.Encode` ends a body with a newline; with `pretty`, the serializer
  writes `json.MarshalIndent(obj, "", "  ")` instead, which does not.
* `indent`, `Indenter`: json.Indent's layout of a compact text, whole or piece by piece.
(The HTML-safe escapes a CRD's objects have are annex_core.gotext's `escape_html`.)
* `wants_pretty`: negotiate.go's `isPrettyPrint`, the `pretty` query parameter or a browser's
  or curl's User-Agent (the `pretty=1` Accept parameter is the negotiation's).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# Above this many bytes, indenting (a Python loop over the tokens) leaves the event loop.
INDENT_INLINE = 64 * 1024

# strconv.ParseBool's true spellings; anything else it parses (or fails to) means false.
_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_PRETTY_AGENTS = ("curl", "Wget", "Mozilla/5.0")

# A compact JSON text's tokens: strings (escapes included), punctuation, and the literals and
# numbers between them.
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^"{}\[\],:]+', re.S)


def wants_pretty(query: Mapping[str, str], user_agent: str | None) -> bool:
    value = query.get("pretty", "")
    if value:
        return value in _TRUE
    return user_agent is not None and user_agent.startswith(_PRETTY_AGENTS)


def finish(compact: bytes, pretty: bool) -> bytes:
    return indent(compact) if pretty else compact + b"\n"


def indent(compact: bytes) -> bytes:
    """`json.Indent(dst, src, "", "  ")` of a compact text: one member or element per line,
    `": "` after keys, and `{}` / `[]` left as they are when empty."""
    return Indenter().feed(compact)


class Indenter:
    """`indent` fed a compact text in pieces, as a list is sent: each piece must end between
    tokens (never inside a string or a number)."""

    def __init__(self) -> None:
        self.depth = 0
        self.opened = False  # just after `{` or `[`: the line break waits for what comes next

    def feed(self, compact: bytes) -> bytes:
        out = bytearray()
        depth, opened = self.depth, self.opened
        for match in _TOKEN.finditer(compact):
            token = match.group()
            if token in (b"}", b"]"):
                depth -= 1
                if not opened:
                    out += b"\n" + b"  " * depth
                out += token
                opened = False
                continue
            if opened:
                out += b"\n" + b"  " * depth
                opened = False
            if token in (b"{", b"["):
                out += token
                depth += 1
                opened = True
            elif token == b",":
                out += b",\n" + b"  " * depth
            elif token == b":":
                out += b": "
            else:
                out += token
        self.depth, self.opened = depth, opened
        return bytes(out)
