package dev.magpie.tests.zsets;

import dev.magpie.tests.support.OracleAndMagpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.RecentCommands;
import dev.magpie.tests.support.Resp;
import dev.magpie.tests.support.Seeds;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The sorted set family against a real redis-server: seeded random command sequences over a few
 * keys (small sets that stay listpacks and large ones that convert, lowered thresholds included)
 * and a list of edge cases, in RESP2 and RESP3, replies compared byte for byte and OBJECT ENCODING
 * compared after each write. Sorted sets are fully ordered, so only commands that are random by
 * nature (ZRANDMEMBER with a small count, ZSCAN of a large set) are left out of the random mix.
 * Rerun one seed with {@code -Dmagpie.zsets.seed=N}.
 */
class SortedSetDifferentialTest {
    private static final int COMMANDS_PER_SEED = 2500;
    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie();

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void randomSequencesMatchRedis(int protocol) {
        for (long seed : Seeds.chosenOr("magpie.zsets.seed", 1, 2, 3, System.nanoTime() ^ protocol)) {
            try (Run run = new Run(seed, protocol)) {
                Generator generator = new Generator(seed, "z" + seed + "p" + protocol + ":");
                for (int i = 0; i < COMMANDS_PER_SEED; i++) {
                    run.step(generator.next());
                }
                for (String key : generator.keys) {
                    run.step(List.of("ZRANGE", key, "0", "-1", "WITHSCORES"));
                }
            }
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void lowThresholdsConvertLikeRedis(int protocol) {
        try (Run run = new Run(7, protocol)) {
            run.step(List.of("CONFIG", "SET", "zset-max-listpack-entries", "4"));
            run.step(List.of("CONFIG", "SET", "zset-max-listpack-value", "8"));
            try {
                Generator generator = new Generator(7, "low" + protocol + ":");
                for (int i = 0; i < 1500; i++) {
                    run.step(generator.next());
                }
            } finally {
                run.step(List.of("CONFIG", "SET", "zset-max-listpack-entries", "128"));
                run.step(List.of("CONFIG", "SET", "zset-max-listpack-value", "64"));
            }
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void edgeCasesMatchRedis(int protocol) {
        String p = "edge" + protocol + ":";
        String[][] cases = {
            {"ZADD", p + "a", "1.1", "a", "2", "b", "-0", "c", "0x10", "h", "1e-310", "s", ".5", "f", "5.", "g"},
            {"ZRANGE", p + "a", "0", "-1", "WITHSCORES"}, {"ZSCORE", p + "a", "c"}, {"ZADD", p + "a", "INCR", "-0", "z"},
            {"ZADD", p + "a", "1e300", "big", "123456789012345678", "huge", "inf", "i", "-inf", "ni"},
            {"ZINCRBY", p + "a", "1", "i"}, {"ZINCRBY", p + "a", "-inf", "i"}, {"ZADD", p + "a", "nan", "x"},
            {"ZADD", p + "a", " 1", "x"}, {"ZADD", p + "a", "1 ", "x"}, {"ZADD", p + "a", "1e400", "x"},
            {"ZADD", p + "a", "1e-400", "x"}, {"ZADD", p + "a", "", "x"}, {"ZADD", p + "a", "1", "a", "2"},
            {"ZADD", p + "a", "NX", "XX", "1", "a"}, {"ZADD", p + "a", "GT", "LT", "1", "a"},
            {"ZADD", p + "a", "NX", "GT", "1", "a"}, {"ZADD", p + "a", "INCR", "1", "a", "2", "b"},
            {"ZADD", p + "a", "XX", "INCR", "1", "nosuch"}, {"ZADD", p + "a", "GT", "INCR", "-1", "a"},
            {"ZADD", p + "a", "CH", "GT", "5", "a", "0", "b", "7", "new"}, {"ZADD", p + "nokey", "XX", "1", "a"},
            {"ZSCAN", p + "a", "0"}, {"ZSCAN", p + "a", "0", "MATCH", "*i*", "COUNT", "1"}, {"ZSCAN", p + "a", "x"},
            {"ZSCAN", p + "a", "0", "COUNT", "0"}, {"ZSCAN", p + "a", "0", "TYPE", "zset"}, {"ZSCAN", p + "no", "0"},
            {"ZRANGEBYSCORE", p + "a", "", ""}, {"ZRANGEBYSCORE", p + "a", " 5", "1e400"}, {"ZRANGEBYSCORE", p + "a", "(", "+inf"},
            {"ZRANGEBYSCORE", p + "a", "-inf", "(inf", "WITHSCORES", "LIMIT", "1", "-1"}, {"ZRANGEBYSCORE", p + "a", "nan", "1"},
            {"ZRANGEBYSCORE", p + "a", "-inf", "+inf", "LIMIT", "-1", "5"}, {"ZRANGEBYSCORE", p + "a", "-inf", "+inf", "LIMIT", "100", "5"},
            {"ZRANGE", p + "a", "0", "-1", "LIMIT", "0", "1"}, {"ZRANGE", p + "a", "0", "-1", "LIMIT", "0", "-1"},
            {"ZRANGE", p + "a", "-", "+", "BYLEX", "WITHSCORES"}, {"ZRANGE", p + "a", "a", "b", "BYLEX"},
            {"ZRANGE", p + "a", "x", "1", "BYSCORE"}, {"ZRANGE", p + "a", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2"},
            {"ZRANGE", p + "a", "0", "1", "REV", "REV"}, {"ZRANGE", p + "a", "0", "1", "BYSCORE", "BYLEX"},
            {"ZREVRANGE", p + "a", "0", "2", "REV"}, {"ZRANGEBYSCORE", p + "a", "0", "1", "BYSCORE"},
            {"ZRANGESTORE", p + "d", p + "a", "0", "-1", "WITHSCORES"}, {"ZRANGESTORE", p + "d", p + "a", "1", "3"},
            {"ZRANGESTORE", p + "d", p + "missing", "0", "-1"}, {"EXISTS", p + "d"},
            {"ZPOPMIN", p + "a", "-1"}, {"ZPOPMIN", p + "a", "0"}, {"ZPOPMIN", p + "a", "x"}, {"ZPOPMIN", p + "a", "1", "2"},
            {"ZPOPMAX", p + "a"}, {"ZPOPMAX", p + "a", "2"}, {"ZPOPMIN", p + "nokey", "3"},
            {"ZMPOP", "0", p + "a", "MIN"}, {"ZMPOP", "x", p + "a", "MIN"}, {"ZMPOP", "1", p + "a"}, {"ZMPOP", "1", p + "a", "MID"},
            {"ZMPOP", "1", p + "a", "MIN", "COUNT", "0"}, {"ZMPOP", "1", p + "a", "MIN", "COUNT", "2", "COUNT", "2"},
            {"ZMPOP", "2", p + "nokey", p + "a", "MAX", "COUNT", "2"}, {"ZMPOP", "1", p + "nokey", "MAX"},
            {"BZPOPMIN", p + "a", "-1"}, {"BZPOPMIN", p + "a", "abc"}, {"BZPOPMIN", p + "a", "0.01"},
            {"BZMPOP", "0.01", "1", p + "a", "MIN", "COUNT", "2"}, {"BZMPOP", "x", "1", p + "a", "MIN"},
            {"ZRANDMEMBER", p + "a", "100", "WITHSCORES"}, {"ZRANDMEMBER", p + "a", "0"}, {"ZRANDMEMBER", p + "a", "1", "2"},
            {"ZRANDMEMBER", p + "a", "-9223372036854775808"}, {"ZRANDMEMBER", p + "a", "9223372036854775807", "WITHSCORES"},
            {"ZRANDMEMBER", p + "nokey"}, {"ZRANDMEMBER", p + "nokey", "5"},
            {"ZADD", p + "q", "1.5", "a"}, {"ZADD", p + "q2", "1e308", "a", "2", "b"},
            {"ZUNIONSTORE", p + "u", "2", p + "q", p + "q", "WEIGHTS", "inf", "-inf"}, {"ZRANGE", p + "u", "0", "-1", "WITHSCORES"},
            {"ZINTERSTORE", p + "u", "2", p + "q", p + "q2", "WEIGHTS", "inf", "-inf"},
            {"ZUNION", "2", p + "q2", p + "q2", "WEIGHTS", "1e308", "1e308", "WITHSCORES"},
            {"ZUNIONSTORE", p + "u", "2", p + "q", p + "q", "WEIGHTS", "1", "x"}, {"ZUNIONSTORE", p + "u", "0", p + "q"},
            {"ZUNIONSTORE", p + "u", "3", p + "q"}, {"ZINTER", "1", p + "q", "WEIGHTS", "2", "WITHSCORES"},
            {"ZDIFF", "1", p + "q", "WEIGHTS", "2"}, {"ZDIFF", "2", p + "q2", p + "q", "WITHSCORES"},
            {"ZINTERCARD", "1", p + "q", "LIMIT", "-1"}, {"ZINTERCARD", "0", p + "q"}, {"ZINTERCARD", "2", p + "q", p + "q2", "LIMIT", "0"},
            {"ZUNION", "1", p + "q", "AGGREGATE", "foo"}, {"ZUNION", "1", p + "q", "AGGREGATE"},
            {"ZUNIONSTORE", p + "u", "1", p + "nokey"}, {"EXISTS", p + "u"},
            {"SADD", p + "set", "a", "b", "7"}, {"ZUNION", "2", p + "set", p + "q", "WITHSCORES", "AGGREGATE", "MAX"},
            {"ZINTER", "2", p + "set", p + "q2", "WITHSCORES"}, {"ZDIFF", "2", p + "set", p + "q"},
            {"SET", p + "str", "x"}, {"ZADD", p + "str", "1", "a"}, {"ZUNION", "2", p + "q", p + "str"},
            {"ZRANGE", p + "str", "0", "-1"}, {"ZCARD", p + "str"}, {"ZSCORE", p + "str", "a"},
            {"ZADD", p + "lex", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e"},
            {"ZRANGEBYLEX", p + "lex", "[b", "(e"}, {"ZREVRANGEBYLEX", p + "lex", "+", "-", "LIMIT", "1", "2"},
            {"ZLEXCOUNT", p + "lex", "(a", "[d"}, {"ZLEXCOUNT", p + "lex", "-", "-"}, {"ZLEXCOUNT", p + "lex", "+", "-"},
            {"ZRANGEBYLEX", p + "lex", "", "+"}, {"ZRANGEBYLEX", p + "lex", "-x", "+"}, {"ZRANGEBYLEX", p + "lex", "[", "(c"},
            {"ZREMRANGEBYLEX", p + "lex", "[b", "[c"}, {"ZREMRANGEBYRANK", p + "lex", "-1", "-1"},
            {"ZREMRANGEBYSCORE", p + "lex", "(0", "1"}, {"ZREMRANGEBYSCORE", p + "lex", "x", "1"},
            {"ZRANGE", p + "lex", "0", "-1"}, {"ZMSCORE", p + "lex", "a", "zz"}, {"ZMSCORE", p + "nokey", "a"},
            {"ZRANK", p + "lex", "a"}, {"ZREVRANK", p + "lex", "a"}, {"ZRANK", p + "lex", "zz"},
        };
        try (Run run = new Run(0, protocol)) {
            for (String[] command : cases) {
                run.step(List.of(command));
            }
        }
    }

    /** Random sorted-set commands over a few keys; members and scores from small pools so they collide. */
    static final class Generator {
        private final Random random;
        final List<String> keys = new ArrayList<>();
        private static final String[] SCORES = {"0", "1", "-1", "2.5", "1.1", "0.1", "-0", "3", "10", "1e17",
            "123456789012345678", "-2.25", "inf", "-inf", "7", "1e-5", "(1", "nan"};

        /** Lex ranges are only defined over equal scores: they go to this key, whose scores are all 0. */
        final String lexKey;

        Generator(long seed, String prefix) {
            random = new Random(seed);
            lexKey = prefix + "lex";
            for (int i = 0; i < 4; i++) {
                keys.add(prefix + "k" + i);
            }
            keys.add(prefix + "big");
        }

        private String key() {
            return keys.get(random.nextInt(keys.size()));
        }

        private String member() {
            int r = random.nextInt(100);
            if (r < 3) {
                return "long-member-" + "x".repeat(60 + random.nextInt(10));
            }
            return "m" + random.nextInt(r < 70 ? 30 : 300);
        }

        private String score() {
            if (random.nextInt(3) == 0) {
                return Integer.toString(random.nextInt(40) - 10);
            }
            String s = SCORES[random.nextInt(SCORES.length - 2)];
            return s;
        }

        private String bound() {
            int r = random.nextInt(10);
            if (r == 0) {
                return "-inf";
            }
            if (r == 1) {
                return "+inf";
            }
            String s = Integer.toString(random.nextInt(30) - 10);
            return random.nextBoolean() ? "(" + s : s;
        }

        private String lexBound() {
            int r = random.nextInt(8);
            if (r == 0) {
                return "-";
            }
            if (r == 1) {
                return "+";
            }
            return (random.nextBoolean() ? "[" : "(") + "m" + random.nextInt(30);
        }

        /** Commands over the equal-score key: adds (growing it past the listpack limit), removals, lex ranges. */
        private List<String> nextLex() {
            String key = lexKey;
            List<String> c = new ArrayList<>();
            int pick = random.nextInt(10);
            if (pick < 4) {
                c.addAll(List.of("ZADD", key));
                int n = 1 + random.nextInt(20);
                for (int i = 0; i < n; i++) {
                    c.add("0");
                    c.add(member());
                }
            } else if (pick < 5) {
                c.addAll(List.of("ZREM", key, member(), member()));
            } else if (pick < 7) {
                String[] names = {"ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZRANGE"};
                String name = names[random.nextInt(names.length)];
                c.addAll(List.of(name, key, lexBound(), lexBound()));
                if (name.equals("ZRANGE")) {
                    c.add("BYLEX");
                    if (random.nextBoolean()) {
                        c.add("REV");
                    }
                }
                if (random.nextInt(3) == 0) {
                    c.addAll(List.of("LIMIT", Integer.toString(random.nextInt(5) - 1), Integer.toString(random.nextInt(6) - 1)));
                }
            } else if (pick < 8) {
                c.addAll(List.of("ZLEXCOUNT", key, lexBound(), lexBound()));
            } else if (pick < 9) {
                c.addAll(List.of("ZREMRANGEBYLEX", key, lexBound(), lexBound()));
            } else {
                c.addAll(List.of("ZRANGESTORE", key() , key, lexBound(), lexBound(), "BYLEX"));
            }
            return c;
        }

        private String index() {
            return Integer.toString(random.nextInt(20) - 8);
        }

        List<String> next() {
            if (random.nextInt(7) == 0) {
                return nextLex();
            }
            String key = key();
            int pick = random.nextInt(100);
            List<String> c = new ArrayList<>();
            if (pick < 22) {
                c.add("ZADD");
                c.add(key);
                String[] flags = {"NX", "XX", "GT", "LT", "CH", "INCR"};
                if (random.nextInt(4) == 0) {
                    c.add(flags[random.nextInt(flags.length)]);
                }
                if (random.nextInt(8) == 0) {
                    c.add(flags[random.nextInt(flags.length)]);
                }
                int n = key.endsWith("big") ? 1 + random.nextInt(30) : 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    c.add(score());
                    c.add(key.endsWith("big") ? "b" + random.nextInt(400) : member());
                }
            } else if (pick < 27) {
                c.addAll(List.of("ZINCRBY", key, score(), member()));
            } else if (pick < 32) {
                c.addAll(List.of("ZREM", key, member(), member()));
            } else if (pick < 35) {
                c.addAll(List.of(random.nextBoolean() ? "ZCARD" : "ZSCORE", key));
                if (c.get(0).equals("ZSCORE")) {
                    c.add(member());
                }
            } else if (pick < 38) {
                c.addAll(List.of("ZMSCORE", key, member(), member()));
            } else if (pick < 42) {
                c.addAll(List.of(random.nextBoolean() ? "ZRANK" : "ZREVRANK", key, member()));
            } else if (pick < 52) {
                c.addAll(List.of("ZRANGE", key));
                int kind = random.nextInt(3);
                if (kind == 0) {
                    c.add(index());
                    c.add(index());
                } else if (kind == 1) {
                    c.add(bound());
                    c.add(bound());
                    c.add("BYSCORE");
                } else {
                    c.add(index());
                    c.add(index());
                }
                if (random.nextInt(3) == 0) {
                    c.add("REV");
                }
                if (kind != 2 && random.nextBoolean()) {
                    c.add("WITHSCORES");
                }
                if (kind != 0 && random.nextInt(3) == 0) {
                    c.addAll(List.of("LIMIT", Integer.toString(random.nextInt(5) - 1), Integer.toString(random.nextInt(6) - 1)));
                }
            } else if (pick < 56) {
                String[] legacy = {"ZRANGEBYSCORE", "ZREVRANGEBYSCORE", "ZREVRANGE"};
                String name = legacy[random.nextInt(legacy.length)];
                c.addAll(List.of(name, key));
                if (name.contains("LEX")) {
                    c.add(lexBound());
                    c.add(lexBound());
                } else if (name.equals("ZREVRANGE")) {
                    c.add(index());
                    c.add(index());
                    c.add("WITHSCORES");
                } else {
                    c.add(bound());
                    c.add(bound());
                    if (random.nextBoolean()) {
                        c.add("WITHSCORES");
                    }
                }
            } else if (pick < 60) {
                c.addAll(List.of("ZCOUNT", key, bound(), bound()));
            } else if (pick < 62) {
                c.addAll(List.of("ZCOUNT", key, bound(), bound()));
            } else if (pick < 66) {
                int kind = random.nextInt(2);
                if (kind == 0) {
                    c.addAll(List.of("ZREMRANGEBYRANK", key, index(), index()));
                } else {
                    c.addAll(List.of("ZREMRANGEBYSCORE", key, bound(), bound()));
                }
            } else if (pick < 72) {
                c.addAll(List.of(random.nextBoolean() ? "ZPOPMIN" : "ZPOPMAX", key));
                if (random.nextBoolean()) {
                    c.add(Integer.toString(random.nextInt(4)));
                }
            } else if (pick < 75) {
                c.addAll(List.of("ZMPOP", "2", key, key(), random.nextBoolean() ? "MIN" : "MAX"));
                if (random.nextBoolean()) {
                    c.addAll(List.of("COUNT", Integer.toString(1 + random.nextInt(3))));
                }
            } else if (pick < 77) {
                c.addAll(List.of(random.nextBoolean() ? "BZPOPMIN" : "BZPOPMAX", key, key(), "0.001"));
                if (random.nextBoolean()) {
                    c.remove(2);
                }
            } else if (pick < 85) {
                String[] ops = {"ZUNION", "ZINTER", "ZDIFF", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE", "ZINTERCARD"};
                String op = ops[random.nextInt(ops.length)];
                c.add(op);
                if (op.endsWith("STORE")) {
                    c.add(key());
                }
                int n = 1 + random.nextInt(3);
                c.add(Integer.toString(n));
                for (int i = 0; i < n; i++) {
                    c.add(key());
                }
                if (!op.startsWith("ZDIFF") && !op.equals("ZINTERCARD")) {
                    if (random.nextBoolean()) {
                        c.add("WEIGHTS");
                        for (int i = 0; i < n; i++) {
                            c.add(random.nextBoolean() ? "1" : score());
                        }
                    }
                    if (random.nextBoolean()) {
                        c.addAll(List.of("AGGREGATE", new String[] {"SUM", "MIN", "MAX"}[random.nextInt(3)]));
                    }
                }
                if (!op.endsWith("STORE") && !op.equals("ZINTERCARD") && random.nextBoolean()) {
                    c.add("WITHSCORES");
                }
                if (op.equals("ZINTERCARD") && random.nextBoolean()) {
                    c.addAll(List.of("LIMIT", Integer.toString(random.nextInt(3))));
                }
            } else if (pick < 88) {
                c.addAll(List.of("ZRANGESTORE", key(), key, index(), index()));
            } else if (pick < 91) {
                // Deterministic forms only: the whole set, or one element of a one-element set.
                c.addAll(List.of("ZRANDMEMBER", key, "1000"));
                if (random.nextBoolean()) {
                    c.add("WITHSCORES");
                }
            } else if (pick < 94) {
                c.addAll(List.of("ZSCAN", key, "0", "COUNT", "1000"));
                if (random.nextBoolean()) {
                    c.addAll(List.of("MATCH", "m1*"));
                }
            } else if (pick < 96) {
                c.addAll(List.of("OBJECT", "ENCODING", key));
            } else if (pick < 98) {
                c.addAll(List.of(random.nextBoolean() ? "DEL" : "EXISTS", key));
            } else {
                c.addAll(List.of("COPY", key, key(), "REPLACE"));
            }
            return c;
        }
    }

    /** One pair of connections driven in lockstep; ZSCAN of a skiplist is compared as a multiset. */
    private static final class Run implements AutoCloseable {
        private final long seed;
        private final int protocol;
        private final RecentCommands history = new RecentCommands(12);
        private final RawRespClient m;
        private final RawRespClient r;
        private int steps;

        Run(long seed, int protocol) {
            this.seed = seed;
            this.protocol = protocol;
            m = servers.magpie().connect();
            r = servers.redis().connect();
            if (protocol == 3) {
                m.call("HELLO", "3");
                r.call("HELLO", "3");
            }
        }

        void step(List<String> command) {
            byte[][] args = command.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
            String described = Resp.escape(Resp.command(args));
            byte[] expected = r.send(args).readReply();
            byte[] actual = m.send(args).readReply();
            boolean same = Arrays.equals(expected, actual);
            if (!same && command.get(0).equalsIgnoreCase("ZSCAN")) {
                same = sortedLines(expected).equals(sortedLines(actual));
            }
            if (!same) {
                fail(report(described, Resp.escape(expected), Resp.escape(actual)));
            }
            history.add(described, RecentCommands.shorten(Resp.escape(expected), 200));
            steps++;
            if (command.size() > 1 && !command.get(0).equalsIgnoreCase("OBJECT") && !command.get(0).startsWith("CONFIG")) {
                for (String arg : command) {
                    if (arg.contains(":k") || arg.contains(":big") || arg.contains(":lex") || arg.startsWith("edge")) {
                        byte[] e = r.call("OBJECT", "ENCODING", arg);
                        byte[] a = m.call("OBJECT", "ENCODING", arg);
                        if (!Arrays.equals(e, a)) {
                            fail(report("OBJECT ENCODING " + arg + " after " + described, Resp.escape(e), Resp.escape(a)));
                        }
                    }
                }
            }
        }

        /** A scan page's lines sorted: the skiplist encoding's order is hash order in both servers. */
        private static List<String> sortedLines(byte[] reply) {
            List<String> lines = new ArrayList<>(List.of(Resp.latin1(reply).split("\r\n")));
            java.util.Collections.sort(lines);
            return lines;
        }

        private String report(String command, String redisSide, String magpieSide) {
            return history.report(command, seed, protocol, steps, "magpie.zsets.seed", redisSide, magpieSide);
        }

        @Override
        public void close() {
            m.close();
            r.close();
        }
    }
}
