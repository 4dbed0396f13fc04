package dev.magpie.management.operations;

/** A cache already has as many operations waiting as the plane allows; the client should retry later. */
public final class QueueFullException extends RuntimeException {
    public QueueFullException() {
        super("Too many operations are queued for this cache", null, false, false);
    }
}
