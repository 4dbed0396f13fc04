package dev.magpie.server.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a snapshot's writer thread reuses to encode {@link DeferredKeys}: one RDB output that
 * streams into the file in 64 KB pieces, and one value writer, so encoding allocates nothing per
 * run of keys. Writer thread only.
 */
final class DeferredEncoder {
    private static final int PIECE_BYTES = 64 * 1024;

    private final RdbOutput out;
    private final RdbOutput.Spill sink;
    private final ValueWriter values = new ValueWriter();

    DeferredEncoder(boolean compress, RdbOutput.Spill sink) {
        this.sink = sink;
        this.out = new RdbOutput(PIECE_BYTES * 2, compress).adaptiveCompression();
        out.spillTo(sink, PIECE_BYTES);
    }

    /** Encodes one key as {@link RdbSerializer} would; {@code value} is its object, null for a string. */
    void write(long entry, Object value, int idleMode) throws IOException {
        try {
            RdbSerializer.writeKeyValue(out, values, entry, value, idleMode);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Hands what is still buffered to the file, so it precedes whatever is written next. */
    void flush() throws IOException {
        if (out.size() > 0) {
            sink.write(out.array(), out.size());
            out.reset();
        }
    }
}
