package dev.magpie.management.operations;

import dev.magpie.management.caches.CacheSession;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanCursor;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * Magpie's extension to flush: removes the keys under a prefix with SCAN and UNLINK in bounded batches,
 * so the cache keeps serving its other clients between batches, reporting progress as it goes.
 */
final class PrefixFlush {

    private static final int BATCH = 500;

    private final CacheSession session;
    private final FlushScope scope;
    private final BooleanSupplier abandoned;
    private final DoubleConsumer progress;
    private long total;
    private long scanned;

    private PrefixFlush(CacheSession session, FlushScope scope, BooleanSupplier abandoned, DoubleConsumer progress) {
        this.session = session;
        this.scope = scope;
        this.abandoned = abandoned;
        this.progress = progress;
    }

    static CompletableFuture<Void> run(CacheSession session, FlushScope scope, BooleanSupplier abandoned,
                                       DoubleConsumer progress) {
        PrefixFlush flush = new PrefixFlush(session, scope, abandoned, progress);
        return session.databaseSize().thenCompose(size -> {
            flush.total = Math.max(1, size);
            return flush.step(ScanCursor.INITIAL);
        });
    }

    private CompletableFuture<Void> step(ScanCursor cursor) {
        if (abandoned.getAsBoolean()) {
            return CompletableFuture.completedFuture(null);
        }
        return session.scan(cursor, globEscape(scope.prefix()) + "*", BATCH).thenCompose(page -> {
            List<String> doomed = page.getKeys().stream().filter(this::selected).distinct().toList();
            CompletableFuture<Long> removed = doomed.isEmpty()
                    ? CompletableFuture.completedFuture(0L) : session.unlink(doomed);
            return removed.thenCompose(count -> advance(page));
        });
    }

    private CompletableFuture<Void> advance(KeyScanCursor<String> page) {
        scanned += page.getKeys().size();
        if (page.isFinished()) {
            return CompletableFuture.completedFuture(null);
        }
        // SCAN may return a key more than once, so the estimate is capped short of done.
        progress.accept(Math.min(99.0, 100.0 * scanned / total));
        return step(page);
    }

    /** Without recursive, only the level right under the prefix: no further ':' after it. */
    private boolean selected(String key) {
        return key.startsWith(scope.prefix())
                && (scope.recursive() || key.indexOf(':', scope.prefix().length()) < 0);
    }

    private static String globEscape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
