"""The gateway's storage layer: a revisioned object store (interface) and its backends.

The lowest layer of the gateway: it imports nothing else from annex_gateway.
"""

from .guaranteed_update import DELETE, Deletion, TooManyConflicts, TryUpdate, guaranteed_update
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
    "DELETE",
    "AlreadyExists",
    "BackendError",
    "Conflict",
    "Deletion",
    "EventType",
    "Expired",
    "ListResult",
    "NotFound",
    "ObjectKey",
    "RevisionTooLarge",
    "SqliteStore",
    "StorageError",
    "Store",
    "TooManyConflicts",
    "TryUpdate",
    "Watch",
    "WatchEvent",
    "WatchOverflow",
    "guaranteed_update",
]
