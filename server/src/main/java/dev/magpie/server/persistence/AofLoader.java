package dev.magpie.server.persistence;

import dev.magpie.server.Log;
import dev.magpie.server.engine.Engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads the files a manifest names, in order, on a thread of its own, and hands what they hold
 * to {@link AofReplay} on the engine thread: the keys of an RDB preamble (a file that starts
 * with {@code REDIS}, as a Redis 7 base does) decoded with their values built, then windows of
 * whole commands, checked to be well formed and known. A file whose last command is cut short
 * (a crash in the middle of a write) is read up to its last whole command and truncated there
 * when it is the last file and {@code aof-load-truncated} is on; bytes that cannot be a command
 * stop the load with the file and offset. MULTI/EXEC blocks written by Redis are handed over
 * whole or not at all, without the MULTI and EXEC themselves. Never touches the keyspace.
 */
final class AofLoader implements Runnable {
    /** Why loading stopped; the server must not serve what was loaded. */
    static final class AofLoadException extends Exception {
        AofLoadException(String message) {
            super(message);
        }
    }

    /** What the loader hands over, in file order. */
    sealed interface Item permits FileStart, Keys, Commands, Done, Failed {
    }

    /** A file begins: its commands run as a new client (database 0), as Redis loads each file. */
    record FileStart(String name, char type) implements Item {
    }

    /** Keys of an RDB preamble. */
    record Keys(List<RdbLoader.Loaded> keys) implements Item {
    }

    /** Whole commands in RESP form. */
    record Commands(byte[] bytes) implements Item {
    }

    /** Every file was read; {@code truncatedBytes} were dropped from a cut-short tail. */
    record Done(long truncatedBytes) implements Item {
    }

    record Failed(String message) implements Item {
    }

    /** The server stopped while loading: the thread ends. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    private static final int READ_SIZE = 1 << 20;
    private static final int HANDOFF = READ_SIZE / 4;
    private static final int KEYS_PER_ITEM = 1024;

    private final Engine engine;
    private final Path dir;
    private final AofManifest manifest;
    private final boolean truncatedAllowed;
    private final BlockingQueue<Item> out;
    private final AofScanner scanner = new AofScanner();
    private final Limits limits;
    private final boolean checksum;
    /** A test knob, as Redis's key-load-delay: microseconds to wait after each key or command read. */
    private final long delayMicros = Long.getLong("magpie.key-load-delay-micros", 0);
    private final long totalBytes;
    private volatile long loadedBytes;
    private volatile boolean stopped;
    /** Bytes of the files before the current one. */
    private long doneBytes;
    private long truncatedBytes;

    AofLoader(Engine engine, Path dir, AofManifest manifest, boolean truncatedAllowed, BlockingQueue<Item> out) {
        this.engine = engine;
        this.dir = dir;
        this.manifest = manifest;
        this.truncatedAllowed = truncatedAllowed;
        this.out = out;
        this.limits = Limits.of(engine.settings());
        this.checksum = engine.settings().bool("rdbchecksum");
        long total = 0;
        for (AofManifest.FileInfo info : manifest.replayOrder()) {
            total += sizeOf(dir.resolve(info.name()));
        }
        this.totalBytes = total;
    }

    /** The size of every file to load, for progress. */
    long totalBytes() {
        return totalBytes;
    }

    /** Bytes read so far (a volatile read: any thread). */
    long loadedBytes() {
        return loadedBytes;
    }

    /** The server is stopping: the thread ends at its next hand-off. */
    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        try {
            Item result;
            try {
                loadAll();
                loadedBytes = totalBytes;
                result = new Done(truncatedBytes);
            } catch (AofLoadException e) {
                result = new Failed(e.getMessage());
            } catch (IOException | RuntimeException e) {
                if (e instanceof Stopped stop) {
                    throw stop;
                }
                result = new Failed("Can't load the append only file: " + e);
            }
            put(result);
        } catch (Stopped ignored) {
            // the server stopped: nobody waits for the rest
        }
    }

    private void loadAll() throws AofLoadException, IOException {
        var files = manifest.replayOrder();
        for (int i = 0; i < files.size(); i++) {
            AofManifest.FileInfo info = files.get(i);
            Path file = dir.resolve(info.name());
            boolean last = i == files.size() - 1;
            if (!Files.exists(file)) {
                // Redis tolerates a missing last (incremental) file: it is created when the server opens it.
                if (last && info.type() == AofManifest.INCR) {
                    continue;
                }
                throw new AofLoadException("The AOF file " + info.name() + " doesn't exist");
            }
            long size = Files.size(file);
            if (size == 0) {
                continue;
            }
            put(new FileStart(info.name(), info.type()));
            long commandsFrom = 0;
            if (startsWithRdbMagic(file)) {
                Log.notice(info.type() == AofManifest.BASE && info.name().endsWith(".rdb")
                        ? "Reading RDB base file on AOF loading..." : "Reading RDB preamble from AOF file...");
                commandsFrom = loadPreamble(file, info.name());
                if (commandsFrom < size) {
                    Log.notice("Reading the remaining AOF tail...");
                }
            }
            loadCommands(file, commandsFrom, last);
            doneBytes += size;
            loadedBytes = doneBytes;
        }
    }

    private static boolean startsWithRdbMagic(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(5);
            while (head.hasRemaining() && channel.read(head) > 0) {
                continue;
            }
            return head.position() == 5 && new String(head.array(), StandardCharsets.US_ASCII).equals("REDIS");
        }
    }

    /** Decodes the RDB at the start of {@code file}; returns the offset where it ends (commands may follow). */
    private long loadPreamble(Path file, String name) throws AofLoadException, IOException {
        try (InputStream stream = Files.newInputStream(file)) {
            RdbInput in = new RdbInput(stream);
            List<List<RdbLoader.Loaded>> batch = new ArrayList<>(List.of(new ArrayList<>(KEYS_PER_ITEM)));
            RdbParser.parse(in, limits, engine.databases().length, checksum, delayMicros,
                    (db, key, value, expireAt, idle, frequency) -> {
                        List<RdbLoader.Loaded> keys = batch.get(0);
                        keys.add(RdbLoader.Loaded.of(db, key, value, expireAt, idle, frequency));
                        if (keys.size() >= KEYS_PER_ITEM) {
                            loadedBytes = doneBytes + in.offset();
                            put(new Keys(keys));
                            batch.set(0, new ArrayList<>(KEYS_PER_ITEM));
                        }
                    });
            if (!batch.get(0).isEmpty()) {
                put(new Keys(batch.get(0)));
            }
            loadedBytes = doneBytes + in.offset();
            return in.offset();
        } catch (RdbException e) {
            throw new AofLoadException("Bad RDB preamble in the append only file " + name + " at offset "
                    + e.offset() + ": " + e.getMessage());
        }
    }

    /** Reads the commands of one file from {@code from}, handing windows of whole commands over. */
    private void loadCommands(Path file, long from, boolean last) throws AofLoadException, IOException {
        String name = file.getFileName().toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            channel.position(from);
            byte[] window = new byte[READ_SIZE];
            int end = 0;
            long windowAt = from;   // file offset of window[0]
            int pos = 0;            // next command to scan
            int handFrom = 0;       // first byte not yet handed over
            long multiAt = -1;      // file offset of an open MULTI
            boolean eof = from >= size;
            boolean needMore = !eof;
            while (true) {
                if (needMore && !eof) {
                    if (multiAt < 0 && handFrom < pos) {
                        hand(window, handFrom, pos);
                        handFrom = pos;
                    }
                    // Keep what is not yet handed over; grow when one command is larger than the window.
                    if (handFrom > 0) {
                        System.arraycopy(window, handFrom, window, 0, end - handFrom);
                        end -= handFrom;
                        pos -= handFrom;
                        windowAt += handFrom;
                        handFrom = 0;
                    }
                    if (end == window.length) {
                        window = Arrays.copyOf(window, window.length * 2);
                    }
                    int read = channel.read(ByteBuffer.wrap(window, end, window.length - end));
                    if (read < 0) {
                        eof = true;
                    } else {
                        end += read;
                        eof = windowAt + end >= size;
                    }
                    needMore = false;
                }
                int next = scanner.scan(window, pos, end);
                if (next == AofScanner.CORRUPT) {
                    throw new AofLoadException("Bad file format reading the append only file " + name + " at offset "
                            + (windowAt + pos) + " (" + scanner.problem() + "): make a backup of your AOF file, then"
                            + " use redis-check-aof --fix <filename.manifest>");
                }
                if (next == AofScanner.INCOMPLETE) {
                    if (!eof) {
                        needMore = true;
                        continue;
                    }
                    if (pos == end && multiAt < 0) {
                        break; // the file ends on a command boundary
                    }
                    long validUpTo = multiAt >= 0 ? multiAt : windowAt + pos;
                    if (multiAt < 0 && handFrom < pos) {
                        hand(window, handFrom, pos);
                    }
                    truncated(channel, name, size, validUpTo, last);
                    return;
                }
                if (scanner.is(window, 0, "multi")) {
                    if (handFrom < pos) {
                        hand(window, handFrom, pos);
                    }
                    multiAt = windowAt + pos;
                    handFrom = next;
                } else if (scanner.is(window, 0, "exec")) {
                    if (handFrom < pos) {
                        hand(window, handFrom, pos);
                    }
                    multiAt = -1;
                    handFrom = next;
                } else if (engine.commands().find(window, scanner.argOffset(0), scanner.argLength(0)) == null) {
                    // The command table is complete before the server starts and never changes: safe to read here.
                    throw new AofLoadException("Unknown command '"
                            + new String(window, scanner.argOffset(0), scanner.argLength(0), StandardCharsets.UTF_8)
                            + "' reading the append only file " + name + " at offset " + (windowAt + pos));
                }
                pos = next;
                if (delayMicros > 0) {
                    loadedBytes = doneBytes + windowAt + pos;
                    LockSupport.parkNanos(delayMicros * 1000);
                }
                if (multiAt < 0 && pos - handFrom >= HANDOFF) {
                    hand(window, handFrom, pos);
                    handFrom = pos;
                    loadedBytes = doneBytes + windowAt + pos;
                }
            }
            if (handFrom < pos) {
                hand(window, handFrom, pos);
            }
        }
    }

    private void truncated(FileChannel channel, String name, long size, long validUpTo, boolean last)
            throws AofLoadException, IOException {
        if (!last || !truncatedAllowed) {
            throw new AofLoadException("Unexpected end of file reading the append only file " + name + " at offset "
                    + validUpTo + ". You can: 1) Make a backup of your AOF file, then use redis-check-aof --fix"
                    + " <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration"
                    + " option to yes and restart the server.");
        }
        long dropped = size - validUpTo;
        Log.warning("!!! Warning: short read while loading the AOF file " + name + "!!!");
        Log.warning("!!! Truncating the AOF " + name + " at offset " + validUpTo + ", dropping " + dropped
                + " bytes of an incomplete command !!!");
        channel.truncate(validUpTo);
        channel.force(true);
        truncatedBytes += dropped;
        Log.warning("AOF " + name + " loaded anyway because aof-load-truncated is enabled");
    }

    /** Hands window[from, to), whole commands, to the engine (a copy: the window is reused). */
    private void hand(byte[] window, int from, int to) {
        put(new Commands(Arrays.copyOfRange(window, from, to)));
    }

    /** Waits for room in the queue: the engine applies what it holds meanwhile. */
    private void put(Item item) {
        try {
            while (!out.offer(item, 100, TimeUnit.MILLISECONDS)) {
                if (stopped) {
                    throw new Stopped();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
        if (stopped) {
            throw new Stopped();
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
