package dev.magpie.server.persistence;

import dev.magpie.server.Log;
import dev.magpie.server.config.Settings;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Keyspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The AOF at startup with {@code appendonly yes}. The dataset comes from the files the manifest
 * names alone, as in Redis. When there are some, the engine is marked loading before the port
 * opens, then an {@link AofReplay} loads them while clients get LOADING; when it ends, the AOF is
 * opened for appending: the last incremental file (a new one when there is none), after a base
 * and a manifest are written when there are none. A bad file stops the server through
 * {@code onFailure}, still loading: a partial dataset is never served.
 */
final class AofStartup implements AofReplay.Outcome {
    private final Aof aof;
    private final Engine engine;
    private final Settings settings;
    private Path dir;
    private AofManifest found;
    private Runnable onFailure;
    private volatile AofReplay replay;
    private volatile String failure;
    private boolean activeExpireWas;

    AofStartup(Aof aof, Engine engine) {
        this.aof = aof;
        this.engine = engine;
        this.settings = engine.settings();
    }

    /**
     * Before the port opens: reads the manifest. Returns true when there are files to load (the
     * engine now answers LOADING; call {@link #load} once listening); otherwise the AOF is open
     * for appending on return.
     */
    boolean prepare(Path directory) throws IOException {
        dir = directory;
        Files.createDirectories(dir);
        found = AofManifest.load(dir, settings.text("appendfilename"));
        if (found == null || found.isEmpty()) {
            onEngine(() -> {
                open();
                return null;
            });
            return false;
        }
        engine.loading(true);
        return true;
    }

    /** Once the port is open: starts loading the files {@link #prepare} found. */
    void load(Runnable failureAction) {
        this.onFailure = failureAction;
        AofReplay started = new AofReplay(engine, dir, found, this);
        replay = started;
        engine.persistence().loadingInfo(started::info);
        engine.thread().execute(() -> {
            // Keys neither expire nor get evicted while the files replay, as in Redis: the
            // commands that follow may still touch them.
            aof.replaying(true);
            activeExpireWas = engine.activeExpireEnabled();
            engine.activeExpireEnabled(false);
            started.start();
        });
    }

    /** The server stops: a load still running ends. Any thread. */
    void stop() {
        AofReplay running = replay;
        if (running != null) {
            running.stop();
        }
    }

    /** Why the load failed, null while it has not. */
    String failure() {
        return failure;
    }

    /** Engine thread: every file was applied. */
    @Override
    public void loaded(AofReplay finished) {
        aof.replaying(false);
        engine.activeExpireEnabled(activeExpireWas);
        Log.notice(String.format(Locale.ROOT, "DB loaded from append only file: %.3f seconds", finished.seconds()));
        if (finished.truncatedBytes() > 0) {
            Log.warning("The append only file was truncated by " + finished.truncatedBytes() + " bytes");
        }
        try {
            open();
        } catch (IOException | RuntimeException e) {
            failed("Can't open the append only file for appending: " + e.getMessage());
            return;
        }
        long changes = engine.dirty();
        engine.persistence().loadFinished(finished.keys(), 0);
        engine.dirty(changes); // Redis counts the replayed changes as not yet saved to the RDB
        engine.persistence().loadingInfo(null);
        replay = null;
        engine.loading(false);
    }

    /** Engine thread: the load cannot go on; the server stops while still answering LOADING. */
    @Override
    public void failed(String message) {
        failure = message;
        Log.warning(message);
        Log.warning("Terminating server after AOF loading failure.");
        if (onFailure != null) {
            onFailure.run();
        }
    }

    /** Deletes history, writes a base when there is none, opens the last incremental file. Engine thread. */
    private void open() throws IOException {
        String prefix = settings.text("appendfilename");
        AofManifest current = found == null ? AofManifest.empty(prefix) : found;
        if (!current.history().isEmpty()) {
            current.deleteHistory(dir);
            current = current.withoutHistory();
            current.persist(dir);
        }
        if (current.base() == null && current.incrs().isEmpty()) {
            current = writeBaseNow(current);
        }
        if (current.lastIncr() == null) {
            current = current.withNewIncr();
            Files.write(dir.resolve(current.lastIncr().name()), new byte[0]);
            current.persist(dir);
        }
        aof.opened(dir, current);
    }

    /** A base of the current dataset written synchronously (startup with no AOF yet: the dataset is empty). */
    private AofManifest writeBaseNow(AofManifest current) throws IOException {
        boolean rdb = settings.bool("aof-use-rdb-preamble");
        AofBaseEncoder encoder = AofBaseEncoder.of(engine, rdb, System.currentTimeMillis());
        String name = current.nextBaseName(rdb);
        try (AofBaseFile file = new AofBaseFile(dir.resolve("temp-" + name), rdb, settings.bool("rdbchecksum"))) {
            encoder.begin();
            Database[] databases = engine.databases();
            for (int i = 0; i < databases.length; i++) {
                int db = i;
                Keyspace keyspace = databases[i].keyspace();
                keyspace.forEach(entry -> encoder.entry(db, keyspace, entry));
            }
            encoder.end();
            file.write(encoder.take());
            file.commit();
            Files.move(file.path(), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
        AofManifest.syncDirectory(dir);
        return current.withNewBase(rdb, null);
    }

    /** Runs {@code task} on the engine thread and waits for it (startup only: the engine serves nobody yet). */
    private <T> T onEngine(Callable<T> task) throws IOException {
        if (engine.thread() == null || engine.thread().inEngineThread()) {
            try {
                return task.call();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        engine.thread().execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening the AOF");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        }
    }
}
