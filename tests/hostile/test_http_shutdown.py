"""SIGTERM under load, as kube-apiserver stops: the shutdown delay (1 s here) is served as
usual, then the listener closes, the watch ends cleanly, requests in flight finish with
`Connection: close`, requests starting on kept-alive connections get 503 `Retry-After: 1`,
and a request whose body stopped coming is cut at the drain deadline (6 s here). No request
that was fully sent goes unanswered, and the process exits within the drain deadline."""

from __future__ import annotations

import asyncio
import itertools
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import eventually
from tests.hostile.raw import (
    IMAGES,
    WAIT,
    Dial,
    Response,
    Served,
    assert_status,
    closed,
    create_image,
    post_head,
    read_chunks,
    read_head,
    read_response,
    serve,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

DELAY, DRAIN = 1.0, 6.0
# Generous: the process is gone well before this long after SIGTERM.
STOPPED_WITHIN = DELAY + DRAIN + 10.0
LOADERS = 4
GET_VERSION = b"GET /version HTTP/1.1\r\nHost: x\r\n\r\n"

Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


@dataclass(frozen=True)
class Sent:
    at: float  # when the request's last byte was written
    response: Response | None  # None: the connection closed without an answer


async def load(dial: Dial, name: str, sent: list[Sent]) -> None:
    """Create Images back to back on a kept-alive connection, reconnecting when told to
    close, until refused: the listener closed, or a 503 said the server is going away."""
    names = (f"{name}-{i}" for i in itertools.count())
    while True:
        try:
            reader, writer = await dial.connect()
        except OSError:
            return
        try:
            response: Response | None = None
            while response is None or not response.closes:
                writer.write(create_image(next(names)))
                await writer.drain()
                at = time.monotonic()
                try:
                    response = await read_response(reader)
                finally:
                    sent.append(Sent(at, response))
                if response.status == 503:
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            writer.close()


async def kept_alive(dial: Dial) -> Connection:
    """A connection that served one request and is kept alive, idle."""
    reader, writer = await dial.connect()
    writer.write(GET_VERSION)
    await writer.drain()
    response = await read_response(reader)
    assert response.status == 200
    assert not response.closes
    return reader, writer


async def watch_until_it_ends(dial: Dial, started: asyncio.Event) -> int:
    """Watch Images; once the stream has ended with its last chunk and the connection has
    closed, the number of chunks read."""
    reader, writer = await dial.connect()
    try:
        writer.write(f"GET {IMAGES}?watch=true HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        await writer.drain()
        _, code, headers = await read_head(reader)
        assert code == 200, headers
        started.set()
        chunks = [chunk async for chunk in read_chunks(reader, wait=STOPPED_WITHIN)]
        assert await closed(reader)
        return len(chunks)
    finally:
        writer.close()


async def log_says(served: Served, text: str) -> None:
    async def seen() -> bool:
        return text in served.log_text()

    await eventually(seen, timeout=STOPPED_WITHIN, interval=0.05, what=f"the log to say {text!r}")


async def ask(connection: Connection, request: bytes) -> Response:
    reader, writer = connection
    writer.write(request)
    await writer.drain()
    return await read_response(reader)


async def test_sigterm_under_load(tmp_path: Path) -> None:
    flags = (f"--shutdown-delay={DELAY}", f"--drain-timeout={DRAIN}", "--read-body-timeout=60")
    async with serve(tmp_path, *flags) as gateway:
        dial = gateway.dial
        sent: list[Sent] = []
        loaders = [asyncio.create_task(load(dial, f"load-{i}", sent)) for i in range(LOADERS)]
        watch_started = asyncio.Event()
        watch = asyncio.create_task(watch_until_it_ends(dial, watch_started))
        await asyncio.wait_for(watch_started.wait(), WAIT)
        idle, probed = await kept_alive(dial), await kept_alive(dial)
        # Two creates with half their body sent: one finishes during the drain, one never.
        body = create_image("finished-late").split(b"\r\n\r\n", 1)[1]
        finisher, staller = await dial.connect(), await dial.connect()
        for _, writer in (finisher, staller):
            writer.write(post_head(IMAGES, len(body)) + body[:10])
            await writer.drain()
        await asyncio.sleep(1.0)  # the load runs
        assert sent, "no request answered before SIGTERM"

        sigterm_at = time.monotonic()
        gateway.process.send_signal(signal.SIGTERM)
        await log_says(gateway, "draining requests in flight")

        # Draining: no new connection; a 503 on a kept-alive one; probes still answered.
        with pytest.raises(ConnectionRefusedError):
            await dial.connect()
        refused = await ask(idle, GET_VERSION)
        assert_status(refused, 503)
        assert refused.headers.get("retry-after") == "1"
        assert refused.closes
        assert await closed(idle[0])
        probe = await ask(probed, b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert probe.status == 500  # not ready, but answered
        assert probe.closes

        # The body that comes in the end is answered: its request was in flight.
        finished = await ask(finisher, body[10:])
        assert finished.status == 201, finished.body
        assert finished.closes
        assert await closed(finisher[0])

        # The watch ends cleanly, with its last chunk, and its connection closes.
        assert await asyncio.wait_for(watch, STOPPED_WITHIN) > 0

        # The body that never comes is cut at the drain deadline, unanswered; then exit.
        assert await closed(staller[0], STOPPED_WITHIN)
        await asyncio.wait_for(gateway.process.wait(), STOPPED_WITHIN)
        stopped_in = time.monotonic() - sigterm_at
        assert stopped_in < STOPPED_WITHIN
        assert gateway.process.returncode == 0, gateway.log_text()[-3000:]
        assert '"cut": 1' in gateway.log_text()

        for loader in loaders:
            await asyncio.wait_for(loader, WAIT)
        for _, writer in (idle, probed, finisher, staller):
            writer.close()

    after = [s.response.status for s in sent if s.at >= sigterm_at and s.response]
    print(
        f"{len(sent)} creates sent, {len(sent) - len(after)} before SIGTERM; after it "
        f"{after.count(201)} created, {after.count(503)} told to retry; exit {stopped_in:.1f} s "
        "after SIGTERM"
    )
    unanswered = [s for s in sent if s.response is None]
    assert not unanswered, f"{len(unanswered)} of {len(sent)} requests sent and never answered"
    assert any(s.at < sigterm_at for s in sent)
    for s in sent:
        assert s.response is not None
        if s.at < sigterm_at:  # in flight when the signal came: served
            assert s.response.status == 201, s.response
        elif s.response.status != 201:  # after: served, or told to retry elsewhere
            assert_status(s.response, 503)
            assert s.response.headers.get("retry-after") == "1"
            assert s.response.closes
