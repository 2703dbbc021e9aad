"""What a schema change does to the objects already stored: how many the new schema refuses.

A CRD takes any schema change and lets ratcheting carry the old objects along; users find out
when an update is refused. The gateway tells them twice. Before the change takes effect, the
ApiDefinition admission webhook checks the stored objects against the schema being written
and kube-apiserver passes the counts on as warnings (`kubectl apply --dry-run=server` shows
them without changing anything). As it takes effect, the gateway checks them again in the
background and the ApiDefinition says how many the schema refuses (condition
`StoredObjectsValid`), naming a few.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

from annex_gateway.registry.resource import ResourceInfo
from annex_gateway.registry.strategy import ResourceStrategy
from annex_gateway.storage import Store

BATCH = 100  # objects read and checked between two turns of the event loop
EXAMPLES = 3  # invalid objects named in the message


@dataclass(frozen=True)
class Impact:
    """The stored objects of one resource, checked at one served version."""

    plural: str
    version: str
    checked: int
    invalid: int
    examples: tuple[str, ...]  # `namespace/name: field: message`
    complete: bool = True  # False: the deadline came first, `checked` are the first ones

    def warning(self) -> str:
        """Before the change: counts only (the webhook answers whoever reaches it)."""
        where = f"stored {self.plural} at {self.version}"
        if not self.complete:
            return (
                f"{self.invalid} of the first {self.checked} {where} would be invalid under "
                "the new schema (not all were checked in time)"
            )
        return (
            f"{self.invalid} of {self.checked} {where} would be invalid under the new schema "
            "(updates to them must fix them)"
        )

    def summary(self) -> str:
        where = f"{self.plural} at {self.version}"
        if not self.invalid:
            return f"all {self.checked} stored {where} are valid"
        return (
            f"{self.invalid} of {self.checked} stored {where} are invalid under its schema "
            f"(updates to them must fix them): {'; '.join(self.examples)}"
        )


async def assess(
    store: Store, info: ResourceInfo, strategy: ResourceStrategy, deadline: float | None = None
) -> Impact:
    """Read every stored object of the resource at `info`'s version and validate it there as
    a create would (no ratcheting: no older object to forgive against); or those read before
    `deadline` (time.monotonic())."""
    checked = invalid = 0
    examples: list[str] = []
    after: tuple[str, str] | None = None
    while True:
        page = await store.list(info.storage_prefix, None, limit=BATCH, after=after)
        if page.items:
            last = page.items[-1]["metadata"]
            after = (last.get("namespace", ""), last["name"])
        for obj in await info.served_all(page.items):
            checked += 1
            errors = strategy.validate(obj)
            if not errors:
                continue
            invalid += 1
            if len(examples) < EXAMPLES:
                meta = obj["metadata"]
                name = "/".join(p for p in (meta.get("namespace"), meta.get("name")) if p)
                examples.append(f"{name}: {errors[0]}")
        if not page.more:
            return Impact(info.plural, info.version, checked, invalid, tuple(examples))
        if deadline is not None and time.monotonic() > deadline:
            return Impact(info.plural, info.version, checked, invalid, tuple(examples), False)
        await asyncio.sleep(0)  # requests go first


def condition(impacts: Sequence[Impact], generation: int, now: str) -> dict[str, object]:
    """The `StoredObjectsValid` condition of a definition whose schemas were checked."""
    bad = [i for i in impacts if i.invalid]
    return {
        "type": "StoredObjectsValid",
        "status": "False" if bad else "True",
        "reason": "InvalidObjects" if bad else "AllValid",
        "message": "; ".join(i.summary() for i in (bad or impacts)),
        "observedGeneration": generation,
        "lastTransitionTime": now,
    }
