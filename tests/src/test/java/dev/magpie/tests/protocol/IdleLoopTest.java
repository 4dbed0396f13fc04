package dev.magpie.tests.protocol;

import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The I/O loop polls for more requests after each pass while clients keep it busy
 * ({@code io-poll-micros}), and goes back to sleeping once they stop: an idle server, even right
 * after a burst of ping-pong traffic, uses next to no CPU. With separate I/O threads the loops
 * never poll, and sleep between requests as before.
 */
class IdleLoopTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @ParameterizedTest(name = "io-threads {0}")
    @ValueSource(strings = {"1", "2"})
    void theLoopsSleepAgainWhenTrafficStops(String ioThreads) throws Exception {
        try (Magpie magpie = Magpie.start("--io-threads", ioThreads); RawRespClient client = magpie.connect()) {
            assertEquals("*2\r\n$14\r\nio-poll-micros\r\n$2\r\n50\r\n", client.callText("CONFIG", "GET", "io-poll-micros"));
            long busyStart = ioThreadsCpuNanos();
            // One request at a time: each comes a round trip after the last reply, within the window.
            for (int i = 0; i < 20_000; i++) {
                assertEquals("+PONG\r\n", client.callText("PING"));
            }
            long busyCpu = ioThreadsCpuNanos() - busyStart;

            Thread.sleep(300);
            long idleStart = ioThreadsCpuNanos();
            Thread.sleep(1_000);
            long idleCpu = ioThreadsCpuNanos() - idleStart;
            assertTrue(busyCpu > 0, "the I/O loop's CPU time is measured");
            assertTrue(idleCpu < TimeUnit.MILLISECONDS.toNanos(30),
                    "idle I/O loops used " + TimeUnit.NANOSECONDS.toMicros(idleCpu) + " µs of CPU in one second");
        }
    }

    /** CPU time of every Magpie I/O loop thread in this JVM. */
    private static long ioThreadsCpuNanos() {
        long total = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("magpie-io")) {
                total += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }
}
