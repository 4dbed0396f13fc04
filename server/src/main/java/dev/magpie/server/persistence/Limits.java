package dev.magpie.server.persistence;

import dev.magpie.server.config.Settings;

/** The encoding thresholds loaded values are built under, read from the settings on the engine thread. */
record Limits(long listFill, long hashEntries, long hashValue, long intsetEntries, long zsetEntries, long zsetValue) {
    static Limits of(Settings settings) {
        return new Limits(settings.integer("list-max-listpack-size"),
                settings.integer("hash-max-listpack-entries"), settings.integer("hash-max-listpack-value"),
                settings.integer("set-max-intset-entries"),
                settings.integer("zset-max-listpack-entries"), settings.integer("zset-max-listpack-value"));
    }
}
