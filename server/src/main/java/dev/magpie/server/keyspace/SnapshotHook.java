package dev.magpie.server.keyspace;

/**
 * Installed on a keyspace while a point-in-time snapshot walks it (see
 * {@code dev.magpie.server.persistence.KeyspaceSnapshot}): the keyspace calls it before an entry
 * the snapshot has not yet covered is accessed or removed, so the snapshot can record the value
 * as it was, and before wholesale changes (flush, swap) it cannot follow key by key.
 */
public interface SnapshotHook {
    /** {@code entry} is about to be read, changed or removed and has not been recorded yet. */
    void beforeChange(Keyspace keyspace, long entry);

    /** The keyspace is about to be emptied or swapped: the snapshot must complete first. */
    void beforeBulkChange();
}
