package dev.magpie.server.engine;

import dev.magpie.server.config.Settings;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.Keyspace;

/**
 * maxmemory: before a command runs, evicts keys by the configured policy until memory is under
 * the limit (approximated as Redis does: a few sampled keys, the best candidate goes), or tells
 * the engine to refuse commands that would add memory ("OOM ..."). Memory counted is the
 * entries' native bytes plus the index arrays; collection values are not counted yet.
 */
final class Eviction {
    private static final int MAX_EVICTIONS_PER_CALL = 64;

    private final Engine engine;

    Eviction(Engine engine) {
        this.engine = engine;
    }

    static long usedMemory(Database[] databases) {
        long used = 0;
        for (Database database : databases) {
            used += database.keyspace().entryBytes() + database.keyspace().indexBytes();
        }
        return used;
    }

    /** True when memory is within the limit (after evicting what the policy allows). */
    boolean makeRoom() {
        Settings settings = engine.settings();
        long limit = settings.integer("maxmemory");
        if (limit <= 0) {
            return true;
        }
        String policy = settings.text("maxmemory-policy");
        int evicted = 0;
        while (usedMemory(engine.databases()) > limit) {
            if (policy.equals("noeviction") || evicted >= MAX_EVICTIONS_PER_CALL || !evictOne(policy, settings)) {
                return usedMemory(engine.databases()) <= limit;
            }
            evicted++;
        }
        return true;
    }

    private boolean evictOne(String policy, Settings settings) {
        boolean volatileOnly = policy.startsWith("volatile-");
        int samples = (int) settings.integer("maxmemory-samples");
        Database bestDb = null;
        long best = 0;
        long bestScore = Long.MIN_VALUE;
        for (Database database : engine.databases()) {
            Keyspace keyspace = database.keyspace();
            if (volatileOnly ? keyspace.expiringCount() == 0 : keyspace.size() == 0) {
                continue;
            }
            for (int i = 0; i < samples; i++) {
                long entry = volatileOnly ? keyspace.randomExpiring() : keyspace.randomEntry();
                long score = score(policy, entry);
                if (score > bestScore) {
                    bestScore = score;
                    best = entry;
                    bestDb = database;
                }
            }
        }
        if (bestDb == null) {
            return false;
        }
        engine.aof().deleted(bestDb, best);
        bestDb.delete(best);
        engine.stats().evictedKeys++;
        return true;
    }

    /** Higher is a better eviction candidate. */
    private static long score(String policy, long entry) {
        if (policy.endsWith("-lru")) {
            return -Entry.lru(entry);
        }
        if (policy.endsWith("-lfu")) {
            return -Entry.lfu(entry);
        }
        if (policy.endsWith("-ttl")) {
            return -Entry.expireAt(entry);
        }
        return java.util.concurrent.ThreadLocalRandom.current().nextLong();
    }
}
