package dev.magpie.server.persistence;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/** Reads back the reply a command just wrote (RESP2 or RESP3), for the rewrites that depend on it. */
final class AofReplyReader {
    private int at;

    boolean isNull(ByteBuf buf, int start) {
        if (start >= buf.writerIndex()) {
            return true;
        }
        byte type = buf.getByte(start);
        return type == '_' || ((type == '$' || type == '*') && buf.getByte(start + 1) == '-');
    }

    /** The integer reply at {@code start}, or Long.MIN_VALUE when it is not one. */
    long integer(ByteBuf buf, int start) {
        if (start >= buf.writerIndex() || buf.getByte(start) != ':') {
            return Long.MIN_VALUE;
        }
        at = start + 1;
        return number(buf);
    }

    /** The bulk string reply at {@code start}, or null. */
    byte[] bulk(ByteBuf buf, int start) {
        if (isNull(buf, start) || buf.getByte(start) != '$') {
            return null;
        }
        at = start;
        return element(buf);
    }

    /**
     * The flat elements of an array or set reply (a single bulk counts as one element); nested
     * aggregates are skipped. Empty for a null reply.
     */
    List<byte[]> elements(ByteBuf buf, int start) {
        List<byte[]> elements = new ArrayList<>();
        if (isNull(buf, start)) {
            return elements;
        }
        byte type = buf.getByte(start);
        if (type == '$') {
            at = start;
            elements.add(element(buf));
            return elements;
        }
        if (type != '*' && type != '~') {
            return elements;
        }
        at = start + 1;
        long count = number(buf);
        for (long i = 0; i < count && at < buf.writerIndex(); i++) {
            byte[] element = element(buf);
            if (element != null) {
                elements.add(element);
            }
        }
        return elements;
    }

    /** Reads the element at {@link #at}: a bulk's bytes, a simple line's text, or null for what is skipped. */
    private byte[] element(ByteBuf buf) {
        byte type = buf.getByte(at++);
        switch (type) {
            case '$' -> {
                long length = number(buf);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = new byte[(int) length];
                buf.getBytes(at, bytes);
                at += (int) length + 2;
                return bytes;
            }
            case '*', '~', '%' -> {
                long count = number(buf) * (type == '%' ? 2 : 1);
                for (long i = 0; i < count; i++) {
                    element(buf);
                }
                return null;
            }
            default -> {
                int end = at;
                while (buf.getByte(end) != '\r') {
                    end++;
                }
                byte[] line = new byte[end - at];
                buf.getBytes(at, line);
                at = end + 2;
                return line;
            }
        }
    }

    private long number(ByteBuf buf) {
        boolean negative = buf.getByte(at) == '-';
        if (negative) {
            at++;
        }
        long value = 0;
        byte b;
        while ((b = buf.getByte(at++)) != '\r') {
            value = value * 10 + (b - '0');
        }
        at++; // '\n'
        return negative ? -value : value;
    }
}
