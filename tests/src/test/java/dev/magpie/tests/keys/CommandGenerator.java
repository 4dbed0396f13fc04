package dev.magpie.tests.keys;

import dev.magpie.tests.keys.KeyExpiryDifferentialTest.Compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random key, expiry and string commands over a small pool of key names, so commands keep
 * meeting existing keys, expire times, other databases and glob-special characters. The same
 * seed and start time always give the same sequence.
 */
final class CommandGenerator {
    /** One generated command and how its replies are compared; a null comparison means "scan it whole". */
    record Command(String[] args, Compare compare) {
    }

    private static final String[] KEYS = {
        "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11",
        "hello", "hallo", "h?llo", "a*b", "[x]", "ab\\c", "", "{tag}1", "{tag}2", "num", "big",
    };
    private static final String[] PATTERNS = {
        "*", "**", "k*", "k?", "k1?", "h?llo", "h[ae]llo", "h[^e]llo", "*[0-9]", "a\\*b", "[^k]*", "\\[x]",
        "nomatch*", "{tag}*", "*l*", "?", "", "[a-h]*", "ab\\\\c", "*1",
    };
    private static final String[] VALUES = {
        "0", "1", "42", "9999", "10000", "-5", "123456789012", "007", " 12", "v", "value", "",
        "a fairly long string value that is past forty-four bytes for sure", "3.14", "ünïcødé",
    };
    private static final String[] TYPES = {"string", "STRING", "none", "list", "hash", "zset", "bogus"};
    private static final String[] BAD_NUMBERS = {"abc", "1.5", "", " 1", "9223372036854775808"};
    private static final String[] DB_INDEXES = {"0", "1", "1", "2", "16", "-1", "x", "2147483648"};

    private final Random random;
    /** Every relative TTL is distinct: the n-th is 1000 + 100 n seconds. */
    private long nextRelative;
    private final long absoluteBaseSeconds;

    CommandGenerator(long seed, long nowMillis) {
        this.random = new Random(seed);
        // Months ahead, whole seconds, so absolute times never come near any relative one.
        this.absoluteBaseSeconds = nowMillis / 1000 + 10_000_000;
    }

    Command next() {
        int pick = random.nextInt(100);
        if (pick < 12) {
            return set();
        }
        if (pick < 15) {
            return exact("GET", key());
        }
        if (pick < 18) {
            return exact("MSET", key(), value(), key(), value());
        }
        if (pick < 22) {
            return exact(random.nextBoolean() ? "DEL" : "UNLINK", keys(1 + random.nextInt(3)));
        }
        if (pick < 25) {
            return exact("EXISTS", keys(1 + random.nextInt(4)));
        }
        if (pick < 27) {
            return exact("TOUCH", keys(1 + random.nextInt(3)));
        }
        if (pick < 30) {
            return exact("TYPE", key());
        }
        if (pick < 33) {
            return new Command(new String[] {"KEYS", pick(PATTERNS)}, Compare.AS_SET);
        }
        if (pick < 36) {
            return scan();
        }
        if (pick < 38) {
            return new Command(new String[] {"RANDOMKEY"}, Compare.RANDOM_KEY);
        }
        if (pick < 42) {
            String source = key();
            return exact(random.nextBoolean() ? "RENAME" : "RENAMENX", source, random.nextInt(6) == 0 ? source : key());
        }
        if (pick < 46) {
            return copy();
        }
        if (pick < 49) {
            return exact("MOVE", key(), pick(DB_INDEXES));
        }
        if (pick < 66) {
            return expire();
        }
        if (pick < 76) {
            String[] reads = {"TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"};
            String command = pick(reads);
            return new Command(new String[] {command, key()}, command.startsWith("P") ? Compare.MILLIS : Compare.SECONDS);
        }
        if (pick < 80) {
            return exact("PERSIST", key());
        }
        if (pick < 86) {
            return object();
        }
        if (pick < 90) {
            return exact("SELECT", random.nextInt(4) == 0 ? "1" : "0");
        }
        if (pick < 93) {
            return exact("DBSIZE");
        }
        if (pick < 94 && random.nextInt(10) == 0) {
            return exact("FLUSHDB");
        }
        return wrongArity();
    }

    private Command set() {
        List<String> args = new ArrayList<>(List.of("SET", key(), value()));
        switch (random.nextInt(9)) {
            case 0 -> args.addAll(List.of("EX", String.valueOf(relativeSeconds())));
            case 1 -> args.addAll(List.of("PX", String.valueOf(relativeSeconds() * 1000)));
            case 2 -> args.addAll(List.of("EXAT", String.valueOf(absoluteSeconds())));
            case 3 -> args.addAll(List.of("PXAT", String.valueOf(absoluteMillis())));
            case 4 -> args.add("KEEPTTL");
            case 5 -> args.add(random.nextBoolean() ? "NX" : "XX");
            case 6 -> args.addAll(List.of("EX", pick(new String[] {"0", "-1", "abc"})));
            default -> {
            }
        }
        return exact(args.toArray(String[]::new));
    }

    private Command expire() {
        String[] commands = {"EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"};
        String command = pick(commands);
        boolean millis = command.startsWith("P");
        boolean absolute = command.endsWith("AT");
        String time;
        int kind = random.nextInt(10);
        if (kind < 5) {
            long seconds = absolute ? absoluteSeconds() : relativeSeconds();
            time = String.valueOf(millis ? (absolute ? absoluteMillis() : seconds * 1000) : seconds);
        } else if (kind < 7) {
            // Already past: deletes the key (if the options let the command through).
            time = absolute ? pick(new String[] {"0", "1", "100", "-5"}) : pick(new String[] {"0", "-1", "-100"});
        } else if (kind < 8) {
            time = pick(new String[] {"9223372036854775807", "-9223372036854775808", "92233720368547758",
                "9223372036854775", "9223370000000000000"});
        } else if (kind < 9) {
            time = pick(BAD_NUMBERS);
        } else {
            time = String.valueOf(absolute ? absoluteSeconds() : relativeSeconds());
        }
        List<String> args = new ArrayList<>(List.of(command, key(), time));
        String[] options = {"NX", "XX", "GT", "LT", "nx", "gt"};
        for (int n = random.nextInt(4) == 0 ? random.nextInt(3) + 1 : random.nextInt(2); n > 0; n--) {
            args.add(random.nextInt(30) == 0 ? "FOO" : pick(options));
        }
        return exact(args.toArray(String[]::new));
    }

    private Command scan() {
        List<String> args = new ArrayList<>(List.of("SCAN", random.nextInt(15) == 0
                ? pick(new String[] {"abc", "-", " 1", "18446744073709551616", "1x"}) : "0"));
        if (random.nextBoolean()) {
            args.addAll(List.of("MATCH", pick(PATTERNS)));
        }
        if (random.nextBoolean()) {
            args.addAll(List.of("COUNT", random.nextInt(12) == 0 ? pick(new String[] {"0", "-1", "x"})
                    : String.valueOf(1 + random.nextInt(20))));
        }
        if (random.nextInt(3) == 0) {
            args.addAll(List.of("TYPE", pick(TYPES)));
        }
        if (random.nextInt(20) == 0) {
            args.add(pick(new String[] {"MATCH", "COUNT", "BOGUS"}));
        }
        return new Command(args.toArray(String[]::new), null);
    }

    private Command copy() {
        List<String> args = new ArrayList<>(List.of("COPY", key(), random.nextInt(6) == 0 ? "k0" : key()));
        if (random.nextInt(3) == 0) {
            args.addAll(List.of("DB", pick(DB_INDEXES)));
        }
        if (random.nextBoolean()) {
            args.add("REPLACE");
        }
        if (random.nextInt(15) == 0) {
            args.add(pick(new String[] {"DB", "BOGUS"}));
        }
        return exact(args.toArray(String[]::new));
    }

    private Command object() {
        int pick = random.nextInt(12);
        if (pick < 6) {
            return exact("OBJECT", "ENCODING", key());
        }
        if (pick < 8) {
            return exact("OBJECT", "FREQ", key());
        }
        if (pick < 10) {
            return new Command(new String[] {"OBJECT", "IDLETIME", key()}, Compare.ANY_INTEGER);
        }
        if (pick < 11) {
            return exact("OBJECT", "HELP");
        }
        return exact("OBJECT", pick(new String[] {"BOGUS", "encoding"}));
    }

    private Command wrongArity() {
        String[][] wrong = {
            {"DEL"}, {"EXISTS"}, {"TYPE"}, {"TYPE", "a", "b"}, {"KEYS"}, {"SCAN"}, {"RANDOMKEY", "x"},
            {"RENAME", "a"}, {"COPY", "a"}, {"MOVE", "a"}, {"TOUCH"}, {"EXPIRE", "a"}, {"PEXPIREAT", "a"},
            {"TTL"}, {"PTTL", "a", "b"}, {"PERSIST"}, {"OBJECT"}, {"OBJECT", "ENCODING"}, {"OBJECT", "HELP", "x"},
            {"EXPIRETIME"}, {"UNLINK"}, {"RENAMENX", "a", "b", "c"},
        };
        return exact(wrong[random.nextInt(wrong.length)]);
    }

    private long relativeSeconds() {
        return 1000 + 100 * nextRelative++;
    }

    private long absoluteSeconds() {
        return absoluteBaseSeconds + 1000L * random.nextInt(50);
    }

    private long absoluteMillis() {
        return absoluteSeconds() * 1000 + 7L * random.nextInt(3);
    }

    private String key() {
        return pick(KEYS);
    }

    private String[] keys(int count) {
        String[] keys = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = key();
        }
        return keys;
    }

    private String value() {
        return random.nextInt(3) == 0 ? String.valueOf(random.nextInt(20_000)) : pick(VALUES);
    }

    private String pick(String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static Command exact(String... args) {
        return new Command(args, Compare.EXACT);
    }

    private static Command exact(String first, String[] rest) {
        String[] args = new String[rest.length + 1];
        args[0] = first;
        System.arraycopy(rest, 0, args, 1, rest.length);
        return new Command(args, Compare.EXACT);
    }
}
