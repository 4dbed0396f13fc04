package dev.magpie.tests.support;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One connection to Magpie and one to a real redis-server, driven in lockstep: every request goes to
 * both and the replies must be the same bytes. A mismatch fails with the request and both replies
 * escaped. {@link Normalizer}s hide the parts of a reply that legitimately differ.
 * <pre>{@code
 * try (Differential both = Differential.connect(magpie, redis)) {
 *     both.assertSame("SET", "k", "v");
 *     both.assertSameRaw("*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n", 2);
 * }
 * }</pre>
 */
public final class Differential implements AutoCloseable {
    private static final int MESSAGE_LIMIT = 600;
    private final RawRespClient magpie;
    private final RawRespClient redis;

    public Differential(RawRespClient magpie, RawRespClient redis) {
        this.magpie = magpie;
        this.redis = redis;
    }

    /** Opens a fresh connection to each server. */
    public static Differential connect(Magpie magpie, RedisOracle redis) {
        return new Differential(magpie.connect(), redis.connect());
    }

    public RawRespClient magpie() {
        return magpie;
    }

    public RawRespClient redis() {
        return redis;
    }

    /** Sends the command to both and asserts the replies are identical; returns Redis's reply. */
    public byte[] assertSame(String... command) {
        return assertSame(Normalizers.none(), command);
    }

    public byte[] assertSame(Normalizer normalizer, String... command) {
        magpie.send(command);
        redis.send(command);
        return compareOne(normalizer, Resp.describe(command));
    }

    /** Binary-argument form of {@link #assertSame(String...)}. */
    public byte[] assertSame(byte[]... command) {
        magpie.send(command);
        redis.send(command);
        return compareOne(Normalizers.none(), Resp.escape(Resp.command(command)));
    }

    /** Sends the raw stream (one char per byte) to both and compares {@code replies} replies in order. */
    public List<byte[]> assertSameRaw(String raw, int replies) {
        return assertSameRaw(Normalizers.none(), Resp.bytes(raw), replies);
    }

    public List<byte[]> assertSameRaw(Normalizer normalizer, byte[] raw, int replies) {
        magpie.sendRaw(raw);
        redis.sendRaw(raw);
        List<byte[]> out = new ArrayList<>(replies);
        for (int i = 0; i < replies; i++) {
            out.add(compareOne(normalizer, "reply " + (i + 1) + " of " + replies + " to raw stream " + abbreviate(raw)));
        }
        return out;
    }

    /**
     * Sends the raw stream to both, reads every reply redis-server gives until it closes the
     * connection (within {@code millis}), and asserts Magpie gave the same replies and closed too:
     * the shape of a protocol error (the replies to the commands before it, the error, the close).
     */
    public List<byte[]> assertSameUntilClosed(byte[] raw, int millis) {
        magpie.sendRaw(raw);
        redis.sendRaw(raw);
        redis.timeoutMillis(millis);
        magpie.timeoutMillis(millis);
        List<byte[]> replies = new ArrayList<>();
        while (true) {
            byte[] expected = redis.readReplyOrNull();
            if (expected == null) {
                break;
            }
            replies.add(expected);
            byte[] actual = magpie.readReplyOrNull();
            assertSameBytes(expected, actual, "reply " + replies.size() + " to raw stream " + abbreviate(raw));
        }
        assertTrue(magpie.closedByPeerWithin(millis), () -> "redis-server closed the connection after "
                + replies.size() + " replies to " + abbreviate(raw) + ", Magpie kept it open");
        return replies;
    }

    /** Long raw streams are shown by their start and length only. */
    static String abbreviate(byte[] raw) {
        if (raw.length <= 200) {
            return Resp.escape(raw);
        }
        byte[] head = java.util.Arrays.copyOf(raw, 120);
        return Resp.escape(head) + "... (" + raw.length + " bytes)";
    }

    /** Reads one reply from each side and compares them. */
    public byte[] assertSameReply(String what) {
        return compareOne(Normalizers.none(), what);
    }

    /** Both servers must close their connection within {@code millis} without sending anything more. */
    public void assertBothClosed(int millis) {
        assertTrue(redis.closedByPeerWithin(millis), "redis-server kept the connection open (test expectation is wrong?)");
        assertTrue(magpie.closedByPeerWithin(millis), "Magpie kept the connection open where redis-server closed it");
    }

    /** Both connections still answer PING. */
    public void assertBothOpen() {
        assertSame("PING");
    }

    private byte[] compareOne(Normalizer normalizer, String what) {
        byte[] expected = redis.readReplyOrNull();
        byte[] actual = magpie.readReplyOrNull();
        assertSameBytes(expected == null ? null : normalizer.apply(expected),
                actual == null ? null : normalizer.apply(actual), what);
        return expected;
    }

    /** Fails naming {@code what}, with both replies escaped (long ones cut) and where they first differ. */
    static void assertSameBytes(byte[] expected, byte[] actual, String what) {
        if (java.util.Arrays.equals(expected, actual)) {
            return;
        }
        String where = "";
        if (expected != null && actual != null) {
            int at = java.util.Arrays.mismatch(expected, actual);
            where = "\n  first difference at byte " + at + ": redis-server "
                    + Resp.escape(java.util.Arrays.copyOfRange(expected, at, Math.min(expected.length, at + 40)))
                    + " vs magpie " + Resp.escape(java.util.Arrays.copyOfRange(actual, at, Math.min(actual.length, at + 40)));
        }
        throw new AssertionError("Magpie and redis-server disagree on " + what
                + "\n  redis-server: " + Resp.escape(expected, MESSAGE_LIMIT)
                + "\n  magpie:       " + Resp.escape(actual, MESSAGE_LIMIT) + where);
    }

    @Override
    public void close() {
        magpie.close();
        redis.close();
    }
}
