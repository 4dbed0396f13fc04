package dev.magpie.tests.sort;

import dev.magpie.tests.bitmaps.Lockstep;
import dev.magpie.tests.support.OracleAndMagpie;
import dev.magpie.tests.support.Seeds;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * SORT and SORT_RO against a real redis-server over lists, integer sets, sets of strings and
 * sorted sets, with BY (string keys, hash fields, nosort), GET, LIMIT, ASC/DESC, ALPHA and
 * STORE (the stored list and its encoding compared too). Where Redis's order is not defined
 * (ties under ALPHA with BY, BY nosort over a hashtable set), the generated data avoids the
 * question rather than normalising the answer. Weights never overflow a double: Redis keeps a
 * stale ERANGE after one and then refuses every numeric SORT, which is not worth imitating.
 */
class SortDifferentialTest {
    private static final int COMMANDS_PER_SEED = 400;

    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie();

    private static long[] seeds(int protocol) {
        return Seeds.chosenOr("magpie.sort.seed", 1, 2, System.nanoTime() ^ protocol);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void randomSortsMatchRedis(int protocol) {
        for (long seed : seeds(protocol)) {
            String p = "r" + protocol + "s" + seed + ":";
            try (Lockstep run = new Lockstep(servers.magpie(), servers.redis(), protocol, "seed " + seed + " RESP" + protocol)) {
                Random random = new Random(seed);
                populate(run, random, p);
                for (int i = 0; i < COMMANDS_PER_SEED; i++) {
                    String[] command = sort(random, p);
                    run.step(command);
                    if (command[command.length - 2].equals("STORE")) {
                        run.step("LRANGE", command[command.length - 1], "0", "-1");
                        run.step("OBJECT", "ENCODING", command[command.length - 1]);
                        run.step("TYPE", command[command.length - 1]);
                    }
                }
                run.step("OBJECT", "ENCODING", p + "zset");
            }
        }
    }

    /**
     * A list of numbers (with repeats), a list of words, an intset, a set of strings, a sorted set,
     * and per element: a distinct weight key, a hash with a distinct field and a text field, and a
     * value key for GET (some elements lack them).
     */
    private static void populate(Lockstep run, Random random, String p) {
        Set<String> elements = new HashSet<>();
        List<String> numbers = new ArrayList<>(List.of("RPUSH", p + "nums"));
        for (int i = 0; i < 40; i++) {
            String n = random.nextInt(5) == 0 ? String.valueOf(random.nextInt(100) / 4.0) : String.valueOf(random.nextInt(200) - 100);
            numbers.add(n);
            elements.add(n);
        }
        run.step(numbers.toArray(String[]::new));
        List<String> words = new ArrayList<>(List.of("RPUSH", p + "words"));
        String[] vocabulary = {"apple", "Apple", "banana", "cherry", "10", "9", "", "zebra", "\u00e9clair", "a b", "apple2"};
        for (int i = 0; i < 30; i++) {
            String w = vocabulary[random.nextInt(vocabulary.length)] + (random.nextBoolean() ? "" : String.valueOf(i));
            words.add(w);
            elements.add(w);
        }
        run.step(words.toArray(String[]::new));
        List<String> ints = new ArrayList<>(List.of("SADD", p + "ints"));
        for (int i = 0; i < 50; i++) {
            String n = String.valueOf(random.nextInt(1000) - 500);
            ints.add(n);
            elements.add(n);
        }
        run.step(ints.toArray(String[]::new));
        List<String> strings = new ArrayList<>(List.of("SADD", p + "strs"));
        for (int i = 0; i < 30; i++) {
            String s = "m" + random.nextInt(1000);
            strings.add(s);
            elements.add(s);
        }
        run.step(strings.toArray(String[]::new));
        List<String> zset = new ArrayList<>(List.of("ZADD", p + "zset"));
        for (int i = 0; i < 25; i++) {
            String member = random.nextBoolean() ? String.valueOf(random.nextInt(300)) : "z" + i;
            zset.add(String.valueOf(random.nextInt(50)));
            zset.add(member);
            elements.add(member);
        }
        run.step(zset.toArray(String[]::new));
        run.step("RPUSH", p + "big", "1", "2");
        run.step("SADD", p + "hashset", "x", "y");
        int distinct = 0;
        for (String element : elements) {
            distinct++;
            if (random.nextInt(10) > 0) {
                run.step("SET", p + "w_" + element, String.valueOf(distinct * 7919 % 1000 + random.nextInt(1000) / 1000.0 + distinct * 1e-6));
            }
            if (random.nextInt(10) > 0) {
                run.step("HSET", p + "h_" + element, "f", String.valueOf(distinct * 31 % 997 + distinct * 1e-6), "t", "text:" + element);
            }
            if (random.nextBoolean()) {
                run.step("SET", p + "o_" + element, "obj:" + element);
            }
            run.step("SET", p + "u_" + element, String.valueOf(distinct * 104729 % 100000));
        }
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String[] sort(Random random, String p) {
        String source = pick(random, "nums", "words", "ints", "strs", "zset", "missing", "nums", "ints");
        boolean unordered = source.equals("strs") || source.equals("zset");
        List<String> args = new ArrayList<>(List.of(random.nextInt(5) == 0 ? "SORT_RO" : "SORT", p + source));
        boolean alpha = source.equals("words") || source.equals("strs") || (source.equals("zset") && random.nextBoolean())
                || random.nextInt(4) == 0;
        String by = null;
        switch (random.nextInt(5)) {
            case 0 -> by = p + "w_*";
            case 1 -> by = p + (alpha ? "h_*->t" : "h_*->f");
            case 2 -> by = unordered && !source.equals("zset") ? null : "nosort";
            case 3 -> by = p + "u_*";
            default -> by = null;
        }
        if (alpha && by != null && !by.equals("nosort")) {
            // ALPHA with BY leaves ties (missing weights) in an undefined order: use the complete distinct weights.
            by = p + "u_*";
        }
        if (by != null) {
            args.add("BY");
            args.add(by);
        }
        if (alpha) {
            args.add("ALPHA");
        }
        if (random.nextBoolean()) {
            args.add(pick(random, "ASC", "DESC", "desc"));
        }
        if (random.nextInt(3) == 0) {
            args.add("LIMIT");
            args.add(String.valueOf(random.nextInt(30) - 3));
            args.add(String.valueOf(random.nextInt(30) - 3));
        }
        int gets = random.nextInt(4) == 0 ? 0 : random.nextInt(3);
        for (int i = 0; i < gets; i++) {
            args.add("GET");
            args.add(pick(random, "#", p + "o_*", p + "h_*->t", p + "h_*->nope", p + "u_*", "nostar", p + "w_*->f"));
        }
        if (args.get(0).equals("SORT") && random.nextInt(4) == 0) {
            args.add("STORE");
            args.add(p + pick(random, "dest", "dest2"));
        }
        return args.toArray(String[]::new);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void edgeCasesMatchRedis(int protocol) {
        String p = "edge" + protocol + ":";
        String[][] cases = {
            {"RPUSH", p + "l", "3", "1", "2", "10", "-1.5", "1e3", "0x10", " 4"}, {"SORT", p + "l"}, {"SORT", p + "l", "DESC"},
            {"SORT", p + "l", "ALPHA"}, {"SORT", p + "l", "LIMIT", "1", "2"}, {"SORT", p + "l", "LIMIT", "-5", "2"},
            {"SORT", p + "l", "LIMIT", "2", "-1"}, {"SORT", p + "l", "LIMIT", "100", "5"}, {"SORT", p + "l", "LIMIT", "0", "0"},
            {"SORT", p + "l", "LIMIT", "9223372036854775807", "9223372036854775807"}, {"SORT", p + "l", "BY", "nosort", "DESC", "LIMIT", "1", "3"},
            {"RPUSH", p + "bad", "1", "x"}, {"SORT", p + "bad"}, {"SORT", p + "bad", "ALPHA"}, {"SORT", p + "bad", "BY", "nosort"},
            {"SORT", p + "bad", "STORE", p + "dst"}, {"EXISTS", p + "dst"},
            {"SORT", p + "missing"}, {"SORT", p + "missing", "STORE", p + "dst"}, {"SET", p + "dst", "x"},
            {"SORT", p + "missing", "STORE", p + "dst"}, {"EXISTS", p + "dst"},
            {"SET", p + "str", "x"}, {"EXPIRE", p + "str", "100"}, {"SORT", p + "str"}, {"SORT", p + "l", "STORE", p + "str"},
            {"TTL", p + "str"}, {"LRANGE", p + "str", "0", "-1"}, {"OBJECT", "ENCODING", p + "str"},
            {"SORT", p + "l", "foo"}, {"SORT", p + "l", "LIMIT", "a", "1"}, {"SORT", p + "l", "LIMIT", "1", "b"}, {"SORT", p + "l", "LIMIT", "1"},
            {"SORT", p + "l", "STORE"}, {"SORT_RO", p + "l", "STORE", p + "x"}, {"SORT", p + "l", "BY"}, {"SORT", p + "l", "GET"},
            {"SORT", p + "missing", "foo"}, {"SORT", p + "str", "foo"},
            {"SORT", p + "l", "GET", "#", "GET", "#"}, {"SORT", p + "l", "BY", "nosort", "GET", "nostar"},
            {"SORT", p + "l", "BY", p + "w_*", "BY", "nosort"}, {"SORT", p + "l", "BY", "nosort", "BY", p + "w_*"},
            {"SET", p + "w_3", "-1"}, {"SET", p + "w_10", ""}, {"SET", p + "w_2", "abc"}, {"SORT", p + "l", "BY", p + "w_*"},
            {"SET", p + "w_2", "0.5"}, {"SORT", p + "l", "BY", p + "w_*"}, {"SORT", p + "l", "BY", p + "w_*", "ALPHA"},
            {"HSET", p + "h_1", "f", "x"}, {"SORT", p + "l", "BY", p + "h_*->f", "GET", p + "h_*->f", "GET", p + "h_*->", "ALPHA"},
            {"SADD", p + "is", "5", "-3", "12", "0"}, {"SORT", p + "is", "BY", "nosort"}, {"SORT", p + "is", "BY", "nosort", "DESC"},
            {"SORT", p + "is", "BY", "nosort", "STORE", p + "d3"}, {"LRANGE", p + "d3", "0", "-1"},
            {"SADD", p + "hs", "b", "a", "c"}, {"SORT", p + "hs", "BY", "nosort", "STORE", p + "d4"}, {"LRANGE", p + "d4", "0", "-1"},
            {"ZADD", p + "z", "3", "c", "1", "a", "2", "b"}, {"OBJECT", "ENCODING", p + "z"}, {"SORT", p + "z", "BY", "nosort"},
            {"OBJECT", "ENCODING", p + "z"}, {"SORT", p + "z", "BY", "nosort", "DESC", "LIMIT", "1", "5"}, {"SORT", p + "z", "ALPHA", "DESC"},
            {"HSET", p + "hash", "a", "1"}, {"SORT", p + "hash"},
            {"RPUSH", p + "nul", "b\u0000z", "b\u0000a", "a"}, {"SORT", p + "nul", "ALPHA", "STORE", p + "d5"}, {"LRANGE", p + "d5", "0", "-1"},
            {"COMMAND", "GETKEYS", "SORT", p + "l", "STORE", p + "d", "GET", "x", "LIMIT", "1", "2"},
            {"COMMAND", "GETKEYS", "SORT", p + "l", "STORE", p + "d", "STORE", p + "e"}, {"COMMAND", "GETKEYS", "SORT_RO", p + "l"},
            {"SORT"}, {"SORT_RO"},
        };
        try (Lockstep run = new Lockstep(servers.magpie(), servers.redis(), protocol, "edge cases RESP" + protocol)) {
            for (String[] command : cases) {
                run.step(command);
            }
        }
    }
}
