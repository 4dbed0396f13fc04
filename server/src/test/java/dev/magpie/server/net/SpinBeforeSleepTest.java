package dev.magpie.server.net;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When an event loop polls before it sleeps, and when it sleeps at once. */
class SpinBeforeSleepTest {
    /** Stands in for the loop's non-blocking epoll_wait: answers from a script, then 0 for ever. */
    private static class Polls implements IntSupplier {
        private final int[] script;
        int calls;

        Polls(int... script) {
            this.script = script;
        }

        @Override
        public int get() {
            int ready = calls < script.length ? script[calls] : 0;
            calls++;
            return ready;
        }
    }

    private static SelectStrategy strategy(long millis) {
        return strategy(millis, () -> false);
    }

    private static SelectStrategy strategy(long millis, BooleanSupplier writingInBackground) {
        return new SpinBeforeSleep(TimeUnit.MILLISECONDS.toNanos(millis), writingInBackground).newSelectStrategy();
    }

    @Test
    void aLoopThatHasNotBeenWokenQuicklySleepsWithoutPolling() throws Exception {
        SelectStrategy strategy = strategy(1_000);
        Polls polls = new Polls(5);
        assertEquals(SelectStrategy.SELECT, strategy.calculateStrategy(polls, false));
        assertEquals(0, polls.calls);
    }

    @Test
    void aLoopWokenWithinAWindowPollsUntilEventsCome() throws Exception {
        SelectStrategy strategy = strategy(1_000);
        assertEquals(SelectStrategy.SELECT, strategy.calculateStrategy(new Polls(), false));
        Polls polls = new Polls(0, 0, 3);
        assertEquals(3, strategy.calculateStrategy(polls, false));
        assertEquals(3, polls.calls);
        // Events found by polling keep the loop polling.
        Polls next = new Polls(0, 2);
        assertEquals(2, strategy.calculateStrategy(next, false));
        assertEquals(2, next.calls);
    }

    @Test
    void aFruitlessWindowEndsInSleepAndALongSleepEndsThePolling() throws Exception {
        SelectStrategy strategy = strategy(200);
        assertEquals(SelectStrategy.SELECT, strategy.calculateStrategy(new Polls(), false));
        Polls fruitless = new Polls();
        long start = System.nanoTime();
        assertEquals(SelectStrategy.SELECT, strategy.calculateStrategy(fruitless, false));
        long polledMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(polledMillis >= 200, "polled for the whole window: " + polledMillis + " ms");
        assertTrue(fruitless.calls > 1, "polled more than once: " + fruitless.calls);

        Thread.sleep(500);
        Polls afterLongSleep = new Polls(4);
        assertEquals(SelectStrategy.SELECT, strategy.calculateStrategy(afterLongSleep, false));
        assertEquals(0, afterLongSleep.calls, "a loop woken after longer than a window sleeps again at once");
    }

    @Test
    void pendingTasksTakeOneNonBlockingPollAndAZeroWindowNeverPolls() throws Exception {
        Polls withTasks = new Polls(7);
        assertEquals(7, strategy(1_000).calculateStrategy(withTasks, true));
        assertEquals(1, withTasks.calls);

        SelectStrategy never = strategy(0);
        for (int i = 0; i < 3; i++) {
            Polls polls = new Polls(1);
            assertEquals(SelectStrategy.SELECT, never.calculateStrategy(polls, false));
            assertEquals(0, polls.calls);
        }
    }

    @Test
    void aBusyLoopDoesNotPollWhileAThreadWritesInTheBackground() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        SelectStrategy strategy = strategy(1_000, writing::get);
        assertEquals(SelectStrategy.SELECT, strategy.calculateStrategy(new Polls(), false));
        Polls whileWriting = new Polls(3);
        assertEquals(SelectStrategy.SELECT, strategy.calculateStrategy(whileWriting, false));
        assertEquals(0, whileWriting.calls, "woken at once, but the background writer gets the gap");

        writing.set(false);
        Polls afterwards = new Polls(0, 3);
        assertEquals(3, strategy.calculateStrategy(afterwards, false));
        assertEquals(2, afterwards.calls);
    }

    @Test
    void aTaskQueuedByAnotherThreadEndsThePollingAtOnce() throws Exception {
        AtomicBoolean queued = new AtomicBoolean();
        SpinBeforeSleep factory = new SpinBeforeSleep(TimeUnit.SECONDS.toNanos(5), () -> false);
        factory.watchTasks(queued::get);
        SelectStrategy strategy = factory.newSelectStrategy();
        assertEquals(SelectStrategy.SELECT, strategy.calculateStrategy(new Polls(), false));
        Polls polls = new Polls() {
            @Override
            public int get() {
                if (calls == 3) {
                    queued.set(true);
                }
                return super.get();
            }
        };
        long start = System.nanoTime();
        assertEquals(0, strategy.calculateStrategy(polls, false), "no events, but the loop runs its tasks now");
        assertEquals(4, polls.calls);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "well before the 5 s window ended");
    }
}
