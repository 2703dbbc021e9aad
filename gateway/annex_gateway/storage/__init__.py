"""The gateway's storage layer: a revisioned object store (interface) and its backends.

The lowest layer of the gateway: it imports nothing else from annex_gateway.
"""

from .interface import (
    AlreadyExists,
    BackendError,
    Conflict,
    EventType,
    Expired,
    ListResult,
    NotFound,
    ObjectKey,
    RevisionTooLarge,
    StorageError,
    Store,
    Watch,
    WatchEvent,
    WatchOverflow,
)
from .sqlite import SqliteStore

__all__ = [
    "AlreadyExists",
    "BackendError",
    "Conflict",
    "EventType",
    "Expired",
    "ListResult",
    "NotFound",
    "ObjectKey",
    "RevisionTooLarge",
    "SqliteStore",
    "StorageError",
    "Store",
    "Watch",
    "WatchEvent",
    "WatchOverflow",
]
