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
 * A whole command ({@link AofBuffer#command}), copied as the client sent it or written again from
 * its arguments, and one built from a header and bulks: each must give the command in RESP as
 * Redis writes it, built here with {@code Integer.toString}.
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
    void oddLineEndsAreNotCopied() {
        // Redis reads none of these bytes: the AOF gets CRLF where the client sent something else.
        byte[] wire = bytes("*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n");
        for (int at : new int[] {3, 7, 12, 16, 19}) {
            byte[] odd = wire.clone();
            odd[at] = 'x';
            Arguments args = parsed(odd);
            assertEquals(-1, args.verbatimStart(), "byte " + at);
            AofBuffer out = new AofBuffer(16);
            out.command(args);
            assertArrayEquals(wire, out.toByteArray(), "byte " + at);
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
        Arguments asSent = parsed(wire);
        Arguments rewritten = parsed(withOddBulkEnds(wire, words));
        assertEquals(0, asSent.verbatimStart());
        assertEquals(-1, rewritten.verbatimStart());
        AofBuffer copied = new AofBuffer(16);
        AofBuffer fromArguments = new AofBuffer(16);
        AofBuffer headerAndBulks = new AofBuffer(16);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int t = 0; t < times; t++) {
            copied.command(asSent);
            fromArguments.command(rewritten);
            headerAndBulks.arrayHeader(words.size());
            for (byte[] word : words) {
                headerAndBulks.bulk(word);
            }
            expected.writeBytes(wire);
        }
        assertEquals(expected.size(), copied.length());
        assertArrayEquals(expected.toByteArray(), copied.toByteArray());
        assertArrayEquals(expected.toByteArray(), fromArguments.toByteArray());
        assertArrayEquals(expected.toByteArray(), headerAndBulks.toByteArray());
    }

    /** The same request with "\r\r" after every bulk, which Redis skips unread. */
    private static byte[] withOddBulkEnds(byte[] wire, List<byte[]> words) {
        byte[] odd = wire.clone();
        int at = ("*" + words.size() + "\r\n").length();
        for (byte[] word : words) {
            at += ("$" + word.length + "\r\n").length() + word.length;
            odd[at + 1] = '\r';
            at += 2;
        }
        return odd;
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

    /** The arguments as the parser leaves them. */
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
