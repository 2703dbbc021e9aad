"""Random writes on a few keys, for compaction tests: creates, updates, deletes and
recreations, each checked against the revision it last saw."""

from __future__ import annotations

import random

from annex_gateway.storage import ObjectKey, Store

IMAGES = "images.example.com/images"


async def random_write(
    store: Store, rng: random.Random, versions: dict[str, int], *, keys: int, pad: int = 0
) -> None:
    """One write to one of `keys` names; `versions` holds the live ones' revisions. A
    created object carries up to `pad` bytes of padding."""
    name = f"o{rng.randrange(keys)}"
    key = ObjectKey(IMAGES, "default", name)
    if name not in versions:
        spec = {"pad": "x" * rng.randrange(pad)} if pad else {}
        created = await store.create(key, {"metadata": {"name": name}, "spec": spec})
        versions[name] = int(created["metadata"]["resourceVersion"])
    elif rng.random() < 0.3:
        await store.delete(key)
        del versions[name]
    else:
        body = {"metadata": {"name": name}, "spec": {"n": rng.random()}}
        updated = await store.update(key, body, expected_revision=versions[name])
        versions[name] = int(updated["metadata"]["resourceVersion"])
