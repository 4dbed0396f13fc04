package dev.magpie.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Splits an inline request line into arguments with the quoting rules of Redis's
 * {@code sdssplitargs}: double quotes with C-style and {@code \xHH} escapes, single quotes
 * with only {@code \'}, and a closing quote that must be followed by a space or the end.
 */
final class InlineSplitter {
    private InlineSplitter() {
    }

    /** Appends the arguments of {@code line[start, end)} to the batch's current command; false on bad quoting. */
    static boolean split(ByteBuf line, int start, int end, CommandBatch batch) {
        int p = start;
        while (true) {
            while (p < end && isSpace(line.getByte(p))) {
                p++;
            }
            if (p >= end) {
                return true;
            }
            int offset = batch.reserveArg(end - p);
            byte[] out = batch.data();
            int length = 0;
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                if (inDouble) {
                    if (p >= end) {
                        return false;
                    }
                    byte c = line.getByte(p);
                    if (c == '\\' && p + 3 < end && line.getByte(p + 1) == 'x'
                            && isHex(line.getByte(p + 2)) && isHex(line.getByte(p + 3))) {
                        out[offset + length++] = (byte) (hex(line.getByte(p + 2)) * 16 + hex(line.getByte(p + 3)));
                        p += 3;
                    } else if (c == '\\' && p + 1 < end) {
                        p++;
                        out[offset + length++] = unescape(line.getByte(p));
                    } else if (c == '"') {
                        if (p + 1 < end && !isSpace(line.getByte(p + 1))) {
                            return false;
                        }
                        done = true;
                    } else {
                        out[offset + length++] = c;
                    }
                } else if (inSingle) {
                    if (p >= end) {
                        return false;
                    }
                    byte c = line.getByte(p);
                    if (c == '\\' && p + 1 < end && line.getByte(p + 1) == '\'') {
                        p++;
                        out[offset + length++] = '\'';
                    } else if (c == '\'') {
                        if (p + 1 < end && !isSpace(line.getByte(p + 1))) {
                            return false;
                        }
                        done = true;
                    } else {
                        out[offset + length++] = c;
                    }
                } else {
                    if (p >= end) {
                        break;
                    }
                    byte c = line.getByte(p);
                    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0) {
                        done = true;
                    } else if (c == '"') {
                        inDouble = true;
                    } else if (c == '\'') {
                        inSingle = true;
                    } else {
                        out[offset + length++] = c;
                    }
                }
                if (p < end) {
                    p++;
                }
            }
            batch.trimLastArg(length);
        }
    }

    private static byte unescape(byte c) {
        switch (c) {
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'b': return '\b';
            case 'a': return 7;
            default: return c;
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(byte c) {
        if (c <= '9') {
            return c - '0';
        }
        return (c | 0x20) - 'a' + 10;
    }
}
