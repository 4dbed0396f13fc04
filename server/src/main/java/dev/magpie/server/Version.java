package dev.magpie.server;

/** The version Magpie reports, and the Redis version whose behaviour it follows. */
public final class Version {
    public static final String VERSION = "0.1.0";
    /** What INFO's redis_version and HELLO's version say, so clients enable Redis 7 features. */
    public static final String REDIS_COMPATIBLE = "7.0.15";

    private Version() {
    }
}
