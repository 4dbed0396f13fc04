package dev.magpie.tests.bitmaps;

import dev.magpie.tests.support.OracleAndMagpie;
import dev.magpie.tests.support.Seeds;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP and BITFIELD against a real redis-server: seeded random
 * sequences over a few keys (values of every string encoding, lists for WRONGTYPE), and a list
 * of edge cases, in RESP2 and RESP3. Every reply must be the same bytes, and GET and OBJECT
 * ENCODING of the keys are compared along the way. Rerun one seed with -Dmagpie.bitmaps.seed=N.
 */
class BitmapsDifferentialTest {
    private static final int COMMANDS_PER_SEED = 1200;
    private static final String[] KEYS = {"a", "b", "c", "n", "s"};

    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie();

    private static long[] seeds(int protocol) {
        return Seeds.chosenOr("magpie.bitmaps.seed", 1, 2, System.nanoTime() ^ protocol);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void randomSequencesMatchRedis(int protocol) {
        for (long seed : seeds(protocol)) {
            String prefix = "r" + protocol + "s" + seed + ":";
            try (Lockstep run = new Lockstep(servers.magpie(), servers.redis(), protocol, "seed " + seed + " RESP" + protocol)) {
                Random random = new Random(seed);
                for (int i = 0; i < COMMANDS_PER_SEED; i++) {
                    run.step(next(random, prefix));
                }
                for (String key : KEYS) {
                    run.step("GET", prefix + key);
                    run.step("OBJECT", "ENCODING", prefix + key);
                }
            }
        }
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String offset(Random random) {
        return random.nextInt(3) == 0 ? String.valueOf(random.nextInt(400))
                : pick(random, "0", "1", "7", "8", "9", "15", "16", "63", "64", "100", "1000");
    }

    private static String index(Random random, int range) {
        return String.valueOf(random.nextInt(2 * range + 1) - range);
    }

    private static String[] next(Random random, String p) {
        String key = p + KEYS[random.nextInt(KEYS.length)];
        switch (random.nextInt(14)) {
            case 0, 1:
                return new String[] {"SETBIT", key, offset(random), String.valueOf(random.nextInt(2))};
            case 2:
                return new String[] {"GETBIT", key, offset(random)};
            case 3:
                return new String[] {"BITCOUNT", key};
            case 4: {
                List<String> args = new ArrayList<>(List.of("BITCOUNT", key, index(random, 20), index(random, 20)));
                if (random.nextBoolean()) {
                    args.set(2, index(random, 100));
                    args.set(3, index(random, 100));
                    args.add(pick(random, "BIT", "bit", "BYTE"));
                }
                return args.toArray(String[]::new);
            }
            case 5: {
                List<String> args = new ArrayList<>(List.of("BITPOS", key, String.valueOf(random.nextInt(2))));
                int form = random.nextInt(6);
                if (form >= 1) {
                    args.add(index(random, form >= 4 ? 90 : 12));
                }
                if (form >= 2 && form != 5) {
                    args.add(index(random, form >= 4 ? 90 : 12));
                }
                if (form >= 3) {
                    args.add(form == 3 ? "BYTE" : "BIT");
                }
                return args.toArray(String[]::new);
            }
            case 6: {
                List<String> args = new ArrayList<>(List.of("BITOP", pick(random, "AND", "or", "XOR", "And"),
                        p + pick(random, "a", "b", "c", "d")));
                int sources = 1 + random.nextInt(4);
                for (int i = 0; i < sources; i++) {
                    args.add(p + pick(random, "a", "b", "c", "n", "s", "zz", "l"));
                }
                return args.toArray(String[]::new);
            }
            case 7:
                return new String[] {"BITOP", "NOT", p + pick(random, "a", "b", "d"), p + pick(random, "a", "b", "c", "n")};
            case 8:
                return new String[] {"SET", key, pick(random, "123", "-5", "hello world", "\u00ff\u0000\u00f0",
                        String.valueOf(random.nextLong() >>> random.nextInt(64)), "x".repeat(50))};
            case 9:
                return random.nextBoolean() ? new String[] {"GET", key} : new String[] {"OBJECT", "ENCODING", key};
            case 10:
            case 11:
                return bitfield(random, key, "BITFIELD");
            case 12:
                return new String[] {"BITFIELD_RO", key, "GET", pick(random, "i8", "u8", "i64", "u63", "i13", "u1"),
                        offset(random)};
            default:
                return pick(random, "d", "a", "r") .equals("r") ? new String[] {"RPUSH", p + "l", "x"}
                        : random.nextBoolean() ? new String[] {"DEL", key} : new String[] {"APPEND", key, "xyz"};
        }
    }

    private static String[] bitfield(Random random, String key, String command) {
        List<String> args = new ArrayList<>(List.of(command, key));
        int ops = 1 + random.nextInt(4);
        for (int i = 0; i < ops; i++) {
            boolean signed = random.nextBoolean();
            String type = (signed ? "i" : "u") + (1 + random.nextInt(signed ? 64 : 63));
            String at = random.nextInt(3) == 0 ? "#" + random.nextInt(10) : String.valueOf(random.nextInt(100));
            String value = random.nextInt(4) == 0 ? pick(random, "9223372036854775807", "-9223372036854775808")
                    : String.valueOf(random.nextInt(4) == 0 ? random.nextLong() >> random.nextInt(64) : random.nextInt(601) - 300);
            switch (random.nextInt(4)) {
                case 0 -> args.addAll(List.of("GET", type, at));
                case 1 -> args.addAll(List.of("SET", type, at, value));
                case 2 -> args.addAll(List.of("INCRBY", type, at, value));
                default -> args.addAll(List.of("OVERFLOW", pick(random, "WRAP", "SAT", "FAIL", "sat")));
            }
        }
        return args.toArray(String[]::new);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void edgeCasesMatchRedis(int protocol) {
        String p = "edge" + protocol + ":";
        String k = p + "k";
        String[][] cases = {
            {"SETBIT", k, "-1", "1"}, {"SETBIT", k, "x", "1"}, {"SETBIT", k, "4294967296", "1"}, {"SETBIT", k, "4294967295", "2"},
            {"SETBIT", k, "0", "-1"}, {"SETBIT", k, "0", "x"}, {"SETBIT", k, "0", ""}, {"SETBIT", k, "7", "1"}, {"GET", k},
            {"OBJECT", "ENCODING", k}, {"GETBIT", k, "-1"}, {"GETBIT", k, "99999999999"}, {"GETBIT", k, "4294967296"},
            {"RPUSH", p + "l", "x"}, {"SET", p + "i", "12345"}, {"GETBIT", p + "i", "3"}, {"BITCOUNT", p + "i"},
            {"BITPOS", p + "i", "1"}, {"SETBIT", p + "i", "3", "1"}, {"GET", p + "i"}, {"OBJECT", "ENCODING", p + "i"},
            {"SET", p + "e", "hello"}, {"SETBIT", p + "e", "0", "0"}, {"OBJECT", "ENCODING", p + "e"},
            {"BITCOUNT", p + "nokey", "a", "b", "c"}, {"BITCOUNT", k, "1"}, {"BITCOUNT", k, "1", "2", "3"}, {"BITCOUNT", k, "a", "1"},
            {"BITCOUNT", k, "1", "a"}, {"BITCOUNT", k, "-1", "-5", "foo"}, {"BITCOUNT", k, "0", "1", "foo"},
            {"BITCOUNT", k, "0", "-1", "bit", "x"}, {"BITCOUNT", p + "l"}, {"GETBIT", p + "l", "0"}, {"SETBIT", p + "l", "0", "1"},
            {"BITPOS", p + "nokey", "1"}, {"BITPOS", p + "nokey", "0"}, {"BITPOS", p + "nokey", "2"}, {"BITPOS", k, "x"},
            {"BITPOS", k, "1", "a"}, {"BITPOS", k, "1", "0", "a"}, {"BITPOS", k, "1", "0", "1", "foo"},
            {"BITPOS", k, "0", "0", "1", "bit", "x"}, {"BITPOS", p + "nokey", "1", "a", "b", "c", "d"}, {"BITPOS", p + "l", "1"},
            {"SET", p + "ff", "\u00ff\u00ff\u00ff"}, {"BITPOS", p + "ff", "0"}, {"BITPOS", p + "ff", "0", "0"},
            {"BITPOS", p + "ff", "0", "0", "-1"}, {"BITPOS", p + "ff", "0", "0", "-1", "bit"}, {"BITPOS", p + "ff", "0", "3", "bit"},
            {"BITPOS", p + "ff", "0", "0", "23", "bit"}, {"BITPOS", p + "ff", "0", "2", "bit"},
            {"SET", p + "z", "\u0000\u0000\u0000"}, {"BITPOS", p + "z", "1"}, {"BITPOS", p + "z", "0"}, {"BITPOS", p + "z", "1", "1", "bit"},
            {"BITPOS", p + "z", "0", "9", "20", "bit"}, {"SET", p + "emp", ""}, {"BITPOS", p + "emp", "0"}, {"BITPOS", p + "emp", "1"},
            {"BITCOUNT", p + "emp"}, {"BITPOS", p + "emp", "0", "0", "-1"},
            {"BITOP", "foo", p + "d", k}, {"BITOP", "not", p + "d", k, p + "i"}, {"BITOP", "and", p + "d", p + "l"},
            {"BITOP", "and", p + "d", k, p + "l"}, {"BITOP", "or", p + "d", p + "nokey"}, {"EXISTS", p + "d"}, {"SET", p + "d", "x"},
            {"BITOP", "or", p + "d", p + "nokey", p + "nokey2"}, {"EXISTS", p + "d"}, {"SET", p + "d2", "v"}, {"EXPIRE", p + "d2", "100"},
            {"BITOP", "or", p + "d2", k}, {"TTL", p + "d2"}, {"OBJECT", "ENCODING", p + "d2"}, {"BITOP", "or", p + "l", k}, {"TYPE", p + "l"},
            {"BITOP", "xor", p + "big", p + "ff", p + "i", k}, {"GET", p + "big"},
            {"BITFIELD", k}, {"BITFIELD", p + "nokey"}, {"BITFIELD", p + "i", "GET", "u8", "0"}, {"RPUSH", p + "l2", "x"},
            {"BITFIELD", p + "l2"}, {"BITFIELD", p + "l2", "get", "u8", "0"}, {"BITFIELD_RO", k, "set", "u8", "0", "1"},
            {"BITFIELD_RO", k}, {"BITFIELD", k, "get", "u64", "0"}, {"BITFIELD", k, "get", "i65", "0"}, {"BITFIELD", k, "get", "x8", "0"},
            {"BITFIELD", k, "get", "I8", "0"}, {"BITFIELD", k, "get", "i0", "0"}, {"BITFIELD", k, "get", "i8", "-1"},
            {"BITFIELD", k, "get", "i8", "#-1"}, {"BITFIELD", k, "get", "i8", "##1"}, {"BITFIELD", k, "get", "i8"},
            {"BITFIELD", k, "set", "i8", "0"}, {"BITFIELD", k, "overflow"}, {"BITFIELD", k, "overflow", "foo"}, {"BITFIELD", k, "foo"},
            {"BITFIELD", k, "set", "i8", "0", "x"}, {"BITFIELD", k, "set", "u8", "#536870912", "1"}, {"BITFIELD", k, "get", "i64", "#1152921504606846976"},
            {"BITFIELD", k, "overflow", "fail", "incrby", "u2", "0", "5", "overflow", "sat", "incrby", "u2", "0", "5",
                "incrby", "i5", "10", "-100", "overflow", "wrap", "incrby", "i64", "0", "9223372036854775807",
                "incrby", "i64", "0", "9223372036854775807"},
            {"BITFIELD", k, "overflow", "sat", "set", "i8", "0", "1000", "set", "u8", "0", "-1", "overflow", "fail",
                "set", "i8", "0", "200", "set", "u8", "0", "-1"},
            {"GET", k}, {"BITFIELD", p + "nokey2", "get", "u8", "0"}, {"EXISTS", p + "nokey2"},
            {"BITFIELD", p + "nokey3", "set", "u8", "0", "0"}, {"GET", p + "nokey3"}, {"BITFIELD_RO", p + "i", "get", "u8", "0"},
            {"BITCOUNT", k, "0", "-1", "BIT"}, {"BITCOUNT", k, "5", "3", "bit"}, {"BITCOUNT", k, "-100", "100", "bit"},
            {"SETBIT"}, {"GETBIT", k}, {"BITOP", "and", p + "d"}, {"BITFIELD"}, {"BITPOS", k},
        };
        try (Lockstep run = new Lockstep(servers.magpie(), servers.redis(), protocol, "edge cases RESP" + protocol)) {
            for (String[] command : cases) {
                run.step(command);
            }
        }
    }
}
