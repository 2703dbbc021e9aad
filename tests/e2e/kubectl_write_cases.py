"""The kubectl matrix's write commands: create, apply, edit, patch, label, scale, status, delete."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.kubectl_images import (
    CHANGED_SPEC,
    CREATE,
    GENERATION,
    GET,
    GET_MANAGED,
    GONE,
    SPEC,
    SSA,
    image,
    jsonpatch,
    manifest,
    merge,
)
from tests.e2e.kubectl_matrix import Case, k


def with_status_and_spec(obj: Any) -> Any:
    obj["spec"]["baseImage"] = "debian:13"
    obj["status"] = {"phase": "Failed"}
    return obj


WRITE_CASES = [
    # -- create ------------------------------------------------------------------------------
    Case(
        "create_generate_name",
        (
            k(
                "create",
                "-f",
                "-",
                stdin=manifest(
                    {
                        "apiVersion": "{API}",
                        "kind": "Image",
                        "metadata": {"generateName": "gen-"},
                        "spec": SPEC,
                    }
                ),
                expect="image.{G}/gen-<generated> created",
            ),
            k("get", "{R}", "-o", "json"),
            k("create", "-f", "-", stdin=manifest(image()), expect="created"),
            k("create", "-f", "-", stdin=manifest(image()), rc=1, expect="AlreadyExists"),
        ),
    ),
    # -- apply, client side --------------------------------------------------------------------
    Case(
        "apply_client_side",
        (
            k("apply", "-f", "-", stdin=manifest(image()), expect="image.{G}/web created"),
            k("apply", "-f", "-", stdin=manifest(image()), expect="image.{G}/web unchanged"),
            k(
                "apply",
                "-f",
                "-",
                stdin=manifest(image(spec=CHANGED_SPEC)),
                expect="image.{G}/web configured",
            ),
            GET,
        ),
    ),
    # -- apply, server side ------------------------------------------------------------------
    Case(
        "apply_server_side_conflict",
        (
            k(*SSA, "--field-manager=alice", stdin=manifest(image()), expect="serverside-applied"),
            k(
                *SSA,
                "--field-manager=bob",
                stdin=manifest(image(spec={"baseImage": "debian:13"})),
                rc=1,
                expect='conflict with "alice": .spec.baseImage',
            ),
            GET_MANAGED,
        ),
    ),
    Case(
        "apply_server_side_force_conflicts",
        (
            k(*SSA, "--field-manager=alice", stdin=manifest(image())),
            k(
                *SSA,
                "--field-manager=bob",
                "--force-conflicts",
                stdin=manifest(
                    image(
                        spec={
                            "baseImage": "debian:13",
                            "packages": ["git", "vim"],
                            "ports": [{"name": "metrics", "port": 9090}],
                            "env": {"TZ": "UTC"},
                        },
                        labels={"owner": "bob"},
                    )
                ),
                expect="serverside-applied",
            ),
            GET_MANAGED,
            # alice still asks for debian:12, which bob owns now
            k(*SSA, "--field-manager=alice", stdin=manifest(image()), rc=1, expect='"bob"'),
        ),
    ),
    Case(
        "apply_server_side_drop_field",
        (
            k(*SSA, "--field-manager=alice", stdin=manifest(image())),
            # bob co-owns env.LANG with the same value: no conflict, and it outlives alice's
            k(
                *SSA,
                "--field-manager=bob",
                stdin=manifest(image(spec={"baseImage": "debian:12", "env": {"LANG": "C"}})),
            ),
            k(
                *SSA,
                "--field-manager=alice",
                stdin=manifest(
                    image(
                        spec={
                            "baseImage": "debian:12",
                            "packages": ["curl"],
                            "ports": [{"name": "http", "port": 80}],
                        }
                    )
                ),
            ),
            GET_MANAGED,
        ),
    ),
    Case(
        "apply_server_side_after_create",
        (
            CREATE,
            k(
                *SSA,
                "--field-manager=alice",
                stdin=manifest(image(spec={"baseImage": "debian:13"})),
                rc=1,
                expect='conflict with "kubectl-create"',
            ),
            k(
                *SSA,
                "--field-manager=alice",
                "--force-conflicts",
                stdin=manifest(image(spec={"baseImage": "debian:13"})),
            ),
            GET_MANAGED,
        ),
    ),
    # -- edit ------------------------------------------------------------------------------------
    Case(
        "edit",
        (
            CREATE,
            k(
                "edit",
                "{R}",
                "web",
                editor="sed -i -e 's/baseImage: debian:12/baseImage: debian:13/' -e 's/- git$/- vim/'",
                expect="image.{G}/web edited",
            ),
            k("edit", "{R}", "web", editor="true", expect="Edit cancelled, no changes made."),
            GET,
        ),
    ),
    # -- patch -------------------------------------------------------------------------------------
    Case(
        "patch_json",
        (
            CREATE,
            k(
                "patch",
                "{R}",
                "web",
                *jsonpatch(
                    {"op": "replace", "path": "/spec/baseImage", "value": "debian:13"},
                    {"op": "add", "path": "/spec/packages/-", "value": "vim"},
                    {"op": "remove", "path": "/spec/env/LANG"},
                    {"op": "add", "path": "/spec/ports/0/protocol", "value": "TCP"},
                    {"op": "add", "path": "/metadata/labels/tier", "value": "base"},
                ),
                expect="image.{G}/web patched",
            ),
            GET,
        ),
    ),
    Case(
        "patch_json_test_op",
        (
            CREATE,
            k(
                "patch",
                "{R}",
                "web",
                *jsonpatch(
                    {"op": "test", "path": "/spec/baseImage", "value": "debian:11"},
                    {"op": "replace", "path": "/spec/baseImage", "value": "debian:13"},
                ),
                rc=1,
            ),
            k(
                "patch",
                "{R}",
                "web",
                *jsonpatch(
                    {"op": "test", "path": "/spec/baseImage", "value": "debian:12"},
                    {"op": "replace", "path": "/spec/baseImage", "value": "debian:13"},
                ),
                expect="patched",
            ),
            GET,
        ),
    ),
    Case(
        "patch_merge",
        (
            CREATE,
            k(
                "patch",
                "{R}",
                "web",
                *merge(
                    {
                        "spec": {
                            "env": {"LANG": None, "TZ": "UTC"},
                            "build": {"cache": {"ttl": "1h"}, "resources": None},
                            "ports": [{"name": "grpc", "port": 50051}],
                        }
                    }
                ),
                expect="image.{G}/web patched",
            ),
            k(
                "patch",
                "{R}",
                "web",
                *merge({"spec": {"env": {"TZ": "UTC"}}}),
                expect="patched (no change)",
            ),
            GET,
        ),
    ),
    Case(
        "patch_strategic_is_unsupported",
        (
            CREATE,
            k(
                "patch",
                "{R}",
                "web",
                "-p",
                json.dumps({"spec": {"baseImage": "debian:13"}}),
                rc=1,
                expect="application/strategic-merge-patch+json is not supported by {G}/v1, Kind=Image",
            ),
            k(
                "patch",
                "{R}",
                "web",
                "--type=strategic",
                "-p",
                json.dumps({"spec": {"baseImage": "debian:13"}}),
                rc=1,
            ),
            GET,
        ),
    ),
    Case(
        "patch_validation",
        (
            CREATE,
            k("patch", "{R}", "web", *merge({"spec": {"replicas": -1}}), rc=1),
            k("patch", "{R}", "web", *merge({"spec": {"replicas": "three"}}), rc=1),
            # pruned, with a warning
            k(
                "patch",
                "{R}",
                "web",
                *merge({"spec": {"colour": "blue"}}),
                expect='Warning: unknown field "spec.colour"',
            ),
            k("patch", "{R}", "web", *jsonpatch({"op": "remove", "path": "/spec/baseImage"}), rc=1),
            k(
                "patch",
                "{R}",
                "web",
                *merge({"spec": {"ports": [{"name": "a", "port": 1}, {"name": "a", "port": 2}]}}),
                rc=1,
            ),
            GET,
        ),
    ),
    Case(
        "metadata_validation",
        (
            CREATE,
            k("patch", "{R}", "web", *merge({"metadata": {"labels": {"tier": "-bad-"}}}), rc=1),
            k("patch", "{R}", "web", *merge({"metadata": {"annotations": {"bad key": "x"}}}), rc=1),
            k(
                "patch",
                "{R}",
                "web",
                *merge({"metadata": {"finalizers": ["bad/fin/alizer"]}}),
                rc=1,
            ),
            k("patch", "{R}", "web", *merge({"metadata": {"name": "other"}}), rc=1),
            k(
                "patch",
                "{R}",
                "web",
                *jsonpatch({"op": "replace", "path": "/metadata/creationTimestamp", "value": None}),
            ),
            k("create", "-f", "-", stdin=manifest(image("Bad_Name")), rc=1),
            GET,
        ),
    ),
    # -- label and annotate ----------------------------------------------------------------------
    Case(
        "label",
        (
            CREATE,
            k("label", "{R}", "web", "tier=db", expect="image.{G}/web labeled"),
            k("label", "{R}", "web", "tier=cache", rc=1, expect="--overwrite is false"),
            k("label", "{R}", "web", "tier=cache", "--overwrite", expect="labeled"),
            k("label", "{R}", "web", "tier-", expect="image.{G}/web unlabeled"),
            k("label", "{R}", "web", "absent-"),
            GET,
        ),
    ),
    Case(
        "annotate",
        (
            CREATE,
            k("annotate", "{R}", "web", "note=first", expect="image.{G}/web annotated"),
            k("annotate", "{R}", "web", "note=second", rc=1, expect="--overwrite is false"),
            k("annotate", "{R}", "web", "note=second", "--overwrite", expect="annotated"),
            k("annotate", "{R}", "web", "note-", expect="annotated"),
            GET,
        ),
    ),
    # -- scale -------------------------------------------------------------------------------------
    Case(
        "scale",
        (
            CREATE,
            k("scale", "{R}", "web", "--replicas=3", expect="image.{G}/web scaled"),
            k("get", "{R}", "web", "--subresource=scale", "-o", "json"),
            k(
                "patch",
                "{R}",
                "web",
                "--subresource=status",
                *merge({"status": {"replicas": 3, "selector": "app=web"}}),
            ),
            k("get", "{R}", "web", "--subresource=scale", "-o", "json"),
            k("scale", "{R}", "web", "--current-replicas=2", "--replicas=5", rc=1),
            k("patch", "{R}", "web", "--subresource=scale", *merge({"spec": {"replicas": 4}})),
            GET,
        ),
    ),
    # -- status ------------------------------------------------------------------------------------
    Case(
        "status_subresource",
        (
            CREATE,
            # the status subresource ignores spec changes
            k(
                "patch",
                "{R}",
                "web",
                "--subresource=status",
                *merge({"status": {"phase": "Building"}, "spec": {"baseImage": "debian:13"}}),
                expect="image.{G}/web patched",
            ),
            GET,
            k(
                "patch",
                "{R}",
                "web",
                "--subresource=status",
                *jsonpatch({"op": "replace", "path": "/status/phase", "value": "Ready"}),
            ),
            k("get", "{R}", "web", "--subresource=status", "-o", "json"),
            # the main resource ignores status changes
            k(
                "patch",
                "{R}",
                "web",
                *merge({"status": {"phase": "Failed"}}),
                expect="patched (no change)",
            ),
            GET,
        ),
    ),
    Case(
        "status_ignored_on_main_resource",
        (
            k("create", "-f", "-", stdin=manifest(image(status={"phase": "Ready"}))),
            GET,
            k(
                "patch",
                "{R}",
                "web",
                "--subresource=status",
                *merge({"status": {"phase": "Pending"}}),
            ),
            GET,
            k("replace", "-f", "-", stdin_from=with_status_and_spec, expect="replaced"),
            GET,
            # without a resourceVersion
            k("replace", "-f", "-", stdin=manifest(image(status={"phase": "Ready"}))),
            k(
                "apply",
                "-f",
                "-",
                stdin=manifest(image(status={"phase": "Failed"})),
                expect="configured",
            ),
            k(*SSA, "--field-manager=alice", stdin=manifest(image(status={"phase": "Failed"}))),
            GET,
        ),
    ),
    Case(
        "generation",
        (
            CREATE,
            GENERATION,
            k("label", "{R}", "web", "tier=db"),
            k("annotate", "{R}", "web", "note=x"),
            k("patch", "{R}", "web", *merge({"metadata": {"finalizers": ["example.com/keep"]}})),
            k(
                "patch",
                "{R}",
                "web",
                "--subresource=status",
                *merge({"status": {"phase": "Ready"}}),
            ),
            GENERATION,
            k("patch", "{R}", "web", *merge({"spec": {"baseImage": "debian:13"}})),
            GENERATION,
            k("patch", "{R}", "web", *jsonpatch({"op": "remove", "path": "/spec/args"})),
            GENERATION,
            k("scale", "{R}", "web", "--replicas=2"),
            GENERATION,
            k("patch", "{R}", "web", *jsonpatch({"op": "remove", "path": "/metadata/finalizers"})),
            GENERATION,
        ),
    ),
    Case(
        "managed_fields_of_updates",
        (
            CREATE,
            k("label", "{R}", "web", "tier=db"),
            k("patch", "{R}", "web", *merge({"spec": {"env": {"TZ": "UTC"}}})),
            k(
                "patch",
                "{R}",
                "web",
                "--subresource=status",
                *merge({"status": {"phase": "Ready"}}),
            ),
            k("scale", "{R}", "web", "--replicas=2"),
            k(
                "edit",
                "{R}",
                "web",
                editor="sed -i -e 's/baseImage: debian:12/baseImage: debian:13/'",
            ),
            GET_MANAGED,
        ),
    ),
    # -- finalizers and delete ---------------------------------------------------------------------
    Case(
        "finalizer",
        (
            CREATE,
            k("patch", "{R}", "web", *merge({"metadata": {"finalizers": ["example.com/keep"]}})),
            k("delete", "{R}", "web", "--wait=false", expect='image.{G} "web" deleted'),
            GET,
            k(
                "patch",
                "{R}",
                "web",
                *merge({"metadata": {"finalizers": ["example.com/keep", "example.com/more"]}}),
                rc=1,
                expect="no new finalizers can be added if the object is being deleted",
            ),
            k("patch", "{R}", "web", *merge({"spec": {"baseImage": "debian:13"}})),
            k("delete", "{R}", "web", "--wait=false"),
            GET,
            k(
                "patch",
                "{R}",
                "web",
                *jsonpatch({"op": "remove", "path": "/metadata/finalizers"}),
                expect="patched",
            ),
            GONE,
        ),
    ),
    Case(
        "delete_wait",
        (
            CREATE,
            k("delete", "{R}", "web", expect='image.{G} "web" deleted'),
            GONE,
            k("delete", "{R}", "web", rc=1, expect="NotFound"),
            k("delete", "{R}", "web", "--ignore-not-found"),
        ),
    ),
    Case(
        "delete_wait_for_finalizer",
        (
            k("create", "-f", "-", stdin=manifest(image(finalizers=["example.com/keep"]))),
            k("delete", "{R}", "web", "--timeout=3s", rc=1, expect="timed out waiting"),
            k("patch", "{R}", "web", *jsonpatch({"op": "remove", "path": "/metadata/finalizers"})),
            GONE,
        ),
    ),
    Case(
        "delete_collection",
        (
            k(
                "create",
                "-f",
                "-",
                stdin=manifest(
                    image("a", labels={"tier": "front"}),
                    image("b", labels={"tier": "front"}),
                    image("c", labels={"tier": "back"}),
                    image("d", labels={"tier": "back"}),
                    image("e", labels={"tier": "side"}),
                ),
            ),
            k("delete", "{R}", "-l", "tier=front", expect='image.{G} "b" deleted'),
            k("get", "{R}", "-o", "name"),
            # kubectl itself deletes one by one; the collection DELETE only through --raw
            k("delete", "--raw", "/apis/{G}/v1/namespaces/{NS}/images?labelSelector=tier%3Dback"),
            k("get", "{R}", "-o", "name"),
            k("delete", "{R}", "--all", expect='image.{G} "e" deleted'),
            k("get", "{R}", expect="No resources found in {NS} namespace."),
            k("delete", "--raw", "/apis/{G}/v1/namespaces/{NS}/images"),
        ),
    ),
    # -- dry run -------------------------------------------------------------------------------
    Case(
        "dry_run_patch",
        (
            CREATE,
            k(
                "patch",
                "{R}",
                "web",
                "--dry-run=server",
                *merge({"spec": {"baseImage": "debian:13"}}),
                expect="image.{G}/web patched",
            ),
            k(
                "patch",
                "{R}",
                "web",
                "--dry-run=server",
                "-o",
                "json",
                *jsonpatch({"op": "add", "path": "/spec/packages/-", "value": "vim"}),
            ),
            k("label", "{R}", "web", "tier=db", "--dry-run=server"),
            k(
                "patch",
                "{R}",
                "web",
                "--subresource=status",
                "--dry-run=server",
                *merge({"status": {"phase": "Ready"}}),
            ),
            GET,
        ),
    ),
    Case(
        "dry_run_apply",
        (
            k(
                "apply",
                "-f",
                "-",
                "--dry-run=server",
                stdin=manifest(image()),
                expect="created (server dry run)",
            ),
            GONE,
            k(
                *SSA,
                "--dry-run=server",
                stdin=manifest(image()),
                expect="serverside-applied (server dry run)",
            ),
            GONE,
            k("apply", "-f", "-", stdin=manifest(image())),
            k(
                "apply",
                "-f",
                "-",
                "--dry-run=server",
                "-o",
                "json",
                stdin=manifest(image(spec=CHANGED_SPEC)),
            ),
            k(
                *SSA,
                "--dry-run=server",
                "--force-conflicts",
                "-o",
                "json",
                "--show-managed-fields",
                stdin=manifest(image(spec=CHANGED_SPEC)),
            ),
            GET_MANAGED,
        ),
    ),
    Case(
        "diff",
        (
            k("apply", "-f", "-", stdin=manifest(image("a"), image("b"))),
            # nothing to change: exit 0, nothing printed
            k("diff", "-f", "-", stdin=manifest(image("a"), image("b"))),
            # a change, an unchanged object and a new one (client-side apply, dry-run)
            k(
                "diff",
                "-f",
                "-",
                stdin=manifest(image("a", {**SPEC, "replicas": 3}), image("b"), image("c")),
                rc=1,
            ),
            # the same through server-side apply's dry-run
            k(
                "diff",
                "--server-side",
                "--force-conflicts",
                "-f",
                "-",
                stdin=manifest(image("a", {**SPEC, "baseImage": "debian:13"})),
                rc=1,
            ),
            # refused by the schema: the server's error, exit 2 (not a diff)
            k("diff", "-f", "-", stdin=manifest(image("a", {**SPEC, "replicas": -1})), rc=2),
            # nothing was written
            k(
                "get",
                "{R}",
                "-o",
                "custom-columns=NAME:.metadata.name,GEN:.metadata.generation,BASE:.spec.baseImage,REPLICAS:.spec.replicas",
            ),
        ),
    ),
]
