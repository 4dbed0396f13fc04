package dev.magpie.server.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A new file written front to back with the running CRC-64 of its bytes, which an RDB stream ends
 * with (a dump.rdb, an AOF's RDB base). One thread at a time.
 */
final class ChecksummedChannel implements AutoCloseable {
    private final FileChannel channel;
    private final boolean checksum;
    private long crc;
    private long position;

    /** Creates or truncates {@code path}; with {@code checksum} false the trailing checksum is zero, as Redis writes it. */
    ChecksummedChannel(Path path, boolean checksum) throws IOException {
        this.checksum = checksum;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    void write(byte[] data, int offset, int length) throws IOException {
        if (checksum) {
            crc = Crc64.update(crc, data, offset, length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(data, offset, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        position += length;
    }

    /**
     * Appends {@code length} bytes of {@code source} from {@code offset}, whose CRC-64 alone is
     * {@code crcOfThem} (so they are not read here: the kernel copies them).
     */
    void append(FileChannel source, long offset, long length, long crcOfThem) throws IOException {
        for (long done = 0; done < length; ) {
            long copied = source.transferTo(offset + done, length - done, channel);
            if (copied <= 0) {
                throw new IOException("the previous base ended " + (length - done) + " bytes early at offset " + (offset + done));
            }
            done += copied;
        }
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
        ByteBuffer buffer = ByteBuffer.wrap(footer);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Makes the file durable and closes it. */
    void syncAndClose() throws IOException {
        channel.force(true);
        channel.close();
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
