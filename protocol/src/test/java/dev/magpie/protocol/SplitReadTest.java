package dev.magpie.protocol;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.magpie.protocol.Parsing.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A request may arrive cut anywhere. Whatever the cuts, the parser must decode the same commands
 * in the same order as from one read, and the same protocol error at the end.
 */
class SplitReadTest {
    private static final String STREAM = "*3\r\n$3\r\nSET\r\n$5\r\nk\r\ney\r\n$0\r\n\r\n"
            + "ECHO \"a \\x41\" 'b'\r\n"
            + "\r\n"
            + "*0\r\n"
            + "*2\r\n$4\r\nECHO\r\n$12\r\nhello\r\nworld\r\n"
            + "PING\n"
            + "*1\r\n$4\r\nPING\r\n";

    @Test
    void everySingleCutGivesTheSameCommands() {
        byte[] raw = bytes(STREAM);
        Parsing.Result whole = Parsing.parseInPieces(raw);
        assertEquals(5, whole.commands().size());
        for (int cut = 0; cut <= raw.length; cut++) {
            assertEquals(whole, Parsing.parseInPieces(raw, cut), "cut at byte " + cut);
        }
    }

    @Test
    void everyPairOfCutsGivesTheSameCommands() {
        byte[] raw = bytes(STREAM);
        Parsing.Result whole = Parsing.parseInPieces(raw);
        for (int first = 0; first <= raw.length; first++) {
            for (int second = first; second <= raw.length; second++) {
                assertEquals(whole, Parsing.parseInPieces(raw, first, second), "cuts at " + first + " and " + second);
            }
        }
    }

    @Test
    void byteByByteGivesTheSameCommands() {
        byte[] raw = bytes(STREAM);
        int[] cuts = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            cuts[i] = i;
        }
        assertEquals(Parsing.parseInPieces(raw), Parsing.parseInPieces(raw, cuts));
    }

    @Test
    void aProtocolErrorIsFoundWhereverTheCutIs() {
        byte[] raw = bytes("*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\nx\r\n");
        for (int cut = 0; cut <= raw.length; cut++) {
            Parsing.Result result = Parsing.parseInPieces(raw, cut);
            assertEquals(List.of(List.of("PING")), result.commands(), "cut at " + cut);
            assertEquals("expected '$', got 'x'", result.error(), "cut at " + cut);
        }
    }
}
