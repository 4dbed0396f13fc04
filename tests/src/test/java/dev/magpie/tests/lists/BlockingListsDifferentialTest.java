package dev.magpie.tests.lists;

import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.OracleAndMagpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The blocking list commands with several concurrent clients, played once against redis-server
 * and once against Magpie: every reply each client receives, in order, must be the same bytes.
 * A scenario waits until the server reports its clients blocked before the next client acts, so
 * who is served first is decided by the servers' FIFO rules, not by thread timing.
 */
class BlockingListsDifferentialTest {
    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie();

    /** A scenario: given a way to open connections, it returns what the clients saw (escaped replies). */
    private interface Scenario {
        void play(Supplier<RawRespClient> connect, List<String> seen);
    }

    private static void compare(String name, Scenario scenario) {
        List<String> expected = run(servers.redis()::connect, scenario);
        List<String> actual = run(servers.magpie()::connect, scenario);
        if (!expected.equals(actual)) {
            StringBuilder text = new StringBuilder("Magpie and redis-server disagree in scenario '" + name + "'");
            for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
                String e = i < expected.size() ? expected.get(i) : "(nothing)";
                String a = i < actual.size() ? actual.get(i) : "(nothing)";
                text.append(e.equals(a) ? "\n  same   " : "\n  DIFFER ").append(e);
                if (!e.equals(a)) {
                    text.append("\n         magpie: ").append(a);
                }
            }
            fail(text.toString());
        }
        assertTrue(expected.size() > 2, "the scenario observed nothing");
    }

    private static List<String> run(Supplier<RawRespClient> connect, Scenario scenario) {
        List<String> seen = new ArrayList<>();
        try (RawRespClient admin = connect.get()) {
            admin.call("FLUSHALL");
        }
        scenario.play(connect, seen);
        return seen;
    }

    private static String read(RawRespClient client) {
        return Resp.escape(client.readReply());
    }

    private static String call(RawRespClient client, String... command) {
        return Resp.escape(client.call(command));
    }

    /** Waits (at most 5 s) until the server has exactly {@code count} clients blocked. */
    private static void awaitBlocked(RawRespClient admin, int count) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        String wanted = "blocked_clients:" + count + "\r\n";
        String info = "";
        while (System.nanoTime() < deadline) {
            info = Resp.latin1(admin.call("INFO", "clients"));
            if (info.contains(wanted)) {
                return;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        fail("the server never reported " + wanted.trim() + "; INFO clients said: " + Resp.escape(Resp.bytes(info)));
    }

    private static RawRespClient client(Supplier<RawRespClient> connect, int protocol) {
        RawRespClient client = connect.get();
        if (protocol == 3) {
            client.call("HELLO", "3");
        }
        return client;
    }

    @Test
    void waitersOnOverlappingKeysAreServedInTheOrderTheyBlocked() {
        compare("overlapping keys", (connect, seen) -> {
            try (RawRespClient admin = connect.get(); RawRespClient c1 = connect.get(); RawRespClient c2 = connect.get();
                 RawRespClient c3 = connect.get(); RawRespClient c4 = connect.get(); RawRespClient c5 = connect.get()) {
                c1.send("BLPOP", "a", "b", "0");
                awaitBlocked(admin, 1);
                c2.send("BRPOP", "b", "a", "0");
                awaitBlocked(admin, 2);
                c3.send("BLMOVE", "a", "dst", "LEFT", "RIGHT", "0");
                awaitBlocked(admin, 3);
                c4.send("BLMPOP", "0", "2", "dst", "b", "LEFT", "COUNT", "2");
                awaitBlocked(admin, 4);
                c5.send("BRPOPLPUSH", "b", "a", "0");
                awaitBlocked(admin, 5);
                seen.add(call(admin, "RPUSH", "a", "x", "y", "z", "w"));
                seen.add(read(c1));
                seen.add(read(c2));
                seen.add(read(c3));
                seen.add(read(c4));
                awaitBlocked(admin, 1);
                seen.add(call(admin, "LPUSH", "b", "1", "2"));
                seen.add(read(c5));
                seen.add(call(admin, "LRANGE", "a", "0", "-1"));
                seen.add(call(admin, "LRANGE", "b", "0", "-1"));
                seen.add(call(admin, "LRANGE", "dst", "0", "-1"));
                awaitBlocked(admin, 0);
            }
        });
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void onePushWithSeveralElementsServesSeveralWaiters(int protocol) {
        compare("multi-element push, RESP" + protocol, (connect, seen) -> {
            try (RawRespClient admin = connect.get(); RawRespClient c1 = client(connect, protocol);
                 RawRespClient c2 = client(connect, protocol); RawRespClient c3 = client(connect, protocol)) {
                c1.send("BLPOP", "k", "0");
                awaitBlocked(admin, 1);
                c2.send("BRPOP", "k", "0");
                awaitBlocked(admin, 2);
                c3.send("BLMPOP", "0", "1", "k", "RIGHT", "COUNT", "5");
                awaitBlocked(admin, 3);
                seen.add(call(admin, "LPUSH", "k", "a", "b"));
                seen.add(read(c1));
                seen.add(read(c2));
                awaitBlocked(admin, 1);
                seen.add(call(admin, "RPUSH", "k", "c", "d", "e"));
                seen.add(read(c3));
                seen.add(call(admin, "EXISTS", "k"));
                // A waiter served from its second key, and one whose first key is another type meanwhile.
                c1.send("BLPOP", "s", "k2", "0");
                awaitBlocked(admin, 1);
                seen.add(call(admin, "SET", "s", "text"));
                seen.add(call(admin, "RPUSH", "k2", "v"));
                seen.add(read(c1));
            }
        });
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void fractionalTimeoutsExpireOnTime(int protocol) {
        compare("timeouts, RESP" + protocol, (connect, seen) -> {
            try (RawRespClient c = client(connect, protocol)) {
                String[][] commands = {
                    {"BLPOP", "none", "0.15"}, {"BRPOP", "none", "other", "0.05"}, {"BLMOVE", "none", "d", "LEFT", "LEFT", "0.1"},
                    {"BRPOPLPUSH", "none", "d", "0.05"}, {"BLMPOP", "0.05", "1", "none", "LEFT"}, {"BLPOP", "none", "0.0001"},
                    {"BLPOP", "none", "1e-3"}, {"BLPOP", "none", "0x1p-4"},
                };
                for (String[] command : commands) {
                    double seconds = Double.parseDouble(command[0].equals("BLMPOP") ? command[1]
                            : command[command.length - 1].replace("0x1p-4", "0.0625"));
                    long started = System.nanoTime();
                    seen.add(call(c, command));
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    assertTrue(millis >= (long) (seconds * 1000) - 5 && millis < 1500,
                            String.join(" ", command) + " answered after " + millis + " ms");
                }
                seen.add(call(c, "DBSIZE"));
            }
        });
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void clientUnblockEndsTheWait(int protocol) {
        compare("CLIENT UNBLOCK, RESP" + protocol, (connect, seen) -> {
            try (RawRespClient admin = connect.get(); RawRespClient c = client(connect, protocol)) {
                String id = Resp.latin1(c.call("CLIENT", "ID")).substring(1).trim();
                seen.add(call(admin, "CLIENT", "UNBLOCK", id));
                String[][] waits = {
                    {"BLPOP", "k", "0"}, {"BLMOVE", "k", "d", "RIGHT", "LEFT", "0"}, {"BLMPOP", "0", "2", "k", "j", "LEFT"},
                    {"BRPOPLPUSH", "k", "d", "100"},
                };
                for (String[] wait : waits) {
                    for (String how : new String[] {"TIMEOUT", "ERROR"}) {
                        c.send(wait);
                        awaitBlocked(admin, 1);
                        seen.add(call(admin, "CLIENT", "UNBLOCK", id, how));
                        seen.add(read(c));
                        awaitBlocked(admin, 0);
                    }
                }
                c.send("BLPOP", "k", "0");
                awaitBlocked(admin, 1);
                seen.add(call(admin, "CLIENT", "UNBLOCK", id, "WRONG"));
                seen.add(call(admin, "CLIENT", "UNBLOCK", id));
                seen.add(read(c));
                seen.add(call(c, "PING"));
            }
        });
    }

    @Test
    void aDisconnectedWaiterLeavesNothingBehind() {
        compare("disconnect", (connect, seen) -> {
            try (RawRespClient admin = connect.get(); RawRespClient stays = connect.get()) {
                RawRespClient leaves = connect.get();
                leaves.send("BLPOP", "k", "0");
                awaitBlocked(admin, 1);
                stays.send("BLMOVE", "k", "d", "LEFT", "LEFT", "0");
                awaitBlocked(admin, 2);
                leaves.close();
                awaitBlocked(admin, 1);
                seen.add(call(admin, "RPUSH", "k", "a", "b"));
                seen.add(read(stays));
                seen.add(call(admin, "LRANGE", "k", "0", "-1"));
                seen.add(call(admin, "LRANGE", "d", "0", "-1"));
                awaitBlocked(admin, 0);
                seen.add(call(admin, "RPUSH", "k", "c"));
                seen.add(call(admin, "LRANGE", "k", "0", "-1"));
            }
        });
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void servedWaitersFollowRedis70(int protocol) {
        compare("served moves, RESP" + protocol, (connect, seen) -> {
            try (RawRespClient admin = connect.get(); RawRespClient c1 = client(connect, protocol);
                 RawRespClient c2 = client(connect, protocol)) {
                // A BLMOVE whose target turned into another type is answered WRONGTYPE and the element stays.
                c1.send("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0");
                awaitBlocked(admin, 1);
                seen.add(call(admin, "SET", "dst", "text"));
                seen.add(call(admin, "RPUSH", "src", "x"));
                seen.add(read(c1));
                seen.add(call(admin, "LRANGE", "src", "0", "-1"));
                seen.add(call(admin, "DEL", "src", "dst"));
                // A served BLMOVE feeds a client blocked on its target; a rotation onto itself.
                c1.send("BRPOPLPUSH", "a", "b", "0");
                awaitBlocked(admin, 1);
                c2.send("BLPOP", "b", "0");
                awaitBlocked(admin, 2);
                seen.add(call(admin, "LPUSH", "a", "1", "2"));
                seen.add(read(c1));
                seen.add(read(c2));
                c1.send("BLMOVE", "r", "r", "RIGHT", "LEFT", "0");
                awaitBlocked(admin, 1);
                seen.add(call(admin, "RPUSH", "r", "p", "q"));
                seen.add(read(c1));
                seen.add(call(admin, "LRANGE", "r", "0", "-1"));
                // Commands pipelined behind a blocked one wait for it and then run in order.
                c1.sendRaw(Resp.bytes("*3\r\n$5\r\nBLPOP\r\n$1\r\nw\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n"
                        + "*2\r\n$4\r\nLLEN\r\n$1\r\nw\r\n"));
                awaitBlocked(admin, 1);
                seen.add(call(admin, "RPUSH", "w", "only", "more"));
                seen.add(read(c1));
                seen.add(read(c1));
                seen.add(read(c1));
            }
        });
    }

    @Test
    void aBlockedClientDoesNotStallOthers() {
        try (RawRespClient blocked = servers.magpie().connect(); RawRespClient other = servers.magpie().connect()) {
            blocked.send("BLPOP", "stall", "0");
            awaitBlocked(other, 1);
            for (int i = 0; i < 50; i++) {
                assertEquals(":" + (i + 1) + "\r\n", Resp.latin1(other.call("RPUSH", "busy", "x")));
            }
            assertEquals(":1\r\n", Resp.latin1(other.call("RPUSH", "stall", "go")));
            assertEquals("*2\r\n$5\r\nstall\r\n$2\r\ngo\r\n", Resp.latin1(blocked.readReply()));
            other.call("DEL", "busy");
        }
    }
}
