package dev.magpie.server.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the writer thread counts as at work, which keeps the I/O loop from polling. The file is a
 * named pipe the test reads, so the writer's {@code write} waits for the test, not for a disk.
 */
class AofWriterTest {
    /** Four times a pipe's default capacity (64 KB), so the writer cannot finish before the test reads. */
    private static final int CHUNK = 256 * 1024;

    @TempDir
    Path dir;

    @Test
    void bytesHandedOverAreWorkUntilWritten() throws Exception {
        Path pipe = dir.resolve("appendonly.aof.1.incr.aof");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo");
        // Opening a pipe waits for both ends: the reading end opens beside the writer's.
        CompletableFuture<InputStream> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileInputStream(pipe.toFile());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        AofWriter writer = new AofWriter(dir, pipe, AofWriter.Policy.NO, () -> { });
        try (InputStream in = reader.get(10, TimeUnit.SECONDS)) {
            assertFalse(writer.atWork(0), "nothing handed over, no fsync");

            byte[] bytes = new byte[CHUNK];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) i;
            }
            writer.offer(bytes, CHUNK);
            assertTrue(writer.atWork(CHUNK), "handed over, and the pipe holds a quarter of it at most");

            assertArrayEquals(bytes, readFully(in, CHUNK));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (writer.atWork(CHUNK) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertFalse(writer.atWork(CHUNK), "all of it written");
            assertEquals(CHUNK, writer.writtenOffset());
            assertTrue(writer.atWork(CHUNK + 1), "a byte more handed over is work again");
        } finally {
            writer.close();
        }
    }

    /** Read by read calls: {@code readNBytes} asks a pipe for its position, which it has not. */
    private static byte[] readFully(InputStream in, int length) throws Exception {
        byte[] bytes = new byte[length];
        for (int at = 0; at < length; ) {
            int n = in.read(bytes, at, length - at);
            assertTrue(n > 0, "the writer wrote all it was handed");
            at += n;
        }
        return bytes;
    }
}
