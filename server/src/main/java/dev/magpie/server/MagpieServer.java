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
        network.bind(settings.text("bind"), (int) settings.integer("port"));
    }

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

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Log.notice("User requested shutdown...");
        for (AutoCloseable companion : companions) {
            try {
                companion.close();
            } catch (Exception e) {
                Log.warning("Error while stopping " + companion + ": " + e.getMessage());
            }
        }
        network.close();
        engine.lazyFree().close();
        Log.notice("Magpie is now ready to exit, bye bye...");
        stopped.countDown();
    }
}
