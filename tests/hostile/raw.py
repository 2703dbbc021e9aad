"""Talking to `annex serve` as an attacker would: raw HTTP/1.1 bytes over TLS on 127.0.0.1,
read back as they come, every wait bounded."""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yarl import URL

from annex_cli.serve import free_port
from tests.helpers import REPO, annex_command, eventually, log_tail, start_process
from tests.hostile.conftest import Answer, Target

IMAGES = "/apis/images.example.com/v1alpha1/namespaces/default/images"
# Long enough for a loaded 2-core machine; a hang is what these waits catch.
WAIT = 15.0


@dataclass(frozen=True)
class Dial:
    """How to open a raw TLS connection to a gateway on 127.0.0.1."""

    port: int
    tls: ssl.SSLContext  # trusts the gateway's CA; the admin's client certificate

    @classmethod
    def to(cls, target: Target) -> Dial:
        """The gateway of a conftest `Target` (`direct`)."""
        url = URL(target.base_url)
        assert url.host == "127.0.0.1", target.base_url
        assert url.port is not None, target.base_url
        return cls(url.port, target.ssl)

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", self.port, ssl=self.tls), WAIT
        )


@dataclass
class Served:
    """An `annex serve` process started here, with flags the conftest's `direct` has not."""

    process: asyncio.subprocess.Process
    dial: Dial
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def admin_tls(state: Path) -> ssl.SSLContext:
    """Trusting the local CA of `annex serve`'s state directory, with its admin certificate."""
    context = ssl.create_default_context(cafile=str(state / "ca.crt"))
    context.load_cert_chain(str(state / "admin.crt"), str(state / "admin.key"))
    return context


@asynccontextmanager
async def serve(work: Path, *flags: str) -> AsyncIterator[Served]:
    """`annex serve examples` with `flags`, until ready; stopped (SIGTERM) afterwards unless
    the test stopped it."""
    port = free_port()
    state, log = work / "state", work / "serve.log"
    process = await start_process(
        annex_command(
            "serve", str(REPO / "examples"), "--port", str(port), "--state-dir", str(state), *flags
        ),
        log,
    )
    try:

        async def ready() -> Served | None:
            assert process.returncode is None, log_tail(log)
            if not (state / "kubeconfig").exists():  # written after the certificates
                return None
            served = Served(process, Dial(port, admin_tls(state)), log)
            try:
                response = await request_once(
                    served.dial, b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n"
                )
            except OSError:
                return None
            return served if response.status == 200 else None

        yield await eventually(ready, timeout=30, what="annex serve to be ready")
    finally:
        if process.returncode is None:
            process.terminate()
            await asyncio.wait_for(process.wait(), 60)


@dataclass(frozen=True)
class Response(Answer):
    """An answer read off the socket: header names in lower case, the last of a repeated one."""

    version: str = "HTTP/1.1"

    @property
    def closes(self) -> bool:
        """Whether the server said it closes the connection after this response."""
        return self.headers.get("connection", "").lower() == "close" or self.version == "HTTP/1.0"


async def read_head(reader: asyncio.StreamReader) -> tuple[str, int, dict[str, str]]:
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), WAIT)
    status_line, *lines = head.decode("latin-1").split("\r\n")
    version, code, *_ = status_line.split(" ", 2)
    headers = {}
    for line in lines:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return version, int(code), headers


async def read_response(reader: asyncio.StreamReader) -> Response:
    """One response, skipping `100 Continue`; its body by Content-Length, chunks, or EOF."""
    version, code, headers = await read_head(reader)
    while code == 100:
        version, code, headers = await read_head(reader)
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b"".join([chunk async for chunk in read_chunks(reader)])
    elif "content-length" in headers:
        body = await asyncio.wait_for(reader.readexactly(int(headers["content-length"])), WAIT)
    else:
        body = await asyncio.wait_for(reader.read(), WAIT)
    return Response(code, headers, body, version)


async def read_chunks(reader: asyncio.StreamReader, wait: float = WAIT) -> AsyncIterator[bytes]:
    """A chunked body's chunks as they come, to its last (empty) chunk; each waited for
    `wait` seconds at the most."""
    while True:
        size = int((await asyncio.wait_for(reader.readuntil(b"\r\n"), wait)).strip(), 16)
        chunk = await asyncio.wait_for(reader.readexactly(size + 2), wait)
        if size == 0:
            return
        yield chunk[:-2]


async def closed(reader: asyncio.StreamReader, within: float = WAIT) -> bool:
    """Whether the server closes the connection (EOF or reset) within `within` seconds,
    sending nothing more."""
    try:
        data = await asyncio.wait_for(reader.read(1), within)
    except (ConnectionError, ssl.SSLError):
        return True
    except TimeoutError:
        return False
    assert data == b"", f"unexpected bytes after the response: {data!r}"
    return True


async def request_once(dial: Dial, data: bytes) -> Response:
    """`data` sent on a new connection, the one response read, the connection closed."""
    reader, writer = await dial.connect()
    try:
        writer.write(data)
        await writer.drain()
        return await read_response(reader)
    finally:
        writer.close()


def create_image(name: str) -> bytes:
    """A POST creating an Image of examples/images, on a kept-alive connection."""
    body = json.dumps(
        {
            "apiVersion": "images.example.com/v1alpha1",
            "kind": "Image",
            "metadata": {"name": name},
            "spec": {"baseImage": "debian:12", "packages": ["curl"]},
        }
    ).encode()
    return post_head(IMAGES, len(body)) + body


def post_head(path: str, length: int, extra: str = "") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\n{extra}\r\n"
    ).encode()


def assert_status(response: Answer, code: int) -> dict[str, Any]:
    """A Kubernetes `Status` of `code`, answered as JSON with that HTTP status (a 503 too,
    which the suite's `status_problems` counts as a failure by rule)."""
    assert response.status == code, (response.status, response.body[:300])
    assert response.headers.get("content-type", "").startswith("application/json")
    status: dict[str, Any] = response.json()
    assert (status["kind"], status["apiVersion"], status["code"]) == ("Status", "v1", code)
    assert status["status"] == "Failure", status
    assert status["message"], status
    assert "server" not in {h.lower() for h in response.headers}, "net/http names no server"
    return status
