"""The SQLite schema, shaped like etcd's MVCC key space.

`history` holds one row per write, keyed by the store-wide revision; it is the only place
object bodies live. A delete's tombstone has no body: its event carries the previous
version, restamped with the delete's revision. `current` maps each live key to the revision
of its latest version, and triggers keep it in step with `history`, so every write is a
single INSERT: one statement, one implicit transaction, one round trip to the sqlite thread.

Compaction at revision C deletes every history row at or below C that is superseded by a
newer version at or below C, and every delete tombstone at or below C. What remains at or
below C is exactly each live key's latest version, so a snapshot at any revision >= C is
complete, and every event after C is still there to replay. `current` never points at a
compacted row: a key's latest version is never superseded. Compacting to B and then to C
deletes exactly what compacting to C at once would, so compaction runs in batches, each a
consistent compaction up to its upper bound.
"""

from __future__ import annotations

SCHEMA_VERSION = 2

SCHEMA = """
BEGIN IMMEDIATE;

CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (name, value) VALUES ('compacted', 0);

CREATE TABLE history (
    revision      INTEGER PRIMARY KEY,  -- the rowid: one write per revision
    resource      TEXT NOT NULL,
    namespace     TEXT NOT NULL,  -- with its trailing '/' (see MIGRATE_1_TO_2)
    name          TEXT NOT NULL,
    type          TEXT NOT NULL CHECK (type IN ('ADDED', 'MODIFIED', 'DELETED')),
    prev_revision INTEGER,              -- the key's previous version; NULL for ADDED
    data          BLOB,                 -- orjson; NULL for a tombstone
    CHECK ((type = 'DELETED') = (data IS NULL))
);
CREATE INDEX history_by_key ON history (resource, namespace, name, revision);

CREATE TABLE current (
    resource  TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    revision  INTEGER NOT NULL,  -- history.revision of the live version
    PRIMARY KEY (resource, namespace, name)
) WITHOUT ROWID;

CREATE TRIGGER history_put AFTER INSERT ON history WHEN NEW.type <> 'DELETED'
BEGIN
    INSERT OR REPLACE INTO current (resource, namespace, name, revision)
    VALUES (NEW.resource, NEW.namespace, NEW.name, NEW.revision);
END;

CREATE TRIGGER history_delete AFTER INSERT ON history WHEN NEW.type = 'DELETED'
BEGIN
    DELETE FROM current
    WHERE resource = NEW.resource AND namespace = NEW.namespace AND name = NEW.name;
END;

PRAGMA user_version = 2;
COMMIT;
"""

# Version 2: `namespace` holds the key's namespace segment, `team/` (`/` for a cluster-scoped
# object), so that the tables' key order is kube-apiserver's.
MIGRATE_1_TO_2 = """
BEGIN IMMEDIATE;
UPDATE current SET namespace = namespace || '/';
UPDATE history SET namespace = namespace || '/';
PRAGMA user_version = 2;
COMMIT;
"""

# Create only if no live version exists; zero rows inserted means AlreadyExists.
INSERT_ADDED = """
INSERT INTO history (revision, resource, namespace, name, type, prev_revision, data)
SELECT :revision, :resource, :namespace, :name, 'ADDED', NULL, :data
WHERE NOT EXISTS (
    SELECT 1 FROM current WHERE resource = :resource AND namespace = :namespace AND name = :name
)
"""

# Update (a body) or delete (NULL) if the key is live at :expected (any revision if NULL);
# returns the previous body, or no row: then SELECT_REVISION tells NotFound from Conflict.
INSERT_CHANGE = """
INSERT INTO history (revision, resource, namespace, name, type, prev_revision, data)
SELECT :revision, resource, namespace, name, :type, revision, :data FROM current
WHERE resource = :resource AND namespace = :namespace AND name = :name
    AND (:expected IS NULL OR revision = :expected)
RETURNING (SELECT p.data FROM history AS p WHERE p.revision = history.prev_revision)
"""

SELECT_REVISION = """
SELECT revision FROM current
WHERE resource = :resource AND namespace = :namespace AND name = :name
"""

SELECT_OBJECT = """
SELECT h.data
FROM current AS c JOIN history AS h ON h.revision = c.revision
WHERE c.resource = :resource AND c.namespace = :namespace AND c.name = :name
"""

# Bodies by revision (the rowid), the revisions given as one JSON array: no variable limit.
SELECT_REVISIONS_DATA = """
SELECT h.revision, h.data FROM history AS h
WHERE h.revision IN (SELECT value FROM json_each(:revisions)) AND h.data IS NOT NULL
"""

SELECT_REVISIONS = """
SELECT (SELECT value FROM meta WHERE name = 'compacted'),
       COALESCE((SELECT MAX(revision) FROM history), 0)
"""

# What compacting each revision in (:since, :upto] frees: the body of the version it
# supersedes (a tombstone supersedes the last state). length() reads no overflow page.
SELECT_FREED_BY_COMPACTION = """
SELECT h.revision, COALESCE(length(p.data), 0)
FROM history AS h LEFT JOIN history AS p ON p.revision = h.prev_revision
WHERE h.revision > :since AND h.revision <= :upto
ORDER BY h.revision
"""

# The two deletes must run in this order: the first reads the tombstones' prev_revision.
COMPACT = (
    """
    DELETE FROM history WHERE revision IN (
        SELECT prev_revision FROM history
        WHERE revision > :since AND revision <= :upto AND prev_revision IS NOT NULL
    )
    """,
    """
    DELETE FROM history
    WHERE revision > :since AND revision <= :upto AND type = 'DELETED'
    """,
    "UPDATE meta SET value = :upto WHERE name = 'compacted'",
)


def replay(*, namespace: bool) -> str:
    """A resource's events in (:after, :upto], each with its previous version's body.

    The unary + keeps the planner on the revision range, which retention bounds, rather
    than on the key index, which spans every retained version of the resource."""
    return (
        "SELECT h.revision, h.namespace, h.name, h.type, h.data, p.data"
        " FROM history AS h LEFT JOIN history AS p ON p.revision = h.prev_revision"
        " WHERE h.revision > :after AND h.revision <= :upto AND +h.resource = :resource"
        + (" AND +h.namespace = :namespace" if namespace else "")
        + " ORDER BY h.revision LIMIT :limit"
    )


def _key_range(alias: str, *, namespace: bool, after: bool) -> list[str]:
    where = [f"{alias}.resource = :resource"]
    if namespace:
        where.append(f"{alias}.namespace = :namespace")
    if after and namespace:
        # Within one namespace; a row value here would cost a sort (see list()).
        where.append(f"{alias}.name > :after_name")
    elif after:
        where.append(f"({alias}.namespace, {alias}.name) > (:after_namespace, :after_name)")
    return where


def list_current(*, namespace: bool, after: bool, limit: bool, count: bool) -> str:
    """Live objects of a resource in key order, or how many there are."""
    where = " AND ".join(_key_range("c", namespace=namespace, after=after))
    if count:
        return f"SELECT COUNT(*) FROM current AS c WHERE {where}"
    return (
        "SELECT c.namespace, c.name, h.data"
        " FROM current AS c JOIN history AS h ON h.revision = c.revision"
        f" WHERE {where} ORDER BY c.namespace, c.name" + (" LIMIT :limit" if limit else "")
    )


def list_snapshot(*, namespace: bool, after: bool, limit: bool, count: bool) -> str:
    """Objects of a resource as they were at :revision: each key's latest version at or
    below it, unless that is a tombstone. Walks the key index in order, so LIMIT stops
    the scan early."""
    where = _key_range("h", namespace=namespace, after=after)
    where += [
        "h.revision <= :revision",
        "h.type <> 'DELETED'",
        "NOT EXISTS (SELECT 1 FROM history AS n WHERE n.resource = h.resource"
        " AND n.namespace = h.namespace AND n.name = h.name"
        " AND n.revision > h.revision AND n.revision <= :revision)",
    ]
    if count:
        return f"SELECT COUNT(*) FROM history AS h WHERE {' AND '.join(where)}"
    return (
        f"SELECT h.namespace, h.name, h.data FROM history AS h WHERE {' AND '.join(where)}"
        " ORDER BY h.namespace, h.name" + (" LIMIT :limit" if limit else "")
    )
