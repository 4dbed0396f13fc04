package dev.magpie.server.net;

import io.netty.channel.EventLoop;

import java.util.ArrayList;

/**
 * The connections that got replies during one pass of an event loop, flushed together once the
 * pass has read every ready connection (Redis likewise writes replies just before it sleeps).
 * A client with many connections then gets all its replies in one burst and wakes once for
 * them, instead of once per reply while the rest are still being computed.
 */
final class PassFlushes implements Runnable {
    private final EventLoop loop;
    private final ArrayList<ClientHandler> written = new ArrayList<>();

    PassFlushes(EventLoop loop) {
        this.loop = loop;
    }

    /** Flushes {@code handler} at the end of this pass (event-loop thread). */
    void add(ClientHandler handler) {
        if (written.isEmpty()) {
            loop.execute(this);
        }
        written.add(handler);
    }

    @Override
    public void run() {
        for (int i = 0; i < written.size(); i++) {
            written.get(i).flushNow();
        }
        written.clear();
    }
}
