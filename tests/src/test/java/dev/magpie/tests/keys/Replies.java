package dev.magpie.tests.keys;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough RESP reading to normalise the replies that may legitimately differ (key order of
 * KEYS, SCAN cursors, TTLs a few milliseconds apart): integers become {@link Long}, bulk and
 * simple strings {@link String} (one char per byte), errors {@link Error}, nulls {@code null},
 * aggregates {@link List}.
 */
final class Replies {
    /** An error reply's text, without the leading '-'. */
    record Error(String text) {
    }

    private final byte[] bytes;
    private int position;

    private Replies(byte[] bytes) {
        this.bytes = bytes;
    }

    static Object parse(byte[] reply) {
        return new Replies(reply).value();
    }

    private Object value() {
        char type = (char) bytes[position++];
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                return new Error(line);
            case ':':
                return Long.parseLong(line);
            case '_':
                return null;
            case '$':
            case '=': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                String text = new String(bytes, position, length, StandardCharsets.ISO_8859_1);
                position += length + 2;
                // A verbatim string starts with its format ("txt:"), which is not part of the text.
                return type == '=' ? text.substring(4) : text;
            }
            case '*':
            case '~':
            case '%': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                if (type == '%') {
                    count *= 2;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(value());
                }
                return items;
            }
            default:
                throw new IllegalArgumentException("unexpected reply type " + type);
        }
    }

    private String line() {
        int start = position;
        while (bytes[position] != '\r') {
            position++;
        }
        String line = new String(bytes, start, position - start, StandardCharsets.ISO_8859_1);
        position += 2;
        return line;
    }
}
