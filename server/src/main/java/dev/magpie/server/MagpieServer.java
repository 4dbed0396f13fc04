package dev.magpie.server;

import dev.magpie.server.command.CommandTable;
import dev.magpie.server.commands.CommandFamilies;
import dev.magpie.server.config.Settings;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.net.RespServer;

import java.util.concurrent.CountDownLatch;

/** A running key server: settings, engine and listener, startable in-process (tests) or from {@link Main}. */
public final class MagpieServer implements AutoCloseable {
    private final Settings settings;
    private final Engine engine;
    private final RespServer network;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;
    private final java.util.List<AutoCloseable> companions = new java.util.concurrent.CopyOnWriteArrayList<>();

    private MagpieServer(Settings settings) throws InterruptedException {
        this.settings = settings;
        Log.level(settings.text("loglevel"));
        CommandTable table = new CommandTable();
        this.engine = new Engine(settings, table);
        CommandFamilies.registerAll(engine, table);
        this.network = new RespServer(engine);
        engine.shutdownHook(() -> new Thread(this::close, "magpie-shutdown").start());
        // The engine is marked loading before the port opens; the files load once it is open.
        boolean aofToLoad = openAppendOnlyFile();
        network.bind(settings.text("bind"), (int) settings.integer("port"));
        if (aofToLoad) {
            engine.aof().load(this::loadFailed);
        } else if (!settings.bool("appendonly")) {
            // With appendonly yes the dataset comes from the AOF alone, as in Redis.
            engine.persistence().loadAtStartup(this::loadFailed);
        }
    }

    /**
     * Opens the AOF (appendonly yes) before the port opens; true when its files are to be loaded.
     * A manifest that cannot be read stops the startup with its reason.
     */
    private boolean openAppendOnlyFile() {
        try {
            return engine.aof().startup();
        } catch (Exception e) {
            network.close();
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A data file could not be loaded: the server stops, still answering LOADING, and exits with 1. */
    private void loadFailed() {
        exitCode = 1;
        new Thread(this::close, "magpie-shutdown").start();
    }

    /** 0 after a clean stop; 1 when the server stopped because its data file could not be loaded. */
    public int exitCode() {
        return exitCode;
    }

    private volatile int exitCode;

    public static MagpieServer start(Settings settings) throws InterruptedException {
        return new MagpieServer(settings);
    }

    public int port() {
        return network.port();
    }

    public Engine engine() {
        return engine;
    }

    public Settings settings() {
        return settings;
    }

    /** Closes {@code companion} (e.g. the management plane) when the server stops. */
    public void onClose(AutoCloseable companion) {
        companions.add(companion);
    }

    /** Blocks until the server has stopped (SHUTDOWN or close). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** The snapshot a stop writes when saving is configured, unless SHUTDOWN already took care of it. */
    private void finalSave() {
        if (exitCode != 0 || engine.persistence().shutdownHandled() || engine.thread() == null) {
            return;
        }
        java.util.concurrent.CompletableFuture<Boolean> saved = new java.util.concurrent.CompletableFuture<>();
        Runnable save = () -> saved.complete(engine.persistence().shutdownSave(false));
        if (engine.thread().inEngineThread()) {
            save.run();
        } else {
            engine.thread().execute(save);
        }
        try {
            saved.get(10, java.util.concurrent.TimeUnit.MINUTES);
        } catch (Exception e) {
            Log.warning("The final save did not complete: " + e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Log.notice("User requested shutdown...");
        finalSave();
        for (AutoCloseable companion : companions) {
            try {
                companion.close();
            } catch (Exception e) {
                Log.warning("Error while stopping " + companion + ": " + e.getMessage());
            }
        }
        network.close();
        engine.aof().close();
        engine.lazyFree().close();
        Log.notice("Magpie is now ready to exit, bye bye...");
        stopped.countDown();
    }
}
