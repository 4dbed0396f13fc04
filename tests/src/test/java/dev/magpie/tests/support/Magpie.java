package dev.magpie.tests.support;

import dev.magpie.server.MagpieServer;
import dev.magpie.server.config.ConfigLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Magpie server started in this JVM on a free loopback port, for black-box tests:
 * <pre>{@code
 * try (Magpie magpie = Magpie.start("--requirepass", "secret");
 *      RawRespClient client = magpie.connect()) { ... }
 * }</pre>
 * Extra arguments are the server's own {@code --name value} flags; they come after the test
 * defaults ({@code --bind 127.0.0.1 --port 0 --loglevel warning}) and so override them.
 * The process environment is not read, so a stray {@code MAGPIE_*} variable cannot change a test.
 */
public final class Magpie implements AutoCloseable {
    private final MagpieServer server;

    private Magpie(MagpieServer server) {
        this.server = server;
    }

    public static Magpie start(String... flags) {
        return start(Map.of(), flags);
    }

    /** Starts with {@code environment} standing in for the process environment ({@code MAGPIE_*} variables). */
    public static Magpie start(Map<String, String> environment, String... flags) {
        List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", "0", "--loglevel", "warning"));
        args.addAll(List.of(flags));
        try {
            return new Magpie(MagpieServer.start(ConfigLoader.load(args.toArray(String[]::new), environment)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Magpie", e);
        }
    }

    public int port() {
        return server.port();
    }

    public String host() {
        return "127.0.0.1";
    }

    /** The running server, for tests that need its engine or settings. */
    public MagpieServer server() {
        return server;
    }

    /** A new raw RESP connection to this server. */
    public RawRespClient connect() {
        try {
            return RawRespClient.connect(host(), port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code redis://127.0.0.1:port} for clients that take a URI (Lettuce). */
    public String uri() {
        return "redis://" + host() + ":" + port();
    }

    @Override
    public void close() {
        server.close();
    }
}
