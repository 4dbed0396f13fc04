package dev.magpie.server.engine;

import dev.magpie.server.keyspace.Database;
import dev.magpie.server.session.Session;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Clients blocked on keys (BLPOP, BZPOPMIN, ...), served in the order they blocked. A write
 * that may satisfy them marks the key ready; after the command that wrote it, each waiting
 * client's command runs again, in order, until one cannot be served. Timeouts, CLIENT UNBLOCK
 * and disconnects release them. Engine thread only.
 */
public final class Blocking {
    /** What a client gets when its wait ends without data. */
    public enum TimeoutReply {
        NULL_ARRAY, NULL_BULK
    }

    /** Why a session waits: the keys, the deadline and what to answer on timeout. */
    public static final class Wait {
        final Database database;
        final List<ByteBuffer> keys;
        final long deadlineMillis;
        final TimeoutReply timeoutReply;

        Wait(Database database, List<ByteBuffer> keys, long deadlineMillis, TimeoutReply timeoutReply) {
            this.database = database;
            this.keys = keys;
            this.deadlineMillis = deadlineMillis;
            this.timeoutReply = timeoutReply;
        }
    }

    private record KeyRef(Database database, ByteBuffer key) {
    }

    private record Deadline(long millis, Session session, Wait waited) {
    }

    private final Engine engine;
    private final Map<KeyRef, ArrayDeque<Session>> waiting = new HashMap<>();
    private final LinkedHashSet<KeyRef> ready = new LinkedHashSet<>();
    private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>((a, b) -> Long.compare(a.millis, b.millis));
    private int blockedCount;
    private boolean serving;
    /** Set when a command called {@link #block} while being retried: it stays where it was in line. */
    private boolean retryStillBlocked;
    private Session retrying;

    Blocking(Engine engine) {
        this.engine = engine;
    }

    public int blockedCount() {
        return blockedCount;
    }

    /**
     * Parks the session's batch until one of {@code keys} (copies, not request bytes) is ready, the deadline passes
     * ({@code deadlineMillis} 0 waits forever) or it is unblocked.
     */
    public void block(Session session, Database database, List<byte[]> keys, long deadlineMillis, TimeoutReply reply) {
        if (session == retrying) {
            retryStillBlocked = true;
            return;
        }
        List<ByteBuffer> wrapped = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            ByteBuffer k = ByteBuffer.wrap(key);
            wrapped.add(k);
            waiting.computeIfAbsent(new KeyRef(database, k), r -> new ArrayDeque<>()).addLast(session);
        }
        Wait wait = new Wait(database, wrapped, deadlineMillis, reply);
        session.block(wait, deadlineMillis);
        blockedCount++;
        if (deadlineMillis > 0) {
            deadlines.add(new Deadline(deadlineMillis, session, wait));
            engine.thread().schedule(this::expireDeadlines, Math.max(0, deadlineMillis - System.currentTimeMillis()));
        }
    }

    /** A write may have made {@code key} able to serve waiting clients. */
    public void signalReady(Database database, byte[] key, int offset, int length) {
        if (waiting.isEmpty()) {
            return;
        }
        KeyRef ref = new KeyRef(database, ByteBuffer.wrap(key, offset, length).slice());
        if (waiting.containsKey(ref)) {
            ready.add(new KeyRef(database, ByteBuffer.wrap(java.util.Arrays.copyOfRange(key, offset, offset + length))));
        }
    }

    /** Serves clients waiting on keys made ready by the last command; called by the engine after each command. */
    void serveReady() {
        if (serving || ready.isEmpty()) {
            return;
        }
        serving = true;
        try {
            while (!ready.isEmpty()) {
                Iterator<KeyRef> first = ready.iterator();
                KeyRef key = first.next();
                first.remove();
                serveKey(key);
            }
        } finally {
            serving = false;
        }
    }

    /**
     * Offers the key to its waiters in the order they blocked. One that still cannot be served
     * (the value went to an earlier waiter, or it waits for another type) keeps its place, and
     * the ones behind it still get their turn, as Redis skips waiters of another type.
     */
    private void serveKey(KeyRef key) {
        ArrayDeque<Session> queue = waiting.get(key);
        if (queue == null) {
            return;
        }
        for (Session session : new ArrayList<>(queue)) {
            if (!(session.blockedOn() instanceof Wait)) {
                continue;
            }
            retrying = session;
            retryStillBlocked = false;
            try {
                engine.retryBlocked(session);
            } finally {
                retrying = null;
            }
            if (!retryStillBlocked) {
                release(session);
                engine.resume(session);
            }
        }
    }

    /** Removes the session from every wait list; it is no longer blocked. */
    private void release(Session session) {
        if (!(session.blockedOn() instanceof Wait wait)) {
            return;
        }
        for (ByteBuffer key : wait.keys) {
            KeyRef ref = new KeyRef(wait.database, key);
            ArrayDeque<Session> queue = waiting.get(ref);
            if (queue != null) {
                queue.remove(session);
                if (queue.isEmpty()) {
                    waiting.remove(ref);
                }
            }
        }
        session.unblock();
        blockedCount--;
    }

    /** Ends waits whose deadline has passed with the command's null reply. */
    public void expireDeadlines() {
        long now = System.currentTimeMillis();
        while (!deadlines.isEmpty() && deadlines.peek().millis <= now) {
            Deadline due = deadlines.poll();
            if (due.session.blockedOn() == due.waited) {
                endWithReply(due.session, due.waited.timeoutReply, null);
            }
        }
        engine.drainResumable();
        engine.flushPending();
    }

    /** CLIENT UNBLOCK: ends the wait with the timeout reply, or with an error. Returns false if not blocked on keys. */
    public boolean unblock(Session session, boolean withError) {
        if (!(session.blockedOn() instanceof Wait wait)) {
            return false;
        }
        endWithReply(session, wait.timeoutReply, withError ? "UNBLOCKED client unblocked via CLIENT UNBLOCK" : null);
        return true;
    }

    private void endWithReply(Session session, TimeoutReply reply, String error) {
        release(session);
        if (error != null) {
            engine.error(session, error);
        } else if (reply == TimeoutReply.NULL_BULK) {
            session.out().nullBulk();
        } else {
            session.out().nullArray();
        }
        engine.resume(session);
    }

    /** A disconnected session leaves nothing behind. */
    void remove(Session session) {
        release(session);
    }
}
