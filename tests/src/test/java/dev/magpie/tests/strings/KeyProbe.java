package dev.magpie.tests.strings;

import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.tests.support.Magpie;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reads what a key looks like inside Magpie (its encoding and remaining TTL) on the engine
 * thread, the only thread allowed to touch the keyspace. It lets the tests check encodings and
 * expiry against Redis's OBJECT ENCODING and PTTL without depending on those commands.
 */
final class KeyProbe {
    private final Engine engine;

    KeyProbe(Magpie magpie) {
        this.engine = magpie.server().engine();
    }

    /** What the key holds in database 0: "none", or "encoding ttl-ms" (-1 for no TTL). Expired keys count as absent. */
    KeyState state(String key) {
        byte[] name = key.getBytes(StandardCharsets.UTF_8);
        return onEngine(e -> {
            Database db = e.database(0);
            long entry = db.lookup(name, 0, name.length);
            if (entry == 0) {
                return KeyState.ABSENT;
            }
            long expireAt = Entry.expireAt(entry);
            long ttl = expireAt < 0 ? -1 : Math.max(0, expireAt - System.currentTimeMillis());
            return new KeyState(encodingName(Entry.type(entry), Entry.encoding(entry)), ttl);
        });
    }

    /** Plants a key of another type (what the non-string families will create), for WRONGTYPE checks. */
    void plantForeignKey(String key, byte type) {
        byte[] name = key.getBytes(StandardCharsets.UTF_8);
        onEngine(e -> {
            Database db = e.database(0);
            if (db.lookup(name, 0, name.length) == 0) {
                long entry = db.keyspace().add(name, 0, name.length, 0);
                Entry.type(entry, type, (byte) 0);
            }
            return null;
        });
    }

    /** Removes a planted key without asking its (not yet existing) type to release anything. */
    void removePlanted(String key) {
        byte[] name = key.getBytes(StandardCharsets.UTF_8);
        onEngine(e -> {
            long entry = e.database(0).keyspace().find(name, 0, name.length);
            if (entry != 0) {
                e.database(0).keyspace().delete(entry);
            }
            return null;
        });
    }

    private static String encodingName(byte type, byte encoding) {
        if (type != Entry.TYPE_STRING) {
            return "type" + type;
        }
        return switch (encoding) {
            case Entry.ENCODING_INT -> "int";
            case Entry.ENCODING_EMBSTR -> "embstr";
            case Entry.ENCODING_RAW -> "raw";
            default -> "encoding" + encoding;
        };
    }

    private <T> T onEngine(Function<Engine, T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        engine.thread().execute(() -> {
            try {
                result.complete(task.apply(engine));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("engine task failed", e);
        }
    }

    /** A key's encoding and TTL in ms (-1 none); ABSENT when there is no such key. */
    record KeyState(String encoding, long ttl) {
        static final KeyState ABSENT = new KeyState("none", -2);

        /** Same encoding, same TTL kind, and TTLs within the time the two servers were asked apart. */
        boolean matches(KeyState other) {
            if (!encoding.equals(other.encoding)) {
                return false;
            }
            if (ttl < 0 || other.ttl < 0) {
                return ttl == other.ttl;
            }
            return Math.abs(ttl - other.ttl) <= 2_000;
        }

        @Override
        public String toString() {
            return ttl == -2 ? "absent" : encoding + (ttl == -1 ? " (no ttl)" : " (ttl " + ttl + " ms)");
        }
    }
}
