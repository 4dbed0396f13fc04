package dev.magpie.management;

/** A configuration or environment problem that stops the plane from starting; the message says what to fix. */
public final class ManagementStartupException extends RuntimeException {
    public ManagementStartupException(String message) {
        super(message);
    }

    public ManagementStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
