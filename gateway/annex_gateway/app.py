"""The aiohttp application: the filter chain, health and version, discovery, and dispatch of
resource requests to the verb handlers over the route table taken once per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web

from annex_core import apidef, logs
from annex_gateway import apierrors
from annex_gateway.apis import Apis
from annex_gateway.endpoints import (
    admissionreview,
    aggregated,
    deprecation,
    discovery,
    gojson,
    negotiation,
    openapi,
    responses,
)
from annex_gateway.endpoints.handlers import HANDLERS
from annex_gateway.endpoints.limits import DEFAULT_LIMITS, DecodeLimits
from annex_gateway.endpoints.scope import VerbRequest
from annex_gateway.filters.authentication import Authenticator, authentication_filter
from annex_gateway.filters.authorization import (
    Authorizer,
    FrontProxyTrusted,
    authorization_filter,
)
from annex_gateway.filters.context import context_of, requestinfo_filter
from annex_gateway.filters.errors import errors_filter
from annex_gateway.serving.limits import read_body

log = logs.get(__name__)

VERSION = "v0.1.0"


@dataclass
class Gateway:
    apis: Apis
    authenticator: Authenticator
    authorizer: Authorizer = field(default_factory=FrontProxyTrusted)
    ready: bool = False
    limits: DecodeLimits = DEFAULT_LIMITS  # what a request body may become once decoded
    draining: bool = False  # stopping, after the shutdown delay: watches end


GATEWAY_KEY = web.AppKey("gateway", Gateway)
DEPRECATION_KEY = "annex.deprecation"  # the request's deprecated-version warning, if any


def _json(body: Any, status: int = 200, *, pretty: bool = False) -> web.Response:
    return web.Response(
        body=negotiation.encode(body, negotiation.JSON, pretty=pretty),
        status=status,
        content_type=negotiation.JSON,
    )


async def _negotiated(
    body: Any, status: int, media_type: str, *, pretty: bool = False, sort: bool = False
) -> web.Response:
    """A response in the negotiated media type; YAML is encoded in a worker thread."""
    return web.Response(
        body=await negotiation.encode_response(body, media_type, pretty=pretty, sort=sort),
        status=status,
        content_type=media_type,
    )


async def healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def readyz(request: web.Request) -> web.Response:
    if not request.app[GATEWAY_KEY].ready:
        return web.Response(
            status=500, text="[-]informers-synced failed: reason withheld\nreadyz check failed"
        )
    return web.Response(text="ok")


async def version(request: web.Request) -> web.Response:
    """Indented, with no newline after, as kube-apiserver's /version (WriteRawJSON:
    json.MarshalIndent of a Go struct, its fields in order)."""
    major, minor, _ = VERSION.lstrip("v").split(".", 2)
    return _json(
        {
            "major": major,
            "minor": minor,
            "gitVersion": VERSION,
            "gitCommit": "",
            "gitTreeState": "",
            "buildDate": "",
            "goVersion": "",
            "compiler": "",
            "platform": "python",
        },
        pretty=True,
    )


async def _discovery_response(request: web.Request, document: Any) -> web.Response:
    """A discovery document in JSON or YAML, as Accept asks; 406 when neither fits. `bytes`
    are a document already serialized as JSON."""
    media_type, pretty = negotiation.plain_encoding(
        request.headers.get("Accept"), request.query, request.headers.get("User-Agent")
    )
    if isinstance(document, bytes):
        if media_type == negotiation.JSON and not pretty:
            return web.Response(body=document, content_type=negotiation.JSON)
        document = orjson.loads(document)
    return await _negotiated(document, 200, media_type, pretty=pretty)


async def api_versions(request: web.Request) -> web.Response:
    return await _discovery_response(request, discovery.API_VERSIONS)


async def apis(request: web.Request) -> web.Response:
    """Aggregated discovery (v2 or v2beta1) when Accept asks for it first, with an ETag and
    304; the legacy APIGroupList otherwise."""
    routes = request.app[GATEWAY_KEY].apis.routes
    version = aggregated.negotiate(request.headers.get("Accept"))
    if version is not None:
        served = aggregated.serve(
            routes.aggregated_discovery, version, request.headers.get("If-None-Match")
        )
        return web.Response(status=served.status, body=served.body, headers=served.headers)
    return await _discovery_response(request, routes.api_group_list())


async def openapi_v2(request: web.Request) -> web.Response:
    if discovery.wants_protobuf(request.headers.get("Accept")):
        # The Accept type has an "@", which Go cannot parse back as a Content-Type.
        return web.Response(
            body=discovery.openapi_v2_protobuf(), content_type="application/octet-stream"
        )
    routes = request.app[GATEWAY_KEY].apis.routes
    return web.Response(body=routes.openapi_v2, content_type=negotiation.JSON)


async def openapi_v3(request: web.Request) -> web.Response:
    routes = request.app[GATEWAY_KEY].apis.routes
    return web.Response(body=routes.openapi_v3_root, content_type=negotiation.JSON)


async def openapi_v3_group_version(request: web.Request) -> web.Response:
    """One group-version's v3 document, as kube-openapi's handler3 serves it: cacheable for a
    year when the `hash` asked for is the current one; the current document otherwise, never a
    redirect (kube-apiserver turns an aggregated server's 3xx into 502)."""
    gv = request.app[GATEWAY_KEY].apis.routes.group_version(
        request.match_info["group"], request.match_info["version"]
    )
    if gv is None or gv.openapi is None:
        raise apierrors.path_not_found()
    served = openapi.serve_v3(
        gv.openapi,
        request.headers.get("Accept"),
        request.query.get("hash"),
        request.headers.get("If-None-Match"),
        request.headers.get("If-Modified-Since"),
    )
    return web.Response(status=served.status, body=served.body, headers=served.headers)


async def api_tree(request: web.Request) -> web.StreamResponse:
    """Everything under /apis/<g>...: discovery of a group or group-version, or a resource."""
    routes = request.app[GATEWAY_KEY].apis.routes  # one snapshot for the whole request
    info = context_of(request).info
    if not info.is_resource_request:
        if request.method not in ("GET", "HEAD"):
            raise web.HTTPMethodNotAllowed(request.method, ["GET"])
        parts = [p for p in request.path.split("/") if p]
        if len(parts) == 2:
            group = routes.groups.get(parts[1])
            document = discovery.api_group(group.api_group() if group else None)
            return await _discovery_response(request, document)
        if len(parts) == 3:
            gv = routes.group_version(parts[1], parts[2])
            serialized = discovery.api_resource_list(gv.discovery if gv else None)
            return await _discovery_response(request, serialized)
        raise apierrors.path_not_found()

    served = routes.lookup(info.group, info.version, info.resource)
    if served is None or (info.namespace and not served.namespaced):
        # crdHandler hands a resource it does not know, and a cluster-scoped resource's
        # namespaced path, to the next handler: Go's NotFound
        return _go_not_found()
    deprecated = deprecation.warning(served.group, served.resource, served.definition)
    if deprecated is not None:
        request[DEPRECATION_KEY] = deprecated  # sent with whatever answers, errors included
    if info.subresource and served.target(info.subresource) is None:
        # A subresource the resource does not have: the CRD handler answers "not found".
        raise apierrors.not_found(served.group, served.plural, info.name)
    if served.namespaced and not info.namespace and info.verb not in ("list", "watch"):
        # crdHandler hands such a request to the next handler, whose answer is Go's NotFound
        return _go_not_found()
    handler = HANDLERS.get(info.verb)
    if handler is None:
        raise apierrors.method_not_supported(served.group, served.plural, info.verb)
    # Negotiated before the verb runs: a write nobody can read the answer to is not made.
    output = responses.Output.negotiate(
        request.headers.get("Accept"),
        request.query,
        watch=info.verb == "watch",
        user_agent=request.headers.get("User-Agent"),
    )
    raw = await read_body(request)
    result = await handler(
        VerbRequest(
            served=served,
            namespace=info.namespace,
            name=info.name,
            subresource=info.subresource,
            query=request.query,
            body=raw,
            content_type=request.headers.get("Content-Type"),
            user_agent=request.headers.get("User-Agent"),
            limits=request.app[GATEWAY_KEY].limits,
            compact_json=output.plain and not output.pretty,
        )
    )
    if result.stream is not None:
        gateway = request.app[GATEWAY_KEY]
        return await responses.serve_watch(
            request,
            result.stream,
            lambda: gateway.draining,
            output.watch_events(served.table_for(info.subresource)),
        )
    listed = result.listed
    converter = served.table_for(info.subresource)
    if listed is not None:  # every list is sent as it is read, whatever its shape
        return await responses.serve_list(request, listed, output, converter)
    if result.encoded is not None:
        response = web.Response(
            body=gojson.finish(result.encoded, pretty=False),
            status=result.status,
            content_type=negotiation.JSON,
        )
    else:
        body = output.body(result.body, converter, info.verb == "deletecollection")
        # The resource's own objects and lists are unstructured: Go writes their keys sorted.
        # Status, Scale, Table and PartialObjectMetadata are Go structs, in field order.
        unstructured = (
            output.negotiated.transform is None
            and info.subresource != "scale"
            and body.get("kind") != "Status"
        )
        response = await _negotiated(
            body, result.status, output.media_type, pretty=output.pretty, sort=unstructured
        )
    await responses.compress_if_large(request, response)
    for header in apierrors.warning_headers(result.warnings):
        response.headers.add("Warning", header)
    return response


def _go_not_found() -> web.Response:
    """http.NotFound's answer: plain text, not a Status."""
    response = web.Response(status=404, text="404 page not found\n", charset="utf-8")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


async def _deprecation_warning(request: web.Request, response: web.StreamResponse) -> None:
    """A deprecated version's warning, first (crdHandler adds it before the verb runs), on
    every response to the request: objects, streamed lists, watches and errors. (No response
    names a server: serving.server.GatewayRequest takes aiohttp's `Server` out of them all.)"""
    deprecated = request.get(DEPRECATION_KEY)
    if deprecated is None:
        return
    others = response.headers.getall("Warning", [])
    response.headers.popall("Warning", None)
    for value in (apierrors.warning_header(deprecated), *others):
        response.headers.add("Warning", value)


async def apidefinition_impact(request: web.Request) -> web.Response:
    """kube-apiserver's call before an ApiDefinition is written (the webhook the operator
    registers): allowed, with a warning per schema change that stored objects would fail.
    Unauthenticated (kube-apiserver presents no client certificate to webhooks): the answer
    holds counts only, and one preview scans at a time."""
    review = admissionreview.parse(await read_body(request))
    warnings: list[str] = []
    if review.operation == "UPDATE" and review.object is not None:
        warnings = await request.app[GATEWAY_KEY].apis.preview(review.object)
    return _json(admissionreview.allowed(review.uid, warnings))


def build_app(gateway: Gateway) -> web.Application:
    app = web.Application(
        middlewares=[
            errors_filter,
            requestinfo_filter,
            authentication_filter(gateway.authenticator),
            authorization_filter(gateway.authorizer),
        ],
        client_max_size=negotiation.MAX_BODY_BYTES,
    )
    app[GATEWAY_KEY] = gateway
    app.on_response_prepare.append(_deprecation_warning)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/livez", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/version", version)
    app.router.add_get("/api", api_versions)
    app.router.add_get("/apis", apis)
    app.router.add_get("/openapi/v2", openapi_v2)
    app.router.add_get("/openapi/v3", openapi_v3)
    app.router.add_get("/openapi/v3/apis/{group}/{version}", openapi_v3_group_version)
    # Any character, a newline too: kube-apiserver takes a name of `a%0Ab` (and answers 404).
    app.router.add_route("*", "/apis/{tail:[\\s\\S]+}", api_tree)
    app.router.add_post(apidef.IMPACT_WEBHOOK_PATH, apidefinition_impact)
    return app
