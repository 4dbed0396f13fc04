package dev.magpie.server.net;

/** How an I/O loop reaches the engine: directly (same thread) or through the engine's queue. */
interface EngineGate {
    /** True when the engine runs on this I/O loop, so batches execute synchronously. */
    boolean inline();

    /** Queues a batch task; false when the queue is full. */
    boolean offer(Runnable task);

    /** Runs a control task (register, unregister) on the engine, waiting for room if needed. */
    void run(Runnable task);
}
