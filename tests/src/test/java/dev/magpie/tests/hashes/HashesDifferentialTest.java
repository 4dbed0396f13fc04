package dev.magpie.tests.hashes;

import dev.magpie.tests.support.OracleAndMagpie;
import dev.magpie.tests.support.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hash family against a real redis-server: seeded random sequences over a few keys (with the
 * listpack limits lowered so conversions happen often) and a list of edge cases, in RESP2 and
 * RESP3. Replies must match byte for byte, except the order of a hashtable-encoded hash, which
 * Redis leaves to its dict (compared as a multiset, HSCAN by a full iteration), and random
 * picks (HRANDFIELD), held to their count, membership and distinctness. After every command the
 * key's encoding must match too. Rerun one seed with {@code -Dmagpie.hashes.seed=N}.
 */
class HashesDifferentialTest {
    private static final int COMMANDS_PER_SEED = 2000;

    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie();

    private static long[] seeds(int protocol) {
        return Seeds.chosenOr("magpie.hashes.seed", 1, 2, 3 + protocol, System.nanoTime());
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void randomSequencesMatchRedis(int protocol) {
        for (long seed : seeds(protocol)) {
            String[] entries = {"4", "8", "512"};
            String[] values = {"16", "64"};
            try (CollectionRun run = new CollectionRun(servers.magpie(), servers.redis(), seed, protocol, "magpie.hashes.seed")) {
                run.exact("CONFIG", "SET", "hash-max-listpack-entries", entries[(int) Math.floorMod(seed, 3L)]);
                run.exact("CONFIG", "SET", "hash-max-listpack-value", values[(int) Math.floorMod(seed, 2L)]);
                HashCommandGenerator generator = new HashCommandGenerator(seed, "h" + seed + "p" + protocol + ":");
                for (int i = 0; i < COMMANDS_PER_SEED; i++) {
                    step(run, generator.next());
                }
                for (int k = 0; k < 5; k++) {
                    step(run, new String[] {"HGETALL", generator.key(k)});
                }
            } finally {
                restoreLimits();
            }
        }
    }

    private static void restoreLimits() {
        for (var client : List.of(servers.magpie().connect(), servers.redis().connect())) {
            try (client) {
                client.call("CONFIG", "SET", "hash-max-listpack-entries", "512");
                client.call("CONFIG", "SET", "hash-max-listpack-value", "64");
            }
        }
    }

    /** Sends one command and holds Magpie to Redis as far as Redis's own reply is determined. */
    static void step(CollectionRun run, String[] command) {
        String name = command[0].toUpperCase();
        String key = command.length > 1 ? command[1] : null;
        boolean listpack = key != null && "listpack".equals(run.redisEncoding(key));
        byte[][] replies = run.send(command);
        byte[] expected = replies[0];
        byte[] actual = replies[1];
        boolean error = expected[0] == '-';
        if (error || listpack) {
            if (name.equals("HRANDFIELD") && !error && !wholeHash(command, run, key)) {
                checkRandom(run, command, expected, actual);
            } else {
                run.requireSame(expected, actual);
            }
        } else {
            switch (name) {
                case "HKEYS", "HVALS" -> run.requireSameUnordered(expected, actual, 1);
                case "HGETALL" -> run.requireSameUnordered(expected, actual, 2);
                case "HSCAN" -> fullScan(run, command);
                case "HRANDFIELD" -> checkRandom(run, command, expected, actual);
                default -> run.requireSame(expected, actual);
            }
        }
        if (key != null) {
            run.requireSameEncoding(key);
        }
    }

    /** HRANDFIELD with a positive count covering the hash answers the whole hash in order. */
    private static boolean wholeHash(String[] command, CollectionRun run, String key) {
        if (command.length < 3) {
            return false;
        }
        try {
            long count = Long.parseLong(command[2]);
            long size = Long.parseLong(new String(run.redis("HLEN", key), StandardCharsets.ISO_8859_1).substring(1).trim());
            return count == 0 || size == 0 || count >= size;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** Random picks: the same header (so the same count), every pick a field of the hash, distinct when asked. */
    private static void checkRandom(CollectionRun run, String[] command, byte[] expected, byte[] actual) {
        String key = command[1];
        if (expected[0] == '$' || expected[0] == '_') {
            boolean same = java.util.Arrays.equals(expected, actual);
            String picked = ReplyShapes.bulkText(actual);
            if (!same && (ReplyShapes.bulkText(expected) == null || picked == null
                    || !fieldsOf(run, key).containsKey(picked))) {
                run.failWith("random field of", new String(expected, StandardCharsets.ISO_8859_1),
                        new String(actual, StandardCharsets.ISO_8859_1));
            }
            return;
        }
        if (!ReplyShapes.header(expected).equals(ReplyShapes.header(actual))) {
            run.failWith("header of", ReplyShapes.header(expected), ReplyShapes.header(actual));
        }
        Map<String, String> fields = fieldsOf(run, key);
        boolean withValues = command.length == 4;
        boolean distinct = !command[2].startsWith("-");
        List<byte[]> elements = ReplyShapes.elements(actual);
        Set<String> seen = new HashSet<>();
        int step = withValues && run.protocol() == 2 ? 2 : 1;
        for (int i = 0; i < elements.size(); i += step) {
            String field;
            String value = null;
            if (withValues && run.protocol() == 3) {
                List<byte[]> pair = ReplyShapes.elements(elements.get(i));
                field = ReplyShapes.bulkText(pair.get(0));
                value = ReplyShapes.bulkText(pair.get(1));
            } else {
                field = ReplyShapes.bulkText(elements.get(i));
                if (withValues) {
                    value = ReplyShapes.bulkText(elements.get(i + 1));
                }
            }
            boolean ok = fields.containsKey(field) && (!withValues || fields.get(field).equals(value))
                    && (seen.add(field) || !distinct);
            if (!ok) {
                run.failWith("random pick " + field + "=" + value + " in", "fields " + fields.keySet(),
                        new String(actual, StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static Map<String, String> fieldsOf(CollectionRun run, String key) {
        List<byte[]> elements = ReplyShapes.elements(run.magpie("HGETALL", key));
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i + 1 < elements.size(); i += 2) {
            fields.put(ReplyShapes.bulkText(elements.get(i)), ReplyShapes.bulkText(elements.get(i + 1)));
        }
        return fields;
    }

    /** HSCAN over a table: cursors differ between servers, so both are iterated to the end and the pairs compared. */
    static void fullScan(CollectionRun run, String[] command) {
        Set<String> expected = scanAll(command, run::redis);
        Set<String> actual = scanAll(command, run::magpie);
        if (!expected.equals(actual)) {
            run.failWith("full iteration of", expected.toString(), actual.toString());
        }
    }

    static Set<String> scanAll(String[] command, java.util.function.Function<String[], byte[]> server) {
        String[] args = command.clone();
        Set<String> found = new HashSet<>();
        boolean pairs = args[0].equalsIgnoreCase("HSCAN");
        String cursor = "0";
        int guard = 0;
        do {
            args[2] = cursor;
            byte[] reply = server.apply(args);
            List<byte[]> parts = ReplyShapes.elements(reply);
            cursor = ReplyShapes.bulkText(parts.get(0));
            List<byte[]> items = ReplyShapes.elements(parts.get(1));
            for (int i = 0; i < items.size(); i += pairs ? 2 : 1) {
                found.add(ReplyShapes.bulkText(items.get(i)) + (pairs ? "=" + ReplyShapes.bulkText(items.get(i + 1)) : ""));
            }
        } while (!cursor.equals("0") && guard++ < 100_000);
        return found;
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void edgeCasesMatchRedis(int protocol) {
        String p = "edge" + protocol + ":";
        String long65 = "x".repeat(65);
        String[][] cases = {
            {"HSET", p + "h", "a", "1", "b", "2", "c", "3"}, {"HSET", p + "h", "b", "22", "d", "4"}, {"HDEL", p + "h", "a"},
            {"HSET", p + "h", "a", "1"}, {"HGETALL", p + "h"}, {"HKEYS", p + "h"}, {"HVALS", p + "h"},
            {"HSCAN", p + "h", "0"}, {"HSCAN", p + "h", "123", "MATCH", "[ab]"}, {"HSCAN", p + "h", "0", "COUNT", "0"},
            {"HSCAN", p + "h", "0", "TYPE", "hash"}, {"HSCAN", p + "h", "x"}, {"HSCAN", p + "h", " 1"},
            {"HSCAN", p + "h", "-1"}, {"HSCAN", p + "h", "18446744073709551616"}, {"HSCAN", p + "none", "0", "COUNT", "0"},
            {"HSCAN", p + "h", "0", "MATCH"}, {"HSCAN", p + "h", "0", "count\u0000x", "5"},
            {"HRANDFIELD", p + "h", "10"}, {"HRANDFIELD", p + "h", "4", "WITHVALUES"}, {"HRANDFIELD", p + "h", "0"},
            {"HRANDFIELD", p + "none", "3"}, {"HRANDFIELD", p + "none"}, {"HRANDFIELD", p + "h", "-9223372036854775808"},
            {"HRANDFIELD", p + "h", "4611686018427387904", "WITHVALUES"}, {"HRANDFIELD", p + "h", "1", "WITHVALUES", "x"},
            {"HRANDFIELD", p + "h", "x"}, {"HRANDFIELD", p + "h", "1", "withvalues\u0000"},
            {"HINCRBY", p + "h", "a", "9223372036854775806"}, {"HINCRBY", p + "h", "a", "1"}, {"HINCRBY", p + "h", "a", "-1"},
            {"HSET", p + "h", "m", "-9223372036854775808"}, {"HINCRBY", p + "h", "m", "-1"}, {"HINCRBY", p + "h", "b", "x"},
            {"HSET", p + "h", "s", "abc"}, {"HINCRBY", p + "h", "s", "1"}, {"HINCRBYFLOAT", p + "h", "s", "1"},
            {"HINCRBYFLOAT", p + "h", "n", "10.5"}, {"HINCRBYFLOAT", p + "h", "n", "0.1"}, {"HINCRBYFLOAT", p + "h", "n", "inf"},
            {"HINCRBYFLOAT", p + "h", "n", "nan"}, {"HINCRBYFLOAT", p + "h", "n", "1e4000"}, {"HINCRBYFLOAT", p + "h", "n", "-10.6"},
            {"HINCRBYFLOAT", p + "h", "q", "1.18973149535723176502e+4932"}, {"HINCRBYFLOAT", p + "h", "q", "1.18973149535723176502e+4932"},
            {"HINCRBYFLOAT", p + "h", "d", "1.5"}, {"HGETALL", p + "h"}, {"HSTRLEN", p + "h", "n"},
            {"HSETNX", p + "h", "a", "x"}, {"HSETNX", p + "h", "z", "y"}, {"HMGET", p + "h", "a", "none", "z"},
            {"HMGET", p + "none", "a", "b"}, {"HGETALL", p + "none"}, {"HKEYS", p + "none"}, {"HLEN", p + "none"},
            {"HSET", p + "h"}, {"HSET", p + "h", "a"}, {"HMSET", p + "h", "a", "1", "b"}, {"HMSET", p + "h", "a", "9"},
            {"HSETNX", p + "h2", long65, "v"}, {"OBJECT", "ENCODING", p + "h2"},
            {"HINCRBY", p + "h3", long65, "1"}, {"OBJECT", "ENCODING", p + "h3"},
            {"HINCRBYFLOAT", p + "h4", "f", "1"}, {"HSET", p + "h4", "g", long65}, {"OBJECT", "ENCODING", p + "h4"},
            {"HSET", p + "h5", "f", "v"}, {"HSETNX", p + "h5", "f", long65}, {"OBJECT", "ENCODING", p + "h5"},
            {"HDEL", p + "h5", "f", "g"}, {"EXISTS", p + "h5"}, {"HDEL", p + "h5", "f"},
            {"SET", p + "str", "x"}, {"HGET", p + "str", "a"}, {"HSET", p + "str", "a", "b"}, {"HGETALL", p + "str"},
            {"HSCAN", p + "str", "0"}, {"HSCAN", p + "str", "x"}, {"HRANDFIELD", p + "str"}, {"HRANDFIELD", p + "str", "x"},
            {"HRANDFIELD", p + "str", "1"}, {"HINCRBY", p + "str", "a", "x"}, {"HINCRBYFLOAT", p + "str", "a", "inf"},
            {"HMGET", p + "str", "a"}, {"HLEN", p + "str"}, {"HDEL", p + "str", "a"}, {"HEXISTS", p + "str", "a"},
            {"HSTRLEN", p + "str", "a"}, {"HKEYS", p + "str"}, {"HSETNX", p + "str", "a", "b"},
            {"TYPE", p + "h"}, {"OBJECT", "ENCODING", p + "h"},
        };
        try (CollectionRun run = new CollectionRun(servers.magpie(), servers.redis(), 0, protocol, "magpie.hashes.seed")) {
            for (String[] command : cases) {
                step(run, command);
            }
        }
    }

    @Test
    void listpackLimitsConvertAtRedisThresholds() {
        try (CollectionRun run = new CollectionRun(servers.magpie(), servers.redis(), 0, 2, "magpie.hashes.seed")) {
            String key = "limits:h";
            for (int i = 0; i < 512; i++) {
                run.exact("HSET", key, "field" + i, "v" + i);
            }
            run.requireSameEncoding(key);
            run.exact("HGETALL", key);
            run.exact("HSET", key, "field0", "changed");
            run.requireSameEncoding(key);
            run.exact("HSET", key, "one-more", "v");
            run.requireSameEncoding(key);
            for (int i = 0; i < 510; i++) {
                run.exact("HDEL", key, "field" + i);
            }
            run.requireSameEncoding(key);
            byte[][] replies = run.send("HGETALL", key);
            run.requireSameUnordered(replies[0], replies[1], 2);
            run.exact("HSET", "limits:v", "f", "x".repeat(64));
            run.requireSameEncoding("limits:v");
            run.exact("HSET", "limits:v", "f", "x".repeat(65));
            run.requireSameEncoding("limits:v");
            run.exact("HSET", "limits:big", "f", "y".repeat(100_000));
            run.exact("HGET", "limits:big", "f");
            run.exact("HSTRLEN", "limits:big", "f");
        }
    }

    @Test
    void aLargeHashScansCompletelyWithEveryCount() {
        try (CollectionRun run = new CollectionRun(servers.magpie(), servers.redis(), 0, 2, "magpie.hashes.seed")) {
            for (int i = 0; i < 1000; i++) {
                String[] pair = {"field:" + i, Integer.toString(i * 3)};
                run.exact("HSET", "scan:h", pair[0], pair[1]);
            }
            for (String count : new String[] {"1", "7", "100", "5000"}) {
                fullScan(run, new String[] {"HSCAN", "scan:h", "0", "COUNT", count});
                fullScan(run, new String[] {"HSCAN", "scan:h", "0", "MATCH", "field:1*", "COUNT", count});
            }
            run.exact("HLEN", "scan:h");
        }
    }
}
