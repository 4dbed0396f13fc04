package dev.magpie.tests.support;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last few commands of a seeded differential run, each with redis-server's reply, and the
 * report of a disagreement that shows them: what differed, how to rerun the seed, both sides, and
 * the commands that led there.
 */
public final class RecentCommands {
    private final int capacity;
    private final Deque<String> lines = new ArrayDeque<>();

    public RecentCommands(int capacity) {
        this.capacity = capacity;
    }

    /** Remembers a command and the text of Redis's reply to it (as the caller chose to shorten it). */
    public void add(String command, String reply) {
        lines.addLast(command + " -> " + reply);
        if (lines.size() > capacity) {
            lines.removeFirst();
        }
    }

    /**
     * "Magpie and redis-server disagree on {@code subject}", then the seed, protocol and step, the
     * system property that reruns the seed, both sides, and the remembered commands, oldest first.
     */
    public String report(String subject, long seed, int protocol, int step, String seedProperty,
                         String redisSide, String magpieSide) {
        StringBuilder text = new StringBuilder("Magpie and redis-server disagree on ").append(subject)
                .append("\n  seed ").append(seed).append(", RESP").append(protocol).append(", step ").append(step)
                .append(" (rerun with -D").append(seedProperty).append('=').append(seed).append(")")
                .append("\n  redis-server: ").append(redisSide)
                .append("\n  magpie:       ").append(magpieSide)
                .append("\n  preceding commands (oldest first):");
        for (String line : lines) {
            text.append("\n    ").append(line);
        }
        return text.toString();
    }

    /** At most {@code max} characters of {@code text}, with "..." when cut. */
    public static String shorten(String text, int max) {
        return text.length() > max ? text.substring(0, max) + "..." : text;
    }
}
