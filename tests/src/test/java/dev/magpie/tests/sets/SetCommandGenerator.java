package dev.magpie.tests.sets;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random set commands over a few keys: members that are integers by Redis's rules and ones that
 * only look like it, so intsets widen, convert (the run lowers set-max-intset-entries) and meet
 * tables in every set operation; plus keys of the wrong type and bad arguments.
 */
final class SetCommandGenerator {
    private static final String[] MEMBERS = {
        "0", "1", "2", "3", "5", "8", "13", "-1", "-7", "100", "40000", "-40000", "3000000000", "-3000000000",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "007", "-0", "+1", " 1", "1.0",
        "", "a", "b", "c", "hello", "x".repeat(70),
    };
    private static final String[] COUNTS = {
        "0", "1", "2", "3", "5", "50", "-1", "-3", "-20", "abc", "-9223372036854775808", "1.5",
    };
    /** SPOP counts both servers answer alike: bad ones, zero, or more than any set holds. */
    private static final String[] SAFE_POP_COUNTS = {"0", "-1", "abc", "1.5", "-9223372036854775808", "1000"};
    private static final String[] PATTERNS = {"*", "1*", "-*", "?", "[a-c]", "*0*", ""};

    private final Random random;
    private final String prefix;

    SetCommandGenerator(long seed, String prefix) {
        this.random = new Random(seed);
        this.prefix = prefix;
    }

    String key(int index) {
        return prefix + index;
    }

    /** Keys 0-3 hold sets, key 4 a string, key 5 is a store destination that may be anything. */
    String randomKey() {
        int r = random.nextInt(20);
        return key(r == 0 ? 4 : r == 1 ? 5 : random.nextInt(4));
    }

    private String member() {
        return random.nextInt(3) == 0 ? Integer.toString(random.nextInt(60) - 10) : MEMBERS[random.nextInt(MEMBERS.length)];
    }

    private String pick(String[] pool) {
        return pool[random.nextInt(pool.length)];
    }

    private List<String> keys(int max) {
        List<String> keys = new ArrayList<>();
        int n = 1 + random.nextInt(max);
        for (int i = 0; i < n; i++) {
            keys.add(random.nextInt(12) == 0 ? prefix + "none" : randomKey());
        }
        return keys;
    }

    String[] next() {
        int pick = random.nextInt(100);
        String key = randomKey();
        List<String> args = new ArrayList<>();
        if (pick < 25) {
            args.add("SADD");
            args.add(key);
            int n = 1 + random.nextInt(random.nextInt(5) == 0 ? 15 : 3);
            for (int i = 0; i < n; i++) {
                args.add(member());
            }
        } else if (pick < 33) {
            args.add("SREM");
            args.add(key);
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                args.add(member());
            }
        } else if (pick < 36) {
            return new String[] {"SCARD", key};
        } else if (pick < 40) {
            return new String[] {"SISMEMBER", key, member()};
        } else if (pick < 43) {
            return new String[] {"SMISMEMBER", key, member(), member()};
        } else if (pick < 48) {
            return new String[] {"SMEMBERS", key};
        } else if (pick < 52) {
            return new String[] {"SMOVE", key, randomKey(), member()};
        } else if (pick < 70) {
            String[] names = {"SINTER", "SUNION", "SDIFF", "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"};
            String name = pick(names);
            args.add(name);
            if (name.endsWith("STORE")) {
                args.add(random.nextBoolean() ? key(5) : randomKey());
            }
            args.addAll(keys(4));
        } else if (pick < 75) {
            List<String> keys = keys(3);
            args.add("SINTERCARD");
            args.add(random.nextInt(15) == 0 ? pick(COUNTS) : Integer.toString(keys.size()));
            args.addAll(keys);
            if (random.nextBoolean()) {
                args.add("LIMIT");
                args.add(random.nextInt(5) == 0 ? pick(COUNTS) : Integer.toString(random.nextInt(4)));
            }
        } else if (pick < 83) {
            args.add("SRANDMEMBER");
            args.add(key);
            if (random.nextInt(4) != 0) {
                args.add(pick(COUNTS));
            }
        } else if (pick < 88) {
            // SPOP only where both servers must pop the same thing: everything, or a missing or bad count.
            args.add("SPOP");
            args.add(key);
            args.add(random.nextInt(3) == 0 ? pick(SAFE_POP_COUNTS) : "1000");
        } else if (pick < 94) {
            args.add("SSCAN");
            args.add(key);
            args.add(random.nextInt(10) == 0 ? pick(COUNTS) : "0");
            if (random.nextBoolean()) {
                args.add("MATCH");
                args.add(pick(PATTERNS));
            }
            if (random.nextBoolean()) {
                args.add("COUNT");
                args.add(random.nextInt(8) == 0 ? pick(COUNTS) : Integer.toString(1 + random.nextInt(20)));
            }
        } else if (pick < 96) {
            return new String[] {"DEL", key};
        } else if (pick < 98) {
            return new String[] {"SET", key(4), "text"};
        } else {
            return new String[] {random.nextBoolean() ? "SINTERSTORE" : "SADD", key};
        }
        return args.toArray(String[]::new);
    }
}
