"""Discovery helpers: which OpenAPI v2 encoding the Accept header asks for."""

from __future__ import annotations

import pytest

from annex_gateway.endpoints import discovery

PROTOBUF = discovery.OPENAPI_V2_PROTOBUF


@pytest.mark.parametrize(
    ("accept", "protobuf"),
    [
        (None, False),
        ("", False),
        ("application/json", False),
        (PROTOBUF, True),
        (f"{PROTOBUF}, application/json", True),
        (f" {PROTOBUF.upper()} ;q=0.9 , application/json", True),
        (f"application/json, {PROTOBUF}", False),
        (f"*/*, {PROTOBUF}", False),
        (f"application/*;q=0.5, {PROTOBUF}", False),
        (f"text/html, {PROTOBUF}", True),
        ("application/vnd.kubernetes.protobuf", False),
    ],
)
def test_wants_protobuf_takes_the_first_clause_it_can_serve(
    accept: str | None, protobuf: bool
) -> None:
    assert discovery.wants_protobuf(accept) is protobuf
