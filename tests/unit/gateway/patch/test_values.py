"""Go's JSON rendering of strings in fieldsV1 keys (k:{...}, v:...)."""

from __future__ import annotations

import itertools
import json

from annex_gateway.patch.values import go_json_string


def _encoding_json(s: str) -> str:
    """encoding/json: json.Marshal's escapes, HTML-safe, JS line separators escaped."""
    out = json.dumps(s, ensure_ascii=False)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        out = out.replace(char, escaped)
    return out


def test_strings_are_written_as_go_writes_them() -> None:
    alphabet = 'a"\\<>&\x00\x1f\x7f \u2028\u2029é😀/\n\t'
    for n in range(4):
        for chars in itertools.product(alphabet, repeat=n):
            s = "".join(chars)
            assert go_json_string(s) == _encoding_json(s)
    assert go_json_string("a<b") == '"a\\u003cb"'
    assert go_json_string("plain-name_1.2") == '"plain-name_1.2"'
