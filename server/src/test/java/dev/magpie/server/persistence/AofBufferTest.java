package dev.magpie.server.persistence;

import dev.magpie.protocol.CommandBatch;
import dev.magpie.protocol.RequestParser;
import dev.magpie.server.command.Arguments;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A whole command in one pass ({@link AofBuffer#command}) and built from a header and bulks: both
 * must give the command as a client sends it in RESP, built here with {@code Integer.toString}.
 */
class AofBufferTest {
    private static final int[] LENGTHS = {0, 1, 7, 8, 9, 10, 15, 16, 17, 99, 100, 999, 1000, 1001, 70_000};

    @Test
    void aCommandIsWrittenAsItsHeaderAndBulks() {
        for (int length : LENGTHS) {
            assertSame(List.of(bytes("SET"), filled(length, 'k'), filled(length, 'v')), 3);
        }
        for (int length = 0; length <= 1000; length++) { // every header the tables hold, and the first they do not
            assertSame(List.of(bytes("SET"), bytes("k"), filled(length, 'v')), 1);
        }
    }

    @Test
    void aShortLastArgumentThatEndsTheParsedData() {
        // A new batch holds 4096 bytes: the last word ends 0 to 15 bytes before the end of its data.
        for (int middle = 4075; middle <= 4090; middle++) {
            assertSame(List.of(bytes("SET"), filled(middle, 'k'), filled(3, 'v')), 2);
        }
    }

    @Test
    void randomCommandsAndLongOnes() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            List<byte[]> words = new ArrayList<>();
            int count = round == 0 ? 1000 : round == 1 ? 1234 : 1 + random.nextInt(12);
            for (int i = 0; i < count; i++) {
                byte[] word = new byte[LENGTHS[random.nextInt(LENGTHS.length - 1)]];
                random.nextBytes(word);
                words.add(word);
            }
            // Several commands share one buffer: what the extra bytes of a word store leave behind is overwritten.
            assertSame(words, 1 + random.nextInt(3));
        }
    }

    private static void assertSame(List<byte[]> words, int times) {
        byte[] wire = resp(words);
        Arguments args = parsed(wire);
        AofBuffer onePass = new AofBuffer(16);
        AofBuffer headerAndBulks = new AofBuffer(16);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int t = 0; t < times; t++) {
            onePass.command(args);
            headerAndBulks.arrayHeader(words.size());
            for (byte[] word : words) {
                headerAndBulks.bulk(word);
            }
            expected.writeBytes(wire);
        }
        assertEquals(expected.size(), onePass.length());
        assertArrayEquals(expected.toByteArray(), onePass.toByteArray());
        assertArrayEquals(expected.toByteArray(), headerAndBulks.toByteArray());
    }

    private static byte[] resp(List<byte[]> words) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(bytes("*" + words.size() + "\r\n"));
        for (byte[] word : words) {
            wire.writeBytes(bytes("$" + word.length + "\r\n"));
            wire.writeBytes(word);
            wire.writeBytes(bytes("\r\n"));
        }
        return wire.toByteArray();
    }

    /** The arguments as the parser leaves them, the last ending where the parsed data does. */
    private static Arguments parsed(byte[] wire) {
        CommandBatch batch = new CommandBatch();
        new RequestParser().parse(Unpooled.wrappedBuffer(wire), batch, 1);
        assertEquals(1, batch.commandCount());
        return new Arguments().wrap(batch, 0);
    }

    private static byte[] filled(int length, char c) {
        return String.valueOf(c).repeat(length).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
