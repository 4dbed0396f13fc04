package dev.magpie.tests.lists;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random list commands over a few keys (one of them a string, for WRONGTYPE), so lists collide,
 * empty out and come back. Elements come from a small alphabet so LREM, LPOS and LINSERT find
 * matches, with now and then a long element or a burst of pushes that spans several nodes.
 * Indexes and counts include their edges and non-numbers; options come in odd orders and cases.
 * Blocking commands carry a 10 ms timeout, so they answer at once or time out on both servers.
 */
final class ListCommandGenerator {
    private static final String[] ELEMENTS = {"a", "b", "c", "", "12", "-0", "007", "a b", "A"};
    private static final String[] INDEXES = {
        "0", "1", "2", "3", "-1", "-2", "-3", "5", "10", "-10", "100", "-100",
        "9223372036854775807", "-9223372036854775808", "x", "1.5", "",
    };
    private static final String[] COUNTS = {"0", "1", "2", "3", "5", "-1", "-2", "100", "x", "-9223372036854775808"};
    private static final String[] SIDES = {"LEFT", "RIGHT", "left", "Right", "up"};

    private final Random random;
    private final String[] keys;
    private final String stringKey;

    ListCommandGenerator(long seed, String prefix, int keyCount) {
        this.random = new Random(seed);
        this.keys = new String[keyCount];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = prefix + i;
        }
        this.stringKey = prefix + "str";
    }

    String[] listKeys() {
        return keys;
    }

    String stringKey() {
        return stringKey;
    }

    private String key() {
        return random.nextInt(40) == 0 ? stringKey : keys[random.nextInt(keys.length)];
    }

    private String element() {
        int kind = random.nextInt(100);
        if (kind < 50) {
            return kind < 30 ? "a" : "b";
        }
        if (kind < 90) {
            return ELEMENTS[random.nextInt(ELEMENTS.length)];
        }
        char[] text = new char[kind < 98 ? 60 + random.nextInt(200) : 5000 + random.nextInt(5000)];
        Arrays.fill(text, (char) ('a' + random.nextInt(3)));
        return new String(text);
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private String index() {
        return random.nextInt(4) == 0 ? pick(INDEXES) : String.valueOf(random.nextInt(13) - 6);
    }

    List<String> next() {
        List<String> c = new ArrayList<>();
        int op = random.nextInt(100);
        if (op < 22) {
            c.add(pick(new String[] {"LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "lpush", "rpush"}));
            c.add(key());
            int n = random.nextInt(12) == 0 ? 20 + random.nextInt(120) : 1 + random.nextInt(4);
            for (int i = 0; i < n; i++) {
                c.add(element());
            }
        } else if (op < 34) {
            c.add(random.nextBoolean() ? "LPOP" : "RPOP");
            c.add(key());
            int shape = random.nextInt(5);
            if (shape >= 2) {
                c.add(pick(COUNTS));
            }
            if (shape == 4 && random.nextInt(4) == 0) {
                c.add("1");
            }
        } else if (op < 38) {
            c.add("LLEN");
            c.add(key());
        } else if (op < 46) {
            c.add("LRANGE");
            c.add(key());
            c.add(index());
            c.add(index());
        } else if (op < 50) {
            c.add("LINDEX");
            c.add(key());
            c.add(index());
        } else if (op < 54) {
            c.add("LSET");
            c.add(key());
            c.add(index());
            c.add(element());
        } else if (op < 58) {
            c.add("LINSERT");
            c.add(key());
            c.add(pick(new String[] {"BEFORE", "AFTER", "before", "after", "middle"}));
            c.add(element());
            c.add(element());
        } else if (op < 63) {
            c.add("LREM");
            c.add(key());
            c.add(random.nextInt(4) == 0 ? pick(COUNTS) : String.valueOf(random.nextInt(7) - 3));
            c.add(element());
        } else if (op < 67) {
            c.add("LTRIM");
            c.add(key());
            c.add(index());
            c.add(index());
        } else if (op < 73) {
            lpos(c);
        } else if (op < 80) {
            if (random.nextBoolean()) {
                c.addAll(List.of("LMOVE", key(), key(), pick(SIDES), pick(SIDES)));
            } else {
                c.addAll(List.of("RPOPLPUSH", key(), key()));
            }
        } else if (op < 86) {
            mpop(c, false);
        } else if (op < 90) {
            blocking(c);
        } else if (op < 93) {
            c.add(pick(new String[] {"TYPE", "EXISTS", "OBJECT"}));
            if (c.get(0).equals("OBJECT")) {
                c.add("ENCODING");
            }
            c.add(key());
        } else if (op < 95) {
            c.addAll(List.of("SET", stringKey, "text"));
        } else if (op < 97) {
            c.addAll(List.of("DEL", key()));
        } else {
            wrongArity(c);
        }
        return c;
    }

    private void lpos(List<String> c) {
        c.addAll(List.of("LPOS", key(), element()));
        int options = random.nextInt(4);
        for (int i = 0; i < options; i++) {
            switch (random.nextInt(5)) {
                case 0 -> c.addAll(List.of("RANK", random.nextInt(6) == 0 ? pick(INDEXES)
                        : String.valueOf(random.nextInt(7) - 3)));
                case 1 -> c.addAll(List.of("COUNT", random.nextInt(6) == 0 ? pick(COUNTS)
                        : String.valueOf(random.nextInt(4))));
                case 2 -> c.addAll(List.of("MAXLEN", random.nextInt(6) == 0 ? pick(COUNTS)
                        : String.valueOf(random.nextInt(6))));
                case 3 -> c.add(pick(new String[] {"rank", "count", "maxlen"}));
                default -> c.add("FOO");
            }
        }
    }

    private void mpop(List<String> c, boolean block) {
        c.add(block ? "BLMPOP" : "LMPOP");
        if (block) {
            c.add("0.01");
        }
        int n = 1 + random.nextInt(3);
        c.add(random.nextInt(15) == 0 ? pick(new String[] {"0", "-1", "x", "9223372036854775807", "5"}) : String.valueOf(n));
        for (int i = 0; i < n; i++) {
            c.add(key());
        }
        c.add(random.nextInt(12) == 0 ? "MIDDLE" : pick(SIDES).replace("up", "LEFT"));
        if (random.nextBoolean()) {
            c.add(random.nextInt(10) == 0 ? "count" : "COUNT");
            c.add(random.nextInt(8) == 0 ? pick(COUNTS) : String.valueOf(1 + random.nextInt(5)));
        }
        if (random.nextInt(15) == 0) {
            c.add("COUNT");
        }
    }

    private void blocking(List<String> c) {
        switch (random.nextInt(5)) {
            case 0, 1 -> {
                c.add(random.nextBoolean() ? "BLPOP" : "BRPOP");
                int n = 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    c.add(key());
                }
                c.add(random.nextInt(10) == 0 ? pick(new String[] {"-1", "x", "inf", "nan"}) : "0.01");
            }
            case 2 -> c.addAll(List.of("BLMOVE", key(), key(), pick(SIDES), pick(SIDES), "0.01"));
            case 3 -> c.addAll(List.of("BRPOPLPUSH", key(), key(), "0.01"));
            default -> mpop(c, true);
        }
    }

    private void wrongArity(List<String> c) {
        String[][] shapes = {{"LPUSH", key()}, {"LPOP"}, {"LRANGE", key(), "0"}, {"LINDEX", key()},
            {"LSET", key(), "0"}, {"LINSERT", key(), "BEFORE", "a"}, {"LMOVE", key(), key(), "LEFT"},
            {"BLPOP", key()}, {"LMPOP", "1"}, {"BLMPOP", "0", "1", key()}, {"LPOS", key()},
            {"RPOPLPUSH", key()}, {"BRPOPLPUSH", key(), key()}, {"LTRIM", key(), "0"}};
        c.addAll(Arrays.asList(shapes[random.nextInt(shapes.length)]));
    }
}
