"""The kubectl matrix's read commands: get in its forms, selectors, describe, explain."""

from __future__ import annotations

from tests.e2e.kubectl_images import READY, SPEC, image, manifest, merge, set_status
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
        "categories",
        (
            k(
                "create",
                "-f",
                "-",
                stdin=manifest(image("a"), image("b", {**SPEC, "baseImage": "debian:13"})),
            ),
            # the category expanded through discovery, as `kubectl get all` is
            k("get", "{C}"),
            k("get", "{C}", "-o", "name"),
            k("get", "{C}", "-o", "wide", "--show-labels"),
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
    Case(
        "list_reads",
        (
            k(
                "create",
                "-f",
                "-",
                stdin=manifest(
                    image("a", {**SPEC, "replicas": 3}, labels={"tier": "front"}),
                    image("b", {**SPEC, "baseImage": "debian:13"}, labels={"tier": "front"}),
                    image(
                        "c",
                        {**SPEC, "baseImage": "debian:13", "replicas": 5},
                        labels={"tier": "back"},
                    ),
                    image("d", {**SPEC, "replicas": 2}, labels={"tier": "back"}),
                    image(
                        "e",
                        {**SPEC, "baseImage": "alpine:3", "replicas": 4},
                        labels={"tier": "side"},
                    ),
                ),
            ),
            set_status("a", phase="Ready"),
            set_status("c", phase="Ready"),
            # more objects than the chunk: three pages, merged by kubectl
            k("get", "{R}", "--chunk-size=2"),
            k("get", "{R}", "--chunk-size=2", "-o", "wide", "--show-labels"),
            k("get", "{R}", "--chunk-size=2", "-o", "yaml"),
            k("get", "{R}", "-o", "yaml"),
            k("get", "{R}", "a", "c", "-o", "yaml"),
            k("get", "{R}", "--sort-by=.spec.baseImage"),
            k("get", "{R}", "--sort-by=.status.phase", "-o", "name"),
            k(
                "get",
                "{R}",
                "--sort-by={.spec.replicas}",
                "-o",
                "custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas",
            ),
            # field selectors on selectableFields together with label selectors
            k("get", "{R}", "-l", "tier=front", "--field-selector", "spec.baseImage=debian:13"),
            k(
                "get",
                "{R}",
                "-l",
                "tier in (front,back)",
                "--field-selector",
                "status.phase=Ready,spec.baseImage!=debian:12",
                "-o",
                "name",
            ),
            k(
                "get",
                "{R}",
                "-l",
                "tier!=side",
                "--field-selector",
                "spec.baseImage=debian:12",
                "--chunk-size=1",
            ),
            k(
                "get",
                "{R}",
                "-l",
                "tier=none",
                "--field-selector",
                "status.phase=Ready",
                expect="No resources found in {NS} namespace.",
            ),
            k("get", "{R}", "-l", "tier=front", "--field-selector", "spec.replicas=3", rc=1),
        ),
    ),
    Case(
        "other_get_forms",
        (
            k(
                "create",
                "-f",
                "-",
                stdin=manifest(
                    image("a", labels={"case": "other-get-forms"}),
                    image("b", {**SPEC, "baseImage": "debian:13"}, labels={"case": "x"}),
                ),
            ),
            # across namespaces: a NAMESPACE column (only this case's objects, by label)
            k("get", "{R}", "-A", "-l", "case=other-get-forms"),
            k("get", "{R}", "--all-namespaces", "-l", "case", "-o", "wide"),
            k("get", "{R}", "--show-kind"),
            k("get", "{R}", "a", "--server-print=false"),
            k("get", "{R}", "--server-print=false", "--show-labels"),
            k(
                "get",
                "{R}",
                "-o",
                "go-template={{range .items}}{{.metadata.name}}/{{.spec.baseImage}} {{end}}",
            ),
            k("get", "{R}", "b", "-o", "jsonpath={.metadata.labels.case}"),
            k("get", "{R}", "--ignore-not-found", "missing"),
            k("get", "{R}", "a", "missing", rc=1),
            k("get", "{R}", "-l", "case notin (x)", "-o", "name"),
            # discovery as kubectl shows it: names, scope, kind, verbs, categories
            k("api-resources", "--api-group={G}"),
            k("api-resources", "--api-group={G}", "-o", "wide"),
            k("api-resources", "--api-group={G}", "--namespaced=false"),
            k("api-resources", "--api-group={G}", "--verbs=watch", "-o", "name"),
            k("auth", "can-i", "watch", "{R}"),
        ),
    ),
    Case(
        "across_namespaces",
        (
            k("create", "-f", "-", stdin=manifest(image("a", labels={"case": "across"}))),
            k(
                "create",
                "-n",
                "{NS}-b",
                "-f",
                "-",
                stdin=manifest(
                    image("a", labels={"case": "across"}), image("b", labels={"case": "across"})
                ),
            ),
            # kube-apiserver's key order: {NS}-b/a before {NS}/a ('-' sorts before '/')
            k("get", "{R}", "-A", "-l", "case=across"),
            k("get", "{R}", "-A", "-l", "case=across", "--chunk-size=1", "-o", "name"),
            k(
                "get",
                "{R}",
                "-A",
                "-l",
                "case=across",
                "-o",
                "jsonpath={.items[*].metadata.namespace}",
            ),
        ),
        more_namespaces=("-b",),
    ),
    Case(
        "describe",
        (
            k(
                "create",
                "-f",
                "-",
                stdin=manifest(image("web"), image("db", {**SPEC, "baseImage": "postgres:17"})),
            ),
            k("annotate", "{R}", "web", "note=first"),
            set_status("web", phase="Ready", conditions=[READY]),
            k("describe", "{R}", "web", expect="Name:         web"),
            k("describe", "{R}"),
            k("describe", "{R}", "-l", "app=db"),
            k("describe", "{R}", "missing", rc=1, expect='images.{G} "missing" not found'),
        ),
    ),
    Case(
        "explain_fields",
        (
            k("explain", "images", "--api-version={API}"),
            k("explain", "images.spec.build", "--api-version={API}"),
            k("explain", "images.spec.build", "--recursive", "--api-version={API}"),
            k("explain", "images.spec.ports", "--api-version={API}"),
            k("explain", "images.status.conditions", "--api-version={API}"),
            k("explain", "images.spec.colour", "--api-version={API}", rc=1),
        ),
    ),
]
