"""kopf's credentials, taken from the same kubeconfig (or in-cluster account) as our client.

kopf's built-in login handlers look for client libraries and `~/.kube/config` on their own;
ours uses the kubeconfig the command was given, through kubernetes-asyncio's loader, which
also handles exec plugins and service-account token refresh.
"""

from __future__ import annotations

import os

import kopf

from annex_core.kube import load_configuration


async def connection_info(
    kubeconfig: str | os.PathLike[str] | None, *, default_namespace: str | None
) -> kopf.ConnectionInfo:
    """kopf's connection info from the kubeconfig, or the in-cluster service account.

    `default_namespace` is where kopf posts events about cluster-scoped objects.
    """
    configuration = await load_configuration(kubeconfig)
    scheme: str | None = None
    token = ""
    if "BearerToken" in configuration.api_key:
        # Runs the refresh hook (exec plugins, rotated service-account tokens) first.
        value = str(await configuration.get_api_key_with_prefix("BearerToken") or "")
        # The loaders store "Bearer <token>" (or "Basic <credentials>"); kopf wants them apart.
        scheme, _, token = value.partition(" ") if " " in value else ("Bearer", "", value)
        scheme = scheme if token else None
    return kopf.ConnectionInfo(
        server=str(configuration.host),
        ca_path=configuration.ssl_ca_cert or None,
        insecure=not configuration.verify_ssl,
        certificate_path=configuration.cert_file or None,
        private_key_path=configuration.key_file or None,
        scheme=scheme,
        token=token or None,
        proxy_url=configuration.proxy or None,
        default_namespace=default_namespace,
    )
