package dev.magpie.server.persistence;

import dev.magpie.protocol.CommandBatch;
import dev.magpie.protocol.RequestParser;
import dev.magpie.server.Log;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandFlag;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.session.DiscardingConnection;
import dev.magpie.server.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiConsumer;

/**
 * Applies what an {@link AofLoader} reads, on the engine thread, in slices of about two
 * milliseconds between which the engine serves clients (who get LOADING). Preamble keys are
 * inserted as {@link RdbLoader} inserts them; commands run as Redis's loader runs them, straight
 * through their implementation for a client nobody hears: no LOADING check, no statistics, no
 * propagation, only the change count. Progress is logged every second.
 */
final class AofReplay {
    /** Where the outcome goes, on the engine thread. */
    interface Outcome {
        void loaded(AofReplay replay);

        void failed(String message);
    }

    private static final long SLICE_NANOS = 2_000_000;
    private static final int COMMANDS_PER_PARSE = 256;

    private final Engine engine;
    private final AofLoader loader;
    private final BlockingQueue<AofLoader.Item> items;
    private final Outcome outcome;
    private final Session session;
    private final RequestParser parser = new RequestParser();
    private final CommandBatch batch = new CommandBatch();
    private final Arguments arguments = new Arguments();
    private final long startedMillis = System.currentTimeMillis();
    private final long startedNanos = System.nanoTime();
    private ByteBuf unparsed = Unpooled.EMPTY_BUFFER;
    private int nextCommand;
    private String file = "";
    private char fileType;
    private long fileStartedNanos;
    private long keys;
    private long commands;
    private long truncatedBytes;
    private long nextLogMillis = System.currentTimeMillis() + 1000;
    private volatile boolean ended;

    AofReplay(Engine engine, Path dir, AofManifest manifest, Outcome outcome) {
        this.engine = engine;
        this.items = new ArrayBlockingQueue<>(16);
        this.loader = new AofLoader(engine, dir, manifest, engine.settings().bool("aof-load-truncated"), items);
        this.outcome = outcome;
        this.session = new Session(-1, new DiscardingConnection(), UnpooledByteBufAllocator.DEFAULT, System.currentTimeMillis());
        session.database(engine.database(0));
        session.authenticated(true);
        parser.authenticated(true);
        parser.maxBulkLength(Long.MAX_VALUE);
    }

    /** Starts the reading thread and the engine slices. */
    void start() {
        Thread thread = new Thread(loader, "magpie-aof-loader");
        thread.setDaemon(true);
        thread.start();
        engine.thread().execute(this::slice);
    }

    /** The server stops while loading: the reading thread ends and no slice runs any more. */
    void stop() {
        ended = true;
        loader.stop();
    }

    long keys() {
        return keys;
    }

    long commands() {
        return commands;
    }

    long truncatedBytes() {
        return truncatedBytes;
    }

    double seconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private void slice() {
        if (ended) {
            return;
        }
        long deadline = System.nanoTime() + SLICE_NANOS;
        try {
            while (runCommands(deadline)) {
                AofLoader.Item item = items.poll();
                if (item == null) {
                    break;
                }
                if (!apply(item)) {
                    return;
                }
                if (System.nanoTime() >= deadline) {
                    break;
                }
            }
        } catch (RdbException e) {
            fail("Bad RDB preamble in the append only file " + file + ": " + e.getMessage());
            return;
        }
        long now = System.currentTimeMillis();
        if (now >= nextLogMillis) {
            nextLogMillis = now + 1000;
            Log.notice("Loading AOF: " + keys + " keys and " + commands + " commands loaded, "
                    + String.format(Locale.ROOT, "%.2f", percent()) + "% of the files");
        }
        boolean idle = items.isEmpty() && !unparsed.isReadable() && nextCommand >= batch.commandCount();
        engine.thread().schedule(this::slice, idle ? 1 : 0);
    }

    /** Applies one item; false when the load ended (done or failed). */
    private boolean apply(AofLoader.Item item) throws RdbException {
        if (item instanceof AofLoader.Commands window) {
            unparsed = Unpooled.wrappedBuffer(window.bytes());
            batch.clear();
            nextCommand = 0;
        } else if (item instanceof AofLoader.Keys loaded) {
            for (RdbLoader.Loaded key : loaded.keys()) {
                RdbLoader.insert(engine, key, true);
                keys++;
            }
        } else if (item instanceof AofLoader.FileStart start) {
            fileLoaded();
            file = start.name();
            fileType = start.type();
            fileStartedNanos = System.nanoTime();
            // Each file is replayed by a new client, in database 0, as Redis does.
            session.database(engine.database(0));
        } else if (item instanceof AofLoader.Done done) {
            fileLoaded();
            ended = true;
            truncatedBytes = done.truncatedBytes();
            outcome.loaded(this);
            return false;
        } else if (item instanceof AofLoader.Failed failed) {
            fail(failed.message());
            return false;
        }
        return true;
    }

    private void fileLoaded() {
        if (!file.isEmpty()) {
            Log.notice(String.format(Locale.ROOT, "DB loaded from %s file %s: %.3f seconds",
                    fileType == AofManifest.BASE ? "base" : "incr", file, (System.nanoTime() - fileStartedNanos) / 1e9));
        }
    }

    /** Runs the window's commands until the deadline; true when none is left. */
    private boolean runCommands(long deadline) {
        int sinceCheck = 0;
        while (true) {
            if (nextCommand >= batch.commandCount()) {
                if (!unparsed.isReadable()) {
                    return true;
                }
                batch.clear();
                parser.parse(unparsed, batch, COMMANDS_PER_PARSE);
                nextCommand = 0;
                if (batch.isEmpty()) {
                    unparsed = Unpooled.EMPTY_BUFFER; // cannot happen: the loader hands whole commands only
                    return true;
                }
            }
            execute(nextCommand++);
            if (++sinceCheck == 16) {
                sinceCheck = 0;
                if (System.nanoTime() >= deadline) {
                    return false;
                }
            }
        }
    }

    private void execute(int index) {
        Arguments args = arguments.wrap(batch, index);
        CommandSpec spec = engine.commands().find(args.data(), args.offset(0), args.length(0));
        if (spec != null && spec.hasSubcommands() && args.count() >= 2) {
            spec = spec.findSubcommand(args.string(1).toLowerCase(Locale.ROOT));
        }
        if (spec == null || !spec.arityAccepts(args.count())) {
            return; // the loader let only known commands through; a malformed one changes nothing
        }
        long errors = engine.stats().totalErrorReplies;
        try {
            spec.implementation().execute(session, args);
        } catch (RuntimeException e) {
            Log.warning("Command " + spec.fullName() + " failed while loading the append only file " + file + ": " + e);
        }
        if (spec.has(CommandFlag.WRITE) && engine.stats().totalErrorReplies == errors) {
            engine.dirty(engine.dirty() + 1);
        }
        commands++;
        session.out().buffer().clear();
    }

    private void fail(String message) {
        ended = true;
        loader.stop();
        outcome.failed(message);
    }

    private double percent() {
        long total = loader.totalBytes();
        return total == 0 ? 100.0 : Math.min(100.0, 100.0 * loader.loadedBytes() / total);
    }

    /** INFO persistence's loading_* fields while the load runs. */
    void info(BiConsumer<String, Object> field) {
        long total = loader.totalBytes();
        long loaded = loader.loadedBytes();
        long elapsed = System.currentTimeMillis() - startedMillis;
        field.accept("loading_start_time", startedMillis / 1000);
        field.accept("loading_total_bytes", total);
        field.accept("loading_rdb_used_mem", 0);
        field.accept("loading_loaded_bytes", loaded);
        field.accept("loading_loaded_perc", String.format(Locale.ROOT, "%.2f", percent()));
        field.accept("loading_eta_seconds", loaded == 0 ? 1 : Math.max(0, (total - loaded) * elapsed / loaded / 1000));
    }
}
