package dev.magpie.server.persistence;

import dev.magpie.server.MagpieServer;
import dev.magpie.server.config.ConfigLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Starts in-process servers with the AOF in a test's directory. */
final class AofServers {
    private AofServers() {
    }

    /** A server whose AOF has loaded: it serves. */
    static MagpieServer start(Path dir, String... flags) throws Exception {
        MagpieServer server = launch(dir, flags);
        if (!server.engine().persistence().awaitLoaded(30_000)) {
            server.close();
            throw new AssertionError("the AOF did not load: " + server.engine().aof().loadFailure());
        }
        return server;
    }

    /** A server that must stop because its AOF cannot load: returns why, after it stopped with exit code 1. */
    static String startFailing(Path dir, String... flags) throws Exception {
        MagpieServer server = launch(dir, flags);
        Thread waiter = new Thread(() -> {
            try {
                server.awaitStop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        waiter.join(30_000);
        try {
            if (waiter.isAlive()) {
                throw new AssertionError("the server did not stop");
            }
            if (server.exitCode() != 1) {
                throw new AssertionError("exit code " + server.exitCode());
            }
            return server.engine().aof().loadFailure();
        } finally {
            server.close();
        }
    }

    /** A server as start() returns it: with an AOF to load, still loading. */
    static MagpieServer launch(Path dir, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", "0", "--loglevel", "warning",
                "--management", "no", "--appendonly", "yes", "--dir", dir.toString()));
        args.addAll(List.of(flags));
        return MagpieServer.start(ConfigLoader.load(args.toArray(String[]::new), Map.of()));
    }

    /** Writes keys key:0 .. key:(thousands * 1000 - 1), each holding {@code value}, a thousand per MSET. */
    static void fill(AofTestClient c, int thousands, String value) throws Exception {
        fill(c, thousands, () -> value);
    }

    /** As {@link #fill(AofTestClient, int, String)}, each key holding the next of {@code values}. */
    static void fill(AofTestClient c, int thousands, Supplier<String> values) throws Exception {
        fill(c, "key:", 0, thousands, values);
    }

    /** Writes keys {@code prefix}{@code first} onwards, {@code thousands} thousand of them, a thousand per MSET. */
    static void fill(AofTestClient c, String prefix, int first, int thousands, Supplier<String> values) throws Exception {
        for (int batch = 0; batch < thousands; batch++) {
            String[] mset = new String[1 + 2 * 1000];
            mset[0] = "MSET";
            for (int i = 0; i < 1000; i++) {
                mset[1 + 2 * i] = prefix + (first + batch * 1000 + i);
                mset[2 + 2 * i] = values.get();
            }
            if (!"+OK".equals(c.call(mset))) {
                throw new AssertionError("MSET of batch " + batch + " failed");
            }
        }
    }

    static Path incr(Path dir) throws Exception {
        AofManifest m = AofManifest.load(dir.resolve("appendonlydir"), "appendonly.aof");
        return dir.resolve("appendonlydir").resolve(m.lastIncr().name());
    }

    static List<List<String>> commands(Path file) throws Exception {
        return AofFeed.decode(Files.readAllBytes(file));
    }

    /**
     * Waits up to 10 s for the server's first rewrite to end. Redis counts a rewrite in
     * aof_rewrites when it starts, so ended means counted and no longer in progress.
     */
    static void awaitFirstRewrite(AofTestClient c) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        String info = c.call("INFO", "persistence");
        while (!(info.contains("aof_rewrites:1") && info.contains("aof_rewrite_in_progress:0"))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
            info = c.call("INFO", "persistence");
        }
    }
}
