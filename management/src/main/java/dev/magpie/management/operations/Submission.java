package dev.magpie.management.operations;

/** The answer to queuing an operation: the accepted operation, or null when the cache's queue is full. */
public record Submission(OperationRecord accepted) {
    public boolean queueFull() {
        return accepted == null;
    }
}
