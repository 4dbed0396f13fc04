package dev.magpie.server.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file holds exactly the stream appended (or copied from another file), whatever the sizes
 * and offsets, wherever a tail was put into the file and however often the file was reopened:
 * with direct writes and with plain appends.
 */
class DirectAppenderTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "direct writes tried: {0}")
    @ValueSource(booleans = {true, false})
    void theFileHoldsTheStreamExactlyAcrossTailsAndReopens(boolean tryDirect) throws Exception {
        Path file = dir.resolve("appendonly.aof.1.incr.aof");
        Random random = new Random(42);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DirectAppender appender = DirectAppender.open(file, tryDirect, false);
        for (int i = 0; i < 400; i++) {
            // Mostly small chunks, sometimes several blocks, sometimes more than the direct buffer.
            int size = switch (random.nextInt(10)) {
                case 0 -> random.nextInt(3 << 20);
                case 1, 2 -> random.nextInt(64 << 10);
                default -> random.nextInt(5000);
            };
            byte[] chunk = new byte[size + 16];
            random.nextBytes(chunk);
            appender.append(chunk, 8, size);
            expected.write(chunk, 8, size);
            if (random.nextBoolean()) {
                appender.send();
                assertTrue(appender.pending() < Files.getFileStore(file).getBlockSize() || !appender.direct(),
                        "only a tail waits after a send, after chunk " + i);
            }
            if (random.nextInt(4) == 0) {
                appender.flushTail();
                assertEquals(0, appender.pending());
                assertEquals(expected.size(), Files.size(file), "after a tail went to the file, after chunk " + i);
            } else {
                assertTrue(Files.size(file) + appender.pending() >= expected.size(), "nothing lost, after chunk " + i);
                assertTrue(Files.size(file) <= expected.size(), "nothing past the stream's end, after chunk " + i);
            }
            if (random.nextInt(25) == 0) {
                appender.flushTail();
                appender.close();
                assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file), "closed after chunk " + i);
                appender = DirectAppender.open(file, tryDirect, false);
            }
        }
        appender.flushTail();
        appender.close();
        byte[] written = Files.readAllBytes(file);
        assertEquals(expected.size(), written.length);
        assertTrue(Arrays.equals(expected.toByteArray(), written), "the file is the stream");
    }

    @ParameterizedTest(name = "direct writes tried: {0}")
    @ValueSource(booleans = {true, false})
    void copiesRangesOfAnotherFileAtAnyOffset(boolean tryDirect) throws Exception {
        byte[] source = new byte[3 << 20];
        new Random(7).nextBytes(source);
        Path from = dir.resolve("appendonly.aof.1.base.rdb");
        Files.write(from, source);
        Path file = dir.resolve("temp-rewriteaof-bg-1.aof");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Random random = new Random(8);
        try (DirectAppender appender = DirectAppender.open(file, tryDirect, true);
             DirectAppender.Source in = DirectAppender.Source.open(from)) {
            for (int i = 0; i < 60; i++) {
                int offset = random.nextInt(source.length);
                int length = random.nextInt(source.length - offset + 1);
                if (random.nextInt(3) == 0) {
                    length = Math.min(length, 9000);
                }
                appender.copy(in, offset, length);
                expected.write(source, offset, length);
                byte[] between = {(byte) i, 1, 2};
                appender.append(between, 0, between.length);
                expected.write(between, 0, between.length);
            }
            IOException early = assertThrows(IOException.class, () -> appender.copy(in, source.length - 10, 11));
            assertTrue(early.getMessage().contains("ended"), early.getMessage());
            appender.flushTail();
        }
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
    }

    @Test
    void aFileOnALocalDiskIsWrittenPastThePageCache() throws Exception {
        Path file = dir.resolve("appendonly.aof.2.incr.aof");
        try (DirectAppender appender = DirectAppender.open(file)) {
            assertTrue(appender.direct(), "direct writes on " + Files.getFileStore(file).type()
                    + "; if this file system refuses them, the appender falls back to plain appends");
            byte[] bytes = new byte[10_000];
            Arrays.fill(bytes, (byte) 'x');
            appender.append(bytes, 0, bytes.length);
            assertEquals(0, Files.size(file), "appends gather");
            appender.send();
            assertEquals(10_000 % Files.getFileStore(file).getBlockSize(), appender.pending(), "the tail waits");
            assertEquals(10_000 - appender.pending(), Files.size(file), "whole blocks are in the file");
            appender.flushTail();
            assertEquals(10_000, Files.size(file), "a flush puts the tail into the file");
            appender.append(bytes, 0, bytes.length);
        }
        assertEquals(10_000, Files.size(file), "closing writes nothing more: the file may be given up");
    }
}
