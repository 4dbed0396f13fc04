package dev.magpie.server.persistence;

import java.io.IOException;

/**
 * Keys of a snapshot captured by the engine but serialized by the snapshot's writer thread, in
 * their place in the stream: a large list frozen whole ({@link FrozenEntry}) or a run of string
 * keys copied byte for byte ({@link CopiedStrings}). Either way the engine's share of the work is
 * a copy, and the RDB encoding (LZF compression included) happens off the engine thread.
 */
interface DeferredKeys {
    /** Encodes the keys as {@link RdbSerializer} would have, all of them out of {@code encoder} on return; once. */
    void writeTo(DeferredEncoder encoder) throws IOException;

    /** Native bytes the capture holds until it is written or released. */
    long bytes();

    /** Frees what the capture holds without writing it (a save given up). */
    void release();
}
