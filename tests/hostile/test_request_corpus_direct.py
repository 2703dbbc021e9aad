"""The request corpus against the gateway alone (`annex serve`): each case's status, every
error a Status, no 5xx, no hang; then the process alive and its memory back under a bound."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.hostile.conftest import Target
from tests.hostile.corpus_attack import Attack, attacking, check_case, check_memory_after
from tests.hostile.request_corpus import Case, cases_for

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def attack(direct: Target) -> AsyncIterator[Attack]:
    async with attacking(direct) as running:
        yield running


@pytest.mark.parametrize("case", list(cases_for("direct")), ids=repr)
async def test_case(case: Case, attack: Attack) -> None:
    await check_case(attack, case)


async def test_memory_after_the_corpus(attack: Attack) -> None:
    check_memory_after(attack)
