package dev.magpie.server.engine;

import dev.magpie.server.keyspace.Database;

/**
 * The engine's periodic duties, {@code hz} times a second (Redis's serverCron): the active
 * expiry cycle, incremental rehashing, table shrinking, ops sampling and ending CLIENT PAUSE.
 */
public final class Cron {
    private final Engine engine;
    private final ActiveExpiry expiry;
    private long nextRunMillis;

    public Cron(Engine engine) {
        this.engine = engine;
        this.expiry = new ActiveExpiry(engine);
    }

    public long periodMillis() {
        return Math.max(1, 1000 / engine.settings().integer("hz"));
    }

    /** Runs the cron if its time has come; returns 1 if it ran, for the agent's duty cycle. */
    public int runIfDue(long nowMillis) {
        if (nowMillis < nextRunMillis) {
            return 0;
        }
        nextRunMillis = nowMillis + periodMillis();
        run(nowMillis);
        return 1;
    }

    public void run(long nowMillis) {
        if (engine.activeExpireEnabled()) {
            expiry.cycle(nowMillis, periodMillis());
        }
        boolean rehash = engine.settings().bool("activerehashing");
        for (Database database : engine.databases()) {
            // A load sizes its tables for the keys to come: shrinking them meanwhile would undo that.
            if (!engine.loading()) {
                database.keyspace().shrinkIfSparse();
            }
            if (rehash) {
                rehashFor(database, 1_000_000L);
            }
        }
        engine.stats().sampleOps(nowMillis);
        engine.persistence().cron(nowMillis);
        engine.aof().cron(nowMillis);
        closeIdleClients(nowMillis);
        engine.resumePaused();
        engine.blocking().expireDeadlines();
        engine.flushPending();
    }

    /** {@code timeout}: closes clients idle longer than it, except blocked ones, as Redis does. */
    private void closeIdleClients(long nowMillis) {
        long timeoutSeconds = engine.settings().integer("timeout");
        if (timeoutSeconds <= 0 || nowMillis < nextIdleCheckMillis) {
            return;
        }
        nextIdleCheckMillis = nowMillis + 1000;
        long limit = timeoutSeconds * 1000;
        for (dev.magpie.server.session.Session session : new java.util.ArrayList<>(engine.clients().all())) {
            if (!session.blocked() && !session.monitor() && nowMillis - session.lastInteractionMillis() > limit) {
                session.connection().close();
            }
        }
    }

    private long nextIdleCheckMillis;

    private static void rehashFor(Database database, long budgetNanos) {
        if (!database.keyspace().isRehashing()) {
            return;
        }
        long deadline = System.nanoTime() + budgetNanos;
        while (database.keyspace().rehash(100) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
