package dev.magpie.server.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/** LATENCY: per-event spikes over latency-monitor-threshold, one sample per second, 160 kept. */
public final class LatencyMonitor {
    private static final int HISTORY = 160;

    /** A second in which the event took {@code millis} at worst. */
    public record Sample(long unixSeconds, long millis) {
    }

    /** One event's history and its all-time maximum. */
    public static final class Event {
        public final Deque<Sample> samples = new ArrayDeque<>();
        public long maxMillis;
    }

    private final Map<String, Event> events = new LinkedHashMap<>();

    public void record(String event, long millis) {
        long now = System.currentTimeMillis() / 1000;
        Event history = events.computeIfAbsent(event, e -> new Event());
        Sample last = history.samples.peekLast();
        if (last != null && last.unixSeconds() == now) {
            if (millis > last.millis()) {
                history.samples.pollLast();
                history.samples.addLast(new Sample(now, millis));
            }
        } else {
            history.samples.addLast(new Sample(now, millis));
            if (history.samples.size() > HISTORY) {
                history.samples.pollFirst();
            }
        }
        history.maxMillis = Math.max(history.maxMillis, millis);
    }

    public Map<String, Event> events() {
        return events;
    }

    public int reset(Iterable<String> names) {
        int removed = 0;
        if (names == null) {
            removed = events.size();
            events.clear();
            return removed;
        }
        for (String name : names) {
            if (events.remove(name) != null) {
                removed++;
            }
        }
        return removed;
    }
}
