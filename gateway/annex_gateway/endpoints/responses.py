"""What a resource response looks like: the encoding and transformation negotiated from
Accept (Table, PartialObjectMetadata[List], as handlers/response.go transformObject does),
and a watch as kube-apiserver streams one (handlers/watch.go): one JSON event per line,
flushed once no more are ready (gzipped for a WatchList client that takes gzip), BOOKMARKs
while idle when the client allows them, the stream ended at its timeout, when the server
drains, or when the client goes away."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from isal import isal_zlib

from annex_gateway.endpoints import gojson, negotiation, table, transform, yamlout
from annex_gateway.endpoints.encodedcache import EncodedCache, RevisionMarks
from annex_gateway.endpoints.scope import WatchStream
from annex_gateway.registry.listing import ObjectList, Page
from annex_gateway.registry.resource import ResourceInfo
from annex_gateway.storage import codec

log = logging.getLogger(__name__)

# kube-apiserver gzips a response when the client accepts it and it is over 128 KiB, at
# level 1, the cheapest (endpoints/handlers/responsewriters: writers.go, compression.go).
# ISA-L's deflate at its level 1 is about ten times as fast as zlib's on list bodies, for
# output of about the same size (a 1.1 MB page of Images: 0.23 ms and 30 kB, zlib 2.4 ms and
# 25 kB), and any gzip reader takes it.
GZIP_THRESHOLD = 128 * 1024
GZIP_LEVEL = 1


async def compress_if_large(request: web.Request, response: web.Response) -> None:
    body = response.body
    if not isinstance(body, bytes) or len(body) <= GZIP_THRESHOLD:
        return
    if not accepts_gzip(request):
        return
    response.body = await asyncio.to_thread(gzip, body)  # megabytes: off the loop
    _say_gzipped(response)


def _say_gzipped(response: web.StreamResponse) -> None:
    response.headers["Content-Encoding"] = "gzip"
    response.headers.add("Vary", "Accept-Encoding")


def accepts_gzip(request: web.Request) -> bool:
    """ContentEncodingSupported: a comma-separated token that is exactly `gzip` (so not
    `gzip;q=0.5`, which kube-apiserver passes over too)."""
    accepted = request.headers.get("Accept-Encoding", "")
    return "gzip" in (c.strip() for c in accepted.split(","))


def _compressor() -> isal_zlib.Compress:
    return isal_zlib.compressobj(GZIP_LEVEL, isal_zlib.DEFLATED, 16 + isal_zlib.MAX_WBITS)


def gzip(data: bytes) -> bytes:
    compressor = _compressor()
    return compressor.compress(data) + compressor.flush()


def gzip_member(data: bytes) -> bytes:
    """One flush of a gzipped watch, as perFlushGzipWriter writes it: the data sync-flushed,
    then an empty final block and the trailer. Go's gzip reader hands out a final block's
    data only once it has read the next member's header: data in the final block would wait
    for the next event."""
    compressor = _compressor()
    return (
        compressor.compress(data)
        + compressor.flush(isal_zlib.Z_SYNC_FLUSH)
        + compressor.flush(isal_zlib.Z_FINISH)
    )


# kube-apiserver's cacher sends a bookmark to each watcher about once a minute, and one 2 s
# before the watch's timeout so that the client resumes from a recent revision.
BOOKMARK_INTERVAL = 60.0
BEFORE_TIMEOUT = 2.0
# How often an idle watch looks up: is the client still there, is the server draining? Also
# how soon after the initial events a WatchList gets its first plain bookmark (the cacher
# schedules it "immediately", for its next tick, about a second later).
TICK = 1.0


def next_bookmark(now: float, deadline: float) -> float | None:
    """When the next bookmark is due (cacheWatcher.nextBookmarkTime): a minute from now, or
    2 s before the deadline if that is sooner; none if that time has come (the loop's clock
    may not have moved since the last bookmark)."""
    due = min(now + BOOKMARK_INTERVAL, deadline - BEFORE_TIMEOUT)
    return None if due <= now else due


@dataclass(frozen=True)
class Output:
    """How to answer: the negotiated encoding and transformation, and the Table's
    includeObject (checked only when a Table is asked for, as kube checks it)."""

    negotiated: transform.Negotiated
    include_object: table.IncludeObject = table.IncludeObject.METADATA
    pretty: bool = False  # JSON indented (never a watch's: its stream serializer is compact)

    @classmethod
    def negotiate(
        cls, accept: str | None, query: Mapping[str, str], watch: bool, user_agent: str | None
    ) -> Output:
        negotiated = transform.negotiate_watch(accept) if watch else transform.negotiate(accept)
        pretty = not watch and (negotiated.pretty or gojson.wants_pretty(query, user_agent))
        wanted = negotiated.transform
        if wanted is not None and wanted.kind == transform.TABLE:
            include = table.include_object(query.get("includeObject"))
            return cls(negotiated, include, pretty)
        return cls(negotiated, pretty=pretty)

    @property
    def media_type(self) -> str:
        return self.negotiated.media_type

    @property
    def yaml(self) -> bool:
        return self.negotiated.media_type == negotiation.YAML

    @property
    def plain(self) -> bool:
        """JSON of the objects themselves: what storage holds (indented if pretty)."""
        return not self.yaml and self.negotiated.transform is None

    def body(self, obj: Mapping[str, Any], converter: table.TableConverter, is_list: bool) -> Any:
        """A response body as asked for: the object or list, or its Table or metadata."""
        shape = transform.transform_list if is_list else transform.transform_object
        return shape(
            obj, self.negotiated.transform, table=converter, include_object=self.include_object
        )

    def watch_events(self, converter: table.TableConverter) -> transform.WatchTransformer:
        return transform.WatchTransformer(
            self.negotiated.transform, table=converter, include_object=self.include_object
        )


async def serve_watch(
    request: web.Request,
    stream: WatchStream,
    stopping: Callable[[], bool],
    shape: transform.WatchTransformer,
) -> web.StreamResponse:
    # Starting the watch (its initial list, its revision) may fail with a Status: before a
    # byte is sent, so the error filter still answers it as one.
    async with stream.events as events:
        response = web.StreamResponse(status=200)
        response.content_type = "application/json"
        response.enable_chunked_encoding()
        # WatchListCompression (beta, on in 1.37): a WatchList stream is gzipped for a
        # client that takes gzip, from its first event to its last.
        gzipped = events.ends_initial_events and accepts_gzip(request)
        if gzipped:
            _say_gzipped(response)
        await response.prepare(request)
        out = _EventWriter(response, gzipped)
        loop = asyncio.get_running_loop()
        start = loop.time()
        deadline = start + stream.timeout
        bookmark_due = None
        if events.allow_bookmarks:
            bookmark_due = (
                start + TICK if events.ends_initial_events else next_bookmark(start, deadline)
            )
        # A watch of the stored bytes as they are is written directly from the fan-out once
        # nothing is held or ready (attach checks the rest).
        attachable, direct = not gzipped and shape.transform is None, False
        while (left := deadline - loop.time()) > 0 and not stopping():
            wait = min(TICK, left)
            if bookmark_due is not None:
                wait = max(min(wait, bookmark_due - loop.time()), 0.0)
            try:
                event = await events.next_ready()
                if event is None:  # what is held goes before any wait
                    await out.flush()
                    transport = request.transport
                    if attachable and not direct and transport is not None:
                        direct = events.attach(functools.partial(_write_event, transport))
                    event = await events.next(wait)
            except StopAsyncIteration:
                break
            except ConnectionError:
                return response
            if event is None:
                transport = request.transport
                if transport is None or transport.is_closing():
                    break
                if bookmark_due is None or loop.time() < bookmark_due:
                    continue
                bookmark_due = next_bookmark(loop.time(), deadline)
                event = events.bookmark()
                if event is None:
                    continue
            kind, obj = event
            try:
                line = _event_line(kind, obj, shape)
            except transform.Unencodable:
                break
            try:
                await out.write(line)
            except ConnectionError:
                return response
            if kind == "ERROR":
                break
        with contextlib.suppress(ConnectionError):
            await out.flush()
            await response.write_eof()
    return response


# Events that are ready at once (the initial events, a backlog) go out together up to this
# size, as the watch server writes until its channel is empty before it flushes; 64 KiB holds
# twice deflate's window, so gzip compresses such a batch as well as a longer one.
WATCH_BATCH_BYTES = 64 * 1024


class _EventWriter:
    """A watch's lines, held until the watch would wait for the next (or a batch is full);
    with gzip, each send is one whole gzip member, as perFlushGzipWriter closes its writer at
    every flush."""

    def __init__(self, response: web.StreamResponse, gzipped: bool) -> None:
        self._response = response
        self._gzipped = gzipped
        self._lines: list[bytes] = []
        self._size = 0

    async def write(self, line: bytes) -> None:
        self._lines.append(line)
        self._size += len(line)
        if self._size >= WATCH_BATCH_BYTES:
            await self.flush()

    async def flush(self) -> None:
        if not self._lines:
            return
        data = b"".join(self._lines)
        self._lines.clear()
        self._size = 0
        await self._response.write(gzip_member(data) if self._gzipped else data)


# A directly written watcher whose client has this much unread is ended, as a slow one.
DIRECT_BACKLOG = 1024 * 1024


def _write_event(transport: asyncio.Transport, kind: str, data: bytes) -> bool:
    """One event as one HTTP chunk, written at once from the store's publish: no per-watcher
    task switch (the chunk framing is the response's, which was sent chunked)."""
    if transport.is_closing():
        return False
    transport.write(_event_chunk(kind, data))
    return transport.get_write_buffer_size() <= DIRECT_BACKLOG


@functools.lru_cache(maxsize=2)
def _event_chunk(kind: str, data: bytes) -> bytes:
    """An event's chunk, framed once for all the watchers the hub hands it to in a row (the
    same `data` object for each: its hash is computed once, and equality is identity). The
    hub hands out one event to all before the next, so two are kept: no more than two
    objects, however large, stay in memory for it."""
    line = b'{"type":"%s","object":%s}\n' % (kind.encode(), data)
    return b"%x\r\n%s\r\n" % (len(line), line)


def _event_line(
    kind: str, obj: Mapping[str, Any] | bytes, shape: transform.WatchTransformer
) -> bytes:
    if isinstance(obj, bytes):
        if shape.transform is None:  # the stored bytes are the line's object: encoded once
            return b'{"type":"%s","object":%s}\n' % (kind.encode(), obj)
        obj = codec.decode(obj)
    shown = shape.event_object(obj)
    if shape.transform is None and shown.get("kind") != "Status":  # the object, unstructured
        return b'{"type":"%s","object":%s}\n' % (kind.encode(), codec.encode_object(shown))
    return negotiation.compact({"type": kind, "object": shown}) + b"\n"


@dataclass(frozen=True)
class _ListText:
    """A list's text in parts: before its first item, a page of stored bodies as the items
    (or Table rows) they make, what goes between two pages' items, and after the last item;
    `empty`, the whole text when there are no items, if not `opening + closing`."""

    opening: bytes
    encode: Callable[[Page], bytes]
    closing: bytes
    separator: bytes = b","
    empty: bytes | None = None


def _list_text(listed: ObjectList, output: Output, converter: table.TableConverter) -> _ListText:
    head: dict[str, Any] = {**listed.head(), "metadata": listed.metadata}
    if output.plain:
        return _ListText(*_unstructured_list_json(listed, head))
    # The envelope as the transformation (if any) makes it for no items: a Table's columns,
    # a PartialObjectMetadataList's metadata (and its items null, a nil Go slice).
    envelope = dict(output.body({**head, "items": []}, converter, is_list=True))
    key = "rows" if "rows" in envelope else "items"
    info = listed.info

    def part(page: Page) -> Any:
        """The items or rows a page of stored bodies makes."""
        items = [info.to_served(codec.decode(body)) for body in page.bodies]
        return output.body({**head, "items": items}, converter, is_list=True)[key]

    if output.yaml:
        return _yaml_list_text(envelope, key, part)
    return _typed_list_json(listed, output, converter, envelope, key, part)


def _yaml_list_text(envelope: dict[str, Any], key: str, part: Callable[[Page], Any]) -> _ListText:
    """sigs.k8s.io/yaml's layout of a list, a Table or a PartialObjectMetadataList: keys
    sorted (so `items` after `apiVersion`, `rows` last), each page's items or rows encoded as
    they sit in the whole document (dumped under their key, that line dropped)."""
    before = {k: v for k, v in envelope.items() if k < key}
    after = {k: v for k, v in envelope.items() if k > key}
    label = key.encode() + b":\n"

    def encode(page: Page) -> bytes:
        return yamlout.encode({key: part(page)}).removeprefix(label)

    return _ListText(
        (yamlout.encode(before) if before else b"") + label,
        encode,
        yamlout.encode(after) if after else b"",
        separator=b"",
        empty=yamlout.encode(envelope),
    )


def _unstructured_list_json(
    listed: ObjectList, head: dict[str, Any]
) -> tuple[bytes, Callable[[Page], bytes], bytes]:
    """An UnstructuredList, its keys sorted too (the items before kind and metadata): the
    bytes before its first item, how a page of stored bodies becomes the items that follow,
    comma-separated, and the bytes after the last."""
    before = {k: v for k, v in head.items() if k < "items"}
    after = {k: v for k, v in head.items() if k > "items"}
    opening = codec.encode_object(before)[:-1] + (b',"items":[' if before else b'"items":[')
    closing = b"]," + codec.encode_object(after)[1:] if after else b"]}"
    if listed.stored_as_served:
        return opening, _spliced, closing
    if listed.converted:  # by a webhook: decoded, made the served objects, encoded
        return opening, functools.partial(_converted, listed.info), closing
    return opening, functools.partial(_served, listed.info), closing


def _typed_list_json(
    listed: ObjectList,
    output: Output,
    converter: table.TableConverter,
    envelope: dict[str, Any],
    key: str,
    part: Callable[[Page], Any],
) -> _ListText:
    """A Table or PartialObjectMetadataList (Go structs: the rows or items last)."""
    info = listed.info
    wanted = output.negotiated.transform
    assert wanted is not None  # not plain, not YAML: transformed

    def encode(page: Page) -> bytes:
        if key == "rows":
            return converter.encode_rows(
                page.bodies,
                page.revisions,
                lambda body: info.to_served(codec.decode(body)),
                include_object=output.include_object,
                group_version=wanted.group_version,
                now=datetime.now(UTC),
            )
        return negotiation.compact(part(page))[1:-1]

    fields = {k: v for k, v in envelope.items() if k != key}
    opening = negotiation.compact(fields)[:-1] + b',"%s":[' % key.encode()
    return _ListText(opening, encode, b"]}", empty=negotiation.compact(envelope))


def _spliced(page: Page) -> bytes:
    return b",".join(page.bodies)


def _converted(info: ResourceInfo, page: Page) -> bytes:
    served = (info.to_served(codec.decode(body)) for body in page.bodies)
    return b",".join(codec.encode_object(obj) for obj in served)


# Served objects by (ResourceInfo, revision) that are not the stored bytes: read defaults
# applied, or another version's apiVersion (what kube's watch cache holds decoded).
SERVED = EncodedCache()
# (ResourceInfo, revision) of those that are (written under the current schema, its defaults
# in them already): most items of most lists, so a mark is kept compactly.
AS_STORED = RevisionMarks()


def _served(info: ResourceInfo, page: Page) -> bytes:
    """A page of items as `info` serves them, each encoded once per revision."""
    revisions = page.revisions
    items = []
    for i, body in enumerate(page.bodies):
        key = (info.serial, revisions[i]) if revisions else None
        if key is not None and key in AS_STORED:
            items.append(body)
            continue
        kept = SERVED.get(key) if key is not None else None
        if kept is not None and isinstance(encoded := kept[0], bytes):
            items.append(encoded)
            continue
        obj = codec.decode(body)
        if info.converter is not None:
            obj = info.to_served(obj)
        elif info.served_as_stored(obj):
            if key is not None:
                AS_STORED.add(key)
            items.append(body)
            continue
        encoded = codec.encode_object(obj)
        if key is not None:
            encoded = codec.compact(encoded)
            SERVED.put(key, (encoded,))
        items.append(encoded)
    return b",".join(items)


async def serve_list(
    request: web.Request, listed: ObjectList, output: Output, converter: table.TableConverter
) -> web.StreamResponse:
    """A list sent as it is read, a page of stored bodies at a time, never all in memory: a
    small one in one response, a large one streamed (gzipped if the client accepts it, as
    kube-apiserver compresses anything over the threshold). Stored bodies served as they are
    stored are spliced in as they are; others are decoded and transformed page by page, in a
    worker thread. Pretty, the compact text is indented as it goes (no newline at the end:
    json.MarshalIndent writes none)."""
    text = _list_text(listed, output, converter)
    encode = text.encode
    spliced = encode is _spliced  # a memory copy: no thread needed
    indenter = gojson.Indenter() if output.pretty and not output.yaml else None
    newline = b"" if indenter is not None or output.yaml else b"\n"  # json.Encoder's
    end = text.closing + newline

    async def shaped(data: bytes) -> bytes:
        if indenter is None:
            return data
        if len(data) <= gojson.INDENT_INLINE:
            return indenter.feed(data)
        return await asyncio.to_thread(indenter.feed, data)  # in order: one feed at a time

    async def items() -> AsyncIterator[bytes]:
        async for page in listed.pages():
            if page.bodies:  # a Page is a tuple: always true
                yield encode(page) if spliced else await asyncio.to_thread(encode, page)

    media_type = output.media_type
    buffered = [text.opening]
    size = len(text.opening)
    separator = b""
    chunks = items()
    async for chunk in chunks:
        buffered.append(separator + chunk)
        size += len(buffered[-1])
        separator = text.separator
        if size > GZIP_THRESHOLD:
            break
    else:
        buffered.append(end)
        if len(buffered) == 2 and text.empty is not None:
            buffered = [text.empty, newline]
        whole = web.Response(body=await shaped(b"".join(buffered)))
        whole.content_type = media_type
        if indenter is not None:  # indented, it may have passed the threshold
            await compress_if_large(request, whole)
        return whole

    response = web.StreamResponse(status=200)
    response.content_type = media_type
    compressor = _compressor() if accepts_gzip(request) else None
    if compressor is not None:
        _say_gzipped(response)
    await response.prepare(request)

    async def send(data: bytes) -> None:
        data = await shaped(data)
        if compressor is not None:
            data = await asyncio.to_thread(compressor.compress, data)  # off the event loop
        if data:
            await response.write(data)

    try:
        await send(b"".join(buffered))
        del buffered
        async for chunk in chunks:
            await send(separator + chunk)
        await send(end)
        if compressor is not None:
            await response.write(compressor.flush())
        await response.write_eof()
    except ConnectionError:
        pass  # the client went away
    except Exception:
        # Too late for a Status: the client sees a truncated body and lists again.
        log.exception("list ended early")
        if request.transport is not None:
            request.transport.close()
    return response
