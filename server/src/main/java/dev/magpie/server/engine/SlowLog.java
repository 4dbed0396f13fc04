package dev.magpie.server.engine;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.session.Session;

import java.util.ArrayDeque;
import java.util.Deque;

/** SLOWLOG: the slowest recent commands, newest first, with Redis's argument truncation. */
public final class SlowLog {
    private static final int MAX_ARGS = 32;
    private static final int MAX_ARG_BYTES = 128;

    /** One logged command. */
    public record Record(long id, long unixSeconds, long micros, byte[][] args, String clientAddress, String clientName) {
    }

    private final Deque<Record> records = new ArrayDeque<>();
    private long nextId;

    public void add(Session session, Arguments args, long micros, long maxLength) {
        int argc = Math.min(args.count(), MAX_ARGS);
        byte[][] kept = new byte[argc][];
        for (int i = 0; i < argc; i++) {
            if (argc == MAX_ARGS && i == argc - 1) {
                kept[i] = ("... (" + (args.count() - argc + 1) + " more arguments)").getBytes();
            } else if (Redaction.redacted(args, i)) {
                kept[i] = Redaction.REDACTED;
            } else if (args.length(i) > MAX_ARG_BYTES) {
                byte[] head = new byte[MAX_ARG_BYTES];
                System.arraycopy(args.data(), args.offset(i), head, 0, MAX_ARG_BYTES);
                String suffix = "... (" + (args.length(i) - MAX_ARG_BYTES) + " more bytes)";
                byte[] joined = new byte[MAX_ARG_BYTES + suffix.length()];
                System.arraycopy(head, 0, joined, 0, MAX_ARG_BYTES);
                System.arraycopy(suffix.getBytes(), 0, joined, MAX_ARG_BYTES, suffix.length());
                kept[i] = joined;
            } else {
                kept[i] = args.bytes(i);
            }
        }
        String name = session.name() == null ? "" : session.name();
        records.addFirst(new Record(nextId++, System.currentTimeMillis() / 1000, micros, kept,
                session.connection().remoteAddress(), name));
        trim(maxLength);
    }

    public void trim(long maxLength) {
        while (records.size() > maxLength) {
            records.removeLast();
        }
    }

    public Iterable<Record> records() {
        return records;
    }

    public int size() {
        return records.size();
    }

    public void reset() {
        records.clear();
    }
}
