package dev.magpie.tests.protocol;

import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.Resp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replies leave once per pass of the I/O loop (io-threads 1) or once per batch (more threads):
 * however many connections a pass reads, each gets all its replies, in order, and a large reply
 * keeps its place among the small ones around it.
 */
class ReplyFlushingTest {
    private static final int CONNECTIONS = 40;
    private static final int PIPELINE = 16;

    @ParameterizedTest(name = "io-threads {0}")
    @ValueSource(strings = {"1", "2"})
    void everyConnectionOfABusyPassGetsEveryReplyInOrder(String ioThreads) throws Exception {
        try (Magpie magpie = Magpie.start("--io-threads", ioThreads)) {
            List<RawRespClient> clients = new ArrayList<>();
            try {
                ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
                for (int i = 0; i < PIPELINE; i++) {
                    pipeline.write(Resp.command("INCR", "counter"));
                }
                for (int c = 0; c < CONNECTIONS; c++) {
                    clients.add(magpie.connect());
                }
                // All pipelines are written before any reply is read, so passes see many ready connections.
                for (RawRespClient client : clients) {
                    client.sendRaw(pipeline.toByteArray());
                }
                Set<Long> seen = new HashSet<>();
                for (RawRespClient client : clients) {
                    long previous = 0;
                    for (int i = 0; i < PIPELINE; i++) {
                        String reply = client.readText();
                        assertTrue(reply.startsWith(":"), reply);
                        long value = Long.parseLong(reply.substring(1, reply.length() - 2));
                        assertTrue(value > previous, "each connection's counters rise: " + previous + " then " + value);
                        previous = value;
                        seen.add(value);
                    }
                }
                assertEquals(CONNECTIONS * PIPELINE, seen.size());
                String total = String.valueOf(CONNECTIONS * PIPELINE);
                assertEquals("$" + total.length() + "\r\n" + total + "\r\n", clients.get(0).callText("GET", "counter"));
            } finally {
                for (RawRespClient client : clients) {
                    client.close();
                }
            }
        }
    }

    @ParameterizedTest(name = "io-threads {0}")
    @ValueSource(strings = {"1", "2"})
    void aLargeReplyKeepsItsPlaceAmongSmallOnes(String ioThreads) throws Exception {
        String big = "x".repeat(200_000);
        try (Magpie magpie = Magpie.start("--io-threads", ioThreads);
                RawRespClient writer = magpie.connect();
                RawRespClient reader = magpie.connect()) {
            assertEquals("+OK\r\n", writer.callText("SET", "big", big));
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            pipeline.write(Resp.command("ECHO", "before"));
            pipeline.write(Resp.command("GET", "big"));
            pipeline.write(Resp.command("ECHO", "after"));
            reader.sendRaw(pipeline.toByteArray());
            writer.send("ECHO", "other");
            assertEquals("$5\r\nother\r\n", writer.readText());
            assertEquals("$6\r\nbefore\r\n", reader.readText());
            assertEquals("$200000\r\n" + big + "\r\n", reader.readText());
            assertEquals("$5\r\nafter\r\n", reader.readText());
        }
    }
}
