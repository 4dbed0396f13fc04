package dev.magpie.server.persistence;

import dev.magpie.server.session.Session;
import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The group commit of {@code appendfsync always}: a reply buffer flushed while commands are
 * appended but not yet fsynced is held, tagged with the AOF offset it depends on, and sent once
 * the writer reports that offset durable. Every reply waits, not only those of writes, as in
 * Redis (which fsyncs before it sends anything): a read must not show a write that a crash could
 * still take back. Held buffers of one session go out in order. Engine thread only, except
 * {@link #hasWaiters()}.
 */
final class AofReplyGate implements Session.ReplyGate {
    private record Held(ByteBuf replies, long needs) {
    }

    private final Aof aof;
    private final Map<Session, ArrayDeque<Held>> held = new IdentityHashMap<>();
    private volatile int waiting;

    AofReplyGate(Aof aof) {
        this.aof = aof;
    }

    @Override
    public boolean hold(Session session, ByteBuf replies) {
        if (aof.alwaysPolicy()) {
            aof.publish();
        }
        if (held.isEmpty() && !aof.holdsReplies()) {
            return false;
        }
        ArrayDeque<Held> queue = held.get(session);
        if (queue == null) {
            if (!aof.holdsReplies()) {
                return false;
            }
            queue = new ArrayDeque<>(2);
            held.put(session, queue);
            waiting = held.size();
        }
        long needs = aof.appendedOffset();
        queue.addLast(new Held(replies, needs));
        // The writer may have fsynced between the check above and `waiting` becoming visible, and
        // then seen no waiter to wake: both sides write their volatile before reading the other's,
        // so at least one of them notices, and this side schedules the release itself.
        if (aof.syncedOffset() >= needs) {
            aof.scheduleRelease();
        }
        return true;
    }

    /** Whether the session has replies waiting (its connection must not close before they go). */
    boolean holding(Session session) {
        return !held.isEmpty() && held.containsKey(session);
    }

    boolean hasWaiters() {
        return waiting > 0;
    }

    /** Sends what the offset {@code synced} now covers; engine thread. */
    void release(long synced) {
        if (held.isEmpty()) {
            return;
        }
        for (Iterator<Map.Entry<Session, ArrayDeque<Held>>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Session, ArrayDeque<Held>> entry = it.next();
            Session session = entry.getKey();
            ArrayDeque<Held> queue = entry.getValue();
            if (session.closed()) {
                for (Held h : queue) {
                    h.replies().release();
                }
                it.remove();
                continue;
            }
            while (!queue.isEmpty() && queue.peekFirst().needs() <= synced) {
                session.connection().send(queue.pollFirst().replies());
            }
            if (queue.isEmpty()) {
                it.remove();
                if (session.closing()) {
                    session.connection().close();
                }
            }
        }
        waiting = held.size();
    }

    /** Sends everything held (the AOF was switched off, or the server stops after a final fsync). */
    void releaseAll() {
        release(Long.MAX_VALUE);
    }
}
