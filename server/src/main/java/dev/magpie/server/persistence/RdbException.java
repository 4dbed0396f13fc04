package dev.magpie.server.persistence;

/** A malformed or truncated RDB stream or DUMP payload; the message says what and where. */
public final class RdbException extends Exception {
    private final long offset;

    public RdbException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    /** Bytes from the start of the stream to where the problem was found. */
    public long offset() {
        return offset;
    }
}
