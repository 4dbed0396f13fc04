package dev.magpie.tests.keys;

import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a differential run cannot show: keys nobody reads still go once their time has passed
 * (the active expiry cycle), and CLIENT NO-TOUCH reads leave a key's idle time alone (Redis 7.2's
 * rule, where only TOUCH still touches).
 */
class ActiveExpiryAndTouchTest {
    @Test
    void expiredKeysNobodyReadsAreReclaimed() throws InterruptedException {
        try (Magpie magpie = Magpie.start("--hz", "50"); RawRespClient client = magpie.connect()) {
            for (int i = 0; i < 5000; i++) {
                client.send("SET", "short:" + i, "v", "PX", String.valueOf(2000 + i % 50));
            }
            for (int i = 0; i < 5000; i++) {
                client.readReply();
            }
            client.call("SET", "long", "v", "EX", "1000");
            client.call("SET", "forever", "v");
            assertEquals(":5002\r\n", client.callText("DBSIZE"));
            long deadline = System.currentTimeMillis() + 15_000;
            String size;
            do {
                Thread.sleep(50);
                size = client.callText("DBSIZE");
            } while (!size.equals(":2\r\n") && System.currentTimeMillis() < deadline);
            assertEquals(":2\r\n", size, "the active cycle must delete every expired key without any read");
            assertEquals(":2\r\n", client.callText("EXISTS", "long", "forever"));
        }
    }

    @Test
    void noTouchReadsKeepTheIdleTimeAndTouchResetsIt() throws InterruptedException {
        try (Magpie magpie = Magpie.start(); RawRespClient client = magpie.connect()) {
            client.call("MSET", "watched", "1", "read", "2");
            Thread.sleep(2100);
            assertEquals("+OK\r\n", client.callText("CLIENT", "NO-TOUCH", "ON"));
            client.call("GET", "watched");
            client.call("EXISTS", "watched");
            client.call("EXPIRE", "watched", "1000");
            client.call("PERSIST", "watched");
            client.call("COPY", "watched", "other");
            long idle = idletime(client, "watched");
            assertTrue(idle >= 2, "NO-TOUCH reads and writes must not reset the idle time: " + idle);
            client.call("TOUCH", "watched");
            assertTrue(idletime(client, "watched") <= 1, "TOUCH touches even in NO-TOUCH mode");
            assertEquals("+OK\r\n", client.callText("CLIENT", "NO-TOUCH", "OFF"));
            client.call("GET", "read");
            assertTrue(idletime(client, "read") <= 1, "a normal read resets the idle time");
        }
    }

    private static long idletime(RawRespClient client, String key) {
        String reply = client.callText("OBJECT", "IDLETIME", key);
        assertTrue(reply.startsWith(":"), reply);
        return Long.parseLong(reply.substring(1).trim());
    }
}
