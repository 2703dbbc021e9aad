"""Content-Type as Go's mime.ParseMediaType reads it (kube-apiserver answers 415 where it
fails); each case was sent to kube-apiserver for a custom resource."""

from __future__ import annotations

import pytest

from annex_gateway.endpoints.mediatype import parse_media_type


@pytest.mark.parametrize(
    ("text", "media"),
    [
        ("application/json", "application/json"),
        ("application/json;", "application/json"),  # a trailing semicolon is no error
        ("application/json; charset=utf-8", "application/json"),
        ("APPLICATION/JSON", "application/json"),
        ("  application/json  ", "application/json"),
        ('application/json; a="x;y"', "application/json"),
        ("application/json; a=1; a=1", "application/json"),
        ("text", "text"),
        ("*/*", "*/*"),
    ],
)
def test_what_parses(text: str, media: str) -> None:
    assert parse_media_type(text) == media


@pytest.mark.parametrize(
    "text",
    [
        ";;;",
        "application/json;;",
        "application/json; =x",
        'application/json; a="b',
        "application/json, application/yaml",
        "application/json/x",
        "application/json; a=1; a=2",
        "/",
        "ü/x",
    ],
)
def test_what_does_not(text: str) -> None:
    assert parse_media_type(text) is None
