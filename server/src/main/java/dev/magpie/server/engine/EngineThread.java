package dev.magpie.server.engine;

/** The thread the engine runs on: the single I/O loop, or a dedicated agent thread. */
public interface EngineThread {
    /** Runs {@code task} on the engine thread, after what is already queued. */
    void execute(Runnable task);

    boolean inEngineThread();

    /** Runs {@code task} on the engine thread after about {@code delayMillis}. */
    void schedule(Runnable task, long delayMillis);
}
