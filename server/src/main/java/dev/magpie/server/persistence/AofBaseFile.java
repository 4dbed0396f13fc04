package dev.magpie.server.persistence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A base file being written under a temporary name: the bytes of an {@link AofBaseEncoder},
 * then, for an RDB base, the CRC-64 of them all (zero with {@code rdbchecksum no}, as Redis
 * writes it), then an fsync. Renaming it into place is the manifest's business. One thread at
 * a time (the rewrite's I/O thread, or the engine at startup when the dataset is empty).
 */
final class AofBaseFile implements AutoCloseable {
    private final Path temp;
    private final boolean rdb;
    private final ChecksummedChannel channel;

    AofBaseFile(Path temp, boolean rdb, boolean checksum) throws IOException {
        this.temp = temp;
        this.rdb = rdb;
        this.channel = new ChecksummedChannel(temp, rdb && checksum);
    }

    Path path() {
        return temp;
    }

    void write(byte[] bytes) throws IOException {
        write(bytes, bytes.length);
    }

    void write(byte[] bytes, int length) throws IOException {
        channel.write(bytes, 0, length);
    }

    ChecksummedChannel channel() {
        return channel;
    }

    /** Ends the file (the RDB checksum) and makes it durable; it stays under its temporary name. */
    void commit() throws IOException {
        if (rdb) {
            channel.writeChecksum();
        }
        channel.syncAndClose();
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
