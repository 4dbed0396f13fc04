package dev.magpie.server.config;

/** A setting that cannot be applied; the message is what the user sees. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
