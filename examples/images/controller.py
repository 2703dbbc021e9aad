"""The golden-image controller: a small kopf operator that builds Images (the build is mocked).

It talks to the Image API (images.example.com/v1alpha1) only through kube-apiserver, which
proxies it to the kube-annex gateway — the same as any controller does for a built-in API or
a CRD. On create, on resume (controller start) and on every spec change an Image goes

    status.phase  Pending → Building → Ready

with a `Ready` condition (False while pending and building, True when built) whose
`observedGeneration` is the generation it was built from, so `kubectl wait
--for=condition=Ready` waits for the build of the current spec, and `status.digest`, a fake
sha256 of the spec.

Run it with a kubeconfig (`annex dev` prints one):

    python examples/images/controller.py --kubeconfig .annex/dev/kubeconfig
    KUBECONFIG=.annex/dev/kubeconfig kopf run -A --standalone examples/images/controller.py

It depends only on kopf and kubernetes-asyncio, not on kube-annex.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import os
from datetime import UTC, datetime
from typing import Any

import kopf
from kubernetes_asyncio import client as k8s_client
from kubernetes_asyncio import config as k8s_config

GROUP, VERSION, PLURAL = "images.example.com", "v1alpha1", "images"
IMAGES = (GROUP, VERSION, PLURAL)
# kopf keeps its bookkeeping (progress, last handled spec) in annotations under this prefix;
# `.status` is ours alone.
PREFIX = "images.example.com"
MERGE_PATCH = "application/merge-patch+json"
# How long the mocked build takes, unless --build-seconds says otherwise.
BUILD_SECONDS = 2.0


def digest_of(spec: dict[str, Any]) -> str:
    """A stand-in for the built image's digest: sha256 of the spec, canonically encoded."""
    encoded = json.dumps(spec, sort_keys=True, separators=(",", ":")).encode()
    return f"sha256:{hashlib.sha256(encoded).hexdigest()}"


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def ready_condition(
    previous: list[dict[str, Any]], *, ready: bool, reason: str, message: str, generation: int
) -> list[dict[str, Any]]:
    """The conditions with `Ready` set; lastTransitionTime moves only when the status flips."""
    status = "True" if ready else "False"
    old = next((c for c in previous if c.get("type") == "Ready"), {})
    transitioned = old.get("status") != status
    condition = {
        "type": "Ready",
        "status": status,
        "reason": reason,
        "message": message,
        "lastTransitionTime": now() if transitioned else old["lastTransitionTime"],
        "observedGeneration": generation,
    }
    return [c for c in previous if c.get("type") != "Ready"] + [condition]


async def load_configuration(kubeconfig: str | None) -> k8s_client.Configuration:
    """The kubeconfig given, else $KUBECONFIG or ~/.kube/config, else the in-cluster account."""
    configuration = k8s_client.Configuration()
    if kubeconfig is None and "KUBERNETES_SERVICE_HOST" in os.environ:
        k8s_config.load_incluster_config(client_configuration=configuration)  # type: ignore[no-untyped-call]
    else:
        await k8s_config.load_kube_config(
            config_file=kubeconfig, client_configuration=configuration
        )
    return configuration


@kopf.on.login()
async def login(memo: kopf.Memo, **_: Any) -> kopf.ConnectionInfo:
    """kopf's credentials from the same kubeconfig as the status client below.

    kopf's own login handlers need the synchronous `kubernetes` or `pykube` libraries.
    """
    configuration = await load_configuration(memo.get("kubeconfig"))
    scheme: str | None = None
    token = ""
    if "BearerToken" in configuration.api_key:
        value = str(await configuration.get_api_key_with_prefix("BearerToken") or "")
        scheme, _space, token = value.partition(" ") if " " in value else ("Bearer", "", value)
    return kopf.ConnectionInfo(
        server=str(configuration.host),
        ca_path=configuration.ssl_ca_cert or None,
        insecure=not configuration.verify_ssl,
        certificate_path=configuration.cert_file or None,
        private_key_path=configuration.key_file or None,
        scheme=scheme if token else None,
        token=token or None,
    )


@kopf.on.startup()
async def startup(settings: kopf.OperatorSettings, memo: kopf.Memo, **_: Any) -> None:
    settings.persistence.progress_storage = kopf.AnnotationsProgressStorage(prefix=PREFIX)
    settings.persistence.diffbase_storage = kopf.AnnotationsDiffBaseStorage(
        prefix=PREFIX, key="last-handled-configuration"
    )
    # End watches before proxies or load balancers cut them silently.
    settings.watching.server_timeout = 270
    configuration = await load_configuration(memo.get("kubeconfig"))
    api = k8s_client.ApiClient(configuration)
    api.user_agent = "golden-image-controller"  # the field manager of our status writes
    memo.api = api


@kopf.on.cleanup()
async def cleanup(memo: kopf.Memo, **_: Any) -> None:
    api: k8s_client.ApiClient | None = memo.get("api")
    if api is not None:
        await api.close()


async def patch_status(
    memo: kopf.Memo, namespace: str, name: str, status: dict[str, Any]
) -> dict[str, Any]:
    """A merge patch on the status subresource, at once (kopf's `patch` waits for the return).

    kubernetes-asyncio would send a dict as a JSON patch; its stubs omit `_content_type`.
    """
    images = k8s_client.CustomObjectsApi(memo.api)
    options: dict[str, Any] = {"_content_type": MERGE_PATCH}
    patched: dict[str, Any] = await images.patch_namespaced_custom_object_status(
        GROUP, VERSION, namespace, PLURAL, name, {"status": status}, **options
    )
    return patched


@kopf.on.resume(*IMAGES, id="build")
@kopf.on.create(*IMAGES, id="build")
@kopf.on.update(*IMAGES, id="build", field="spec")
async def build(
    name: str,
    namespace: str | None,
    spec: kopf.Spec,
    status: kopf.Status,
    meta: kopf.Meta,
    memo: kopf.Memo,
    logger: kopf.Logger,
    **_: Any,
) -> None:
    """Build the image of the current spec, unless it is built already (on resume)."""
    assert namespace is not None, "Images are namespaced"
    generation = int(meta.get("generation", 1))
    digest = digest_of(dict(spec))
    conditions: list[dict[str, Any]] = list(status.get("conditions", []))
    if status.get("phase") == "Ready" and status.get("digest") == digest:
        if status.get("observedGeneration") != generation:
            # The spec came back to what was built (or only its formatting changed).
            await patch_status(
                memo,
                namespace,
                name,
                {
                    "observedGeneration": generation,
                    "conditions": ready_condition(
                        conditions,
                        ready=True,
                        reason="Built",
                        message=f"built {digest}",
                        generation=generation,
                    ),
                },
            )
        logger.info("image %s/%s is built already (%s)", namespace, name, digest)
        return

    for phase, message in (
        ("Pending", "waiting for a builder"),
        ("Building", f"building from {spec.get('baseImage')}"),
    ):
        conditions = ready_condition(
            conditions, ready=False, reason=phase, message=message, generation=generation
        )
        await patch_status(
            memo,
            namespace,
            name,
            {"phase": phase, "observedGeneration": generation, "conditions": conditions},
        )
        logger.info("image %s/%s: %s", namespace, name, phase)

    await asyncio.sleep(float(memo.get("build_seconds", BUILD_SECONDS)))  # the build, mocked

    conditions = ready_condition(
        conditions, ready=True, reason="Built", message=f"built {digest}", generation=generation
    )
    await patch_status(
        memo,
        namespace,
        name,
        {
            "phase": "Ready",
            "digest": digest,
            "observedGeneration": generation,
            "conditions": conditions,
        },
    )
    logger.info("image %s/%s: Ready (%s, generation %d)", namespace, name, digest, generation)


def main() -> None:
    parser = argparse.ArgumentParser(description="The golden-image controller (kopf).")
    parser.add_argument("--kubeconfig", help="default: $KUBECONFIG, ~/.kube/config, in-cluster")
    parser.add_argument(
        "--namespace", "-n", action="append", help="watch only these (default: all namespaces)"
    )
    parser.add_argument("--build-seconds", type=float, default=BUILD_SECONDS)
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args()
    kopf.configure(verbose=args.verbose)
    # Its debug log prints every response body.
    logging.getLogger("kubernetes_asyncio").setLevel(logging.INFO)
    kopf.run(
        standalone=True,  # one replica: no peering objects
        clusterwide=not args.namespace,
        namespaces=args.namespace or (),
        memo=kopf.Memo(kubeconfig=args.kubeconfig, build_seconds=args.build_seconds),
    )


if __name__ == "__main__":
    main()
