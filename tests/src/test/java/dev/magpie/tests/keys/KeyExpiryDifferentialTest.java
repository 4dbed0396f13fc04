package dev.magpie.tests.keys;

import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.OracleAndMagpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.ReplyDecoder;
import dev.magpie.tests.support.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Long seeded random sequences of key and expiry commands (with SET/GET/MSET to make keys), sent
 * to a real redis-server and to Magpie; every reply must be the same bytes, except what is
 * legitimately free: the order of KEYS and SCAN results (compared as sets, SCAN over a whole
 * iteration since cursors depend on the hash function), RANDOMKEY (must name a key both have),
 * remaining times (a few milliseconds apart), OBJECT IDLETIME (any count).
 *
 * <p>Times stay deterministic: relative TTLs are all different and at least 100 s apart, absolute
 * ones lie months ahead, so GT/LT comparisons never depend on which millisecond a server read its
 * clock, and no key expires while a run lasts. Reproduce a failure with the seed it prints:
 * {@code -Dkeys.seed=N}.
 */
class KeyExpiryDifferentialTest {
    private static final int STEPS = 4000;
    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie();

    static Stream<Arguments> runs() {
        String chosen = System.getProperty("keys.seed");
        if (chosen != null) {
            return Stream.of(Arguments.of(Long.parseLong(chosen), 2), Arguments.of(Long.parseLong(chosen), 3));
        }
        return Stream.of(Arguments.of(1L, 2), Arguments.of(20240611L, 2), Arguments.of(777L, 2), Arguments.of(31337L, 3));
    }

    @ParameterizedTest(name = "seed {0}, RESP{1}")
    @MethodSource("runs")
    void randomKeyAndExpirySequencesMatchRedis(long seed, int protocol) {
        System.out.println("keys differential: seed " + seed + ", RESP" + protocol);
        try (RawRespClient m = servers.magpie().connect(); RawRespClient r = servers.redis().connect()) {
            new Run(seed, protocol, m, r).execute(STEPS);
        }
    }

    /**
     * Time moves on between the commands of one pipelined batch, as in Redis: each command reads
     * the clock when it starts, so a key set to expire in 50 ms is gone after a 100 ms command in
     * the same batch, and a TTL read after it counts from that moment.
     */
    @Test
    void timeMovesOnBetweenTheCommandsOfOneBatch() {
        byte[] batch = concat(Resp.command("SET", "soon", "v", "PX", "50"), Resp.command("DEBUG", "SLEEP", "0.1"),
                Resp.command("EXISTS", "soon"), Resp.command("SET", "later", "v", "PX", "1000"),
                Resp.command("DEBUG", "SLEEP", "0.1"), Resp.command("PTTL", "later"));
        try (Magpie magpie = Magpie.start("--enable-debug-command", "yes")) {
            for (RawRespClient client : new RawRespClient[] {magpie.connect(), servers.redis().connect()}) {
                try (client) {
                    client.sendRaw(batch);
                    List<byte[]> replies = client.readReplies(6);
                    String where = client.toString();
                    assertEquals("+OK\r\n", Resp.latin1(replies.get(1)), where);
                    assertEquals(":0\r\n", Resp.latin1(replies.get(2)), where);
                    long left = Long.parseLong(Resp.latin1(replies.get(5)).trim().substring(1));
                    assertTrue(left > 800 && left <= 900, where + ": PTTL " + left);
                }
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** How two replies are compared. */
    enum Compare { EXACT, AS_SET, SECONDS, MILLIS, ANY_INTEGER, RANDOM_KEY }

    private static final class Run {
        private final long seed;
        private final RawRespClient magpie;
        private final RawRespClient redis;
        private final CommandGenerator generator;
        private final Deque<String> history = new ArrayDeque<>();
        private int step;

        Run(long seed, int protocol, RawRespClient magpie, RawRespClient redis) {
            this.seed = seed;
            this.magpie = magpie;
            this.redis = redis;
            this.generator = new CommandGenerator(seed, System.currentTimeMillis());
            both("FLUSHALL");
            both("CONFIG", "RESETSTAT");
            if (protocol == 3) {
                both("HELLO", "3");
            }
        }

        private void both(String... command) {
            magpie.call(command);
            redis.call(command);
        }

        void execute(int steps) {
            for (step = 0; step < steps; step++) {
                CommandGenerator.Command command = generator.next();
                remember(Resp.describe(command.args()));
                if (command.compare() == null) {
                    scanBoth(command.args());
                } else {
                    compare(command.args(), command.compare());
                }
            }
            // Which reads count as keyspace hits and misses is part of each command's contract.
            for (String field : new String[] {"keyspace_hits", "keyspace_misses", "expired_keys"}) {
                String expected = statsField(redis, field);
                String actual = statsField(magpie, field);
                if (!expected.equals(actual)) {
                    fail("seed " + seed + ": INFO " + field + " is " + actual + " in Magpie, " + expected + " in redis-server");
                }
            }
        }

        private static String statsField(RawRespClient client, String field) {
            String info = String.valueOf(ReplyDecoder.decodeFlat(client.call("INFO", "stats")));
            for (String line : info.split("\r\n")) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1);
                }
            }
            return "<missing>";
        }

        private void remember(String text) {
            history.addLast(text);
            if (history.size() > 12) {
                history.removeFirst();
            }
        }

        private void compare(String[] args, Compare how) {
            byte[] expected = redis.call(args);
            byte[] actual = magpie.call(args);
            if (!agree(expected, actual, how)) {
                mismatch(args, expected, actual);
            }
            if (how == Compare.RANDOM_KEY && ReplyDecoder.decodeFlat(actual) instanceof String key) {
                // The key Magpie picked must exist on both sides.
                compare(new String[] {"EXISTS", key}, Compare.EXACT);
            }
        }

        private boolean agree(byte[] expected, byte[] actual, Compare how) {
            if (java.util.Arrays.equals(expected, actual)) {
                return true;
            }
            Object e = ReplyDecoder.decodeFlat(expected);
            Object a = ReplyDecoder.decodeFlat(actual);
            switch (how) {
                case AS_SET:
                    return e instanceof List<?> el && a instanceof List<?> al && el.size() == al.size()
                            && sorted(el).equals(sorted(al));
                case SECONDS:
                case MILLIS:
                    // The two servers read their clocks a moment apart; -1 and -2 must still match exactly.
                    long tolerance = how == Compare.SECONDS ? 2 : 2000;
                    return e instanceof Long el && a instanceof Long al && el >= 0 && al >= 0
                            && Math.abs(el - al) <= tolerance;
                case ANY_INTEGER:
                    return e instanceof Long && a instanceof Long;
                case RANDOM_KEY:
                    return e instanceof String && a instanceof String;
                default:
                    return false;
            }
        }

        private static TreeSet<String> sorted(List<?> items) {
            TreeSet<String> set = new TreeSet<>();
            for (Object item : items) {
                set.add(String.valueOf(item));
            }
            return set;
        }

        /** A whole SCAN iteration on each side; the union of keys (or the first error) must agree. */
        private void scanBoth(String[] args) {
            Object expected = scanAll(redis, args);
            Object actual = scanAll(magpie, args);
            if (!Objects.equals(expected, actual)) {
                fail(context(args) + "\n  redis-server: " + expected + "\n  Magpie:       " + actual);
            }
        }

        private Object scanAll(RawRespClient client, String[] args) {
            String[] call = args.clone();
            TreeSet<String> keys = new TreeSet<>();
            for (int calls = 0; calls < 100_000; calls++) {
                byte[] reply = client.call(call);
                Object parsed = ReplyDecoder.decodeFlat(reply);
                if (!(parsed instanceof List<?> list)) {
                    return Resp.escape(reply);
                }
                for (Object key : (List<?>) list.get(1)) {
                    keys.add((String) key);
                }
                call[1] = (String) list.get(0);
                if (call[1].equals("0")) {
                    return keys;
                }
            }
            return "no end after 100000 calls";
        }

        private void mismatch(String[] args, byte[] expected, byte[] actual) {
            fail(context(args) + "\n  redis-server: " + Resp.escape(expected) + "\n  Magpie:       " + Resp.escape(actual));
        }

        private String context(String[] args) {
            return "seed " + seed + ", step " + step + " (-Dkeys.seed=" + seed + "): replies differ for "
                    + Resp.describe(args) + "\n  recent commands: " + String.join(" | ", new ArrayList<>(history));
        }
    }
}
