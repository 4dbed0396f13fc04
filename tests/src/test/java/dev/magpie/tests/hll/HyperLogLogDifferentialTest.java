package dev.magpie.tests.hll;

import dev.magpie.tests.bitmaps.Lockstep;
import dev.magpie.tests.support.OracleAndMagpie;
import dev.magpie.tests.support.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * PFADD, PFCOUNT, PFMERGE and PFDEBUG against a real redis-server. The values are compared with
 * GET after every few commands, so the sparse and dense bytes, the promotion point and the
 * cached cardinality in the header must all be Redis's. Values are also copied across with GET
 * and SET in both directions and must count the same. Rerun one seed with -Dmagpie.hll.seed=N.
 */
class HyperLogLogDifferentialTest {
    private static final int COMMANDS_PER_SEED = 700;
    private static final String[] KEYS = {"h1", "h2", "h3", "h4"};

    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie();

    private static long[] seeds(int protocol) {
        return Seeds.chosenOr("magpie.hll.seed", 1, 2, System.nanoTime() ^ protocol);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void randomSequencesMatchRedisByteForByte(int protocol) {
        for (long seed : seeds(protocol)) {
            String p = "r" + protocol + "s" + seed + ":";
            try (Lockstep run = new Lockstep(servers.magpie(), servers.redis(), protocol, "seed " + seed + " RESP" + protocol)) {
                Random random = new Random(seed);
                for (int i = 0; i < COMMANDS_PER_SEED; i++) {
                    run.step(next(random, p));
                    if (i % 10 == 0) {
                        run.step("GET", p + KEYS[random.nextInt(KEYS.length)]);
                    }
                }
                for (String key : KEYS) {
                    run.step("GET", p + key);
                    run.step("PFCOUNT", p + key);
                    run.step("GET", p + key);
                    run.step("OBJECT", "ENCODING", p + key);
                }
                run.step("CONFIG", "SET", "hll-sparse-max-bytes", "3000");
            }
        }
    }

    private static String key(Random random, String p) {
        return p + KEYS[random.nextInt(KEYS.length)];
    }

    private static String[] next(Random random, String p) {
        String key = key(random, p);
        switch (random.nextInt(12)) {
            case 0, 1, 2, 3: {
                // Element pools of very different sizes take values from a few registers to dense.
                int pool = new int[] {20, 500, 5000, 200000}[random.nextInt(4)];
                List<String> args = new ArrayList<>(List.of("PFADD", key));
                int count = random.nextInt(4) == 0 ? random.nextInt(300) : random.nextInt(6);
                for (int i = 0; i < count; i++) {
                    args.add("e" + random.nextInt(pool));
                }
                return args.toArray(String[]::new);
            }
            case 4:
                return new String[] {"PFCOUNT", key};
            case 5:
                return new String[] {"PFCOUNT", key, key(random, p), key(random, p)};
            case 6:
                return new String[] {"PFMERGE", key, key(random, p), key(random, p)};
            case 7:
                return new String[] {"PFDEBUG", random.nextBoolean() ? "ENCODING" : "DECODE", key};
            case 8:
                return random.nextInt(5) == 0 ? new String[] {"PFDEBUG", "TODENSE", key} : new String[] {"GET", key};
            case 9:
                return new String[] {"CONFIG", "SET", "hll-sparse-max-bytes",
                        String.valueOf(new int[] {3000, 100, 300, 1000, 20000}[random.nextInt(5)])};
            case 10:
                return random.nextInt(4) == 0 ? new String[] {"DEL", key} : new String[] {"OBJECT", "ENCODING", key};
            default:
                return new String[] {"PFADD", key};
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void edgeCasesMatchRedis(int protocol) {
        String p = "edge" + protocol + ":";
        byte[][][] cases = {
            b("PFADD", p + "h"), b("GET", p + "h"), b("PFCOUNT", p + "h"), b("GET", p + "h"), b("OBJECT", "ENCODING", p + "h"),
            b("PFADD", p + "h", "a", "b", "c"), b("PFADD", p + "h", "a"), b("PFADD", p + "h", ""), b("GET", p + "h"),
            b("PFCOUNT", p + "h"), b("PFCOUNT", p + "h", p + "missing"), b("PFCOUNT", p + "missing"),
            b("PFMERGE", p + "m", p + "h"), b("GET", p + "m"), b("PFMERGE", p + "m2"), b("GET", p + "m2"),
            b("PFDEBUG", "DECODE", p + "h"), b("PFDEBUG", "ENCODING", p + "h"), b("PFDEBUG", "GETREG", p + "h"),
            b("PFDEBUG", "DECODE", p + "h"), b("GET", p + "h"), b("PFDEBUG", "TODENSE", p + "h"), b("PFDEBUG", "foo", p + "h"),
            b("PFDEBUG", "ENCODING", p + "missing"), b("PFDEBUG", "GETREG"),
            b("SET", p + "int", "1"), b("PFADD", p + "int", "a"), b("PFCOUNT", p + "int"), b("PFMERGE", p + "x", p + "int"),
            b("SET", p + "short", "HYLLxxxxxxxxxxxxxxxxxx"), b("PFCOUNT", p + "short"), b("PFADD", p + "short", "1"),
            b("RPUSH", p + "list", "1"), b("PFADD", p + "list", "1"), b("PFCOUNT", p + "list"), b("PFCOUNT", p + "h", p + "list"),
            b("PFMERGE", p + "list", p + "h"), b("PFMERGE", p + "h", p + "list"), b("PFDEBUG", "ENCODING", p + "list"),
            raw("SET", p + "bad", "HYLL\u0001\0\0\0\0\0\0\0\0\0\0\u0080\u007f\u00fe"), b("PFCOUNT", p + "bad"),
            b("PFADD", p + "bad", "a"), b("GET", p + "bad"), b("PFCOUNT", p + "bad", p + "h"), b("PFMERGE", p + "z", p + "bad"),
            b("PFDEBUG", "GETREG", p + "bad"), b("PFDEBUG", "TODENSE", p + "bad"),
            raw("SET", p + "bad2", "HYLL\u0001\0\0\0\0\0\0\0\0\0\0\u0080\u007f\u00ff\u0080"), b("PFCOUNT", p + "bad2"),
            b("PFADD", p + "bad2", "a", "b", "c"), b("GET", p + "bad2"),
            raw("SET", p + "bad3", "HYLL\0\0\0\0\0\0\0\0\0\0\0\u0080\u007f\u00ff"), b("PFCOUNT", p + "bad3"),
            raw("SET", p + "bad4", "HYLL\u0002\0\0\0\0\0\0\0\0\0\0\0\u007f\u00ff"), b("PFCOUNT", p + "bad4"),
            raw("SET", p + "e", "HYLL\u0001\0\0\0\0\0\0\0\0\0\0\0"), b("PFCOUNT", p + "e"), b("PFADD", p + "e", "x"),
            b("PFADD", p + "u", "a"), b("APPEND", p + "u", "x"), b("PFCOUNT", p + "u"), b("PFADD", p + "u", "zz"),
            b("PFADD", p + "t", "a"), b("PFDEBUG", "TODENSE", p + "t"), b("PFDEBUG", "TODENSE", p + "t"), b("GET", p + "t"),
            b("PFDEBUG", "DECODE", p + "t"), b("PFMERGE", p + "t"), b("GET", p + "t"), b("PFMERGE", p + "s", p + "h", p + "t"),
            b("GET", p + "s"), b("PFDEBUG", "ENCODING", p + "s"), b("SET", p + "emb", "x"), b("DEL", p + "emb"),
            b("PFADD"), b("PFCOUNT"), b("PFMERGE"), b("PFDEBUG", "x"),
        };
        try (Lockstep run = new Lockstep(servers.magpie(), servers.redis(), protocol, "edge cases RESP" + protocol)) {
            for (byte[][] command : cases) {
                run.step(command);
            }
            // A small HLL SET back as a short (embstr) string becomes raw once PFCOUNT caches into it.
            byte[] value = Lockstep.bulkPayload(run.step(b("GET", p + "m")));
            run.step(raw2("SET", p + "copy", value));
            run.step(b("OBJECT", "ENCODING", p + "copy"));
            run.step(b("PFCOUNT", p + "copy"));
            run.step(b("OBJECT", "ENCODING", p + "copy"));
        }
    }

    @Test
    void valuesCopiedBetweenRedisAndMagpieCountTheSame() {
        try (Lockstep run = new Lockstep(servers.magpie(), servers.redis(), 2, "cross-load")) {
            Random random = new Random(42);
            int[] sizes = {0, 1, 10, 300, 1500, 5000, 60000};
            for (int size : sizes) {
                String built = "built:" + size;
                List<String> elements = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    elements.add("v" + random.nextInt(1_000_000));
                }
                // Build the same HLL on each side alone, then swap them through GET and SET.
                for (int from = 0; from < elements.size() || from == 0; from += 500) {
                    List<String> args = new ArrayList<>(List.of("PFADD", built));
                    args.addAll(elements.subList(from, Math.min(elements.size(), from + 500)));
                    run.redisOnly(b(args.toArray(String[]::new)));
                    run.magpieOnly(b(args.toArray(String[]::new)));
                }
                byte[] fromRedis = Lockstep.bulkPayload(run.redisOnly(b("GET", built)));
                byte[] fromMagpie = Lockstep.bulkPayload(run.magpieOnly(b("GET", built)));
                assertNotNull(fromRedis);
                assertArrayEquals(fromRedis, fromMagpie, "PFADD of " + size + " elements built different bytes");
                String swapped = "swapped:" + size;
                run.redisOnly(raw2("SET", swapped, fromMagpie));
                run.magpieOnly(raw2("SET", swapped, fromRedis));
                byte[] redisCount = run.redisOnly(b("PFCOUNT", swapped));
                assertEquals(new String(redisCount, StandardCharsets.US_ASCII),
                        new String(run.magpieOnly(b("PFCOUNT", swapped)), StandardCharsets.US_ASCII));
                // And they keep evolving identically on both sides.
                run.step("PFADD", swapped, "one-more", "and-another");
                run.step("GET", swapped);
                run.step("PFCOUNT", swapped, built);
                run.step("PFMERGE", swapped, built);
                run.step("GET", swapped);
            }
        }
    }

    @Test
    void selfTestPasses() {
        try (Lockstep run = new Lockstep(servers.magpie(), servers.redis(), 2, "pfselftest")) {
            run.step("PFSELFTEST");
            run.step("PFSELFTEST", "extra");
        }
    }

    private static byte[][] b(String... args) {
        byte[][] raw = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            raw[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return raw;
    }

    private static byte[][] raw(String command, String key, String value) {
        return b(command, key, value);
    }

    private static byte[][] raw2(String command, String key, byte[] value) {
        byte[][] args = b(command, key, "");
        args[2] = Arrays.copyOf(value, value.length);
        return args;
    }
}
