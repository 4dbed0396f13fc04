package dev.magpie.tests.lists;

import dev.magpie.tests.support.OracleAndMagpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.RecentCommands;
import dev.magpie.tests.support.Resp;
import dev.magpie.tests.support.Seeds;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The list family against a real redis-server: seeded random command sequences and a list of edge
 * cases, in RESP2 and RESP3, every reply compared byte for byte, and every few commands the whole
 * content and encoding of every key. Each seed runs with its own list-max-listpack-size, so node
 * splits and merges are exercised too. Rerun one seed with {@code -Dmagpie.lists.seed=N}.
 */
class ListsDifferentialTest {
    private static final int KEYS = 4;
    private static final int COMMANDS_PER_SEED = 1500;
    private static final int STATE_EVERY = 10;
    private static final int HISTORY = 12;
    private static final String[] FILLS = {"-2", "3", "-1", "1", "128"};

    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie();

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void randomSequencesMatchRedis(int protocol) {
        for (long seed : seeds(protocol)) {
            try (Run run = new Run(seed, protocol)) {
                run.play(COMMANDS_PER_SEED);
            }
        }
    }

    private static long[] seeds(int protocol) {
        return Seeds.chosenOr("magpie.lists.seed", 1, 2, 20240607L + protocol, System.nanoTime() ^ protocol);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void edgeCasesMatchRedis(int protocol) {
        String p = "edge" + protocol + ":";
        String l = p + "l";
        String s = p + "s";
        String d = p + "d";
        String[][] cases = {
            {"RPUSH", l, "a", "b", "c", "a", "b"}, {"LINSERT", l, "after\u0000junk", "a", "X"},
            {"LINSERT", l, "AFTER", "zz", "X"}, {"LINSERT", l, "BEFORE", "a", "Y"}, {"LRANGE", l, "0", "-1"},
            {"LREM", l, "-9223372036854775808", "a"}, {"LRANGE", l, "0", "-1"}, {"SET", s, "str"},
            {"RPUSH", d, "a", "b", "a", "c", "a", "b", "a"}, {"LREM", d, "-2", "a"}, {"LREM", d, "1", "b"},
            {"LRANGE", d, "0", "-1"}, {"LPOS", d, "a", "RANK", "-1", "COUNT", "0", "MAXLEN", "2"}, {"DEL", d},
            {"LPUSH", s, "a"}, {"LPOP", s}, {"LPOP", s, "x"}, {"LPOP", s, "0"}, {"LRANGE", s, "x", "1"},
            {"LRANGE", s, "0", "1"}, {"LINDEX", s, "x"}, {"LPOS", s, "a", "RANK", "0"}, {"LPOS", s, "a"},
            {"LSET", s, "x", "y"}, {"LINSERT", s, "middle", "a", "b"}, {"LREM", s, "x", "a"}, {"LTRIM", s, "0", "x"},
            {"LMOVE", s, l, "left", "x"}, {"LMOVE", l, s, "left", "left"}, {"BLPOP", p + "none", s, "0"},
            {"BLMPOP", "1", s, "left", "count", "x"}, {"LMPOP", "1", s, "left", "count", "x"}, {"BLPOP", l, "0x"},
            {"BLMOVE", l, l, "left", "left", "1", "2"}, {"LPOP", l, "1", "2"}, {"LPOS", l, "a", "count", "1", "count", "2"},
            {"LPOS", l, "Y", "rank", "-1", "maxlen", "1"}, {"LPOS", l, "b", "RANK", "-9223372036854775808"},
            {"LPOS", l, "b", "RANK", "-9223372036854775808", "COUNT", "0"},
            {"LPOS", l, "a", "COUNT", "x"}, {"LPOS", l, "a", "COUNT", "-1"}, {"LPOS", l, "a", "MAXLEN", "-1"},
            {"LPOS", l, "a", "RANK", "x"}, {"LPOS", l, "b", "COUNT", "0"}, {"LPOS", l, "a", "foo"},
            {"LPOS", l, "a", "RANK"}, {"LPOS", l, "b", "rank\u0000", "2"}, {"LPOS", p + "none", "a", "COUNT", "2"},
            {"LPOS", p + "none", "a"}, {"LPOP", l, "x"}, {"LPOP", l, "-1"}, {"LPOP", l, "0"},
            {"LPOP", p + "none", "0"}, {"LPOP", p + "none", "x"}, {"LPOP", p + "none"}, {"RPOP", p + "none", "3"},
            {"LMPOP", "0", l, "left"}, {"LMPOP", "x", l, "left"}, {"LMPOP", "1", l, "middle"}, {"LMPOP", "2", l, "left"},
            {"LMPOP", "1", l, "left", "count", "0"}, {"LMPOP", "1", l, "left", "count", "1", "count", "1"},
            {"LMPOP", "1", l, "left", "foo"}, {"LMPOP", "9223372036854775807", l, "left"},
            {"LMPOP", "2", p + "none", p + "none2", "left"}, {"BLPOP", l, "-1"}, {"BLPOP", l, "x"}, {"BLPOP", l, "inf"},
            {"BLPOP", l, "-inf"}, {"BLPOP", l, "nan"}, {"BLPOP", l, "1e400"}, {"BLPOP", l, "9223372036854775807"},
            {"BLPOP", l, "1\u0000"}, {"BLPOP", l, ""}, {"BLPOP", l, " 1"}, {"BLMPOP", "0", "0", l, "left"},
            {"BLMPOP", "-1", "1", l, "left"}, {"BLMPOP", "0", "1", l, "up"}, {"BRPOPLPUSH", l, d, "-0.5"},
            {"LSET", p + "none", "0", "x"}, {"LSET", l, "10", "x"}, {"LSET", l, "x", "x"}, {"LSET", l, "-1", "last"},
            {"LSET", l, "-9223372036854775808", "x"}, {"LRANGE", l, "0", "-1"}, {"LINDEX", l, "-1"},
            {"LINDEX", l, "-100"}, {"LINDEX", l, "9223372036854775807"}, {"LINDEX", p + "none", "x"},
            {"LREM", p + "none", "x", "a"}, {"LTRIM", p + "none", "x", "1"}, {"LTRIM", p + "none", "0", "1"},
            {"LMOVE", l, l, "up", "left"}, {"BLMOVE", l, l, "left", "left", "-1"}, {"BLMOVE", l, l, "up", "left", "x"},
            {"LMOVE", l, l, "left", "right"}, {"LRANGE", l, "0", "-1"}, {"LMOVE", l, d, "right", "left"},
            {"RPOPLPUSH", l, d}, {"LRANGE", d, "0", "-1"}, {"LMPOP", "2", p + "none", d, "right", "count", "5"},
            {"EXISTS", d}, {"RPUSHX", p + "none", "a", "b"}, {"LPUSHX", l, "z", "y"}, {"LLEN", l},
            {"LRANGE", l, "-100", "100"}, {"LRANGE", l, "2", "1"}, {"LRANGE", l, "-9223372036854775808", "9223372036854775807"},
            {"LTRIM", l, "1", "-2"}, {"LRANGE", l, "0", "-1"}, {"OBJECT", "ENCODING", l}, {"TYPE", l},
            {"LTRIM", l, "5", "1"}, {"EXISTS", l}, {"RPUSH", l, "1", "2", "3"}, {"BLPOP", l, "0.1"},
            {"BLMPOP", "0.1", "2", p + "none", l, "right", "count", "10"}, {"EXISTS", l},
            {"RPUSH", l, "solo"}, {"LMOVE", l, l, "left", "left"}, {"RPOPLPUSH", l, l}, {"LRANGE", l, "0", "-1"},
            {"BLPOP", s, l, "0"}, {"BLMOVE", s, l, "left", "left", "0"}, {"BRPOPLPUSH", l, s, "0"}, {"LRANGE", l, "0", "-1"},
            {"LPUSH"}, {"LPOP"}, {"LRANGE", l, "0"}, {"BLPOP", l}, {"LMPOP", "1", l}, {"BLMPOP", "0", "1", l},
            {"LPOS", l}, {"LINSERT", l, "before", "x"},
            {"COMMAND", "GETKEYS", "LMPOP", "2", "a", "b", "left"},
            {"COMMAND", "GETKEYS", "BLMPOP", "0", "2", "a", "b", "left", "count", "3"},
            {"COMMAND", "GETKEYS", "BLPOP", "a", "b", "c", "0"}, {"COMMAND", "GETKEYS", "LMOVE", "a", "b", "left", "left"},
        };
        try (Run run = new Run(0, protocol)) {
            for (String[] command : cases) {
                run.step(Arrays.asList(command));
            }
            run.compareState(List.of(l, s, d));
        }
    }

    /** One pair of connections driven in lockstep, with the recent history kept for reports. */
    private static final class Run implements AutoCloseable {
        private final long seed;
        private final int protocol;
        private final RawRespClient toMagpie;
        private final RawRespClient toRedis;
        private final RecentCommands history = new RecentCommands(HISTORY);
        private int steps;

        Run(long seed, int protocol) {
            this.seed = seed;
            this.protocol = protocol;
            this.toMagpie = servers.magpie().connect();
            this.toRedis = servers.redis().connect();
            if (protocol == 3) {
                toMagpie.call("HELLO", "3");
                toRedis.call("HELLO", "3");
            }
            String fill = FILLS[(int) Math.floorMod(seed, (long) FILLS.length)];
            toMagpie.call("CONFIG", "SET", "list-max-listpack-size", fill);
            toRedis.call("CONFIG", "SET", "list-max-listpack-size", fill);
        }

        void play(int commands) {
            ListCommandGenerator generator = new ListCommandGenerator(seed, "l" + seed + "p" + protocol + ":", KEYS);
            List<String> keys = new java.util.ArrayList<>(Arrays.asList(generator.listKeys()));
            keys.add(generator.stringKey());
            for (int i = 0; i < commands; i++) {
                step(generator.next());
                if (i % STATE_EVERY == 0) {
                    compareState(keys);
                }
            }
            compareState(keys);
            for (String key : keys) {
                step(List.of("DEL", key));
            }
        }

        void step(List<String> command) {
            byte[][] args = new byte[command.size()][];
            for (int i = 0; i < args.length; i++) {
                args[i] = command.get(i).getBytes(StandardCharsets.ISO_8859_1);
            }
            String described = Resp.escape(Resp.command(args));
            if (described.length() > 300) {
                described = described.substring(0, 300) + "...";
            }
            byte[] expected = toRedis.send(args).readReply();
            byte[] actual = toMagpie.send(args).readReply();
            if (!Arrays.equals(expected, actual)) {
                fail(report("reply to", described, Resp.escape(expected, 400), Resp.escape(actual, 400)));
            }
            remember(described, expected);
            steps++;
        }

        /** The whole content, type and encoding of each key must be the same on both servers. */
        void compareState(List<String> keys) {
            for (String key : keys) {
                for (String[] probe : new String[][] {{"LRANGE", key, "0", "-1"}, {"OBJECT", "ENCODING", key}}) {
                    byte[] expected = toRedis.call(probe);
                    byte[] actual = toMagpie.call(probe);
                    if (!Arrays.equals(expected, actual)) {
                        fail(report("state (" + String.join(" ", probe) + ") after", "step " + steps,
                                Resp.escape(expected, 400), Resp.escape(actual, 400)));
                    }
                }
            }
        }

        private void remember(String command, byte[] reply) {
            history.add(command, Resp.escape(reply, 120));
        }

        private String report(String what, String command, String redisSide, String magpieSide) {
            return history.report("the " + what + ' ' + command, seed, protocol, steps, "magpie.lists.seed",
                    redisSide, magpieSide);
        }

        @Override
        public void close() {
            toMagpie.call("CONFIG", "SET", "list-max-listpack-size", "-2");
            toRedis.call("CONFIG", "SET", "list-max-listpack-size", "-2");
            toMagpie.close();
            toRedis.close();
        }
    }
}
