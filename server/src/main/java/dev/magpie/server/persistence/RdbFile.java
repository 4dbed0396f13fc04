package dev.magpie.server.persistence;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes an RDB file safely: into a temporary file next to the target, checksummed as it goes,
 * then fsynced, renamed over the target and the directory fsynced, so a crash leaves either the
 * old file or the complete new one, never half of one. Used from one thread at a time.
 */
final class RdbFile implements AutoCloseable {
    private final Path temp;
    private final Path target;
    private final ChecksummedChannel channel;

    RdbFile(Path target, Path temp, boolean checksum) throws IOException {
        this.target = target;
        this.temp = temp;
        Files.createDirectories(target.toAbsolutePath().getParent());
        this.channel = new ChecksummedChannel(temp, checksum);
    }

    void write(byte[] data, int offset, int length) throws IOException {
        channel.write(data, offset, length);
    }

    /** Appends the checksum (zero when checksums are off, as Redis writes it), syncs and renames into place. */
    void commit() throws IOException {
        channel.writeChecksum();
        channel.syncAndClose();
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform lets a directory be opened for syncing; the rename itself is atomic.
        }
    }

    /** Drops the temporary file after a failure. */
    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // Best effort: a stale temp file is harmless and overwritten by the next save.
        }
    }
}
