"""Where kopf keeps its bookkeeping: annotations under `annex.dev/`, never `.status`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any, cast

import kopf

PREFIX = "annex.dev"


class DigestDiffBaseStorage(kopf.AnnotationsDiffBaseStorage):
    """Remembers a digest of the last handled spec, not the spec itself.

    kopf's diff base is a copy of the spec, labels and annotations. An ApiDefinition carries
    whole OpenAPI schemas, and a copy in an annotation would soon pass the 256 KiB limit on
    all annotations together, failing every patch kopf makes. Our handlers only need to know
    *that* something changed (they reconcile everything), never old/new/diff.
    """

    def build(
        self, *, body: kopf.Body, extra_fields: Iterable[Any] | None = None
    ) -> kopf.BodyEssence:
        essence: dict[str, Any] = dict(super().build(body=body, extra_fields=extra_fields))
        # kopf drops its own annotations from the essence only after `build`; too late for a
        # digest, so drop them here.
        annotations = essence.get("metadata", {}).get("annotations", {})
        for key in [k for k in annotations if k.startswith(f"{PREFIX}/")]:
            del annotations[key]
        self.remove_empty_stanzas(cast(kopf.BodyEssence, essence))
        encoded = json.dumps(essence, sort_keys=True, separators=(",", ":")).encode()
        return cast(kopf.BodyEssence, {"sha256": hashlib.sha256(encoded).hexdigest()})


def progress_storage() -> kopf.AnnotationsProgressStorage:
    return kopf.AnnotationsProgressStorage(prefix=PREFIX)


def diffbase_storage() -> DigestDiffBaseStorage:
    return DigestDiffBaseStorage(prefix=PREFIX, key="last-handled-configuration")
