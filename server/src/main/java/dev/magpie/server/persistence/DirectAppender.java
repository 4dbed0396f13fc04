package dev.magpie.server.persistence;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends to a file past the page cache where the file system allows it ({@code O_DIRECT}): an
 * incremental AOF file, an AOF base, a dump. Nothing reads them back until a restart (or the
 * next rewrite, which reads past the cache too, {@link Source}), so caching their pages only
 * costs: the kernel copies every byte into pages it must find, then writes them back and frees
 * them. Appending at over 100 MB/s, that was a tenth of a two-core machine, and twenty times
 * more when the pages it found were memory the machine had not touched yet (a fresh virtual
 * machine). Direct writes go from one reused, aligned buffer to the device.
 *
 * <p>Direct writes must cover whole blocks. Appends gather in the buffer and go out in whole
 * blocks when it fills or at {@link #send}; the bytes after the last whole block (the tail,
 * under one block) stay until more follow, or go to the file through the page cache at
 * {@link #flushTail} (the AOF writer has nothing more to write, an fsync, a switch, the end of a
 * base or dump). The next direct write covers that block again, whole. The file never holds
 * anything past the stream's last byte, so a crash at any moment leaves a file that Magpie and
 * Redis load, as plain appends do.
 *
 * <p>Where {@code O_DIRECT} is refused (some overlay, network or older tmpfs file systems) every
 * write goes through the page cache, as plain appends. One thread, except {@link #force}.
 */
final class DirectAppender implements AutoCloseable {
    /** Bytes a direct write sends at most: larger appends are cut, so the buffer stays small. */
    private static final int DIRECT_BUFFER = 1 << 20;
    /** The largest block size direct writes are tried with. */
    private static final int MAX_BLOCK = 64 * 1024;

    private final Path file;
    private final FileChannel buffered;
    private FileChannel direct;
    private final int block;
    private ByteBuffer aligned;
    /** The file offset of the buffer's first byte: a multiple of {@link #block}. */
    private long alignedBase;
    /** Bytes at the start of the buffer after {@link #alignedBase}, not yet sent in a whole block. */
    private int tail;
    /** How many of the {@link #tail} bytes are already in the file, through the page cache. */
    private int tailInFile;
    private int taken;
    /** Where {@link #copy} reads a source's blocks, made at the first copy. */
    private ByteBuffer scratch;

    private DirectAppender(Path file, FileChannel buffered, FileChannel direct, int block) throws IOException {
        this.file = file;
        this.buffered = buffered;
        this.direct = direct;
        this.block = block;
        if (direct != null) {
            long length = buffered.size();
            aligned = alignedBuffer(DIRECT_BUFFER, block);
            alignedBase = length - length % block;
            tail = (int) (length - alignedBase);
            tailInFile = tail;
            if (tail > 0) {
                readLastBlock();
            }
        }
    }

    /** Opens {@code file} for appending, creating it if absent. */
    static DirectAppender open(Path file) throws IOException {
        return open(file, true, false);
    }

    /** Creates {@code file}, or empties it, for writing front to back. */
    static DirectAppender create(Path file) throws IOException {
        return open(file, true, true);
    }

    /** As {@link #open(Path)}; {@code tryDirect} false keeps the page cache (plain appends). */
    static DirectAppender open(Path file, boolean tryDirect, boolean truncate) throws IOException {
        FileChannel buffered = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        if (truncate) {
            buffered.truncate(0);
        }
        FileChannel direct = null;
        int block = tryDirect ? blockSize(file) : 0;
        if (block > 0) {
            try {
                direct = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            } catch (IOException | UnsupportedOperationException refused) {
                // the file system keeps its page cache: plain appends
            }
        }
        try {
            return new DirectAppender(file, buffered, direct, block);
        } catch (IOException | RuntimeException e) {
            buffered.close();
            if (direct != null) {
                direct.close();
            }
            throw e;
        }
    }

    /**
     * The alignment direct I/O on {@code file} needs, or 0 where it is not tried: not a regular
     * file, or a block size that is not a power of two up to {@link #MAX_BLOCK} (an aligned
     * buffer needs one, and a tail that large would wait too long).
     */
    private static int blockSize(Path file) {
        try {
            long block = Files.isRegularFile(file) ? Files.getFileStore(file).getBlockSize() : 0;
            return block > 0 && block <= MAX_BLOCK && Long.bitCount(block) == 1 ? (int) block : 0;
        } catch (IOException | UnsupportedOperationException unknown) {
            return 0;
        }
    }

    private static ByteBuffer alignedBuffer(int capacity, int block) {
        return ByteBuffer.allocateDirect(capacity + 2 * block).alignedSlice(block);
    }

    /** Whether writes bypass the page cache. */
    boolean direct() {
        return direct != null;
    }

    /**
     * Appends {@code bytes[offset, offset + length)}: into the buffer, which goes to the file in
     * whole blocks when it fills, at {@link #send}, and with the tail at {@link #flushTail}. On an
     * error {@link #taken} says how many of them were taken (they are kept): the caller retries
     * with the rest, or with none, which retries sending what is kept.
     */
    void append(byte[] bytes, int offset, int length) throws IOException {
        append(ByteBuffer.wrap(bytes, offset, length));
    }

    /** As {@link #append(byte[], int, int)}, of the remaining bytes of {@code source}, which it consumes. */
    void append(ByteBuffer source) throws IOException {
        taken = 0;
        while (direct != null && source.hasRemaining()) {
            if (tail == DIRECT_BUFFER) {
                send();
                continue;
            }
            int n = Math.min(source.remaining(), DIRECT_BUFFER - tail);
            aligned.put(tail, source, source.position(), n);
            source.position(source.position() + n);
            tail += n;
            taken += n;
        }
        while (direct == null && source.hasRemaining()) {
            taken += buffered.write(source);
        }
    }

    /** How many bytes the last {@link #append} took before it failed. */
    int taken() {
        return taken;
    }

    /**
     * Appends {@code length} bytes of {@code source} from {@code offset}. They come through this
     * process (a direct read, then the append) rather than the kernel's file-to-file copy, which
     * would put both files in the page cache.
     */
    void copy(Source source, long offset, long length) throws IOException {
        long size = source.size();
        if (offset + length > size) {
            throw new IOException("the previous base ended " + (offset + length - size) + " bytes early at offset " + size);
        }
        int align = source.block();
        if (scratch == null) {
            scratch = alignedBuffer(DIRECT_BUFFER, Math.max(align, 1));
        }
        long at = offset;
        long end = offset + length;
        while (at < end) {
            long from = align > 0 ? at - at % align : at;
            long want = Math.min(DIRECT_BUFFER, end - from);
            if (align > 0 && want % align != 0) {
                want += align - want % align;
            }
            scratch.clear().limit((int) want);
            int read = source.readFully(scratch, from);
            int skip = (int) (at - from);
            int usable = (int) Math.min(read - skip, end - at);
            if (usable <= 0) {
                throw new IOException("the previous base ended " + (end - at) + " bytes early at offset " + at);
            }
            append(scratch.flip().position(skip).limit(skip + usable));
            at += usable;
        }
    }

    /** Bytes appended that the file does not hold yet (a tail kept for the next direct write). */
    int pending() {
        return tail - tailInFile;
    }

    /**
     * Puts the whole blocks appended so far into the file, by direct writes; a tail under one
     * block stays for the next.
     */
    void send() throws IOException {
        if (direct != null) {
            sendWholeBlocks();
        }
    }

    /** Puts everything appended into the file, a tail through the page cache: nothing waits in memory after this. */
    void flushTail() throws IOException {
        send();
        writeKeptThroughCache();
    }

    /** Appends what the buffer holds and the file does not, through the page cache. */
    private void writeKeptThroughCache() throws IOException {
        if (tailInFile < tail) {
            ByteBuffer rest = aligned.duplicate().limit(tail).position(tailInFile);
            while (rest.hasRemaining()) {
                buffered.write(rest);
            }
            tailInFile = tail;
        }
    }

    /** fsync of the data (fdatasync), or with {@code metadata} of everything; any thread. */
    void force(boolean metadata) throws IOException {
        buffered.force(metadata);
    }

    /** The file ends inside a block: the next direct write covers it whole, so its bytes must be here. */
    private void readLastBlock() throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = aligned.duplicate().limit(tail);
            while (head.hasRemaining()) {
                if (in.read(head, alignedBase + head.position()) < 0) {
                    throw new IOException("the file " + file + " shrank while it was opened");
                }
            }
        }
    }

    private void sendWholeBlocks() throws IOException {
        int whole = tail - tail % block;
        if (whole == 0) {
            return;
        }
        ByteBuffer out = aligned.duplicate().limit(whole).position(0);
        try {
            while (out.hasRemaining()) {
                direct.write(out, alignedBase + out.position());
            }
        } catch (IOException e) {
            if (out.position() > 0 || !refusedDirect(e)) {
                throw e;
            }
            fallBackToPageCache();
            return;
        }
        int rest = tail - whole;
        aligned.put(0, aligned, whole, rest);
        alignedBase += whole;
        tail = rest;
        tailInFile = 0;
    }

    /** A file system that opens with O_DIRECT but refuses the writes (EINVAL): plain appends from now on. */
    private static boolean refusedDirect(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("Invalid argument") || message.contains("not a multiple");
    }

    private void fallBackToPageCache() throws IOException {
        writeKeptThroughCache();
        direct.close();
        direct = null;
        aligned = null;
        tail = 0;
        tailInFile = 0;
    }

    /**
     * Closes the file, dropping what the buffer still keeps: a file given up (a save abandoned
     * or failed) must not be written to any more, since its name may already be another save's.
     * {@link #flushTail} first keeps everything.
     */
    @Override
    public void close() throws IOException {
        try {
            if (direct != null) {
                direct.close();
            }
        } finally {
            buffered.close();
        }
    }

    /** A file read past the page cache where the file system allows it, for {@link #copy}. */
    static final class Source implements AutoCloseable {
        private final FileChannel channel;
        /** The alignment reads need, or 0 for plain reads. */
        private final int block;

        private Source(FileChannel channel, int block) {
            this.channel = channel;
            this.block = block;
        }

        static Source open(Path file) throws IOException {
            int block = blockSize(file);
            if (block > 0) {
                try {
                    return new Source(FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT), block);
                } catch (IOException | UnsupportedOperationException refused) {
                    // read through the page cache
                }
            }
            return new Source(FileChannel.open(file, StandardOpenOption.READ), 0);
        }

        int block() {
            return block;
        }

        long size() throws IOException {
            return channel.size();
        }

        /** Reads into {@code into} from {@code position} until it is full or the file ends; returns the bytes read. */
        int readFully(ByteBuffer into, long position) throws IOException {
            int start = into.position();
            while (into.hasRemaining()) {
                int n = channel.read(into, position + into.position() - start);
                if (n <= 0) {
                    break;
                }
                if (block > 0 && n % block != 0) {
                    break; // a direct read ends short only at the end of the file
                }
            }
            return into.position() - start;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
