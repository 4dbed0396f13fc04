package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.Values;
import dev.magpie.server.util.GlobPattern;

/**
 * The cursor and options of SCAN, HSCAN, SSCAN and ZSCAN, read as Redis's scanGenericCommand
 * reads them. One instance per command family, reused between calls (engine thread only).
 */
final class ScanOptions {
    private static final String INVALID_CURSOR = "ERR invalid cursor";

    private final Engine engine;
    private long cursor;
    private long count;
    private byte[] pattern;
    private int typeIndex;

    ScanOptions(Engine engine) {
        this.engine = engine;
    }

    /** Reads the cursor at {@code index}, answering Redis's error when it is not one. */
    boolean parseCursor(Session session, Arguments args, int index) {
        if (!readCursor(args, index)) {
            engine.error(session, INVALID_CURSOR);
            return false;
        }
        return true;
    }

    /**
     * COUNT, MATCH and (where {@code typeAllowed}, as for SCAN alone) TYPE from {@code first} on,
     * answering Redis's error for the first one that is wrong.
     */
    boolean parseOptions(Session session, Arguments args, int first, boolean typeAllowed) {
        count = 10;
        pattern = null;
        typeIndex = -1;
        for (int i = first; i < args.count(); i += 2) {
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
            } else if (typeAllowed && StringCommands.option(args, i, "TYPE") && hasValue) {
                typeIndex = i + 1;
            } else {
                engine.error(session, Errors.SYNTAX);
                return false;
            }
        }
        return true;
    }

    long cursor() {
        return cursor;
    }

    long count() {
        return count;
    }

    /** The index of TYPE's argument, or -1 when there is none. */
    int typeIndex() {
        return typeIndex;
    }

    /** Whether an element passes MATCH (always, when there is none or it is "*"). */
    boolean matches(byte[] element) {
        return pattern == null || GlobPattern.matches(pattern, element, false);
    }

    /**
     * HSCAN's, SSCAN's and ZSCAN's collection under argument 1 (of {@code type}), then their options
     * from argument 3 on, in Redis's order; null once it has replied instead: WRONGTYPE, the empty
     * scan of a missing key (whatever its options), or an option's error.
     */
    Object collection(Session session, Arguments args, byte type) {
        Object value = Values.lookup(engine, session, session.database(), args.data(), args.offset(1), args.length(1),
                type, false);
        if (value == Values.WRONG_TYPE) {
            return null;
        }
        if (value == null) {
            RespWriter out = session.out();
            out.arrayHeader(2);
            out.bulk("0");
            out.emptyArray();
            return null;
        }
        return parseOptions(session, args, 3, false) ? value : null;
    }

    /**
     * Reads a cursor as C's strtoul does for Redis: an optional sign (a minus negates modulo 2^64),
     * decimal digits, nothing after them; no leading space, no overflow. An empty string is 0.
     */
    private boolean readCursor(Arguments args, int index) {
        byte[] data = args.data();
        int start = args.offset(index);
        int end = start + args.length(index);
        for (int i = start; i < end; i++) {
            if (data[i] == 0) {
                end = i; // C sees the string end at the first NUL
                break;
            }
        }
        cursor = 0;
        if (start == end) {
            return true;
        }
        int i = start;
        boolean negative = false;
        if (data[i] == '+' || data[i] == '-') {
            negative = data[i] == '-';
            i++;
        }
        if (i == end) {
            return false;
        }
        long value = 0;
        for (; i < end; i++) {
            int digit = data[i] - '0';
            if (digit < 0 || digit > 9) {
                return false;
            }
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L, 10)) > 0) {
                return false;
            }
            long next = value * 10 + digit;
            if (Long.compareUnsigned(next, value * 10) < 0) {
                return false;
            }
            value = next;
        }
        cursor = negative ? -value : value;
        return true;
    }
}
