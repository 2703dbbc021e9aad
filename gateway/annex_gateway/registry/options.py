"""The options of each verb, typed (metav1 CreateOptions, UpdateOptions, PatchOptions,
DeleteOptions, ListOptions). The endpoints parse them from the request once; the registry
only ever sees these."""

from __future__ import annotations

from dataclasses import dataclass, field

from annex_gateway.registry.selectors import FieldSelector, LabelSelector


@dataclass(frozen=True)
class WriteOptions:
    """What create, update and patch share."""

    dry_run: bool = False
    field_manager: str = ""  # the fieldManager parameter, or the User-Agent's product name


@dataclass(frozen=True)
class PatchOptions(WriteOptions):
    force: bool = False  # apply only


@dataclass(frozen=True)
class Preconditions:
    uid: str | None = None
    resource_version: str | None = None


@dataclass(frozen=True)
class DeleteOptions:
    dry_run: bool = False
    propagation_policy: str | None = None  # Foreground | Background | Orphan
    orphan_dependents: bool | None = None
    grace_period_seconds: int | None = None
    preconditions: Preconditions = field(default_factory=Preconditions)
    # Delete what cannot be read (an unsafe delete); what can be read is refused (409).
    ignore_store_read_error: bool = False


@dataclass(frozen=True)
class ListOptions:
    labels: LabelSelector
    fields: FieldSelector
    limit: int | None = None
    continue_token: str | None = None
    resource_version: str | None = None
    resource_version_match: str | None = None
