"""The generic store: every verb over storage, a strategy and admission, for one resource at
one served version (k8s.io/apiserver's pkg/registry/generic/registry/store.go).

The server owns uid, creationTimestamp, generation and resourceVersion; updates are
compare-and-swap through `guaranteed_update`; deletion honours preconditions, finalizers
and the garbage collector's propagation finalizers. Nothing here knows HTTP.
"""

from __future__ import annotations

import builtins
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

from annex_core.apidef import FieldError
from annex_core.gotext import NumberError, parse_uint64
from annex_core.schema import fielderrors
from annex_gateway import apierrors
from annex_gateway.admission import namespaces
from annex_gateway.admission.metadata import GC_FINALIZERS, coerce_object_meta
from annex_gateway.jsoncopy import copy_json
from annex_gateway.registry import listing
from annex_gateway.registry.fields import FieldManager
from annex_gateway.registry.options import (
    DeleteOptions,
    ListOptions,
    PatchOptions,
    Preconditions,
    WriteOptions,
)
from annex_gateway.registry.resource import ResourceInfo
from annex_gateway.registry.rest import DeleteResult, UpdatedObject, WriteResult
from annex_gateway.registry.strategy import ResourceStrategy
from annex_gateway.registry.watching import ResourceWatch, WatchOptions
from annex_gateway.storage import (
    DELETE,
    AlreadyExists,
    Deletion,
    NotFound,
    ObjectKey,
    RevisionTooLarge,
    Store,
    TooManyConflicts,
    codec,
    guaranteed_update,
)
from annex_gateway.storage.index import REVISION, ObjectIndex

JSON = dict[str, Any]

# Metadata the server owns: a client's values are ignored on create and kept on update.
SERVER_MANAGED = (
    "uid",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "generation",
    "selfLink",
    "resourceVersion",
)
GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
# k8s.io/apiserver's SimpleNameGenerator keeps at most 58 characters of generateName, so
# that with 5 random ones a generated name stays within 63.
MAX_GENERATE_NAME_PREFIX = 58
GENERATE_NAME_ATTEMPTS = 8


_formatted: tuple[int, str] = (-1, "")  # the last second formatted, and its text


def now_rfc3339() -> str:
    """Kubernetes timestamps: RFC 3339, UTC, second precision (formatted once a second)."""
    global _formatted
    second = int(time.time())
    if _formatted[0] != second:
        _formatted = (second, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second)))
    return _formatted[1]


@dataclass(frozen=True)
class ResourceStore:
    info: ResourceInfo
    storage: Store
    strategy: ResourceStrategy
    namespace_lookup: namespaces.NamespaceLookup | None = None
    field_manager: FieldManager | None = None
    subresource: str = ""  # "" for the main resource, "status" for the status store
    index: ObjectIndex | None = None  # what lists and watches select from, if kept

    # -- errors -------------------------------------------------------------------------------

    def not_found(self, name: str) -> apierrors.StatusError:
        return apierrors.not_found(self.info.group, self.info.plural, name)

    def conflict(self, name: str) -> apierrors.StatusError:
        return apierrors.conflict(self.info.group, self.info.plural, name, apierrors.MODIFIED)

    def invalid(
        self, name: str, errors: list[FieldError], obj: JSON | None = None
    ) -> apierrors.StatusError:
        """422 Invalid, named (BeforeCreate, BeforeUpdate) by the group and kind the object
        says it is."""
        kind = obj.get("kind") if obj is not None else None
        api_version = obj.get("apiVersion") if obj is not None else None
        group = api_version.rpartition("/")[0] if isinstance(api_version, str) else None
        return apierrors.invalid(
            self.info.group if group is None else group,
            kind if isinstance(kind, str) else self.info.kind,
            name,
            errors,
        )

    # -- get, list ------------------------------------------------------------------------------

    async def get(self, namespace: str, name: str, *, at_least: int | None = None) -> JSON:
        found = await self._read(namespace, name, at_least)
        return await self.info.served(codec.decode(found) if isinstance(found, bytes) else found)

    async def get_stored(
        self, namespace: str, name: str, *, at_least: int | None = None
    ) -> bytes | None:
        """The object as its stored body, when stored bodies are what this resource serves
        (as lists and watches send them); None when they are not."""
        if not self.info.stored_is_served:
            return None
        found = await self._read(namespace, name, at_least)
        return found if isinstance(found, bytes) else codec.encode_object(found)

    async def _read(self, namespace: str, name: str, at_least: int | None) -> bytes | JSON:
        """The object as stored: its body from the index's cache, or read from the key."""
        if at_least is not None:
            current = await self.storage.current_revision()
            if at_least > current:
                raise listing.too_large(RevisionTooLarge(at_least, current))
        index = self.index
        if index is not None and not index.retired:
            # The index knows the key's revision, the body cache most bodies.
            await index.synced()
            entry = index.get(self.info.key(namespace, name).namespace, name)
            if entry is None:
                raise self.not_found(name)
            body = (await index.bodies.read([entry[REVISION]]))[0]
            if body is not None:  # else superseded and compacted since: read the key
                return body
        try:
            return await self.storage.get(self.info.key(namespace, name))
        except NotFound:
            raise self.not_found(name) from None

    async def list(self, namespace: str, options: ListOptions) -> listing.ObjectList:
        return await listing.list_objects(self.storage, self.index, self.info, namespace, options)

    def watch(self, namespace: str, options: WatchOptions) -> ResourceWatch:
        return ResourceWatch(self.storage, self.info, namespace, options, self.index)

    # -- create ---------------------------------------------------------------------------------

    async def create(
        self, namespace: str, obj: JSON, options: WriteOptions, *, applied: bool = False
    ) -> WriteResult:
        """`applied`: the object comes from server-side apply, its managedFields are set."""
        info = self.info
        # Admission runs before validation in kube-apiserver: a missing namespace wins.
        meta = obj["metadata"]
        await namespaces.check_create(
            namespace if info.namespaced else "",
            self.namespace_lookup,
            info.group,
            info.plural,
            str(meta.get("name") or meta.get("generateName") or "Unknown"),
        )
        if meta.get("resourceVersion"):
            raise apierrors.bad_request(
                "resourceVersion should not be set on objects to be created"
            )
        name = meta.get("name") or ""
        generate = meta.get("generateName") or ""
        if not name and not generate:
            raise self.invalid(
                "",
                [
                    FieldError(
                        "metadata.name",
                        "FieldValueRequired",
                        "Required value: name or generateName is required",
                    )
                ],
            )
        if not name:  # BeforeCreate generates the name before validating the object
            meta["name"] = _generated(generate)
        errors = self.strategy.validate(obj)
        warnings = tuple(self.strategy.warnings(obj))
        if errors:
            raise self.invalid(meta["name"], errors, obj)
        for key in SERVER_MANAGED:
            meta.pop(key, None)
        meta["uid"] = str(uuid.uuid4())
        meta["creationTimestamp"] = now_rfc3339()
        self.strategy.prepare_for_create(obj)
        if self.field_manager is not None and not applied:
            obj = await self.field_manager.update(
                None, obj, options.field_manager, subresource=self.subresource, now=now_rfc3339()
            )
        if applied:
            self._prune_applied(obj)
        obj = await info.stored(obj)  # apiVersion and kind first, metadata the same dict
        meta = obj["metadata"]

        for attempt in range(GENERATE_NAME_ATTEMPTS if not name else 1):
            if attempt:  # the generated name was taken: another one (RetryGenerateName)
                meta["name"] = _generated(generate)
            try:
                stored = await self._create(info.key(namespace, meta["name"]), obj, options.dry_run)
            except AlreadyExists:
                if name:
                    raise apierrors.already_exists(info.group, info.plural, name) from None
                continue
            return WriteResult(await info.served(stored), True, warnings)
        raise apierrors.already_exists(info.group, info.plural, meta["name"])

    async def _create(self, key: ObjectKey, obj: JSON, dry_run: bool) -> JSON:
        if not dry_run:
            return await self.storage.create(key, obj)
        # Everything but the write, the existence check included: a dry-run create of a
        # taken name is 409 (k8s.io/apiserver DryRunnableStorage.Create).
        try:
            await self.storage.get(key)
        except NotFound:
            return obj
        raise AlreadyExists(key)

    # -- update (and so patch, apply, status, scale) --------------------------------------------

    async def update(
        self,
        namespace: str,
        name: str,
        updated: UpdatedObject,
        options: WriteOptions,
        *,
        create_if_missing: bool = False,
        preconditions: Preconditions | None = None,
    ) -> WriteResult:
        return await self._update(
            namespace, name, updated, options, create_if_missing, False, preconditions
        )

    async def apply(
        self,
        namespace: str,
        name: str,
        config: JSON,
        options: PatchOptions,
        *,
        create_if_missing: bool = True,
    ) -> WriteResult:
        """Server-side apply: merge the applier's configuration, creating if missing (not
        through a subresource: `create_if_missing` False)."""
        manager = self.field_manager
        if manager is None:
            raise apierrors.unsupported_media_type(())

        async def applied(live: JSON | None) -> JSON:
            result = await manager.apply(
                live,
                copy_json(config),
                options.field_manager,
                force=options.force,
                subresource=self.subresource,
                now=now_rfc3339(),
            )
            meta = result.get("metadata")
            if isinstance(meta, dict):
                # The merged object's metadata read as an ObjectMeta, as storage reads it: a
                # null label value is "", an empty map is none (unstructured's accessors
                # skip what they cannot read, so validation never sees those).
                coerce_object_meta(meta)
                if self.info.namespaced:
                    meta["namespace"] = namespace  # the URL's, whatever the configuration said
                else:  # BeforeCreate and BeforeUpdate clear a cluster-scoped object's
                    meta.pop("namespace", None)
            else:
                meta = {}
            if live is None and meta.get("uid"):  # patcher.applyPatch
                raise apierrors.conflict(
                    self.info.group,
                    self.info.plural,
                    name,
                    f"uid mismatch: the provided object specified uid {meta['uid']}, "
                    "and no existing object was found",
                )
            if (meta.get("name") or "") != name:  # checkName, on the applied result
                raise apierrors.wrong_name(meta.get("name") or "", name)
            return result

        return await self._update(namespace, name, applied, options, create_if_missing, True)

    async def _update(
        self,
        namespace: str,
        name: str,
        updated: UpdatedObject,
        options: WriteOptions,
        create_if_missing: bool,
        applied: bool,
        preconditions: Preconditions | None = None,
    ) -> WriteResult:
        info = self.info
        warnings: builtins.list[str] = []
        # The update that took the last finalizer away deletes the object, and its answer is
        # that update's object, never stored (store.deleteWithoutFinalizers).
        emptied: JSON | None = None

        async def try_update(current: JSON) -> JSON | Deletion:
            nonlocal emptied
            old = await info.served(current)
            new = await updated(copy_json(old))
            if self.field_manager is not None and not applied:
                new = await self.field_manager.update(
                    old, new, options.field_manager, subresource=self.subresource, now=now_rfc3339()
                )
            prepared = self._prepare_update(
                name, new, old, warnings, preconditions, options.dry_run
            )
            if isinstance(prepared, Deletion):
                emptied = new
                return prepared
            emptied = None
            if applied:
                self._prune_applied(prepared)
            # Into the storage version: an unchanged object stored at another version is
            # rewritten (a new resourceVersion), as the storage version migrator expects.
            return await info.stored(prepared)

        try:
            stored, _ = await guaranteed_update(
                self.storage, info.key(namespace, name), try_update, dry_run=options.dry_run
            )
        except NotFound:
            if not create_if_missing:
                raise self.not_found(name) from None
            obj = await updated(None)
            return await self.create(namespace, obj, options, applied=applied)
        except TooManyConflicts:
            raise self.conflict(name) from None
        if emptied is not None:
            return WriteResult(emptied, False, tuple(warnings))
        return WriteResult(await info.served(stored), False, tuple(warnings))

    def _prune_applied(self, obj: JSON) -> None:
        """An applied object, validated, pruned as storage prunes it (the CRD's storage codec
        converts through the schema-coercing converter): what the schema does not know inside
        a field the field manager could not type (`additionalProperties: true`) goes there.
        Other writes were pruned as their body was decoded."""
        if self.strategy.schema is not None:
            self.strategy.schema.coerce(obj)

    def _prepare_update(
        self,
        name: str,
        new: JSON,
        old: JSON,
        warnings: builtins.list[str],
        preconditions: Preconditions | None,
        dry_run: bool,
    ) -> JSON | Deletion:
        """The object to store for `new` over `old`, or DELETE; raises what refuses it."""
        meta, old_meta = new["metadata"], old["metadata"]
        if preconditions is not None:  # before the update function runs (GuaranteedUpdate)
            check_preconditions(self.info, name, preconditions, old_meta, dry_run)  # 409
        rv = _update_revision(meta.get("resourceVersion"))
        if not rv:  # store.Update names the resource, not the kind, here
            raise apierrors.invalid(
                self.info.group,
                self.info.plural,
                name,
                [
                    FieldError(
                        "metadata.resourceVersion",
                        "FieldValueInvalid",
                        "Invalid value: 0: must be specified for an update",
                    )
                ],
            )
        if rv != int(old_meta["resourceVersion"]):
            raise self.conflict(name)
        marks = _immutable_meta_errors(meta, old_meta)
        for key in SERVER_MANAGED:
            if key in old_meta:
                meta[key] = old_meta[key]
            else:
                meta.pop(key, None)
        self.strategy.prepare_for_update(new, old)
        if new["metadata"] is not meta:
            # The strategy took the stored metadata (a status write): in kube-apiserver it does
            # so before the immutable fields are compared, so none of them can differ.
            marks = []
        # Validation's own warnings (rules forgiven by ratcheting) come first, as in kube.
        validation_warnings: builtins.list[str] = []
        errors = self.strategy.validate_update(new, old, validation_warnings, marks)
        if errors:
            error = self.invalid(name, errors, new)
            error.warnings = tuple(validation_warnings)
            raise error
        warnings[:] = [*validation_warnings, *self.strategy.warnings(new, old)]
        # The metadata as prepared: a status write keeps the stored finalizers, whatever the
        # body said (deleteWithoutFinalizers looks at the object to be stored).
        prepared = new["metadata"]
        if prepared.get("deletionTimestamp") and not prepared.get("finalizers"):
            return DELETE  # the last finalizer is gone: the deletion completes
        return new

    # -- delete ---------------------------------------------------------------------------------

    async def delete(self, namespace: str, name: str, options: DeleteOptions) -> DeleteResult:
        info = self.info

        async def try_delete(current: JSON) -> JSON | Deletion:
            meta = current["metadata"]
            if options.ignore_store_read_error:
                # Objects here always decode: an unsafe delete has nothing to do (store.go).
                raise apierrors.conflict(
                    info.group,
                    info.plural,
                    name,
                    f"StorageError: invalid object, Code: 4, Key: {_etcd_key(info, meta, name)}, "
                    "ResourceVersion: 0, AdditionalErrorMsg: unsafe deletion is not allowed "
                    "because the object is decodable from storage",
                )
            check_delete_preconditions(info, name, options.preconditions, meta)
            finalizers = finalizers_after_delete(meta.get("finalizers") or [], options)
            if not finalizers:
                return DELETE
            if meta.get("deletionTimestamp") and meta.get("finalizers") == finalizers:
                return current  # a repeated delete changes nothing
            meta["finalizers"] = finalizers
            if not meta.get("deletionTimestamp"):
                meta["deletionTimestamp"] = now_rfc3339()
                meta["deletionGracePeriodSeconds"] = 0
                meta["generation"] = int(meta.get("generation") or 1) + 1
            return current

        try:
            result, deleted = await guaranteed_update(
                self.storage, info.key(namespace, name), try_delete, dry_run=options.dry_run
            )
        except NotFound:
            raise self.not_found(name) from None
        except TooManyConflicts:
            raise self.conflict(name) from None
        if deleted:
            return DeleteResult(_deleted_status(info, result["metadata"]), True)
        return DeleteResult(await info.served(result), False)

    async def delete_collection(
        self, namespace: str, list_options: ListOptions, options: DeleteOptions
    ) -> JSON:
        """Delete every selected object; the list of them as they were listed before (as
        store.DeleteCollection answers). Objects gone meanwhile are no error."""
        listed = await (await self.list(namespace, list_options)).to_json()
        for obj in listed["items"]:
            meta = obj["metadata"]
            try:
                await self.delete(meta.get("namespace", ""), meta["name"], options)
            except apierrors.StatusError as e:
                if e.code != 404:
                    raise
        return listed


def _generated(prefix: str) -> str:
    """SimpleNameGenerator: the prefix (cut to 58 characters) and 5 random characters."""
    suffix = "".join(secrets.choice(GENERATE_NAME_ALPHABET) for _ in range(5))
    return prefix[:MAX_GENERATE_NAME_PREFIX] + suffix


def _deleted_status(info: ResourceInfo, meta: JSON) -> JSON:
    """What a custom resource's immediate delete answers (finalizeDelete: its store does not
    return the deleted object): a Status whose details' kind is the resource's plural."""
    details = {"name": meta["name"], "group": info.group, "kind": info.plural, "uid": meta["uid"]}
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": details,
    }


def finalizers_after_delete(
    existing: builtins.list[str], options: DeleteOptions
) -> builtins.list[str]:
    """The garbage-collector finalizers a delete adds or removes (store.go
    deletionFinalizersForGarbageCollection)."""
    policy = options.propagation_policy
    if policy is None and options.orphan_dependents is not None:
        policy = "Orphan" if options.orphan_dependents else "Background"
    finalizers = list(existing)
    if policy is not None:
        finalizers = [f for f in finalizers if f not in GC_FINALIZERS]
        wanted = {"Orphan": "orphan", "Foreground": "foregroundDeletion"}.get(policy)
        if wanted:
            finalizers.append(wanted)
    return finalizers


def check_delete_preconditions(
    info: ResourceInfo, name: str, pre: Preconditions, meta: dict[str, Any]
) -> None:
    """A delete's preconditions as rest.BeforeDelete checks them: its own words, and the kind
    where a resource's plural would be (GroupResource{Group, Resource: Kind})."""
    _check_preconditions(
        info.group,
        info.kind,
        name,
        pre,
        meta,
        "the UID in the precondition ({want}) does not match the UID in record ({have}). "
        "The object might have been deleted and then recreated",
        "the ResourceVersion in the precondition ({want}) does not match the ResourceVersion "
        "in record ({have}). The object might have been modified",
    )


def check_preconditions(
    info: ResourceInfo, name: str, pre: Preconditions, meta: dict[str, Any], dry_run: bool
) -> None:
    """An update's (storage.Preconditions.Check), which etcd3's store reports as a
    StorageError naming the object's key in etcd, as a custom resource's is named; a dry run
    checks them in DryRunnableStorage, with the key before etcd3 prefixes it."""
    key = _etcd_key(info, meta, name, prefixed=not dry_run)
    storage = (
        f"StorageError: invalid object, Code: 4, Key: {key}, ResourceVersion: 0, "
        "AdditionalErrorMsg: Precondition failed: "
    )
    _check_preconditions(
        info.group,
        info.plural,
        name,
        pre,
        meta,
        storage + "UID in precondition: {want}, UID in object meta: {have}",
        storage + "ResourceVersion in precondition: {want}, ResourceVersion in object meta: {have}",
    )


def _etcd_key(info: ResourceInfo, meta: JSON, name: str, *, prefixed: bool = True) -> str:
    """The key a custom resource has in etcd, as storage errors name it."""
    parts = ("registry" if prefixed else "", info.group, info.plural, meta.get("namespace"), name)
    return "/" + "/".join(p for p in parts if p)


def _update_revision(rv: Any) -> int:
    """An update's resourceVersion as storage reads it (APIObjectVersioner: ParseUint; 0 when
    there is none). One that does not parse is kube-apiserver's 500 (the error is not a
    StatusError there); the client's mistake, so the 400 with its words here."""
    if not rv:
        return 0
    try:
        return parse_uint64(str(rv))
    except NumberError as e:
        raise apierrors.bad_request(str(e)) from None


def _immutable_meta_errors(meta: JSON, old: JSON) -> builtins.list[FieldError]:
    """BeforeUpdate keeps the uid when the update gives none, the deletion marks the object
    has (and its grace period when the update leaves it out); any other value the update gives
    them is refused as immutable (a PUT's uid was its precondition already: a patch's)."""
    errors = []
    uid = meta.get("uid")
    if uid and uid != old.get("uid"):
        errors.append(fielderrors.invalid("metadata.uid", uid, "field is immutable"))
    for key in ("deletionTimestamp", "deletionGracePeriodSeconds"):
        value = meta.get(key)
        if key in old and (key == "deletionTimestamp" or value is None):
            continue  # the old value is kept
        if value is not None and value != old.get(key):
            errors.append(fielderrors.invalid(f"metadata.{key}", value, "field is immutable"))
    return errors


def _check_preconditions(
    group: str,
    resource: str,
    name: str,
    pre: Preconditions,
    meta: dict[str, Any],
    uid_message: str,
    rv_message: str,
) -> None:
    for want, have, message in (
        (pre.uid, meta.get("uid"), uid_message),
        (pre.resource_version, meta.get("resourceVersion"), rv_message),
    ):
        if want and want != have:
            raise apierrors.StatusError(
                409,
                "Conflict",
                f'Operation cannot be fulfilled on {apierrors.qualified(group, resource)} "{name}": '
                + message.format(want=want, have=have),
                details={"name": name, "group": group, "kind": resource},
            )
