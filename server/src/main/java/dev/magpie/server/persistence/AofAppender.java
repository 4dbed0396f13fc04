package dev.magpie.server.persistence;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends to one incremental AOF file, past the page cache where the file system allows it
 * ({@code O_DIRECT}). Nothing reads an incremental file until the next start, so caching its
 * pages only costs: the kernel copies every byte into pages it must find, and later writes them
 * back and frees them. Appending at over 100 MB/s, that was a tenth of a two-core machine, and
 * when the pages it finds are memory the machine had not touched yet (a fresh virtual machine),
 * twenty times more. Direct writes go from one reused, aligned buffer to the device.
 *
 * <p>Direct writes must cover whole blocks. Whole blocks go out as they fill; the bytes after
 * the last whole block (the tail, under one block) stay in the buffer until more follow, or go
 * to the file through the page cache when {@link #flushTail} is called (the writer has nothing
 * more to write, an fsync, a switch). The next direct write covers that block again, whole. The
 * file never holds anything past the stream's last byte, so a crash at any moment leaves a file
 * that Magpie and Redis load, as with plain appends.
 *
 * <p>Where {@code O_DIRECT} is refused (tmpfs, some overlay or network file systems) every write
 * goes through the page cache, as plain appends. Writer thread only, except {@link #force}.
 */
final class AofAppender implements AutoCloseable {
    /** Bytes a direct write sends at most: larger chunks are cut, so the buffer stays small. */
    private static final int DIRECT_BUFFER = 1 << 20;

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

    private AofAppender(Path file, FileChannel buffered, FileChannel direct, int block) throws IOException {
        this.file = file;
        this.buffered = buffered;
        this.direct = direct;
        this.block = block;
        if (direct != null) {
            long length = buffered.size();
            aligned = ByteBuffer.allocateDirect(DIRECT_BUFFER + 2 * block).alignedSlice(block);
            alignedBase = length - length % block;
            tail = (int) (length - alignedBase);
            tailInFile = tail;
            if (tail > 0) {
                readLastBlock();
            }
        }
    }

    /** The file ends inside a block: the next direct write covers it whole, so its bytes must be here. */
    private void readLastBlock() throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = aligned.duplicate().limit(tail);
            while (head.hasRemaining()) {
                if (in.read(head, alignedBase + head.position()) < 0) {
                    throw new IOException("the AOF file " + file + " shrank while it was opened");
                }
            }
        }
    }

    /** Opens {@code file} for appending, creating it if absent. */
    static AofAppender open(Path file) throws IOException {
        return open(file, true);
    }

    /** As {@link #open(Path)}; {@code tryDirect} false keeps the page cache (plain appends). */
    static AofAppender open(Path file, boolean tryDirect) throws IOException {
        FileChannel buffered = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        FileChannel direct = null;
        int block = 0;
        if (tryDirect && Files.isRegularFile(file)) {
            try {
                block = Math.toIntExact(Files.getFileStore(file).getBlockSize());
                direct = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            } catch (IOException | UnsupportedOperationException | ArithmeticException refused) {
                // the file system keeps its page cache: plain appends
            }
        }
        try {
            return new AofAppender(file, buffered, direct, block);
        } catch (IOException | RuntimeException e) {
            buffered.close();
            if (direct != null) {
                direct.close();
            }
            throw e;
        }
    }

    Path file() {
        return file;
    }

    /** Whether writes bypass the page cache. */
    boolean direct() {
        return direct != null;
    }

    /**
     * Appends {@code bytes[offset, offset + length)}. Returns once they are in the file, except a
     * tail under one block which may stay here until {@link #flushTail}. On an error {@link #taken}
     * says how many of them were taken (they are kept): the caller retries with the rest, or with
     * none, which retries sending what is kept.
     */
    void append(byte[] bytes, int offset, int length) throws IOException {
        taken = 0;
        if (direct != null) {
            sendWholeBlocks();
            while (direct != null && taken < length) {
                int n = Math.min(length - taken, DIRECT_BUFFER - tail);
                aligned.put(tail, bytes, offset + taken, n);
                tail += n;
                taken += n;
                sendWholeBlocks();
            }
        }
        if (direct == null) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset + taken, length - taken);
            while (buffer.hasRemaining()) {
                taken += buffered.write(buffer);
            }
        }
    }

    /** How many bytes the last {@link #append} took before it failed. */
    int taken() {
        return taken;
    }

    /** Bytes appended that the file does not hold yet (a tail kept for the next direct write). */
    int pending() {
        return tail - tailInFile;
    }

    /** Puts a kept tail into the file, through the page cache: nothing waits in memory after this. */
    void flushTail() throws IOException {
        if (tailInFile < tail) {
            ByteBuffer rest = aligned.duplicate().limit(tail).position(tailInFile);
            while (rest.hasRemaining()) {
                buffered.write(rest);
            }
            tailInFile = tail;
        }
    }

    /** fsync of the data (fdatasync); any thread. */
    void force() throws IOException {
        buffered.force(false);
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
        flushTail();
        direct.close();
        direct = null;
        aligned = null;
        tail = 0;
        tailInFile = 0;
    }

    @Override
    public void close() throws IOException {
        try {
            flushTail();
        } finally {
            try {
                if (direct != null) {
                    direct.close();
                }
            } finally {
                buffered.close();
            }
        }
    }
}
