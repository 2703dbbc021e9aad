"""The one module that talks to kube-apiserver (kopf's own client aside).

A thin, typed layer over kubernetes-asyncio: we keep its configuration loading (kubeconfig,
in-cluster service account, exec plugins, token refresh) and send raw JSON requests through
its `ApiClient`, because the objects we handle (ApiDefinitions, APIServices, server-side
apply intents) are plain dicts and the generated models would only get in the way.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from typing import Any
from urllib.parse import quote

import orjson

from .kube_imports import defer_generated_models

defer_generated_models()  # before the first import of kubernetes_asyncio: see kube_imports

from kubernetes_asyncio import client as k8s_client  # noqa: E402
from kubernetes_asyncio import config as k8s_config  # noqa: E402

JSON = dict[str, Any]

APPLY_PATCH = "application/apply-patch+yaml"
MERGE_PATCH = "application/merge-patch+json"
METADATA_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"


class KubeApiError(Exception):
    """kube-apiserver answered with an error `Status`."""

    def __init__(self, status: int, body: JSON) -> None:
        self.status = status
        self.body = body
        self.reason = str(body.get("reason", ""))
        super().__init__(f"{status} {self.reason}: {body.get('message', '')}")


def resource_path(
    api_version: str,
    plural: str,
    *,
    namespace: str | None = None,
    name: str | None = None,
    subresource: str | None = None,
) -> str:
    """The REST path of a collection or an object (`v1` is the core group under `/api`)."""
    prefix = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
    parts = [prefix]
    if namespace:
        parts.append(f"namespaces/{quote(namespace, safe='')}")
    parts.append(plural)
    if name:
        parts.append(quote(name, safe=""))
    if subresource:
        parts.append(subresource)
    return "/".join(parts)


async def load_configuration(
    kubeconfig: str | os.PathLike[str] | None = None,
) -> k8s_client.Configuration:
    """Connection settings: in-cluster in a pod without a kubeconfig, else the kubeconfig.

    Shared by `KubeClient.connect` and the operator's kopf login, so both reach the same server.
    """
    configuration = k8s_client.Configuration()
    if (
        kubeconfig is None
        and "KUBERNETES_SERVICE_HOST" in os.environ
        and not os.environ.get("KUBECONFIG")
    ):
        k8s_config.load_incluster_config(client_configuration=configuration)  # type: ignore[no-untyped-call]
    else:
        await k8s_config.load_kube_config(
            config_file=os.fspath(kubeconfig) if kubeconfig else None,
            client_configuration=configuration,
        )
    return configuration


class KubeClient:
    def __init__(self, api_client: k8s_client.ApiClient) -> None:
        self._api = api_client

    @classmethod
    async def connect(cls, kubeconfig: str | os.PathLike[str] | None = None) -> KubeClient:
        """In-cluster credentials when running in a pod without a kubeconfig, else the kubeconfig."""
        return cls(k8s_client.ApiClient(await load_configuration(kubeconfig)))

    @property
    def host(self) -> str:
        return str(self._api.configuration.host)

    async def close(self) -> None:
        await self._api.close()

    async def __aenter__(self) -> KubeClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        content_type: str = "application/json",
        accept: str = "application/json",
        timeout: float | None = 30.0,
    ) -> Any:
        """Send a request; return the raw aiohttp response (the caller reads and releases it)."""
        headers = {"Accept": accept, "Content-Type": content_type}
        query = [(k, _query_value(v)) for k, v in (params or {}).items() if v is not None]
        return await self._api.call_api(
            path,
            method,
            query_params=query,
            header_params=headers,
            body=body,
            auth_settings=["BearerToken"],
            _preload_content=False,
            _request_timeout=timeout,
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        content_type: str = "application/json",
        accept: str = "application/json",
        timeout: float | None = 30.0,
    ) -> JSON:
        response = await self._send(
            method,
            path,
            params=params,
            body=body,
            content_type=content_type,
            accept=accept,
            timeout=timeout,
        )
        async with response:
            data = await response.read()
            status = response.status
        decoded = _decode(data)
        if not 200 <= status <= 299:
            raise KubeApiError(status, decoded)
        return decoded

    async def get(self, path: str, **params: Any) -> JSON:
        return await self.request("GET", path, params=params)

    async def list_metadata(self, path: str, **params: Any) -> JSON:
        """A list of only the objects' metadata (PartialObjectMetadataList): no specs to ship."""
        return await self.request("GET", path, params=params, accept=METADATA_LIST)

    async def get_or_none(self, path: str) -> JSON | None:
        try:
            return await self.get(path)
        except KubeApiError as e:
            if e.status == 404:
                return None
            raise

    async def create(self, path: str, obj: JSON) -> JSON:
        return await self.request("POST", path, body=obj)

    async def apply(self, path: str, obj: JSON, *, field_manager: str, force: bool = True) -> JSON:
        """Server-side apply `obj` at its object path."""
        return await self.request(
            "PATCH",
            path,
            params={"fieldManager": field_manager, "force": force},
            body=obj,
            content_type=APPLY_PATCH,
        )

    async def merge_patch(self, path: str, patch: JSON) -> JSON:
        return await self.request("PATCH", path, body=patch, content_type=MERGE_PATCH)

    async def delete(self, path: str, *, missing_ok: bool = True, **options: Any) -> JSON | None:
        body = {"kind": "DeleteOptions", "apiVersion": "v1", **options}
        try:
            return await self.request("DELETE", path, body=body)
        except KubeApiError as e:
            if missing_ok and e.status == 404:
                return None
            raise

    async def watch(
        self, path: str, *, resource_version: str, timeout_seconds: int = 300, **params: Any
    ) -> AsyncIterator[JSON]:
        """Watch events from `resource_version` until the server ends the stream.

        ERROR events are yielded like any other: the caller decides (410 means relist).
        """
        response = await self._send(
            "GET",
            path,
            params={
                **params,
                "watch": "true",
                "resourceVersion": resource_version,
                "allowWatchBookmarks": "true",
                "timeoutSeconds": timeout_seconds,
            },
            timeout=timeout_seconds + 30,
        )
        async with response:
            if not 200 <= response.status <= 299:
                raise KubeApiError(response.status, _decode(await response.read()))
            async for line in response.content:
                if line.strip():
                    yield orjson.loads(line)


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _decode(data: bytes) -> JSON:
    if not data:
        return {}
    try:
        decoded = orjson.loads(data)
    except orjson.JSONDecodeError:
        return {"message": data.decode("utf-8", "replace")[:1000]}
    return decoded if isinstance(decoded, dict) else {"items": decoded}
