package dev.magpie.tests.zsets;

import dev.magpie.tests.support.OracleAndMagpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BZPOPMIN, BZPOPMAX and BZMPOP with several clients at once, run the same way against Magpie and
 * a real redis-server: waiters are served in the order they blocked, by the key that was written,
 * time out with a null, and a later ZADD finds the set without the members already handed out.
 */
class SortedSetBlockingTest {
    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie();

    @Test
    void waitersAreServedInOrderLikeRedis() throws Exception {
        for (int protocol : new int[] {2, 3}) {
            assertEquals(scenario(servers.redis()::connect, protocol), scenario(servers.magpie()::connect, protocol),
                    "replies of blocked clients, RESP" + protocol);
        }
    }

    @Test
    void timeoutsAnswerNullLikeRedis() {
        for (int protocol : new int[] {2, 3}) {
            assertEquals(timeouts(servers.redis()::connect, protocol), timeouts(servers.magpie()::connect, protocol),
                    "timeout replies, RESP" + protocol);
        }
    }

    @Test
    void blockedClientDoesNotStallOthers() {
        try (RawRespClient waiting = servers.magpie().connect(); RawRespClient other = servers.magpie().connect()) {
            waiting.send("BZPOPMIN", "stall:z", "0");
            long started = System.nanoTime();
            assertEquals("+PONG\r\n", other.callText("PING"));
            assertEquals(":1\r\n", other.callText("ZADD", "stall:other", "1", "a"));
            assertTrue(System.nanoTime() - started < 2_000_000_000L);
            other.call("ZADD", "stall:z", "5", "x");
            assertEquals("*3\r\n$7\r\nstall:z\r\n$1\r\nx\r\n$1\r\n5\r\n", Resp.latin1(waiting.readReply()));
        }
    }

    private interface Connector {
        RawRespClient connect();
    }

    /** Four clients block on two keys; pushes wake them; every reply is recorded in order. */
    private static List<String> scenario(Connector connector, int protocol) throws InterruptedException {
        String p = "blk" + protocol + ":";
        List<String> replies = new ArrayList<>();
        List<RawRespClient> clients = new ArrayList<>();
        try (RawRespClient writer = connector.connect()) {
            writer.call("DEL", p + "a", p + "b");
            String[][] waits = {
                {"BZPOPMIN", p + "a", p + "b", "0"},
                {"BZPOPMAX", p + "b", "0"},
                {"BZMPOP", "0", "2", p + "a", p + "b", "MAX", "COUNT", "2"},
                {"BZPOPMIN", p + "a", "0"},
            };
            for (String[] wait : waits) {
                RawRespClient client = connector.connect();
                if (protocol == 3) {
                    client.call("HELLO", "3");
                }
                client.send(wait);
                clients.add(client);
                settle(writer);
            }
            replies.add(writer.callText("ZADD", p + "b", "1", "one", "2", "two", "3", "three"));
            replies.add(Resp.latin1(clients.get(0).readReply()));
            replies.add(Resp.latin1(clients.get(1).readReply()));
            replies.add(Resp.latin1(clients.get(2).readReply()));
            replies.add(writer.callText("ZADD", p + "a", "10", "x", "20", "y"));
            replies.add(Resp.latin1(clients.get(3).readReply()));
            replies.add(writer.callText("ZRANGE", p + "a", "0", "-1", "WITHSCORES"));
            replies.add(writer.callText("EXISTS", p + "b"));
        } finally {
            for (RawRespClient client : clients) {
                client.close();
            }
        }
        return replies;
    }

    private static List<String> timeouts(Connector connector, int protocol) {
        List<String> replies = new ArrayList<>();
        try (RawRespClient client = connector.connect()) {
            if (protocol == 3) {
                client.call("HELLO", "3");
            }
            replies.add(client.callText("BZPOPMIN", "to:none", "0.05"));
            replies.add(client.callText("BZPOPMAX", "to:none", "to:none2", "0.05"));
            replies.add(client.callText("BZMPOP", "0.05", "1", "to:none", "MIN"));
            client.call("SET", "to:str", "x");
            replies.add(client.callText("BZPOPMIN", "to:none", "to:str", "0.05"));
            replies.add(client.callText("BZPOPMIN", "to:none", "-1"));
            replies.add(client.callText("BZPOPMIN", "to:none", "x"));
            client.call("DEL", "to:str");
        }
        return replies;
    }

    /** Waits until the server has seen the previous client's command (a round trip on another connection). */
    private static void settle(RawRespClient other) throws InterruptedException {
        Thread.sleep(30);
        other.call("PING");
    }
}
