package dev.magpie.management.operations;

import dev.magpie.management.caches.CacheClient;
import dev.magpie.management.caches.CacheDescriptor;
import dev.magpie.management.caches.CacheFailure;
import dev.magpie.management.caches.CacheId;
import dev.magpie.management.caches.CacheSession;
import dev.magpie.management.keys.AccessKeys;
import dev.magpie.management.keys.KeyRing;
import dev.magpie.management.keys.KeyType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Owns every operation's life. All state changes happen on one thread (the plane's own "one writer"),
 * which also writes the store, so HTTP threads never block and never race; work on caches is Lettuce-
 * asynchronous and hops back onto this thread to record its outcome.
 */
public final class OperationCoordinator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OperationCoordinator.class.getName());

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "magpie-management-operations");
        t.setDaemon(true);
        return t;
    });
    private final Map<CacheId, CacheQueue> queues = new HashMap<>();
    private final OperationJournal journal;
    private final KeyRing keyRing;
    private final CacheClient caches;
    private final Clock clock;
    private final Duration timeout;
    private final Duration retention;
    private final int maxQueued;
    private final OperationStats stats = new OperationStats();

    public OperationCoordinator(OperationJournal journal, KeyRing keyRing, CacheClient caches, Clock clock,
                                Duration timeout, Duration retention, int maxQueued) {
        this.journal = journal;
        this.keyRing = keyRing;
        this.caches = caches;
        this.clock = clock;
        this.timeout = timeout;
        this.retention = retention;
        this.maxQueued = maxQueued;
        long sweepMillis = Math.max(250, Math.min(retention.toMillis() / 2, TimeUnit.MINUTES.toMillis(10)));
        thread.scheduleWithFixedDelay(this::expireResults, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    }

    /** Queues a flush; the returned operation is already on disk when the future completes. */
    public CompletableFuture<Submission> submitFlush(CacheDescriptor cache, FlushScope scope) {
        return CompletableFuture.supplyAsync(() -> {
            CacheQueue queue = queueOf(cache);
            if (queue.isFull(maxQueued)) {
                stats.rejected(OperationStats.Kind.FLUSH);
                return new Submission(null);
            }
            OperationRecord queued = OperationRecord.queued(UUID.randomUUID().toString(), cache.subscriptionId(),
                    cache.resourceGroup(), cache.name(), cache.location(), scope, clock.instant());
            try {
                journal.record(queued);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot record the operation: " + e.getMessage(), e);
            }
            stats.submitted(OperationStats.Kind.FLUSH);
            queue.add(() -> runFlush(cache, queued.id()));
            queue.pump(thread);
            return new Submission(queued);
        }, thread);
    }

    /** An operation's latest state, visible only under the subscription that created it and until it expires. */
    public Optional<OperationRecord> find(String subscriptionId, String operationId) {
        return journal.find(operationId)
                .filter(r -> r.subscriptionId().equalsIgnoreCase(subscriptionId))
                .filter(r -> !OperationJournal.isExpired(r, clock.instant(), retention));
    }

    public AccessKeys keysOf(CacheDescriptor cache) {
        return keyRing.of(cache.id()).settled();
    }

    /**
     * Replaces one access key on the cache, in turn with the cache's other operations. Fails with a
     * {@link CacheFailure} or {@link QueueFullException}.
     */
    public CompletableFuture<AccessKeys> regenerateKey(CacheDescriptor cache, KeyType type) {
        CompletableFuture<AccessKeys> result = new CompletableFuture<>();
        thread.execute(() -> {
            CacheQueue queue = queueOf(cache);
            if (queue.isFull(maxQueued)) {
                stats.rejected(OperationStats.Kind.REGENERATE_KEY);
                result.completeExceptionally(new QueueFullException());
                return;
            }
            stats.submitted(OperationStats.Kind.REGENERATE_KEY);
            queue.add(() -> runRegenerate(cache, type, result));
            queue.pump(thread);
        });
        return result;
    }

    /** The cache's version as INFO reports it, or empty when the cache cannot be asked right now. */
    public CompletableFuture<Optional<String>> serverVersion(CacheDescriptor cache, Duration wait) {
        return withSession(cache, 0, CacheSession::serverVersion)
                .orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS)
                .handle((version, error) -> error == null ? Optional.ofNullable(version) : Optional.empty());
    }

    /** Counts of the operations since the plane started. */
    public OperationStats stats() {
        return stats;
    }

    /**
     * Runs read-only {@code work} on a fresh, logged-in session to the cache, outside the cache's operation
     * queue (probes and metrics must not wait behind a long flush), ending it after {@code wait}.
     */
    public <T> CompletableFuture<T> inspect(CacheDescriptor cache, Duration wait,
                                            Function<CacheSession, CompletableFuture<T>> work) {
        return withSession(cache, 0, work).orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<?> runFlush(CacheDescriptor cache, String id) {
        OperationRecord running = journal.find(id).orElseThrow().running(clock.instant());
        recordQuietly(running);
        AtomicBoolean abandoned = new AtomicBoolean();
        FlushScope scope = running.scope();
        CompletableFuture<Void> work = withSession(cache, scope.database(), session -> {
            if (abandoned.get()) {
                return CompletableFuture.completedFuture(null);
            }
            return scope.isEverything() ? session.flushAll()
                    : PrefixFlush.run(session, scope, abandoned::get, percent -> thread.execute(() -> progress(id, percent)));
        });
        return work.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handleAsync((ok, error) -> {
            abandoned.set(true);
            OperationRecord current = journal.find(id).orElseThrow();
            stats.ended(OperationStats.Kind.FLUSH, error == null);
            recordQuietly(error == null ? current.succeeded(clock.instant())
                    : current.failed(clock.instant(), failure(error, cache).code(), failure(error, cache).getMessage()));
            return null;
        }, thread);
    }

    private CompletableFuture<?> runRegenerate(CacheDescriptor cache, KeyType type, CompletableFuture<AccessKeys> result) {
        CacheId id = cache.id();
        AccessKeys current = keyRing.of(id);
        AccessKeys next = current.with(type, KeyRing.newKey()).settled();
        try {
            // Written first, so that whatever happens next the plane can still log in with old or new.
            keyRing.store(id, next.retiring(current));
        } catch (IOException e) {
            stats.ended(OperationStats.Kind.REGENERATE_KEY, false);
            result.completeExceptionally(new CacheFailure(CacheFailure.INTERNAL_ERROR,
                    "Cannot record the new key: " + e.getMessage()));
            return CompletableFuture.completedFuture(null);
        }
        AtomicBoolean abandoned = new AtomicBoolean();
        CompletableFuture<Void> work = caches.open(cache, current.loginCandidates(), 0).thenCompose(session ->
                (abandoned.get() ? CompletableFuture.<Void>completedFuture(null)
                        : session.replacePasswords(cache.aclUser(), next.active()))
                        .whenComplete((ok, error) -> session.close()));
        return work.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handleAsync((ok, error) -> {
            abandoned.set(true);
            stats.ended(OperationStats.Kind.REGENERATE_KEY, error == null);
            try {
                if (error == null) {
                    keyRing.store(id, next);
                    result.complete(next);
                } else {
                    // Refused outright: the cache still has the old keys. Timed out: it may have either.
                    boolean unsure = failure(error, cache).code().equals(CacheFailure.TIMED_OUT);
                    keyRing.store(id, unsure ? current.settled().retiring(next) : current);
                    result.completeExceptionally(failure(error, cache));
                }
            } catch (IOException e) {
                result.completeExceptionally(new CacheFailure(CacheFailure.INTERNAL_ERROR,
                        "Cannot record the keys: " + e.getMessage()));
            }
            return null;
        }, thread);
    }

    private <T> CompletableFuture<T> withSession(CacheDescriptor cache, int database,
                                                 Function<CacheSession, CompletableFuture<T>> work) {
        return caches.open(cache, keyRing.of(cache.id()).loginCandidates(), database)
                .thenCompose(session -> {
                    CompletableFuture<T> done;
                    try {
                        done = work.apply(session);
                    } catch (RuntimeException e) {
                        done = CompletableFuture.failedFuture(e);
                    }
                    return done.whenComplete((ok, error) -> session.close());
                });
    }

    private CacheFailure failure(Throwable error, CacheDescriptor cache) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException) {
            return new CacheFailure(CacheFailure.TIMED_OUT, "The operation did not finish within "
                    + timeout.toSeconds() + " s and was ended; the cache may still complete it.");
        }
        return CacheFailure.classify(error, cache);
    }

    private void progress(String id, double percent) {
        journal.find(id).filter(r -> r.state() == OperationState.RUNNING)
                .ifPresent(r -> journal.recordProgress(r.progressed(percent)));
    }

    private void recordQuietly(OperationRecord record) {
        try {
            journal.record(record);
        } catch (IOException e) {
            // The operation goes on; memory still has the state, and the next successful write carries it.
            journal.recordProgress(record);
            LOG.log(System.Logger.Level.ERROR, "Cannot persist operation " + record.id() + ": " + e.getMessage());
        }
    }

    private void expireResults() {
        try {
            journal.expire(clock.instant(), retention);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot expire old operation results: " + e.getMessage());
        }
    }

    private CacheQueue queueOf(CacheDescriptor cache) {
        return queues.computeIfAbsent(cache.id(), id -> new CacheQueue());
    }

    @Override
    public void close() {
        // Tasks already queued (an ended operation's result being written) finish first: an
        // interrupted write would leave the result on disk as still running.
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
                thread.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
