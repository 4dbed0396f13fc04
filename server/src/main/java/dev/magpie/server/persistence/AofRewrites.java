package dev.magpie.server.persistence;

import dev.magpie.server.Log;
import dev.magpie.server.config.Settings;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;

/**
 * When AOF rewrites happen and how they went: BGREWRITEAOF, a rewrite scheduled until a snapshot
 * ends, the automatic rewrite on growth ({@code auto-aof-rewrite-percentage}), the first base
 * after {@code CONFIG SET appendonly yes} (retried until it succeeds), and the figures INFO
 * persistence reports about them. Each rewrite itself is an {@link AofRewrite}. Engine thread.
 */
final class AofRewrites {
    private final Aof aof;
    private final Engine engine;
    private final Settings settings;
    private AofRewrite rewrite;
    /** The rewrite started last, running or not: read by other threads (tests of its figures). */
    private volatile AofRewrite lastStarted;
    private boolean scheduled;
    /** Set while appendonly was switched on at run time and the first base is not yet written. */
    private boolean waitingForFirstBase;
    private long lastAutoCheckMillis;
    private long lastSeconds = -1;
    private boolean lastOk = true;
    /** INFO's aof_rewrites: Redis counts a rewrite when it starts, so a running one is included. */
    private long started;
    private long consecutiveFailures;

    AofRewrites(Aof aof, Engine engine) {
        this.aof = aof;
        this.engine = engine;
        this.settings = engine.settings();
    }

    /** BGREWRITEAOF: returns the status reply text, or an error starting with "ERR". */
    String request() {
        if (rewrite != null) {
            return "ERR Background append only file rewriting already in progress";
        }
        if (snapshotRunning()) {
            scheduled = true;
            return "Background append only file rewriting scheduled";
        }
        if (!aof.feedingNow()) {
            return "ERR Background append only file rewriting is only supported with appendonly yes";
        }
        start();
        return "Background append only file rewriting started";
    }

    /** The cron, while feeding: starts a scheduled rewrite, or an automatic one when the AOF grew enough. */
    void cron(long nowMillis) {
        if (rewrite != null) {
            return;
        }
        if (scheduled && !snapshotRunning()) {
            scheduled = false;
            start();
            return;
        }
        long percentage = settings.integer("auto-aof-rewrite-percentage");
        if (percentage > 0 && !waitingForFirstBase && nowMillis - lastAutoCheckMillis >= 1000) {
            lastAutoCheckMillis = nowMillis;
            long current = aof.currentSize();
            long base = Math.max(1, aof.baseSize());
            if (current >= settings.integer("auto-aof-rewrite-min-size") && (current - base) * 100 / base >= percentage
                    && !snapshotRunning()) {
                Log.notice("Starting automatic rewriting of AOF on " + (current - base) * 100 / base + "% growth");
                start();
            }
        }
    }

    /** CONFIG SET appendonly yes: the new incremental files need a base of the dataset. */
    void firstBase() {
        waitingForFirstBase = true;
        if (snapshotRunning()) {
            scheduled = true;
        } else {
            start();
        }
    }

    /** CONFIG SET appendonly no: nothing more is scheduled, and a running rewrite's file is thrown away. */
    void stop() {
        scheduled = false;
        if (rewrite != null) {
            rewrite.abandon();
        }
    }

    private void start() {
        started++;
        rewrite = aof.beginRewrite(waitingForFirstBase);
        lastStarted = rewrite;
        rewrite.start();
        Log.notice("Background append only file rewriting started");
    }

    /** A rewrite ended. */
    void done(AofRewrite finished, boolean ok, long seconds) {
        if (rewrite != finished) {
            return;
        }
        rewrite = null;
        lastSeconds = seconds;
        lastOk = ok;
        if (ok) {
            consecutiveFailures = 0;
            waitingForFirstBase = false;
            aof.markSizes(true);
            Log.notice("Background AOF rewrite finished successfully");
        } else {
            consecutiveFailures++;
            if (waitingForFirstBase && aof.feedingNow()) {
                scheduled = true;
            }
            Log.warning("Background AOF rewrite failed");
        }
    }

    private boolean snapshotRunning() {
        for (Database db : engine.databases()) {
            if (db.keyspace().snapshotActive()) {
                return true;
            }
        }
        return false;
    }

    AofRewrite lastStarted() {
        return lastStarted;
    }

    boolean inProgress() {
        return rewrite != null;
    }

    boolean scheduled() {
        return scheduled;
    }

    long lastSeconds() {
        return lastSeconds;
    }

    long currentSeconds() {
        return rewrite == null ? -1 : rewrite.elapsedSeconds();
    }

    boolean lastOk() {
        return lastOk;
    }

    long started() {
        return started;
    }

    long consecutiveFailures() {
        return consecutiveFailures;
    }
}
