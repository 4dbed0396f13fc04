package dev.magpie.server.engine;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.jctools.queues.MpscArrayQueue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine on a thread of its own (io-threads > 1): an Agrona agent draining a bounded MPSC
 * queue of tasks from the I/O loops. Busy, it spins briefly; idle, it parks up to a cron
 * period, and producers unpark it, so an idle server costs nearly nothing.
 */
public final class AgentEngineThread implements EngineThread, Agent {
    private static final int QUEUE_CAPACITY = 1 << 16;
    private static final int DRAIN_LIMIT = 4096;

    private final MpscArrayQueue<Runnable> tasks = new MpscArrayQueue<>(QUEUE_CAPACITY);
    private final Engine engine;
    private final Cron cron;
    private final AgentRunner runner;
    private volatile Thread engineThread;

    public AgentEngineThread(Engine engine, Cron cron) {
        this.engine = engine;
        this.cron = cron;
        BackoffIdleStrategy idle = new BackoffIdleStrategy(100, 10,
                TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(10));
        this.runner = new AgentRunner(idle, Throwable::printStackTrace, null, this);
    }

    public void start() {
        AgentRunner.startOnThread(runner, runnable -> {
            Thread t = new Thread(runnable, "magpie-engine");
            engineThread = t;
            return t;
        });
    }

    /** Queues a task; false when the queue is full (the caller stops reading and retries). */
    public boolean offer(Runnable task) {
        if (!tasks.offer(task)) {
            return false;
        }
        Thread t = engineThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        return true;
    }

    @Override
    public void execute(Runnable task) {
        while (!offer(task)) {
            Thread.onSpinWait();
        }
    }

    /** Timers are checked every duty cycle; the idle strategy parks at most 10 ms, which bounds their lateness. */
    @Override
    public void schedule(Runnable task, long delayMillis) {
        execute(() -> timers.add(new Timer(System.currentTimeMillis() + delayMillis, task)));
    }

    private record Timer(long dueMillis, Runnable task) {
    }

    private final java.util.PriorityQueue<Timer> timers =
            new java.util.PriorityQueue<>((a, b) -> Long.compare(a.dueMillis(), b.dueMillis()));

    private int runDueTimers(long nowMillis) {
        int ran = 0;
        while (!timers.isEmpty() && timers.peek().dueMillis() <= nowMillis) {
            timers.poll().task().run();
            ran++;
        }
        return ran;
    }

    @Override
    public boolean inEngineThread() {
        return Thread.currentThread() == engineThread;
    }

    @Override
    public int doWork() {
        int work = tasks.drain(Runnable::run, DRAIN_LIMIT);
        long now = System.currentTimeMillis();
        work += runDueTimers(now);
        work += cron.runIfDue(now);
        if (work > 0) {
            engine.flushPending();
        }
        return work;
    }

    @Override
    public String roleName() {
        return "magpie-engine";
    }

    public void close() {
        runner.close();
    }
}
