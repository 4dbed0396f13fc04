package dev.magpie.server.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A base file being written under a temporary name: the bytes of an {@link AofBaseEncoder},
 * then, for an RDB base, the CRC-64 of them all (zero with {@code rdbchecksum no}, as Redis
 * writes it), then an fsync. Renaming it into place is the manifest's business. One thread at
 * a time (the rewrite's I/O thread, or the engine at startup when the dataset is empty).
 */
final class AofBaseFile implements AutoCloseable {
    private final Path temp;
    private final boolean rdb;
    private final boolean checksum;
    private final FileChannel channel;
    private long crc;

    AofBaseFile(Path temp, boolean rdb, boolean checksum) throws IOException {
        this.temp = temp;
        this.rdb = rdb;
        this.checksum = rdb && checksum;
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    Path path() {
        return temp;
    }

    void write(byte[] bytes) throws IOException {
        write(bytes, bytes.length);
    }

    void write(byte[] bytes, int length) throws IOException {
        if (checksum) {
            crc = Crc64.update(crc, bytes, 0, length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Ends the file (the RDB checksum) and makes it durable; it stays under its temporary name. */
    void commit() throws IOException {
        if (rdb) {
            byte[] footer = new byte[8];
            for (int i = 0; i < 8; i++) {
                footer[i] = (byte) (crc >>> (8 * i));
            }
            ByteBuffer buffer = ByteBuffer.wrap(footer);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        channel.force(true);
        channel.close();
    }

    /** Closes the file; after a failure (not committed) also removes it. */
    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
                Files.deleteIfExists(temp);
            }
        } catch (IOException ignored) {
            // a stale temporary file is harmless: the next rewrite truncates it
        }
    }
}
