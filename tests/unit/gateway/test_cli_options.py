"""The serving flags `annex gateway` and `annex serve` share, as GatewayOptions fields."""

from __future__ import annotations

import argparse

import pytest

from annex_gateway.cli import add_serving_arguments, serving_options
from annex_gateway.runtime import GatewayOptions
from annex_gateway.storage.index import BODY_CACHE_BYTES


def parsed(*argv: str) -> GatewayOptions:
    parser = argparse.ArgumentParser()
    add_serving_arguments(parser)
    return GatewayOptions(**serving_options(parser.parse_args(argv)))


def test_the_body_cache_is_sized_by_its_flag() -> None:
    assert parsed().body_cache_bytes == BODY_CACHE_BYTES == 12 * 1024 * 1024
    assert parsed("--body-cache-bytes", "1048576").body_cache_bytes == 1048576
    assert parsed("--body-cache-bytes", "0").body_cache_bytes == 0  # no bodies kept


def test_a_negative_body_cache_is_refused() -> None:
    with pytest.raises(SystemExit):
        parsed("--body-cache-bytes", "-1")
