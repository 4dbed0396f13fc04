package dev.magpie.management.operations;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the plane's operations since it started, for its metrics: how many were accepted, refused
 * because the cache's queue was full, ended Succeeded or Failed, and how many are waiting or running
 * now. Updated from the operations thread, read from any.
 */
public final class OperationStats {

    /** The kinds of operation, named as the metrics label them. */
    public enum Kind {
        FLUSH("flush"), REGENERATE_KEY("regenerateKey");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One kind's counts at one moment. */
    public record Counts(long submitted, long rejected, long succeeded, long failed) {
        /** Accepted and not yet ended: queued behind another operation, or running. */
        public long inFlight() {
            return submitted - succeeded - failed;
        }
    }

    private final Map<Kind, AtomicLong[]> counters = new EnumMap<>(Kind.class);

    public OperationStats() {
        for (Kind kind : Kind.values()) {
            counters.put(kind, new AtomicLong[] {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()});
        }
    }

    void submitted(Kind kind) {
        counters.get(kind)[0].incrementAndGet();
    }

    void rejected(Kind kind) {
        counters.get(kind)[1].incrementAndGet();
    }

    void ended(Kind kind, boolean succeeded) {
        counters.get(kind)[succeeded ? 2 : 3].incrementAndGet();
    }

    public Map<Kind, Counts> snapshot() {
        Map<Kind, Counts> snapshot = new EnumMap<>(Kind.class);
        counters.forEach((kind, c) -> snapshot.put(kind, new Counts(c[0].get(), c[1].get(), c[2].get(), c[3].get())));
        return snapshot;
    }
}
