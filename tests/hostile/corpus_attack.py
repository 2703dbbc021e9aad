"""Running the request corpus against a target: one shared client, the object the corpus
addresses created first, and what every answer must be."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp

from tests.hostile.conftest import (
    COLLECTION,
    Answer,
    Memory,
    Target,
    client_session,
    send,
    status_problems,
)
from tests.hostile.request_corpus import JSON, Case, dumps, probe

# What the gateway's resident memory may grow by over the whole corpus (it keeps what it
# stored, 1.4 MiB objects among them, and its caches): measured near 55 MiB.
MEMORY_GROWTH_BOUND_KIB = 192 * 1024


@dataclass(frozen=True)
class Attack:
    target: Target
    session: aiohttp.ClientSession
    before: Memory  # the gateway's memory once ready, before the corpus


@asynccontextmanager
async def attacking(target: Target) -> AsyncIterator[Attack]:
    async with client_session() as session:
        created = await send(
            session, target, "POST", COLLECTION, headers=JSON, body=dumps(probe("target"))
        )
        assert created.status == 201, created.body
        yield Attack(target, session, target.memory())


async def answer_of(attack: Attack, case: Case) -> Answer:
    return await send(
        attack.session, attack.target, case.method, case.path, case.query, case.headers, case.body
    )


def problems(target: str, case: Case, answer: Answer) -> list[str]:
    found = status_problems(answer)
    expected = case.expected(target)
    if answer.status not in expected:
        found.append(f"{answer.status}, expected {sorted(expected)}: {answer.body[:300]!r}")
    return found


async def check_case(attack: Attack, case: Case) -> None:
    """The case's answer is one it may have, a Status if an error; the gateway lives on."""
    answer = await answer_of(attack, case)
    found = problems(attack.target.name, case, answer)
    assert not found, found
    assert attack.target.alive(), attack.target.log_tail()


def check_memory_after(attack: Attack) -> None:
    after = attack.target.memory()
    print(f"\ngateway memory: {attack.before} before the corpus, {after} after")
    assert attack.target.alive(), attack.target.log_tail()
    assert after.rss_kib <= attack.before.rss_kib + MEMORY_GROWTH_BOUND_KIB
