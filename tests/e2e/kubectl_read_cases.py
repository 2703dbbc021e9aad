"""The kubectl matrix's read commands: get in its forms, field selectors."""

from __future__ import annotations

from tests.e2e.kubectl_images import SPEC, image, manifest, merge
from tests.e2e.kubectl_matrix import Case, k

READ_CASES = [
    Case(
        "read_table",
        (
            k(
                "create",
                "-f",
                "-",
                stdin=manifest(
                    image("a", labels={"app": "a", "tier": "x"}),
                    image("b", {**SPEC, "baseImage": "debian:13", "replicas": 3}),
                ),
            ),
            k("patch", "{R}", "b", "--subresource=status", *merge({"status": {"phase": "Ready"}})),
            k("get", "{R}"),
            k("get", "{R}", "-o", "wide"),
            k("get", "{R}", "--show-labels"),
            k("get", "{R}", "-L", "tier"),
            k("get", "{R}", "b"),
            k("get", "{R}", "--sort-by=.spec.replicas", "--no-headers"),
            k("get", "{R}", "-o", "custom-columns=NAME:.metadata.name,BASE:.spec.baseImage"),
            k("get", "{R}", "-o", "jsonpath={.items[*].spec.baseImage}"),
            k("get", "{R}", "--chunk-size=1", "-o", "name"),
            k("get", "{R}", "b", "--subresource=scale"),
            k("get", "{R}", "b", "--subresource=status"),
            k("get", "{R}", "missing", rc=1),
            # A watch ended by the client's timeout: the current state as watch events.
            k("get", "{R}", "-w", "--output-watch-events", "--request-timeout=2s"),
            k("get", "{R}", "b", "-w", "-o", "name", "--request-timeout=2s"),
        ),
    ),
    Case(
        "field_selector",
        (
            k(
                "create",
                "-f",
                "-",
                stdin=manifest(
                    image("a"),
                    image("b", {**SPEC, "baseImage": "debian:13"}),
                    image("c", {**SPEC, "build": {"cache": {"enabled": False}}}),
                ),
            ),
            k("get", "{R}", "--field-selector", "spec.baseImage=debian:13", "-o", "name"),
            k("get", "{R}", "--field-selector", "spec.baseImage!=debian:13", "-o", "name"),
            k("get", "{R}", "--field-selector", "spec.build.cache.enabled=true", "-o", "name"),
            k("get", "{R}", "--field-selector", "status.phase=", "-o", "name"),
            k(
                "patch",
                "{R}",
                "c",
                "--subresource=status",
                *merge({"status": {"phase": "Ready"}}),
            ),
            k("get", "{R}", "--field-selector", "status.phase=Ready", "-o", "name"),
            k("get", "{R}", "--field-selector", "spec.replicas=1", rc=1),
            k("delete", "{R}", "--field-selector", "spec.baseImage=debian:12"),
            k("get", "{R}", "-o", "name"),
        ),
    ),
]
