package dev.magpie.server.engine;

import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.Keyspace;

/**
 * Redis's active expiry cycle: sample keys that carry a TTL at random, delete the expired ones,
 * and keep going in a database while more than a tenth of a sample had expired, within a time
 * budget of a quarter of the cron period, so keys nobody reads are still reclaimed.
 */
final class ActiveExpiry {
    private static final int SAMPLE = 20;
    private static final int ACCEPTABLE_STALE_PERCENT = 10;
    private static final int BUDGET_PERCENT = 25;

    private final Engine engine;
    private int nextDatabase;

    ActiveExpiry(Engine engine) {
        this.engine = engine;
    }

    void cycle(long nowMillis, long periodMillis) {
        long effort = engine.settings().integer("active-expire-effort") - 1;
        int sample = (int) (SAMPLE + SAMPLE / 4 * effort);
        long acceptableStale = ACCEPTABLE_STALE_PERCENT - effort;
        long budgetNanos = periodMillis * 1_000_000L * (BUDGET_PERCENT + 2 * effort) / 100;
        long started = System.nanoTime();
        Database[] databases = engine.databases();
        for (int visited = 0; visited < databases.length; visited++) {
            Database database = databases[nextDatabase];
            nextDatabase = (nextDatabase + 1) % databases.length;
            Keyspace keyspace = database.keyspace();
            int iterations = 0;
            while (keyspace.expiringCount() > 0) {
                int sampled = 0;
                int expired = 0;
                long now = System.currentTimeMillis();
                for (int i = 0; i < sample && keyspace.expiringCount() > 0; i++) {
                    long entry = keyspace.randomExpiring();
                    sampled++;
                    if (Entry.expireAt(entry) <= now) {
                        database.expire(entry);
                        expired++;
                    }
                }
                if ((++iterations & 15) == 0 && System.nanoTime() - started > budgetNanos) {
                    engine.stats().slowExpireCycles++;
                    return;
                }
                if (sampled == 0 || expired * 100L <= sampled * acceptableStale) {
                    break;
                }
            }
        }
    }
}
