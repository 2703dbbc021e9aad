"""List: a consistent, paged, filtered read of one resource, as the generic registry store
and the etcd3 storage serve it (resourceVersion / resourceVersionMatch / continue)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any, NamedTuple, cast

import orjson

from annex_core.gotext import NumberError, parse_uint64
from annex_gateway import apierrors
from annex_gateway.jsoncopy import copy_json
from annex_gateway.registry import continuetoken, selectors
from annex_gateway.registry.continuetoken import KeySpace
from annex_gateway.registry.options import ListOptions
from annex_gateway.registry.resource import ResourceInfo
from annex_gateway.storage import Expired, NotFound, RevisionTooLarge, Store, codec
from annex_gateway.storage.index import (
    FIELDS,
    LABELS,
    NAME,
    NAMESPACE,
    REVISION,
    Attrs,
    Entry,
    Key,
    ObjectIndex,
)

JSON = dict[str, Any]
DEFAULT_PAGE_SCAN = 500
INCONSISTENT_CONTINUE = (
    "The provided continue parameter is too old to display a consistent list result. You "
    "can start a new list without the continue parameter, or use the continue token in "
    "this response to retrieve the remainder of the results. Continuing with the provided "
    "token results in an inconsistent list - objects that were created, modified, or "
    "deleted between the time the first chunk was returned and now may show up in the list."
)
PAGE = 1000  # bodies read (and sent) at a time


class _ListStart(NamedTuple):
    at_revision: int | None = None  # a snapshot (continue, or Exact); None: the current state
    after: Key | None = None  # the key to start after (continue)
    not_older_than: int | None = None  # resourceVersion=N, match unset or NotOlderThan


def supported_fields(info: ResourceInfo) -> tuple[str, ...]:
    meta = ("metadata.name", "metadata.namespace") if info.namespaced else ("metadata.name",)
    return meta + tuple(f.label for f in info.selectable)


def attrs(info: ResourceInfo) -> Attrs:
    """What the index keeps of each object: its labels and selectable field values."""

    def of(obj: Mapping[str, Any]) -> tuple[Mapping[str, str], Mapping[str, str]]:
        labels = obj.get("metadata", {}).get("labels") or {}
        return labels, {f.label: f.value(obj) for f in info.selectable}

    return of


def indexable(info: ResourceInfo) -> bool:
    """Whether an index can hold the served version's field values: selectable fields
    behind a conversion webhook would need a call per object (lists scan storage instead)."""
    converter = info.converter
    return not info.selectable or converter is None or converter.synchronous


def index_attrs(info: ResourceInfo) -> tuple[tuple[str, ...], Attrs]:
    """The index's key fields and what it keeps of each object. Field values of a converted
    resource are read at the served version (each version has its own index then, as each
    CRD version has its own watch cache); labels are the same at every version."""
    fields = tuple(f.label for f in info.selectable)
    converter = info.converter
    if converter is None or not info.selectable:
        return fields, attrs(info)
    of_served = attrs(info)
    version = info.version

    def of(obj: Mapping[str, Any]) -> tuple[Mapping[str, str], Mapping[str, str]]:
        return of_served(converter.convert_sync(copy_json(dict(obj)), version))

    return (*fields, f"@{version}"), of


class Page(NamedTuple):
    """Stored bodies as a list sends them, with their revisions when the list read them by
    revision (what views derived from a body, such as Table rows, are cached by)."""

    bodies: list[bytes]
    revisions: list[int] | None = None


@dataclass(frozen=True)
class ObjectList:
    """A list as it will be sent: its metadata now, its items' stored bodies page by page
    (read at one revision, so the pages are consistent however long sending takes)."""

    info: ResourceInfo
    metadata: JSON
    pages: Callable[[], AsyncIterator[Page]]
    converted: bool = False  # the pages were converted to the served version already

    @property
    def stored_as_served(self) -> bool:
        """Whether the stored bodies are the served objects byte for byte."""
        if self.converted:
            return self.info.read_defaulter is None
        return self.info.stored_is_served

    def head(self) -> JSON:
        return {"apiVersion": self.info.api_version, "kind": self.info.list_kind}

    async def to_json(self) -> JSON:
        items = [self.info.to_served(codec.decode(b)) async for p in self.pages() for b in p.bodies]
        return {**self.head(), "metadata": self.metadata, "items": items}


async def list_objects(
    store: Store,
    index: ObjectIndex | None,
    info: ResourceInfo,
    namespace: str,
    options: ListOptions,
) -> ObjectList:
    listed = await _list_objects(store, index, info, namespace, options)
    if info.converter is None:
        return listed
    return await _converted(listed)


async def _converted(listed: ObjectList) -> ObjectList:
    """The list with its pages converted to the served version as they are read (one
    webhook call per page); objects already at that version pass as they are. The first
    page is converted now, so that a failing webhook is an error Status, not a cut stream."""
    info, stored = listed.info, listed.pages()
    first = await anext(stored, None)
    converted_first = Page(await info.served_bodies(first.bodies)) if first is not None else None

    async def pages() -> AsyncIterator[Page]:
        if converted_first is None:
            return
        yield converted_first
        async for page in stored:
            yield Page(await info.served_bodies(page.bodies))

    return ObjectList(info, listed.metadata, pages, converted=True)


async def _list_objects(
    store: Store,
    index: ObjectIndex | None,
    info: ResourceInfo,
    namespace: str,
    options: ListOptions,
) -> ObjectList:
    if options.resource_version == "0" and options.limit:
        # "Any" state is the cacher's, which pages nothing then (computeListLimit): the
        # whole selection, no continue token, also on a continue.
        options = dataclasses.replace(options, limit=None)
    labels, fields = options.labels, options.fields
    scope: str | None = namespace or fields.exact("metadata.namespace") or None
    # A continue token's keys are relative to the request's namespace (its key prefix).
    space = KeySpace(namespace or None, info.namespaced)
    at_revision, after, minimum = _list_start(options, space)
    try:
        name = fields.exact("metadata.name")
        # kubectl get, wait and delete NAME list with metadata.name=NAME: with the namespace
        # known and no older revision asked for, read that one key (as the generic registry
        # store does for a selector that matches a single name).
        if name is not None and at_revision is None and (scope or not info.namespaced):
            revision = await store.current_revision()
            _check_minimum(minimum, revision)
            found = await _list_one(store, info, scope or "", name, labels, fields)
            return _fixed(info, space, revision, found, None, None, more=False)
        if index is not None and not index.retired:
            # The index holds the current state only: a continue token's snapshot is
            # there as long as nothing was written since.
            revision = await index.synced()
            if at_revision is None or at_revision == revision:
                _check_minimum(minimum, revision)
                return await _from_index(index, info, space, scope, after, revision, options)
        revision = at_revision or await store.current_revision()
        _check_minimum(minimum, revision)
        return await _scan(store, info, space, scope, after, revision, options)
    except Expired as e:
        if options.continue_token and after is not None:
            # handleCompactedErrorForPaging: the same start at the latest state is offered.
            error = apierrors.expired(INCONSISTENT_CONTINUE)
            error.list_continue = continuetoken.encode(-1, after, space)
            raise error from e
        raise apierrors.expired(f"too old resource version: {e.revision} ({e.oldest})") from e
    except RevisionTooLarge as e:
        raise too_large(e) from None


def _check_minimum(minimum: int | None, revision: int) -> None:
    """NotOlderThan N: the current state satisfies it only if N is not in the future (then
    504 ResourceVersionTooLarge, on which client-go relists from "")."""
    if minimum is not None and minimum > revision:
        raise RevisionTooLarge(minimum, revision)


async def _from_index(
    index: ObjectIndex,
    info: ResourceInfo,
    space: KeySpace,
    scope: str | None,
    after: Key | None,
    revision: int,
    options: ListOptions,
) -> ObjectList:
    """The selected keys from the index, then only their bodies, by revision."""
    labels, fields, limit = options.labels, options.fields, options.limit
    label_pairs = _label_pairs(labels)
    field_pairs = tuple(
        (r.field, r.value)
        for r in fields.requirements
        if not r.negated and r.field in info.selectable_labels
    )
    # Requirements the inverted indexes answer need no second look at each entry.
    answered = len(label_pairs) == len(labels.requirements) and len(field_pairs) == len(
        fields.requirements
    )
    selected_entries = index.select(
        scope,
        after=after,
        labels=label_pairs,
        fields=field_pairs,
        matches=None if answered else _matcher(info, labels, fields),
    )
    entries = list(islice(selected_entries, limit + 1) if limit else selected_entries)
    more = limit is not None and len(entries) > limit
    if limit and len(entries) == limit and not (labels.empty and fields.empty):
        # The cacher stops at the limit-th selected object and pages on when any object,
        # selected or not, follows it in the range: a last, empty page comes after.
        more = index.count(scope, (entries[-1][NAMESPACE], entries[-1][NAME])) > 0
    remaining = None
    if more:
        del entries[limit:]
        last = (entries[-1][NAMESPACE], entries[-1][NAME])
        if labels.empty and fields.empty:
            remaining = index.count(scope, last)
    revisions = [e[REVISION] for e in entries]
    # A selected list is a read of chosen objects, like GETs: their bodies stay in the body
    # cache for the next one (controllers list by the same selector again). A list of
    # everything is a scan, which would only push out what GETs find there.
    keep = not (labels.empty and fields.empty)
    # The first page is read now: a body compacted away meanwhile is still an Expired
    # answer rather than a broken stream.
    first = Page(await _bodies(index, revisions[:PAGE], revision, keep), revisions[:PAGE])

    async def pages() -> AsyncIterator[Page]:
        yield first
        for start in range(PAGE, len(revisions), PAGE):
            some = revisions[start : start + PAGE]
            yield Page(await _bodies(index, some, revision, keep), some)

    last_key = (entries[-1][NAMESPACE], entries[-1][NAME]) if more else None
    return ObjectList(info, _list_meta(space, revision, last_key, remaining), pages)


async def _bodies(index: ObjectIndex, revisions: list[int], at: int, keep: bool) -> list[bytes]:
    bodies = await index.bodies.read(revisions, keep=keep)
    if any(b is None for b in bodies):
        raise Expired(at, at + 1)  # superseded and compacted while the list was read
    return cast(list[bytes], bodies)


async def _scan(
    store: Store,
    info: ResourceInfo,
    space: KeySpace,
    scope: str | None,
    after: Key | None,
    revision: int,
    options: ListOptions,
) -> ObjectList:
    """A snapshot at a past revision, read from storage and filtered object by object."""
    labels, fields, limit = options.labels, options.fields, options.limit
    items: list[JSON] = []
    remaining: int | None = None
    more = True
    while more and (limit is None or len(items) < limit):
        want = (limit - len(items)) if limit else None
        page = await store.list(
            info.storage_prefix,
            scope,
            limit=max(want or 0, DEFAULT_PAGE_SCAN)
            if not (labels.empty and fields.empty)
            else want,
            after=after,
            at_revision=revision,
        )
        more = page.more
        page_items = page.items
        if info.converter is not None and not (labels.empty and fields.empty):
            # selectable fields are the served version's
            page_items = [copy_json(o) for o in page_items]
            page_items = await info.converter.convert(page_items, info.version)
        for obj in page_items:
            meta = obj.get("metadata", {})
            after = (meta.get("namespace", ""), meta["name"])
            if selected(obj, info, labels, fields):
                items.append(obj)
                if limit is not None and len(items) >= limit:
                    more = more or obj is not page_items[-1]
                    break
        remaining = page.remaining
    if not (labels.empty and fields.empty):
        remaining = None
    return _fixed(info, space, revision, items, after if more else None, remaining, more=more)


def _fixed(
    info: ResourceInfo,
    space: KeySpace,
    revision: int,
    items: list[JSON],
    last: Key | None,
    remaining: int | None,
    *,
    more: bool,
) -> ObjectList:
    page = Page([orjson.dumps(obj) for obj in items])

    async def pages() -> AsyncIterator[Page]:
        yield page

    return ObjectList(info, _list_meta(space, revision, last if more else None, remaining), pages)


def _list_meta(space: KeySpace, revision: int, last: Key | None, remaining: int | None) -> JSON:
    # An unstructured list always carries continue, empty on the last page (the etcd3
    # store's SetContinue("") on an UnstructuredList), so CRD lists do too.
    meta: JSON = {"continue": "", "resourceVersion": str(revision)}
    if last is not None:
        meta["continue"] = continuetoken.encode(revision, last, space)
        if remaining is not None:
            meta["remainingItemCount"] = remaining
    return meta


def _label_pairs(labels: selectors.LabelSelector) -> tuple[tuple[str, str], ...]:
    """The label=value pairs every selected object has: what the inverted index answers."""
    return tuple(
        (r.key, r.values[0])
        for r in labels.requirements
        if r.operator in ("=", "in") and len(r.values) == 1
    )


def _matcher(
    info: ResourceInfo, labels: selectors.LabelSelector, fields: selectors.FieldSelector
) -> Callable[[Entry], bool]:
    namespaced = info.namespaced

    def matches(entry: Entry) -> bool:
        if not labels.matches(dict(entry[LABELS])):
            return False
        if fields.empty:
            return True
        values = dict(entry[FIELDS])
        values["metadata.name"] = entry[NAME]
        if namespaced:
            values["metadata.namespace"] = entry[NAMESPACE]
        return fields.matches(values)

    return matches


def too_large(e: RevisionTooLarge) -> apierrors.StatusError:
    """504 ResourceVersionTooLarge, on which client-go lists again from the current state."""
    return apierrors.StatusError(
        504,
        "Timeout",
        f"Timeout: Too large resource version: {e.revision}, current: {e.current}",
        details={
            "causes": [
                {"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}
            ],
            "retryAfterSeconds": 1,
        },
    )


async def _list_one(
    store: Store,
    info: ResourceInfo,
    namespace: str,
    name: str,
    labels: selectors.LabelSelector,
    fields: selectors.FieldSelector,
) -> list[JSON]:
    """The one object a list can hold, read by its key: none if missing or not selected."""
    try:
        obj = await store.get(info.key(namespace, name))
    except NotFound:
        return []
    if info.converter is not None and not fields.empty:
        obj = (await info.converter.convert([obj], info.version))[0]
    return [obj] if selected(obj, info, labels, fields) else []


def selected(
    obj: JSON, info: ResourceInfo, labels: selectors.LabelSelector, fields: selectors.FieldSelector
) -> bool:
    if not labels.matches(obj.get("metadata", {}).get("labels") or {}):
        return False
    if fields.empty:
        return True
    values = selectors.object_fields(obj, info.namespaced)
    values.update((f.label, f.value(obj)) for f in info.selectable)
    return fields.matches(values)


def _list_start(options: ListOptions, space: KeySpace) -> _ListStart:
    """Where a list starts, from continue / resourceVersion / resourceVersionMatch (already
    validated together by the endpoints)."""
    rv = options.resource_version
    if options.continue_token:
        return _ListStart(*continuetoken.decode(options.continue_token, space))
    if options.resource_version_match == "Exact":
        return _ListStart(parse_revision(rv or ""))
    if rv and rv != "0":
        return _ListStart(not_older_than=parse_revision(rv))
    return _ListStart()


def parse_revision(text: str) -> int:
    """As storage parses a resourceVersion (strconv.ParseUint): ASCII digits only, no sign,
    no space, no `_`, at most 2**64 - 1; int() would take all of those."""
    try:
        return parse_uint64(text)
    except NumberError:
        raise apierrors.bad_request(f'invalid resource version "{text}"') from None
