package dev.magpie.server.persistence;

import dev.magpie.protocol.CommandBatch;
import dev.magpie.protocol.RequestParser;
import dev.magpie.server.Log;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.session.Connection;
import dev.magpie.server.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Replays the files a manifest names, in order, through the engine as a client that nobody
 * hears, before the server serves anyone. A file whose last command is cut short (a crash in
 * the middle of a write) is loaded up to its last whole command and truncated there when it is
 * the last file and {@code aof-load-truncated} is on; bytes that cannot be a command stop the
 * startup with the file and offset. MULTI/EXEC blocks written by Redis are applied whole or not
 * at all. Runs on the engine thread with expiry suspended, as Redis loads.
 */
final class AofLoader {
    /** Why loading stopped; the server must not start. */
    static final class AofLoadException extends Exception {
        AofLoadException(String message) {
            super(message);
        }
    }

    private static final int READ_SIZE = 1 << 20;

    private final Engine engine;
    private final boolean truncatedAllowed;
    private final AofScanner scanner = new AofScanner();
    private final RequestParser parser = new RequestParser();
    private final CommandBatch batch = new CommandBatch();
    private final Session session;
    private long commands;
    private long truncatedBytes;

    AofLoader(Engine engine, boolean truncatedAllowed) {
        this.engine = engine;
        this.truncatedAllowed = truncatedAllowed;
        this.session = new Session(-1, new Silent(), UnpooledByteBufAllocator.DEFAULT, System.currentTimeMillis());
        session.database(engine.database(0));
        session.authenticated(true);
        parser.authenticated(true);
        parser.maxBulkLength(Long.MAX_VALUE);
    }

    long commands() {
        return commands;
    }

    /** Bytes dropped from a truncated tail (0 when every file was whole). */
    long truncatedBytes() {
        return truncatedBytes;
    }

    /** Replays every base and incremental file of the manifest. */
    void load(Path dir, AofManifest manifest) throws AofLoadException, IOException {
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
            if (Files.size(file) == 0) {
                continue;
            }
            if (startsWithRdbMagic(file)) {
                throw new AofLoadException("The AOF file " + info.name()
                        + " starts with an RDB preamble, which this server cannot load yet");
            }
            loadCommands(file, last);
        }
    }

    private static boolean startsWithRdbMagic(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(5);
            channel.read(head);
            return head.position() == 5 && new String(head.array(), StandardCharsets.US_ASCII).equals("REDIS");
        }
    }

    /** Replays one file of commands. */
    void loadCommands(Path file, boolean last) throws AofLoadException, IOException {
        String name = file.getFileName().toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            byte[] window = new byte[READ_SIZE];
            int end = 0;
            long windowAt = 0;      // file offset of window[0]
            int pos = 0;            // next command to scan
            int submitFrom = 0;     // first byte not yet executed
            long multiAt = -1;      // file offset of an open MULTI
            boolean eof = false;
            boolean needMore = true;
            while (true) {
                if (needMore && !eof) {
                    if (multiAt < 0 && submitFrom < pos) {
                        submit(window, submitFrom, pos);
                        submitFrom = pos;
                    }
                    // Keep what is not yet executed; grow when one command is larger than the window.
                    if (submitFrom > 0) {
                        System.arraycopy(window, submitFrom, window, 0, end - submitFrom);
                        end -= submitFrom;
                        pos -= submitFrom;
                        windowAt += submitFrom;
                        submitFrom = 0;
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
                    if (multiAt < 0 && submitFrom < pos) {
                        submit(window, submitFrom, pos);
                    }
                    truncated(channel, name, size, validUpTo, last);
                    return;
                }
                if (scanner.is(window, 0, "multi")) {
                    if (submitFrom < pos) {
                        submit(window, submitFrom, pos);
                    }
                    multiAt = windowAt + pos;
                    submitFrom = next;
                } else if (scanner.is(window, 0, "exec")) {
                    if (submitFrom < pos) {
                        submit(window, submitFrom, pos);
                    }
                    multiAt = -1;
                    submitFrom = next;
                } else {
                    if (engine.commands().find(window, scanner.argOffset(0), scanner.argLength(0)) == null) {
                        throw new AofLoadException("Unknown command '"
                                + new String(window, scanner.argOffset(0), scanner.argLength(0), StandardCharsets.UTF_8)
                                + "' reading the append only file " + name);
                    }
                    commands++;
                }
                pos = next;
                if (multiAt < 0 && pos - submitFrom >= READ_SIZE / 4) {
                    submit(window, submitFrom, pos);
                    submitFrom = pos;
                }
            }
            if (submitFrom < pos) {
                submit(window, submitFrom, pos);
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

    /** Runs the whole commands in window[from, to). */
    private void submit(byte[] window, int from, int to) {
        ByteBuf bytes = Unpooled.wrappedBuffer(window, from, to - from);
        while (bytes.isReadable()) {
            batch.clear();
            parser.parse(bytes, batch, 1024);
            if (batch.isEmpty()) {
                break;
            }
            engine.submit(session, batch);
            session.out().buffer().clear();
        }
    }

    /** Where the loading client's replies go: nowhere. */
    private static final class Silent implements Connection {
        @Override
        public void send(ByteBuf replies) {
            replies.release();
        }

        @Override
        public void batchDone() {
        }

        @Override
        public void close() {
        }

        @Override
        public String remoteAddress() {
            return "";
        }

        @Override
        public String localAddress() {
            return "";
        }

        @Override
        public int fd() {
            return -1;
        }
    }
}
