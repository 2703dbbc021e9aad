"""Bodies small on the wire and huge once decoded, or nested past any object: the gateway's peak
memory (VmHWM, reset before each) stays within a stated bound of where it was, each is
refused with a Status, and the gateway is alive after.

Bounds: 64 MiB over the resident size before the request for expansion and nesting bombs
(refused while composing or parsing: their cost is the body's, not the object's); 256 MiB for
a 3 MiB JSON body of a million empty arrays, which orjson builds before its size is known
(the wire limit bounds it: nothing wider fits in 3 MiB).
"""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
import pytest_asyncio

from annex_core import apidef
from tests.hostile.conftest import COLLECTION, Target, send, status_problems
from tests.hostile.corpus_attack import Attack, attacking
from tests.hostile.request_corpus import (
    APPLY,
    ITEM,
    JSON,
    JSON_PATCH,
    YAML,
    copying_patch,
    laughs,
    long_string_bomb,
    nested_json,
    yaml_probe,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

BOMB_BOUND_KIB = 64 * 1024
WIDE_BOUND_KIB = 256 * 1024
THREE_MIB = 3 * 1024 * 1024 - 64  # just under the wire limit
IMPACT = apidef.IMPACT_WEBHOOK_PATH


@dataclass(frozen=True)
class Bomb:
    body: bytes
    status: int
    headers: dict[str, str] = field(default_factory=lambda: JSON)
    bound_kib: int = BOMB_BOUND_KIB
    method: str = "POST"
    path: str = COLLECTION
    query: str = ""


BOMBS = {
    "alias-long-string": Bomb(yaml_probe("b1", long_string_bomb()), 413, YAML),
    "alias-long-string-3mib": Bomb(yaml_probe("b2", long_string_bomb(2_900_000, 1000)), 413, YAML),
    "alias-billion-laughs": Bomb(yaml_probe("b3", laughs()), 400, YAML),
    "alias-narrow-and-deep": Bomb(yaml_probe("b4", laughs(levels=60, width=2)), 400, YAML),
    "alias-apply": Bomb(
        yaml_probe("b5", long_string_bomb()),
        413,
        APPLY,
        method="PATCH",
        path=f"{COLLECTION}/b5",
        query="fieldManager=m",
    ),
    "nesting-json-3mib": Bomb(nested_json(THREE_MIB // 2 - 100), 400),
    "nesting-json-unbalanced-3mib": Bomb(b'{"a":' + b"[" * THREE_MIB, 400),
    "nesting-json-maps-3mib": Bomb(b'{"a":' * (THREE_MIB // 5), 400),
    "nesting-yaml-flow-3mib": Bomb(b"a: " + b"[" * THREE_MIB, 400, YAML),
    "nesting-yaml-block": Bomb(b"".join(b" " * i + b"a:\n" for i in range(2400)), 400, YAML),
    "nesting-yaml-sequences-3mib": Bomb(b"- " * (THREE_MIB // 2) + b"x\n", 400, YAML),
    "patch-copies": Bomb(copying_patch(700_000, 4), 413, JSON_PATCH, method="PATCH", path=ITEM),
    "gzip-50mib": Bomb(
        gzip.compress(b'{"a":"' + b"x" * (50 * 1024 * 1024) + b'"}'),
        400,
        {**JSON, "Content-Encoding": "gzip"},
    ),
    "wide-json-arrays-3mib": Bomb(
        b'{"a":[' + b"[]," * (THREE_MIB // 3 - 10) + b"[]]}", 413, bound_kib=WIDE_BOUND_KIB
    ),
    "wide-json-objects-3mib": Bomb(
        b'{"a":[' + b"{}," * (THREE_MIB // 3 - 10) + b"{}]}", 413, bound_kib=WIDE_BOUND_KIB
    ),
    # The ApiDefinition admission webhook: open to callers without credentials.
    "impact-nesting-json-3mib": Bomb(nested_json(THREE_MIB // 2 - 100), 400, path=IMPACT),
    "impact-wide-json-3mib": Bomb(
        b"[" + b"[]," * (THREE_MIB // 3 - 10) + b"[]]", 400, bound_kib=WIDE_BOUND_KIB, path=IMPACT
    ),
    "impact-review-of-a-wide-object": Bomb(
        b'{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u",'
        b'"operation":"UPDATE","object":{"kind":"ApiDefinition","spec":{"resources":['
        + b"{}," * (THREE_MIB // 3 - 100)
        + b"{}]}}}}",
        200,
        bound_kib=WIDE_BOUND_KIB,
        path=IMPACT,
    ),
}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def attack(direct: Target) -> AsyncIterator[Attack]:
    async with attacking(direct) as running:
        yield running


@pytest.mark.parametrize("name", list(BOMBS))
async def test_a_bomb_is_refused_within_the_memory_bound(name: str, attack: Attack) -> None:
    bomb, target = BOMBS[name], attack.target
    target.reset_peak()
    before = target.memory()
    answer = await send(
        attack.session, target, bomb.method, bomb.path, bomb.query, bomb.headers, bomb.body
    )
    grew = target.memory().peak_kib - before.rss_kib
    print(
        f"\n{name}: {len(bomb.body)} bytes, {answer.status}, peak +{grew} KiB over {before.rss_kib} KiB"
    )
    assert answer.status == bomb.status, answer.body[:300]
    assert not status_problems(answer)
    assert grew <= bomb.bound_kib
    assert target.alive(), target.log_tail()
