"""A small conversion webhook for the tests: Image v1alpha1 `spec.image` <-> v1
`spec.baseImage`, ConversionReview v1 over TLS with its own CA.

`serve_webhook()` starts it on a loopback port and yields a `ConversionWebhook` with its URL, its CA
(the caBundle) and the reviews it received; `fail` makes it answer a failed result.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from annex_core import tls

JSON = dict[str, Any]
MOVES = {("v1alpha1", "v1"): ("image", "baseImage"), ("v1", "v1alpha1"): ("baseImage", "image")}


@dataclass
class ConversionWebhook:
    url: str
    ca_pem: bytes
    reviews: list[JSON] = field(default_factory=list)
    fail: str | None = None  # answer every review with this failure message


def convert(obj: JSON, desired: str) -> JSON:
    """One object to `desired` (group/version)."""
    source = obj["apiVersion"].rpartition("/")[2]
    target = desired.rpartition("/")[2]
    move = MOVES.get((source, target))
    out = {**obj, "apiVersion": desired}
    if move is not None and isinstance(obj.get("spec"), dict):
        spec = dict(obj["spec"])
        if move[0] in spec:
            spec[move[1]] = spec.pop(move[0])
        out["spec"] = spec
    return out


def _app(hook: ConversionWebhook) -> web.Application:
    async def review(request: web.Request) -> web.Response:
        body = await request.json()
        hook.reviews.append(body)
        req = body["request"]
        response: JSON = {"uid": req["uid"]}
        if hook.fail is not None:
            response["result"] = {"status": "Failure", "message": hook.fail}
        else:
            response["result"] = {"status": "Success"}
            response["convertedObjects"] = [
                convert(o, req["desiredAPIVersion"]) for o in req["objects"]
            ]
        return web.json_response(
            {
                "apiVersion": "apiextensions.k8s.io/v1",
                "kind": "ConversionReview",
                "response": response,
            }
        )

    app = web.Application()
    app.router.add_post("/convert", review)
    return app


@contextlib.asynccontextmanager
async def serve_webhook(host: str = "127.0.0.1") -> AsyncIterator[ConversionWebhook]:
    ca = tls.make_ca("conversion-webhook-ca")
    leaf = tls.make_cert(ca, "conversion-webhook", hosts=[host, "localhost"], server=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    with tempfile.TemporaryDirectory() as tmp:
        chain = Path(tmp) / "tls.pem"
        chain.write_bytes(leaf.cert_pem + leaf.key_pem)
        context.load_cert_chain(chain)
    hook = ConversionWebhook("", ca.cert_pem)
    runner = web.AppRunner(_app(hook))
    await runner.setup()
    site = web.TCPSite(runner, host, 0, ssl_context=context)
    await site.start()
    server = site._server
    assert isinstance(server, asyncio.Server)
    port = server.sockets[0].getsockname()[1]
    hook.url = f"https://{host}:{port}/convert"
    try:
        yield hook
    finally:
        await runner.cleanup()
