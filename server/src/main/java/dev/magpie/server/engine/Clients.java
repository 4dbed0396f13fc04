package dev.magpie.server.engine;

import dev.magpie.server.session.Session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Connected clients by id, in connection order; engine thread only (ids are handed out anywhere). */
public final class Clients {
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, Session> byId = new LinkedHashMap<>();
    private final List<Session> monitors = new ArrayList<>();

    public long nextId() {
        return nextId.getAndIncrement();
    }

    public void add(Session session) {
        byId.put(session.id(), session);
    }

    public void remove(Session session) {
        byId.remove(session.id());
        monitors.remove(session);
    }

    public Session find(long id) {
        return byId.get(id);
    }

    public Collection<Session> all() {
        return byId.values();
    }

    public int count() {
        return byId.size();
    }

    public List<Session> monitors() {
        return monitors;
    }
}
