package dev.magpie.tests.hashes;

import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.RecentCommands;
import dev.magpie.tests.support.RedisOracle;
import dev.magpie.tests.support.Resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One connection to Magpie and one to redis-server driven in lockstep for a randomized
 * differential run over hashes or sets. Replies are compared byte for byte unless the caller
 * asks for an order-insensitive comparison (hashtable-encoded collections); a mismatch reports
 * the seed, the protocol, the command, both replies and the commands that led there.
 */
public final class CollectionRun implements AutoCloseable {
    private static final int HISTORY = 15;

    private final RawRespClient magpie;
    private final RawRespClient redis;
    private final long seed;
    private final int protocol;
    private final String rerun;
    private final RecentCommands history = new RecentCommands(HISTORY);
    private int steps;
    private String current = "";

    public CollectionRun(Magpie magpieServer, RedisOracle redisServer, long seed, int protocol, String rerunProperty) {
        this.magpie = magpieServer.connect();
        this.redis = redisServer.connect();
        this.seed = seed;
        this.protocol = protocol;
        this.rerun = rerunProperty;
        if (protocol == 3) {
            magpie.call("HELLO", "3");
            redis.call("HELLO", "3");
        }
    }

    /** Sends a command to both; returns {redis reply, magpie reply}. */
    public byte[][] send(String... command) {
        byte[][] args = new byte[command.length][];
        for (int i = 0; i < command.length; i++) {
            args[i] = command[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        current = Resp.escape(Resp.command(args));
        byte[] expected = redis.send(args).readReply();
        byte[] actual = magpie.send(args).readReply();
        String reported = Resp.escape(expected);
        history.add(current, RecentCommands.shorten(reported, 160));
        steps++;
        return new byte[][] {expected, actual};
    }

    /** Sends to both and requires the same bytes. */
    public byte[][] exact(String... command) {
        byte[][] replies = send(command);
        requireSame(replies[0], replies[1]);
        return replies;
    }

    public void requireSame(byte[] expected, byte[] actual) {
        if (!Arrays.equals(expected, actual)) {
            failWith("reply to", Resp.escape(expected), Resp.escape(actual));
        }
    }

    /** The same collection in any order, elements taken in groups of {@code group}. */
    public void requireSameUnordered(byte[] expected, byte[] actual, int group) {
        if (!Arrays.equals(ReplyShapes.canonical(expected, group), ReplyShapes.canonical(actual, group))) {
            failWith("reply (in any order) to", Resp.escape(expected), Resp.escape(actual));
        }
    }

    /** A side query to redis-server only (not part of the compared sequence). */
    public byte[] redis(String... command) {
        return redis.call(command);
    }

    /** A side query to Magpie only. */
    public byte[] magpie(String... command) {
        return magpie.call(command);
    }

    /** OBJECT ENCODING of a key in redis-server ("listpack", "intset", ... or null when absent). */
    public String redisEncoding(String key) {
        return ReplyShapes.bulkText(redis.call("OBJECT", "ENCODING", key));
    }

    /** The key has the same type and encoding on both sides (or is absent from both). */
    public void requireSameEncoding(String key) {
        byte[] expected = redis.call("OBJECT", "ENCODING", key);
        byte[] actual = magpie.call("OBJECT", "ENCODING", key);
        if (!Arrays.equals(expected, actual)) {
            failWith("encoding of key " + key + " after", Resp.escape(expected), Resp.escape(actual));
        }
    }

    public void failWith(String what, String redisSide, String magpieSide) {
        fail(history.report("the " + what + ' ' + current, seed, protocol, steps, rerun,
                RecentCommands.shorten(redisSide, 800), RecentCommands.shorten(magpieSide, 800)));
    }

    public int protocol() {
        return protocol;
    }

    @Override
    public void close() {
        magpie.close();
        redis.close();
    }
}
