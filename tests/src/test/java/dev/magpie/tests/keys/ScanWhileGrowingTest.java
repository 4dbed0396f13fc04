package dev.magpie.tests.keys;

import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.ReplyDecoder;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCAN's guarantee over the wire: while another client keeps adding and deleting keys between
 * the calls (so the index grows several times and rehashes mid-iteration), one full iteration
 * still returns every key that existed from its start to its end.
 */
class ScanWhileGrowingTest {
    @Test
    void keysPresentThroughoutAreAllReturned() {
        try (Magpie magpie = Magpie.start(); RawRespClient scanner = magpie.connect(); RawRespClient writer = magpie.connect()) {
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                writer.call("SET", "stable:" + i, "v");
                stable.add("stable:" + i);
            }
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            int round = 0;
            do {
                List<?> reply = (List<?>) ReplyDecoder.decodeFlat(scanner.call("SCAN", cursor, "COUNT", "10"));
                cursor = (String) reply.get(0);
                for (Object key : (List<?>) reply.get(1)) {
                    seen.add((String) key);
                }
                // Between calls: growth bursts, and deletes of the churn keys added earlier.
                for (int i = 0; i < 40; i++) {
                    writer.send("SET", "churn:" + round + ":" + i, "v");
                }
                writer.readReplies(40);
                if (round >= 3) {
                    for (int i = 0; i < 40; i += 2) {
                        writer.send("DEL", "churn:" + (round - 3) + ":" + i);
                    }
                    writer.readReplies(20);
                }
                round++;
            } while (!cursor.equals("0") && round < 100_000);
            Set<String> missing = new HashSet<>(stable);
            missing.removeAll(seen);
            assertTrue(missing.isEmpty(), "keys present throughout the scan but never returned: " + missing);
            assertTrue(round > 20, "the iteration should span many calls: " + round);
            long size = Long.parseLong(writer.callText("DBSIZE").substring(1).trim());
            assertTrue(size > 1100, "the index should have doubled at least once during the scan: " + size + " keys");
        }
    }
}
