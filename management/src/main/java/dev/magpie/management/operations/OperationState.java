package dev.magpie.management.operations;

/**
 * Where an operation is in its life. ARM only shows four statuses; the plane also remembers whether an
 * in-progress operation had started, so a restart can say whether the cache may have been touched.
 */
public enum OperationState {
    QUEUED("InProgress"),
    RUNNING("InProgress"),
    SUCCEEDED("Succeeded"),
    FAILED("Failed"),
    CANCELED("Canceled");

    private final String armStatus;

    OperationState(String armStatus) {
        this.armStatus = armStatus;
    }

    public String armStatus() {
        return armStatus;
    }

    public boolean ended() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED;
    }
}
