package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.HashSlots;
import dev.magpie.server.types.HashValue;
import dev.magpie.server.types.HashView;
import dev.magpie.server.types.SetMember;
import dev.magpie.server.types.SetValue;
import dev.magpie.server.types.Values;
import dev.magpie.server.util.GlobPattern;

import java.util.ArrayList;
import java.util.function.IntConsumer;

/**
 * HSCAN and SSCAN (Redis's scanGenericCommand for one key): a listpack or intset answers
 * everything at once with cursor 0; a table is walked from the cursor, COUNT buckets' worth at a
 * time (at most COUNT * 10 buckets), then MATCH filters what was gathered.
 */
final class HashScanning {
    private static final String INVALID_CURSOR = "ERR invalid cursor";
    private static final int RETAINED = 4096;

    private final Engine engine;
    private final HashView view = new HashView();
    private final SetMember member = new SetMember();
    /** Gathered elements (engine thread only): fields and values alternate for hashes. */
    private final ArrayList<byte[]> found = new ArrayList<>();
    private HashSlots scanned;
    private boolean pairs;
    private final IntConsumer collect = this::collect;
    private long count;
    private byte[] pattern;
    private boolean cursorValid;

    HashScanning(Engine engine) {
        this.engine = engine;
    }

    void hscan(Session session, Arguments args) {
        scan(session, args, Entry.TYPE_HASH);
    }

    void sscan(Session session, Arguments args) {
        scan(session, args, Entry.TYPE_SET);
    }

    private void scan(Session session, Arguments args, byte type) {
        long cursor = parseCursor(args, 2);
        if (!cursorValid) {
            engine.error(session, INVALID_CURSOR);
            return;
        }
        Object value = Values.lookup(engine, session, session.database(), args.data(), args.offset(1), args.length(1),
                type, false);
        if (value == Values.WRONG_TYPE) {
            return;
        }
        RespWriter out = session.out();
        if (value == null) {
            out.arrayHeader(2);
            out.bulk("0");
            out.emptyArray();
            return;
        }
        if (!parseOptions(session, args)) {
            return;
        }
        found.clear();
        try {
            pairs = type == Entry.TYPE_HASH;
            HashSlots table = pairs ? ((HashValue) value).table() : ((SetValue) value).table();
            if (table == null) {
                gatherAll(value);
                cursor = 0;
            } else {
                scanned = table;
                long maxIterations = count * 10;
                do {
                    cursor = table.scan(cursor, collect);
                } while (cursor != 0 && maxIterations-- != 0 && found.size() < count); // fields and values both count, as in Redis
            }
            int step = pairs ? 2 : 1;
            int kept = 0;
            for (int i = 0; i < found.size(); i += step) {
                byte[] element = found.get(i);
                if (pattern == null || GlobPattern.matches(pattern, 0, pattern.length, element, 0, element.length, false)) {
                    for (int j = 0; j < step; j++) {
                        found.set(kept++, found.get(i + j));
                    }
                }
            }
            out.arrayHeader(2);
            out.bulk(Long.toUnsignedString(cursor));
            out.arrayHeader(kept);
            for (int i = 0; i < kept; i++) {
                out.bulk(found.get(i));
            }
        } finally {
            scanned = null;
            boolean large = found.size() > RETAINED;
            found.clear();
            if (large) {
                found.trimToSize();
            }
        }
    }

    private void gatherAll(Object value) {
        if (value instanceof HashValue hash) {
            for (int at = hash.first(); at >= 0; at = hash.next(at)) {
                hash.load(at, view);
                found.add(view.field());
                found.add(view.value());
            }
        } else {
            SetValue set = (SetValue) value;
            for (int at = set.first(); at >= 0; at = set.next(at)) {
                set.load(at, member);
                found.add(member.copy());
            }
        }
    }

    private void collect(int slot) {
        byte[] page = scanned.array(slot);
        int keyOffset = scanned.keyOffset(slot);
        found.add(java.util.Arrays.copyOfRange(page, keyOffset, keyOffset + scanned.keyLength(slot)));
        if (pairs) {
            int valueOffset = scanned.valueOffset(slot);
            found.add(java.util.Arrays.copyOfRange(page, valueOffset, valueOffset + scanned.valueLength(slot)));
        }
    }

    /** COUNT and MATCH, as Redis reads them (TYPE belongs to SCAN alone). */
    private boolean parseOptions(Session session, Arguments args) {
        count = 10;
        pattern = null;
        for (int i = 3; i < args.count(); i += 2) {
            boolean hasValue = i + 1 < args.count();
            if (StringCommands.option(args, i, "COUNT") && hasValue) {
                count = args.parseLong(i + 1);
                if (!args.parsedOk()) {
                    engine.error(session, Errors.NOT_INTEGER);
                    return false;
                }
                if (count < 1) {
                    engine.error(session, Errors.SYNTAX);
                    return false;
                }
            } else if (StringCommands.option(args, i, "MATCH") && hasValue) {
                byte[] text = args.bytes(i + 1);
                pattern = text.length == 1 && text[0] == '*' ? null : text;
            } else {
                engine.error(session, Errors.SYNTAX);
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a cursor as C's strtoul does for Redis: an optional sign (a minus negates modulo 2^64),
     * decimal digits, nothing after them; no leading space, no overflow. Sets {@link #cursorValid}.
     */
    private long parseCursor(Arguments args, int index) {
        byte[] data = args.data();
        int start = args.offset(index);
        int end = start + args.length(index);
        for (int i = start; i < end; i++) {
            if (data[i] == 0) {
                end = i; // C sees the string end at the first NUL
                break;
            }
        }
        cursorValid = false;
        if (start == end) {
            cursorValid = true;
            return 0;
        }
        int i = start;
        boolean negative = false;
        if (data[i] == '+' || data[i] == '-') {
            negative = data[i] == '-';
            i++;
        }
        if (i == end) {
            return 0;
        }
        long value = 0;
        for (; i < end; i++) {
            int digit = data[i] - '0';
            if (digit < 0 || digit > 9) {
                return 0;
            }
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L, 10)) > 0) {
                return 0;
            }
            long next = value * 10 + digit;
            if (Long.compareUnsigned(next, value * 10) < 0) {
                return 0;
            }
            value = next;
        }
        cursorValid = true;
        return negative ? -value : value;
    }
}
