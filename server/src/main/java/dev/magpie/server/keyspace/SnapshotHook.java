package dev.magpie.server.keyspace;

/**
 * Installed on a keyspace while a point-in-time snapshot walks it (see
 * {@code dev.magpie.server.persistence.KeyspaceSnapshot}): before an entry the snapshot has not
 * yet covered is accessed or removed, the keyspace counts it covered and calls the hook, so the
 * snapshot can record the value as it was; and before wholesale changes (flush, swap) it cannot
 * follow key by key.
 */
public interface SnapshotHook {
    /** {@code entry} is about to be read, changed or removed and has not been recorded yet. */
    void beforeChange(Keyspace keyspace, long entry);

    /**
     * {@code entry}, not recorded yet, is about to be replaced whatever it holds: a command
     * writes its value and expire time anew, or deletes it, without reading them (plain SET,
     * MSET, DEL). A snapshot followed by a log of the commands run since it started (an AOF
     * rewrite's base) may leave such a key out: replaying the log replaces it again.
     */
    default void beforeReplace(Keyspace keyspace, long entry) {
        beforeChange(keyspace, entry);
    }

    /**
     * True while what looks keys up only reads them (a fast read-only command such as GET): an
     * entry it finds keeps its value until the walk reaches it, so the lookup need not record it
     * first. Only its access time may move on, which a snapshot keeps as a hint, not as data.
     */
    default boolean onlyReading() {
        return false;
    }

    /** The keyspace is about to be emptied or swapped: the snapshot must complete first. */
    void beforeBulkChange();
}
