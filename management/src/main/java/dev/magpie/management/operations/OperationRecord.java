package dev.magpie.management.operations;

import java.time.Instant;

/**
 * An immutable snapshot of one asynchronous operation; every change makes a new record, so readers on
 * any thread always see a consistent one.
 */
public record OperationRecord(
        String id,
        String subscriptionId,
        String resourceGroup,
        String cacheName,
        String location,
        FlushScope scope,
        OperationState state,
        double percentComplete,
        Instant createdTime,
        Instant startTime,
        Instant endTime,
        String errorCode,
        String errorMessage) {

    public static OperationRecord queued(String id, String subscriptionId, String resourceGroup, String cacheName,
                                         String location, FlushScope scope, Instant now) {
        return new OperationRecord(id, subscriptionId, resourceGroup, cacheName, location, scope,
                OperationState.QUEUED, 0, now, null, null, null, null);
    }

    public OperationRecord running(Instant now) {
        return new OperationRecord(id, subscriptionId, resourceGroup, cacheName, location, scope,
                OperationState.RUNNING, 0, createdTime, now, null, null, null);
    }

    public OperationRecord progressed(double percent) {
        return new OperationRecord(id, subscriptionId, resourceGroup, cacheName, location, scope,
                state, percent, createdTime, startTime, endTime, errorCode, errorMessage);
    }

    public OperationRecord succeeded(Instant now) {
        return new OperationRecord(id, subscriptionId, resourceGroup, cacheName, location, scope,
                OperationState.SUCCEEDED, 100, createdTime, startTime, now, null, null);
    }

    public OperationRecord failed(Instant now, String code, String message) {
        return new OperationRecord(id, subscriptionId, resourceGroup, cacheName, location, scope,
                OperationState.FAILED, percentComplete, createdTime, startTime, now, code, message);
    }
}
