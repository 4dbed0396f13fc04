package dev.magpie.tests.bitmaps;

import dev.magpie.tests.support.Differential;
import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RedisOracle;
import dev.magpie.tests.support.Resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A {@link Differential} pair driven one command at a time with arguments spelled one char per
 * byte (so binary values round-trip), remembering the last commands so that a mismatch reports
 * the seed and how the keys got there. Shared by the bitmap, HyperLogLog and SORT tests.
 */
public final class Lockstep implements AutoCloseable {
    private static final int HISTORY = 15;
    private final Differential both;
    private final String label;
    private final Deque<String> history = new ArrayDeque<>();

    public Lockstep(Magpie magpie, RedisOracle redis, int protocol, String label) {
        this.both = Differential.connect(magpie, redis);
        this.label = label;
        if (protocol == 3) {
            both.magpie().call("HELLO", "3");
            both.redis().call("HELLO", "3");
        }
    }

    /** Sends the command to both servers; the replies must be the same bytes. Returns Redis's reply. */
    public byte[] step(String... args) {
        byte[][] raw = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            raw[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return step(raw);
    }

    public byte[] step(byte[]... args) {
        String described = Resp.escape(Resp.command(args));
        remember(described);
        try {
            return both.assertSame(args);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(label + ": " + e.getMessage() + "\n  recent commands:\n    "
                    + String.join("\n    ", history), e);
        }
    }

    /** Sends a command to Redis alone (to build a value to copy), returning its reply. */
    public byte[] redisOnly(byte[]... args) {
        return both.redis().send(args).readReply();
    }

    public byte[] magpieOnly(byte[]... args) {
        return both.magpie().send(args).readReply();
    }

    private void remember(String described) {
        if (history.size() == HISTORY) {
            history.removeFirst();
        }
        history.addLast(described.length() > 300 ? described.substring(0, 300) + "..." : described);
    }

    /** The payload of a bulk string reply ({@code $n\r\n...\r\n}); null for a null reply. */
    public static byte[] bulkPayload(byte[] reply) {
        if (reply[0] != '$' || reply[1] == '-') {
            return null;
        }
        int lineEnd = 1;
        while (reply[lineEnd] != '\r') {
            lineEnd++;
        }
        int length = Integer.parseInt(new String(reply, 1, lineEnd - 1, StandardCharsets.US_ASCII));
        byte[] payload = new byte[length];
        System.arraycopy(reply, lineEnd + 2, payload, 0, length);
        return payload;
    }

    @Override
    public void close() {
        both.close();
    }
}
