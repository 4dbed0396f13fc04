package dev.magpie.tests.hashes;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random hash commands over a few keys, so that fields collide, hashes grow past the listpack
 * limits (the run lowers them) and shrink, values turn into numbers and back, and keys of the
 * wrong type and bad arguments come up.
 */
final class HashCommandGenerator {
    private static final String LONG = "L".repeat(70);
    private static final String[] FIELDS = {
        "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "", "1", "-1", "name", "x y", LONG, "f\u00e9",
    };
    private static final String[] VALUES = {
        "", "0", "1", "-1", "42", "007", "-0", "9223372036854775807", "-9223372036854775808", "1.5", "-2.25",
        "3.0e3", "1e300", "abc", "hello world", "v", LONG, "0x10", " 1",
    };
    private static final String[] INTEGERS = {
        "0", "1", "-1", "5", "100", "-100", "9223372036854775807", "-9223372036854775808", "1.5", "abc", "", "+1",
    };
    private static final String[] FLOATS = {
        "0", "0.1", "-0.1", "1.5", "3.0e3", "1e300", "-1e300", "1e4000", "inf", "-inf", "nan", "abc", "", "5.",
        "1.00000000000000000000001", "12345678901234567890",
    };
    private static final String[] COUNTS = {
        "0", "1", "2", "3", "5", "20", "-1", "-3", "-20", "abc", "-9223372036854775808", "9223372036854775807",
    };
    private static final String[] PATTERNS = {"*", "f*", "f[1-3]", "?", "*1*", "", "\\*", "[^f]*"};

    private final Random random;
    private final String prefix;

    HashCommandGenerator(long seed, String prefix) {
        this.random = new Random(seed);
        this.prefix = prefix;
    }

    String key(int index) {
        return prefix + index;
    }

    /** A key of this run: mostly hashes, key 4 holds a string for WRONGTYPE. */
    String randomKey() {
        return key(random.nextInt(10) == 0 ? 4 : random.nextInt(4));
    }

    private String pick(String[] pool) {
        return pool[random.nextInt(pool.length)];
    }

    private String field() {
        return random.nextInt(4) == 0 ? "g" + random.nextInt(40) : pick(FIELDS);
    }

    String[] next() {
        int pick = random.nextInt(100);
        String key = randomKey();
        if (pick < 22) {
            List<String> args = new ArrayList<>(List.of(random.nextInt(5) == 0 ? "HMSET" : "HSET", key));
            int pairs = 1 + random.nextInt(random.nextInt(6) == 0 ? 12 : 3);
            for (int i = 0; i < pairs; i++) {
                args.add(field());
                args.add(pick(VALUES));
            }
            if (random.nextInt(40) == 0) {
                args.remove(args.size() - 1); // odd: arity error
            }
            return args.toArray(String[]::new);
        }
        if (pick < 26) {
            return new String[] {"HSETNX", key, field(), pick(VALUES)};
        }
        if (pick < 33) {
            return new String[] {"HGET", key, field()};
        }
        if (pick < 36) {
            return new String[] {"HMGET", key, field(), field(), field()};
        }
        if (pick < 45) {
            List<String> args = new ArrayList<>(List.of("HDEL", key));
            int count = 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                args.add(field());
            }
            return args.toArray(String[]::new);
        }
        if (pick < 48) {
            return new String[] {"HLEN", key};
        }
        if (pick < 51) {
            return new String[] {"HSTRLEN", key, field()};
        }
        if (pick < 54) {
            return new String[] {"HEXISTS", key, field()};
        }
        if (pick < 61) {
            return new String[] {pick(new String[] {"HKEYS", "HVALS", "HGETALL"}), key};
        }
        if (pick < 68) {
            return new String[] {"HINCRBY", key, field(), pick(INTEGERS)};
        }
        if (pick < 74) {
            return new String[] {"HINCRBYFLOAT", key, field(), pick(FLOATS)};
        }
        if (pick < 82) {
            return hrandfield(key);
        }
        if (pick < 89) {
            return hscan(key);
        }
        if (pick < 92) {
            return new String[] {"DEL", key};
        }
        if (pick < 94) {
            return new String[] {"SET", key(4), "text"};
        }
        if (pick < 96) {
            return new String[] {"HGET", key};
        }
        return new String[] {"EXPIRE", key, "1000"};
    }

    private String[] hrandfield(String key) {
        return switch (random.nextInt(5)) {
            case 0 -> new String[] {"HRANDFIELD", key};
            case 1, 2 -> new String[] {"HRANDFIELD", key, pick(COUNTS)};
            case 3 -> new String[] {"HRANDFIELD", key, pick(COUNTS), "WITHVALUES"};
            default -> new String[] {"HRANDFIELD", key, pick(COUNTS), random.nextBoolean() ? "withvalues" : "nope"};
        };
    }

    private String[] hscan(String key) {
        List<String> args = new ArrayList<>(List.of("HSCAN", key, random.nextInt(10) == 0 ? pick(COUNTS) : "0"));
        if (random.nextBoolean()) {
            args.add("MATCH");
            args.add(pick(PATTERNS));
        }
        if (random.nextBoolean()) {
            args.add("COUNT");
            args.add(random.nextInt(8) == 0 ? pick(COUNTS) : Integer.toString(1 + random.nextInt(50)));
        }
        if (random.nextInt(20) == 0) {
            args.add("TYPE");
        }
        return args.toArray(String[]::new);
    }
}
