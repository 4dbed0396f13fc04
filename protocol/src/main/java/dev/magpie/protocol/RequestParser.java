package dev.magpie.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Decodes Redis requests (RESP multibulk arrays and inline commands) from a cumulation buffer
 * into a {@link CommandBatch}, with the limits and error texts of Redis's request parser.
 *
 * <p>Only whole commands are consumed: an incomplete command is left in the buffer and parsed
 * again from its start when more bytes arrive. After a protocol error nothing more is parsed.
 *
 * <p>Line ends are searched for the way Redis's C string search does it: a NUL byte ends the
 * search, so a count line or inline request with a NUL before its line end stays incomplete
 * until the buffer passes the 64 KB limit. Redis behaves so; matching it keeps the replies equal.
 */
public final class RequestParser {
    /** Redis's PROTO_INLINE_MAX_SIZE: the longest inline request or count line. */
    public static final int INLINE_MAX = 64 * 1024;
    /** Multibulk counts and bulk lengths allowed before a client has authenticated (as Redis). */
    private static final int UNAUTHENTICATED_MAX_ARGS = 10;
    private static final int UNAUTHENTICATED_MAX_BULK = 16384;

    /** Stops at the first '\n' or NUL, like strchr(buffer, '\n'). */
    private static final ByteProcessor FIND_LF_OR_NUL = b -> b != '\n' && b != 0;
    /** Stops at the first '\r' or NUL, like strchr(buffer, '\r'). */
    private static final ByteProcessor FIND_CR_OR_NUL = b -> b != '\r' && b != 0;

    private static final short CRLF = ('\r' << 8) | '\n';

    private long maxBulkLength = 512L * 1024 * 1024;
    private boolean authenticated = true;

    public void maxBulkLength(long bytes) {
        this.maxBulkLength = bytes;
    }

    /** Before AUTH succeeds, Redis accepts only tiny requests so an anonymous peer cannot make it allocate. */
    public void authenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    /**
     * Appends every complete command in {@code in} to {@code batch}, advancing the reader index past them.
     * A malformed request sets {@link CommandBatch#protocolError()} and stops parsing.
     *
     * <p>Before authentication a batch holds at most one command: the limits depend on whether the
     * client has authenticated, and an AUTH earlier in the same read must lift them for the commands
     * after it, as it does in Redis, which parses and runs one command at a time.
     *
     * @param maxCommands stop after this many commands, so one read cannot build an unbounded batch
     */
    public void parse(ByteBuf in, CommandBatch batch, int maxCommands) {
        int limit = authenticated ? maxCommands : Math.min(maxCommands, 1);
        while (in.isReadable() && batch.commandCount() < limit && batch.protocolError() == null) {
            int start = in.readerIndex();
            boolean complete = in.getByte(start) == '*' ? parseMultibulk(in, batch) : parseInline(in, batch);
            if (!complete) {
                in.readerIndex(start);
                return;
            }
        }
    }

    private boolean parseInline(ByteBuf in, CommandBatch batch) {
        int start = in.readerIndex();
        int newline = lineEnd(in, start, in.writerIndex(), FIND_LF_OR_NUL);
        if (newline < 0) {
            if (in.readableBytes() > INLINE_MAX) {
                batch.protocolError("too big inline request");
                return true;
            }
            return false;
        }
        int end = newline;
        if (end > start && in.getByte(end - 1) == '\r') {
            end--;
        }
        in.readerIndex(newline + 1);
        batch.beginCommand();
        if (!InlineSplitter.split(in, start, end, batch)) {
            batch.abandonCommand();
            batch.protocolError("unbalanced quotes in request");
            return true;
        }
        if (batch.pendingArgs() > 0) {
            batch.endCommand();
        }
        return true;
    }

    private boolean parseMultibulk(ByteBuf in, CommandBatch batch) {
        int start = in.readerIndex();
        int limit = in.writerIndex();
        int cr = lineEnd(in, start, limit, FIND_CR_OR_NUL);
        if (cr < 0) {
            if (limit - start > INLINE_MAX) {
                batch.protocolError("too big mbulk count string");
                return true;
            }
            return false;
        }
        if (cr + 1 >= limit) {
            return false;
        }
        long count = parseDecimal(in, start + 1, cr);
        if (count == RespNumbers.INVALID || count > Integer.MAX_VALUE) {
            batch.protocolError("invalid multibulk length");
            return true;
        }
        if (!authenticated && count > UNAUTHENTICATED_MAX_ARGS) {
            batch.protocolError("unauthenticated multibulk length");
            return true;
        }
        int position = cr + 2;
        if (count <= 0) {
            in.readerIndex(position);
            return true;
        }
        // Redis skips the byte after each CR and the two after each bulk unread; only a
        // command with CRLF in all those places is the text Redis would write for it.
        boolean verbatim = in.getByte(cr + 1) == '\n';
        batch.beginCommand();
        for (long i = 0; i < count; i++) {
            if (position >= limit) {
                batch.abandonCommand();
                return false;
            }
            int lineEnd = lineEnd(in, position, limit, FIND_CR_OR_NUL);
            if (lineEnd < 0) {
                batch.abandonCommand();
                if (limit - position > INLINE_MAX) {
                    batch.protocolError("too big bulk count string");
                    return true;
                }
                return false;
            }
            if (lineEnd + 1 >= limit) {
                batch.abandonCommand();
                return false;
            }
            byte marker = in.getByte(position);
            if (marker != '$') {
                batch.abandonCommand();
                batch.protocolError("expected '$', got '" + (char) (marker & 0xFF) + "'");
                return true;
            }
            long length = parseDecimal(in, position + 1, lineEnd);
            if (length == RespNumbers.INVALID || length < 0 || length > maxBulkLength) {
                batch.abandonCommand();
                batch.protocolError("invalid bulk length");
                return true;
            }
            if (!authenticated && length > UNAUTHENTICATED_MAX_BULK) {
                batch.abandonCommand();
                batch.protocolError("unauthenticated bulk length");
                return true;
            }
            int dataStart = lineEnd + 2;
            if ((long) dataStart + length + 2 > limit) {
                batch.abandonCommand();
                return false;
            }
            batch.multibulkArg(dataStart - start, (int) length);
            position = dataStart + (int) length + 2;
            verbatim &= in.getByte(lineEnd + 1) == '\n' && in.getShort(position - 2) == CRLF;
        }
        batch.endMultibulk(in, start, position - start, verbatim);
        in.readerIndex(position);
        return true;
    }

    /** Index of the byte {@code stopper} stops at in {@code [from, to)} if it is not NUL; -1 otherwise. */
    private static int lineEnd(ByteBuf in, int from, int to, ByteProcessor stopper) {
        int found = in.forEachByte(from, to - from, stopper);
        return found >= 0 && in.getByte(found) != 0 ? found : -1;
    }

    /** Redis's string2ll over {@code in[from, to)}; {@link RespNumbers#INVALID} when malformed or out of range. */
    private static long parseDecimal(ByteBuf in, int from, int to) {
        int length = to - from;
        if (length <= 0 || length > 20) {
            return RespNumbers.INVALID;
        }
        if (length >= 19) {
            return parseSlow(in, from, length); // 19 and 20 characters may overflow a long: check every step
        }
        if (length == 1 && in.getByte(from) == '0') {
            return 0;
        }
        int i = from;
        boolean negative = in.getByte(i) == '-';
        if (negative && ++i == to) {
            return RespNumbers.INVALID;
        }
        byte first = in.getByte(i);
        if (first < '1' || first > '9') {
            return RespNumbers.INVALID;
        }
        long value = 0;
        for (; i < to; i++) {
            int digit = in.getByte(i) - '0';
            if (digit < 0 || digit > 9) {
                return RespNumbers.INVALID;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    private static long parseSlow(ByteBuf in, int from, int length) {
        byte[] digits = new byte[length];
        in.getBytes(from, digits);
        return RespNumbers.parseLong(digits, 0, length);
    }
}
