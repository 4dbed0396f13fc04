package dev.magpie.server.persistence;

import dev.magpie.server.Log;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Keyspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * RDB snapshots for one engine: SAVE (blocking, as in Redis), BGSAVE ({@link BackgroundSave}),
 * the {@code save <seconds> <changes>} points, MISCONF, FLUSHALL's and DEBUG RELOAD's saves, and
 * the state INFO persistence reports. Loading is {@link RdbLoader}. Engine thread only, except
 * where noted.
 */
public final class Persistence {
    /** Bytes gathered before SAVE writes them out. */
    private static final int CHUNK_BYTES = 64 * 1024;
    /** After a failed background save, save points retry no sooner than this (Redis's CONFIG_BGSAVE_RETRY_DELAY). */
    private static final long RETRY_DELAY_SECONDS = 5;

    private final Engine engine;
    private BackgroundSave background;
    private boolean lastBgsaveOk = true;
    private long lastBgsaveSeconds = -1;
    private long lastBgsaveTryMillis;
    private long saves;
    private boolean scheduled;
    private long loadedKeys;
    private long loadExpiredKeys;
    private volatile RdbLoader loader;
    private volatile boolean shutdownHandled;
    private final DumpPayload payloads;

    public Persistence(Engine engine) {
        this.engine = engine;
        this.payloads = new DumpPayload(engine);
    }

    /** {@code dir}/{@code dbfilename}. */
    public Path rdbPath() {
        return Path.of(engine.settings().text("dir")).resolve(engine.settings().text("dbfilename"));
    }

    private Path tempPath(String kind) {
        return rdbPath().toAbsolutePath().resolveSibling("temp-" + kind + "-" + ProcessHandle.current().pid() + ".rdb");
    }

    /**
     * A background save's own temporary file, as Redis names one after its child: a save given up
     * (FLUSHALL) removes its file on its writer thread, after the next save may have begun.
     */
    private Path backgroundTempPath() {
        return tempPath("bgsave-" + saves);
    }

    // ---- SAVE -------------------------------------------------------------------------------

    /** True while a background save runs. */
    public boolean bgsaveInProgress() {
        return background != null;
    }

    /**
     * True while a thread of persistence needs CPU of its own: a BGSAVE's or AOF rewrite's, from
     * its start until its file is written, synced and renamed (Redis's "active child process"),
     * or the AOF writer with bytes to write or an fsync running. Engine thread.
     */
    public boolean writingInBackground() {
        return bgsaveInProgress() || engine.aof().rewriteInProgress() || engine.aof().writerAtWork();
    }

    /** True while any snapshot (ours or another user's, e.g. an AOF rewrite) walks the keyspaces. */
    public boolean snapshotRunning() {
        for (Database database : engine.databases()) {
            if (database.keyspace().snapshotActive()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes the whole dataset now, on the engine thread (SAVE, SHUTDOWN). Returns false when it
     * failed, after logging why.
     */
    public boolean save() {
        long started = System.currentTimeMillis();
        RdbOutput out = new RdbOutput(CHUNK_BYTES * 2, engine.settings().bool("rdbcompression")).adaptiveCompression();
        RdbSerializer serializer = new RdbSerializer(engine, out);
        IOException[] failure = {null};
        // One walk at a time: a running one (an AOF rewrite, a BGSAVE) completes first.
        for (Database database : engine.databases()) {
            database.keyspace().beforeBulkChange();
        }
        try (RdbFile file = new RdbFile(rdbPath(), tempPath("save"), engine.settings().bool("rdbchecksum"))) {
            serializer.header(engine, false);
            // After a write error the walk still visits every key (without output), so it ends cleanly.
            KeyspaceSnapshot.start(engine, (db, keyspace, entry) -> {
                if (failure[0] == null) {
                    serializer.entry(db, keyspace, entry);
                    if (out.size() >= CHUNK_BYTES) {
                        failure[0] = writeOut(file, out);
                    }
                }
            }).finish();
            if (failure[0] != null) {
                throw failure[0];
            }
            serializer.footer();
            IOException last = writeOut(file, out);
            if (last != null) {
                throw last;
            }
            file.commit();
        } catch (IOException e) {
            Log.warning("Failed saving the DB: " + e.getMessage());
            return false;
        }
        saved(System.currentTimeMillis());
        lastBgsaveOk = true;
        Log.notice("DB saved on disk (" + (System.currentTimeMillis() - started) + " ms)");
        return true;
    }

    private static IOException writeOut(RdbFile file, RdbOutput out) {
        try {
            file.write(out.array(), 0, out.size());
            return null;
        } catch (IOException e) {
            return e;
        } finally {
            out.reset();
        }
    }

    private void saved(long nowMillis) {
        engine.dirty(0);
        engine.lastSaveSeconds(nowMillis / 1000);
    }

    /** Counts a SAVE or BGSAVE for INFO's rdb_saves (Redis counts those, not the saves FLUSHALL or DEBUG RELOAD make). */
    public void countSave() {
        saves++;
    }

    // ---- BGSAVE -----------------------------------------------------------------------------

    /** What BGSAVE answers: null when it started (or was scheduled), else the error. */
    public String bgsave(boolean schedule) {
        if (background != null) {
            return "ERR Background save already in progress";
        }
        if (snapshotRunning()) {
            if (schedule) {
                scheduled = true;
                return null;
            }
            return "ERR Another child process is active (AOF?): can't BGSAVE right now. "
                    + "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.";
        }
        startBackground();
        return null;
    }

    /** Whether the last BGSAVE request was scheduled rather than started. */
    public boolean bgsaveScheduled() {
        return scheduled;
    }

    private void startBackground() {
        scheduled = false;
        saves++;
        lastBgsaveTryMillis = System.currentTimeMillis();
        RdbFile file;
        try {
            file = new RdbFile(rdbPath(), backgroundTempPath(), engine.settings().bool("rdbchecksum"));
        } catch (IOException e) {
            Log.warning("Can't save in background: " + e.getMessage());
            lastBgsaveOk = false;
            return;
        }
        background = new BackgroundSave(engine, file, this::backgroundDone);
        Log.notice("Background saving started");
    }

    /** Called on the engine thread when the writer thread has committed the file or given up. */
    private void backgroundDone(BackgroundSave bg) {
        if (background != bg) {
            return;
        }
        bg.endWalk();
        background = null;
        long now = System.currentTimeMillis();
        lastBgsaveSeconds = (now - bg.startedMillis() + 500) / 1000;
        if (bg.failure() == null) {
            engine.dirty(Math.max(0, engine.dirty() - bg.dirtyAtStart()));
            engine.lastSaveSeconds(now / 1000);
            lastBgsaveOk = true;
            Log.notice("Background saving terminated with success (" + bg.visited() + " keys, "
                    + (now - bg.startedMillis()) + " ms)");
        } else {
            lastBgsaveOk = false;
            Log.warning("Background saving error: " + bg.failure().getMessage());
        }
    }

    /**
     * Completes a running background save now (walk and file), waiting for the writer; used before
     * a shutdown save. Engine thread.
     */
    public void finishBackground() {
        BackgroundSave bg = background;
        if (bg == null) {
            return;
        }
        bg.finishNow();
        backgroundDone(bg);
    }

    /**
     * Stops a running background save without writing its file, as FLUSHALL kills Redis's save
     * child. The walk stops where it is, so call this only right before every keyspace is emptied.
     */
    public void abandonBackground() {
        BackgroundSave bg = background;
        if (bg == null) {
            return;
        }
        bg.abandon();
        background = null;
        Log.notice("Background saving terminated: the dataset was flushed");
    }

    /** FLUSHALL's save: with save points configured, the now empty dataset replaces the file at once, as in Redis. */
    public void afterFlushAll() {
        if (savePoints().length > 0) {
            save();
        }
    }

    // ---- MISCONF -------------------------------------------------------------------------------

    private static final String BGSAVE_FAILED_MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's"
            + " currently unable to persist to disk. Commands that may modify the data set are disabled, because this"
            + " instance is configured to report errors during writes if RDB snapshotting fails"
            + " (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

    /**
     * Why write commands (and PING) are refused now, or null: Redis stops accepting writes after
     * a failed background save when save points and {@code stop-writes-on-bgsave-error} are on,
     * and while the AOF cannot be written.
     */
    public String writeRefusal() {
        if (!lastBgsaveOk && engine.settings().bool("stop-writes-on-bgsave-error") && savePoints().length > 0) {
            return BGSAVE_FAILED_MISCONF;
        }
        String aofError = engine.aof().lastWriteError();
        return aofError == null ? null : "MISCONF Errors writing to the AOF file: " + aofError;
    }

    // ---- DEBUG RELOAD --------------------------------------------------------------------------

    /**
     * DEBUG RELOAD: saves (unless {@code save} is false), empties every database (unless
     * {@code flush} is false) and loads the file back. Returns null on success, else the error.
     */
    public String reload(boolean merge, boolean flush, boolean save) {
        if (save && !save()) {
            return "ERR";
        }
        if (flush) {
            // Unlike FLUSHALL, a reload keeps the data: a running BGSAVE completes its file first.
            finishBackground();
            for (Database database : engine.databases()) {
                if (database.size() > 0) {
                    Keyspace.freeDetached(database.keyspace().detachAll());
                }
            }
        }
        return RdbReload.load(engine, rdbPath(), merge);
    }

    // ---- save points --------------------------------------------------------------------------

    /** The engine's cron: starts a background save when a save point is reached or one was scheduled. */
    public void cron(long nowMillis) {
        if (background != null || engine.loading()) {
            return;
        }
        if (scheduled && !snapshotRunning()) {
            startBackground();
            return;
        }
        long dirty = engine.dirty();
        if (dirty == 0) {
            return;
        }
        long sinceSave = nowMillis / 1000 - engine.lastSaveSeconds();
        boolean retryAllowed = lastBgsaveOk || nowMillis - lastBgsaveTryMillis > RETRY_DELAY_SECONDS * 1000;
        long[] points = savePoints();
        for (int i = 0; i + 1 < points.length; i += 2) {
            if (dirty >= points[i + 1] && sinceSave >= points[i] && retryAllowed && !snapshotRunning()) {
                Log.notice(points[i + 1] + " changes in " + points[i] + " seconds. Saving...");
                startBackground();
                return;
            }
        }
    }

    /** The {@code save} setting as (seconds, changes) pairs. */
    public long[] savePoints() {
        String text = engine.settings().text("save").trim();
        if (text.isEmpty()) {
            return new long[0];
        }
        String[] parts = text.split("\\s+");
        long[] points = new long[parts.length - parts.length % 2];
        for (int i = 0; i < points.length; i++) {
            try {
                points[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                return new long[0];
            }
        }
        return points;
    }

    /**
     * The save SHUTDOWN and a stop signal make: finishes any background save, then saves when
     * {@code force} or when save points are configured. Returns false when a needed save failed.
     */
    public boolean shutdownSave(boolean force) {
        if (engine.loading()) {
            return true;
        }
        finishBackground();
        if (!force && savePoints().length == 0) {
            return true;
        }
        Log.notice("Saving the final RDB snapshot before exiting.");
        return save();
    }

    /** Marks that SHUTDOWN already did (or declined) the final save, so stopping the server does not repeat it. */
    public void shutdownHandled(boolean handled) {
        shutdownHandled = handled;
    }

    public boolean shutdownHandled() {
        return shutdownHandled;
    }

    // ---- loading ------------------------------------------------------------------------------

    /**
     * Loads {@code dir}/{@code dbfilename} if it exists, in the background: the engine answers
     * LOADING until it is done. {@code onFailure} runs (on the engine thread) when the file is bad.
     */
    public void loadAtStartup(Runnable onFailure) {
        Path path = rdbPath();
        if (!Files.isRegularFile(path)) {
            return;
        }
        engine.loading(true);
        RdbLoader started = new RdbLoader(engine, this, path, onFailure);
        loader = started;
        started.start();
    }

    void loadFinished(long keys, long expired) {
        loadedKeys = keys;
        loadExpiredKeys = expired;
        loader = null;
        engine.dirty(0);
        engine.lastSaveSeconds(System.currentTimeMillis() / 1000);
    }

    /** The AOF's startup load reports its INFO loading_* fields through this while it runs (null after). */
    void loadingInfo(java.util.function.Consumer<java.util.function.BiConsumer<String, Object>> source) {
        aofLoading = source;
    }

    private volatile java.util.function.Consumer<java.util.function.BiConsumer<String, Object>> aofLoading;

    /** Waits (off the engine thread) until a startup load has ended; true when nothing is loading then. */
    public boolean awaitLoaded(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (engine.loading() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        return !engine.loading();
    }

    // ---- INFO -----------------------------------------------------------------------------------

    /** The fields of INFO persistence that snapshots and loading own, in Redis's order. */
    public void info(java.util.function.BiConsumer<String, Object> field) {
        RdbLoader running = loader;
        BackgroundSave bg = background;
        long now = System.currentTimeMillis();
        field.accept("loading", engine.loading() ? 1 : 0);
        field.accept("async_loading", 0);
        field.accept("current_cow_peak", 0);
        field.accept("current_cow_size", 0);
        field.accept("current_cow_size_age", 0);
        field.accept("current_fork_perc", bg == null ? "0.00" : String.format("%.2f", progress(bg)));
        field.accept("current_save_keys_processed", bg == null ? 0 : bg.visited());
        field.accept("current_save_keys_total", bg == null ? 0 : totalKeys());
        field.accept("rdb_changes_since_last_save", engine.dirty());
        field.accept("rdb_bgsave_in_progress", bg == null ? 0 : 1);
        field.accept("rdb_last_save_time", engine.lastSaveSeconds());
        field.accept("rdb_last_bgsave_status", lastBgsaveOk ? "ok" : "err");
        field.accept("rdb_last_bgsave_time_sec", lastBgsaveSeconds);
        field.accept("rdb_current_bgsave_time_sec", bg == null ? -1 : (now - bg.startedMillis()) / 1000);
        field.accept("rdb_saves", saves);
        field.accept("rdb_last_cow_size", 0);
        field.accept("rdb_last_load_keys_expired", loadExpiredKeys);
        field.accept("rdb_last_load_keys_loaded", loadedKeys);
        if (running != null) {
            running.info(field);
        } else if (aofLoading != null) {
            aofLoading.accept(field);
        }
    }

    private long totalKeys() {
        long total = 0;
        for (Database database : engine.databases()) {
            total += database.size();
        }
        return total;
    }

    private double progress(BackgroundSave bg) {
        long total = totalKeys();
        return total == 0 ? 100.0 : Math.min(100.0, 100.0 * bg.visited() / total);
    }

    /** DUMP and RESTORE payloads. */
    public DumpPayload payloads() {
        return payloads;
    }
}
