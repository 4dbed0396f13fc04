package dev.magpie.server.persistence;

import dev.magpie.server.Log;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.Keyspace;
import dev.magpie.server.keyspace.ObjectTable;
import dev.magpie.server.keyspace.OffHeap;
import dev.magpie.server.types.CollectionValue;
import dev.magpie.server.types.StringValues;
import dev.magpie.server.types.Values;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Loads an RDB file at startup while the server already listens: a parser thread reads and
 * decodes the file into batches of keys with their values built; the engine thread inserts
 * them in slices between which it answers every client with LOADING. Progress (keys, percent
 * of the file) is logged every second. A bad file stops the load with the offset and the key,
 * and the server is stopped by {@code onFailure}: a partial dataset is never served.
 */
final class RdbLoader {
    private static final int BATCH = 1024;
    private static final long SLICE_NANOS = 2_000_000;

    /**
     * One key decoded off the engine thread, waiting to be inserted on it: a string as a detached
     * entry ({@code entry}, {@code value} null), any other type as its built value ({@code entry} 0).
     */
    record Loaded(int db, byte[] key, Object value, long entry, long expireAt, long idleSeconds, int frequency) {
        /**
         * On the parser's thread: a string becomes its entry here, so the engine only links it
         * (the allocation and copies of a load's commonest keys leave the engine).
         */
        static Loaded of(int db, byte[] key, Object value, long expireAt, long idleSeconds, int frequency) {
            if (value instanceof byte[] bytes) {
                return new Loaded(db, key, null, StringValues.detached(key, bytes, expireAt), expireAt, idleSeconds, frequency);
            }
            return new Loaded(db, key, value, 0, expireAt, idleSeconds, frequency);
        }
    }

    private record Failed(String message) {
    }

    /** The file's count of keys for a database, ahead of them (RESIZEDB). */
    private record Resize(int db, long keys) {
    }

    private static final Object DONE = new Object();
    /** Keys whose buckets are touched together before they are inserted. */
    private static final int WARM_GROUP = 32;

    private final Engine engine;
    private final Persistence owner;
    private final Path path;
    private final Runnable onFailure;
    private final Limits limits;
    private final int databases;
    private final boolean checksum;
    private final long keyDelayMicros;
    private final BlockingQueue<Object> batches = new ArrayBlockingQueue<>(64);
    private final long fileSize;
    private final long startedMillis = System.currentTimeMillis();
    private volatile long offset;
    private long keys;
    private long expired;
    private long nextLogMillis = System.currentTimeMillis() + 1000;
    /** Keeps the compiler from dropping the loads of {@link #warm}. */
    private long warmed;

    RdbLoader(Engine engine, Persistence owner, Path path, Runnable onFailure) {
        this.engine = engine;
        this.owner = owner;
        this.path = path;
        this.onFailure = onFailure;
        this.limits = Limits.of(engine.settings());
        this.databases = engine.databases().length;
        this.checksum = engine.settings().bool("rdbchecksum");
        // A test knob, as Redis's key-load-delay: microseconds to wait after each key parsed.
        this.keyDelayMicros = Long.getLong("magpie.key-load-delay-micros", 0);
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            size = 0;
        }
        this.fileSize = size;
    }

    void start() {
        Log.notice("Loading RDB produced by " + path + " (" + fileSize + " bytes)");
        Thread parser = new Thread(this::parse, "magpie-rdb-loader");
        parser.setDaemon(true);
        parser.start();
        engine.thread().schedule(this::insertSlice, 0);
    }

    /** The parser thread. */
    private void parse() {
        List<Loaded> batch = new ArrayList<>(BATCH);
        try (InputStream stream = Files.newInputStream(path)) {
            RdbInput in = new RdbInput(stream);
            List<Loaded>[] current = new List[] {batch};
            RdbParser.parse(in, limits, databases, checksum, keyDelayMicros, new RdbParser.Receiver() {
                @Override
                public void key(int db, byte[] key, Object value, long expireAt, long idle, int freq) {
                    current[0].add(Loaded.of(db, key, value, expireAt, idle, freq));
                    offset = in.offset();
                    if (current[0].size() >= BATCH) {
                        put(current[0]);
                        current[0] = new ArrayList<>(BATCH);
                    }
                }

                @Override
                public void resizeHint(int db, long keys, long expires) {
                    if (!current[0].isEmpty()) {
                        put(current[0]);
                        current[0] = new ArrayList<>(BATCH);
                    }
                    put(new Resize(db, keys));
                }
            });
            offset = fileSize;
            put(current[0]);
            put(DONE);
        } catch (RdbException e) {
            put(new Failed("Bad RDB file " + path + " at offset " + e.offset() + ": " + e.getMessage()));
        } catch (IOException | RuntimeException e) {
            put(new Failed("Can't load RDB file " + path + ": " + e));
        }
    }

    private void put(Object item) {
        try {
            batches.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The engine thread: inserts what the parser has decoded for about a slice, then lets clients in. */
    @SuppressWarnings("unchecked")
    private void insertSlice() {
        long deadline = System.nanoTime() + SLICE_NANOS;
        try {
            while (System.nanoTime() < deadline) {
                Object item = batches.poll();
                if (item == null) {
                    break;
                }
                if (item == DONE) {
                    finish();
                    return;
                }
                if (item instanceof Failed failed) {
                    fail(failed.message());
                    return;
                }
                if (item instanceof Resize resize) {
                    engine.database(resize.db()).keyspace().expandFor(resize.keys());
                    continue;
                }
                List<Loaded> keys = (List<Loaded>) item;
                for (int from = 0; from < keys.size(); from += WARM_GROUP) {
                    int to = Math.min(keys.size(), from + WARM_GROUP);
                    warm(keys, from, to);
                    for (int i = from; i < to; i++) {
                        insert(keys.get(i));
                    }
                }
            }
        } catch (RdbException e) {
            fail("Bad RDB file " + path + ": " + e.getMessage());
            return;
        }
        long now = System.currentTimeMillis();
        if (now >= nextLogMillis) {
            nextLogMillis = now + 1000;
            Log.notice("Loading RDB: " + keys + " keys loaded, " + percent() + "% of the file");
        }
        engine.thread().schedule(this::insertSlice, batches.isEmpty() ? 1 : 0);
    }

    private long percent() {
        return fileSize == 0 ? 100 : Math.min(100, offset * 100 / fileSize);
    }

    /**
     * Touches the index buckets and entries of a group of keys before inserting them, so their
     * cache misses overlap instead of coming one per key.
     */
    private void warm(List<Loaded> keys, int from, int to) {
        long touched = 0;
        for (int i = from; i < to; i++) {
            Loaded loaded = keys.get(i);
            touched += engine.database(loaded.db()).keyspace().warm(loaded.key(), 0, loaded.key().length);
            if (loaded.entry() != 0) {
                // Built on the parser's core: its first line moves over while the others do.
                touched += OffHeap.getLong(loaded.entry());
            }
        }
        warmed = touched;
    }

    private void insert(Loaded loaded) throws RdbException {
        if (insert(engine, loaded, false)) {
            keys++;
        } else {
            expired++;
        }
    }

    /**
     * Inserts a decoded key on the engine thread; false when it was left out because its time
     * had passed. An RDB file loads without its expired keys; an AOF's RDB preamble keeps them
     * ({@code keepExpired}), as Redis does, since the commands replayed after it may touch them.
     */
    static boolean insert(Engine engine, Loaded loaded, boolean keepExpired) throws RdbException {
        boolean expired = !keepExpired && loaded.expireAt() >= 0 && loaded.expireAt() < System.currentTimeMillis();
        Database db = engine.database(loaded.db());
        byte[] key = loaded.key();
        long entry = loaded.entry();
        if (entry != 0) {
            if (expired || !db.keyspace().addIfAbsent(entry, key)) {
                Keyspace.freeDetachedEntry(entry);
                if (expired) {
                    return false;
                }
                throw duplicated(loaded);
            }
            db.initAccess(entry);
        } else {
            if (expired) {
                ObjectTable.free(loaded.value());
                return false;
            }
            if (db.keyspace().find(key, 0, key.length) != 0) {
                ObjectTable.free(loaded.value());
                throw duplicated(loaded);
            }
            entry = insert(db, key, loaded.value());
            if (loaded.expireAt() >= 0) {
                entry = db.keyspace().expireAt(entry, loaded.expireAt());
            }
        }
        applyAccess(entry, loaded.idleSeconds(), loaded.frequency());
        return true;
    }

    private static RdbException duplicated(Loaded loaded) {
        return new RdbException("duplicated key '" + RdbParser.printable(loaded.key()) + "' in db " + loaded.db(), -1);
    }

    /** Stores a decoded value under a key known to be absent; returns its entry. */
    static long insert(Database db, byte[] key, Object value) {
        if (value instanceof byte[] bytes) {
            return StringValues.store(db, key, 0, key.length, bytes, 0, bytes.length, false);
        }
        return Values.create(db, key, 0, key.length, (CollectionValue) value);
    }

    static void applyAccess(long entry, long idleSeconds, int frequency) {
        if (idleSeconds >= 0) {
            Entry.lru(entry, (int) (System.currentTimeMillis() / 1000 - idleSeconds));
        }
        if (frequency >= 0) {
            Entry.lfu(entry, frequency);
        }
    }

    private void finish() {
        long millis = System.currentTimeMillis() - startedMillis;
        Log.notice("Done loading RDB, keys loaded: " + keys + ", keys expired: " + expired + " (" + millis + " ms)");
        engine.loading(false);
        owner.loadFinished(keys, expired);
    }

    private void fail(String message) {
        Log.warning(message);
        Log.warning("Terminating server after rdb file reading failure.");
        // Nothing loaded so far may be served: the server stops while still answering LOADING.
        onFailure.run();
    }

    void info(java.util.function.BiConsumer<String, Object> field) {
        field.accept("loading_start_time", startedMillis / 1000);
        field.accept("loading_total_bytes", fileSize);
        field.accept("loading_rdb_used_mem", 0);
        field.accept("loading_loaded_bytes", offset);
        field.accept("loading_loaded_perc", String.format("%.2f", fileSize == 0 ? 100.0 : 100.0 * offset / fileSize));
        field.accept("loading_eta_seconds", 1);
    }
}
