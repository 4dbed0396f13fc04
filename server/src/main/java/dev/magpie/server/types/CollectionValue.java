package dev.magpie.server.types;

/**
 * A value that is not a string: a list, hash, set or sorted set. It lives in its keyspace's
 * {@link dev.magpie.server.keyspace.ObjectTable}; its entry holds the handle and mirrors the
 * encoding byte so OBJECT ENCODING, TYPE and SCAN TYPE read the entry alone.
 */
public interface CollectionValue {
    /** The entry type ({@code Entry.TYPE_LIST}, ...). */
    byte type();

    /** Redis's encoding number for the current representation ({@code Values.ENCODING_LISTPACK}, ...). */
    byte encoding();

    /** Number of elements (list items, hash fields, set members). */
    long size();

    /** An independent deep copy (COPY). */
    CollectionValue copy();

    /** Approximate bytes held, for MEMORY USAGE and INFO. */
    long memoryUsage();
}
