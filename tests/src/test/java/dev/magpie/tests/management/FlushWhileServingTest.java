package dev.magpie.tests.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.management.ManagementPlane;
import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plane's operations on a Magpie that keeps working: writers are served through flushes, queued
 * flushes run one at a time in order, and a restart of the plane mid-queue loses no result.
 */
class FlushWhileServingTest {

    /** The longest a writer may wait for one SET while flushes run; generous for slow CI machines. */
    static final long STALL_BOUND_MILLIS = 2_000;

    @TempDir
    Path dataDir;
    Magpie magpie;
    ManagementPlane plane;
    PlaneHttp client;

    @BeforeEach
    void start() throws Exception {
        magpie = Magpie.start();
        startPlane();
    }

    private void startPlane() throws Exception {
        plane = ManagementPlane.start(PlaneHttp.settings(dataDir).addCache(PlaneHttp.cache("busy", magpie.port(), null, null)));
        client = new PlaneHttp(plane);
    }

    @AfterEach
    void stop() {
        if (plane != null) plane.close();
        if (magpie != null) magpie.close();
    }

    private String call(String... args) {
        try (RawRespClient connection = magpie.connect()) {
            return connection.callText(args);
        }
    }

    /** Keeps SETting over its own connection, counting successes and noting the slowest reply and any error. */
    private static final class Writer implements Runnable {
        final RawRespClient connection;
        final String prefix;
        final AtomicBoolean running;
        final AtomicLong served = new AtomicLong();
        final AtomicLong slowestNanos = new AtomicLong();
        final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

        Writer(Magpie magpie, String prefix, AtomicBoolean running) {
            this.connection = magpie.connect().timeoutMillis((int) STALL_BOUND_MILLIS * 2);
            this.prefix = prefix;
            this.running = running;
        }

        @Override
        public void run() {
            try (connection) {
                for (long n = 0; running.get(); n++) {
                    long start = System.nanoTime();
                    String reply = connection.callText("SET", prefix + n, "value-" + n);
                    slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                    if (!reply.equals("+OK\r\n")) {
                        problems.add(reply);
                        return;
                    }
                    served.incrementAndGet();
                }
            } catch (RuntimeException e) {
                problems.add(e.toString());
            }
        }
    }

    private long totalServed(List<Writer> writers) {
        return writers.stream().mapToLong(w -> w.served.get()).sum();
    }

    @Test
    void writersKeepBeingServedWhileFlushesRun() throws Exception {
        try (RawRespClient loader = magpie.connect()) {
            for (int batch = 0; batch < 20; batch++) {
                for (int i = 0; i < 5_000; i++) {
                    loader.send("SET", "preload:" + (batch * 5_000 + i), "some value of a few bytes");
                }
                loader.readReplies(5_000);
            }
            assertEquals(":100000\r\n", loader.callText("DBSIZE"));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        List<Writer> writers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Writer writer = new Writer(magpie, "writer" + t + ":", running);
            writers.add(writer);
            Thread thread = new Thread(writer, "writer-" + t);
            threads.add(thread);
            thread.start();
        }
        try {
            Thread.sleep(100);
            String[] bodies = {null, "{\"prefix\":\"writer0:\",\"recursive\":true}", null, null};
            for (String body : bodies) {
                long before = totalServed(writers);
                JsonNode status = client.awaitEnd(client.flush("busy", body), Duration.ofSeconds(20));
                assertEquals("Succeeded", status.path("status").asText(), status.toString());
                Thread.sleep(50);
                assertTrue(totalServed(writers) > before, "the writers made no progress around a flush");
            }
        } finally {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }
        for (Writer writer : writers) {
            assertTrue(writer.problems.isEmpty(), writer.prefix + " saw " + writer.problems);
            assertTrue(writer.served.get() > 0, writer.prefix + " was never served");
            long slowestMillis = writer.slowestNanos.get() / 1_000_000;
            assertTrue(slowestMillis < STALL_BOUND_MILLIS, writer.prefix + " waited " + slowestMillis + " ms for one SET");
        }
        assertEquals(":0\r\n", call("EXISTS", "preload:0", "preload:50000", "preload:99999"));
    }

    @Test
    void queuedFlushesCompleteOneAtATimeInTheOrderTheyWereQueued() throws Exception {
        // Magpie holds writes for a while, so the flushes pile up behind the first one.
        assertEquals("+OK\r\n", call("CLIENT", "PAUSE", "10000", "WRITE"));
        List<String> operations = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            operations.add(client.flush("busy", null));
        }
        JsonNode last = client.status(operations.get(3));
        assertEquals("InProgress", last.path("status").asText());
        assertFalse(last.has("startTime"), "the last flush must still be waiting: " + last);
        assertEquals("+OK\r\n", call("CLIENT", "UNPAUSE"));
        Instant previousEnd = Instant.MIN;
        List<JsonNode> ended = new ArrayList<>();
        for (String operation : operations) {
            ended.add(client.awaitEnd(operation, Duration.ofSeconds(15)));
        }
        for (JsonNode status : ended) {
            assertEquals("Succeeded", status.path("status").asText(), status.toString());
            Instant start = Instant.parse(status.path("startTime").asText());
            assertFalse(start.isBefore(previousEnd), "operations overlapped or ran out of order: " + ended);
            previousEnd = Instant.parse(status.path("endTime").asText());
        }
    }

    @Test
    void aRestartOfThePlaneMidQueueLosesNoOperationResult() throws Exception {
        assertEquals("+OK\r\n", call("SET", "k", "v"));
        JsonNode finished = client.awaitEnd(client.flush("busy", null), Duration.ofSeconds(10));
        assertEquals("Succeeded", finished.path("status").asText());
        String finishedUrl = finished.path("id").asText();

        assertEquals("+OK\r\n", call("SET", "k", "v"));
        assertEquals("+OK\r\n", call("CLIENT", "PAUSE", "10000", "WRITE"));
        List<String> unfinished = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            unfinished.add(client.flush("busy", null));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!client.status(unfinished.get(0)).has("startTime") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        String oldBase = client.baseUrl();
        plane.close();
        assertEquals("+OK\r\n", call("CLIENT", "UNPAUSE"));

        startPlane();
        JsonNode again = client.status(finishedUrl + PlaneHttp.API);
        assertEquals(finished, again, "a finished result is served unchanged after the restart");
        for (int i = 0; i < unfinished.size(); i++) {
            String url = unfinished.get(i).replace(oldBase, client.baseUrl());
            JsonNode status = client.status(url);
            assertEquals("Failed", status.path("status").asText(), status.toString());
            assertEquals("OperationInterrupted", status.path("error").path("code").asText(), status.toString());
            assertTrue(status.has("endTime"), status.toString());
            String message = status.path("error").path("message").asText();
            assertTrue(message.contains(i == 0 ? "while this operation was running" : "before this operation started"),
                    i + ": " + message);
            HttpResponse<String> result = client.send("GET", url.replace("asyncOperations", "operationResults"), null);
            assertEquals(200, result.statusCode(), result.body());
        }
        // The restarted plane serves new work on the same Magpie.
        assertEquals("+OK\r\n", call("SET", "k", "v"));
        assertEquals("Succeeded", client.awaitEnd(client.flush("busy", null), Duration.ofSeconds(10)).path("status").asText());
        assertEquals(":0\r\n", call("EXISTS", "k"));
    }
}
