"""Query parameters converted as k8s.io/apimachinery converts url.Values: strconv's integers,
its words for what fails, lenient booleans."""

from __future__ import annotations

import pytest
from multidict import MultiDict

from annex_core.gotext import parse_int64, parse_uint64
from annex_gateway.apierrors import StatusError
from annex_gateway.endpoints.queryparams import bool_param, int64_param


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5", 5),
        ("+5", 5),
        ("-0", 0),
        ("01", 1),
        ("9223372036854775807", 2**63 - 1),
        ("-9223372036854775808", -(2**63)),
    ],
)
def test_int64s_go_takes(text: str, value: int) -> None:
    assert parse_int64(text) == value


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (" 1", "invalid syntax"),
        ("1 ", "invalid syntax"),
        ("1_000", "invalid syntax"),
        ("\u0663", "invalid syntax"),
        ("1.5", "invalid syntax"),
        ("1e3", "invalid syntax"),
        ("0x10", "invalid syntax"),
        ("", "invalid syntax"),
        ("9223372036854775808", "value out of range"),
    ],
)
def test_int64s_go_refuses(text: str, why: str) -> None:
    with pytest.raises(StatusError) as caught:
        int64_param({"limit": text}, "limit")
    assert (caught.value.code, caught.value.message) == (
        400,
        f'strconv.ParseInt: parsing "{text}": {why}',
    )


def test_uint64s_take_no_sign() -> None:
    assert parse_uint64("18446744073709551615") == 2**64 - 1
    for text in ("+5", "-0", "18446744073709551616"):
        with pytest.raises(ValueError, match=r"strconv\.ParseUint"):
            parse_uint64(text)


def test_the_first_value_counts() -> None:
    assert int64_param(MultiDict([("limit", "1"), ("limit", "abc")]), "limit") == 1


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("yes", True),
        ("", True),
        ("x", True),
        ("0", False),
        ("FALSE", False),
        ("False", False),
    ],
)
def test_booleans_are_true_unless_0_or_false(text: str, value: bool) -> None:
    assert bool_param({"watch": text}, "watch") is value
    assert bool_param({}, "watch") is None
