package dev.magpie.server.persistence;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A new file written front to back with the running CRC-64 of its bytes, which an RDB stream ends
 * with (a dump.rdb, an AOF's RDB base), past the page cache where the file system allows it
 * ({@link DirectAppender}). One thread at a time.
 */
final class ChecksummedChannel implements AutoCloseable {
    private final DirectAppender file;
    private final boolean checksum;
    private long crc;
    private long position;
    private boolean open = true;

    /** Creates or truncates {@code path}; with {@code checksum} false the trailing checksum is zero, as Redis writes it. */
    ChecksummedChannel(Path path, boolean checksum) throws IOException {
        this.checksum = checksum;
        this.file = DirectAppender.create(path);
    }

    void write(byte[] data, int offset, int length) throws IOException {
        if (checksum) {
            crc = Crc64.update(crc, data, offset, length);
        }
        file.append(data, offset, length);
        position += length;
    }

    /**
     * Appends {@code length} bytes of {@code source} from {@code offset}, whose CRC-64 alone is
     * {@code crcOfThem} (so it is not computed again).
     */
    void append(DirectAppender.Source source, long offset, long length, long crcOfThem) throws IOException {
        file.copy(source, offset, length);
        if (checksum) {
            crc = Crc64.combine(crc, crcOfThem, length);
        }
        position += length;
    }

    /** Bytes written so far. */
    long position() {
        return position;
    }

    /** The CRC-64 of the bytes written so far (0 without a checksum). */
    long crc() {
        return crc;
    }

    /** Appends the checksum of everything written, little-endian. */
    void writeChecksum() throws IOException {
        byte[] footer = new byte[8];
        for (int i = 0; i < 8; i++) {
            footer[i] = (byte) (crc >>> (8 * i));
        }
        file.append(footer, 0, footer.length);
    }

    /** Makes the file durable and closes it. */
    void syncAndClose() throws IOException {
        file.flushTail();
        file.force(true);
        close();
    }

    boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        if (open) {
            open = false;
            file.close();
        }
    }
}
