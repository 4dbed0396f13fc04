package dev.magpie.tests.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one whole reply's bytes into plain values for structural comparisons and assertions:
 * simple, bulk and verbatim strings (without the verbatim format), doubles and big numbers as
 * {@link String} (one char per byte, so binary data survives), errors as {@link Error}, integers
 * as {@link Long}, booleans as {@link Boolean}, arrays, sets and pushes as {@link List}, maps as
 * {@link LinkedHashMap} (or, with {@link #decodeFlat}, as the flat list RESP2 would send), nulls
 * as {@code null}.
 */
public final class ReplyDecoder {
    /** An error reply's text, without the leading '-'. */
    public record Error(String text) {
    }

    private final byte[] bytes;
    private final boolean flatMaps;
    private int position;

    private ReplyDecoder(byte[] bytes, boolean flatMaps) {
        this.bytes = bytes;
        this.flatMaps = flatMaps;
    }

    public static Object decode(byte[] reply) {
        return new ReplyDecoder(reply, false).value();
    }

    /** Like {@link #decode} but maps come back as flat key, value, key, value lists, as in RESP2. */
    public static Object decodeFlat(byte[] reply) {
        return new ReplyDecoder(reply, true).value();
    }

    /** A RESP2 flat array of pairs (or a RESP3 map) as a map. */
    @SuppressWarnings("unchecked")
    public static Map<Object, Object> pairs(Object reply) {
        if (reply instanceof Map<?, ?> map) {
            return (Map<Object, Object>) map;
        }
        List<Object> list = (List<Object>) reply;
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < list.size(); i += 2) {
            map.put(list.get(i), list.get(i + 1));
        }
        return map;
    }

    /** The value after the first {@code key} in a flat key-value list (a RESP2 map); null if absent. */
    public static Object field(Object flatMap, String key) {
        List<?> items = (List<?>) flatMap;
        for (int i = 0; i + 1 < items.size(); i += 2) {
            if (key.equals(items.get(i))) {
                return items.get(i + 1);
            }
        }
        return null;
    }

    private String line() {
        int start = position;
        while (bytes[position] != '\r') {
            position++;
        }
        String text = new String(bytes, start, position - start, StandardCharsets.ISO_8859_1);
        position += 2;
        return text;
    }

    private Object value() {
        char type = (char) bytes[position++];
        String line = line();
        switch (type) {
            case '+':
            case ',':
            case '(':
                return line;
            case '-':
                return new Error(line);
            case ':':
                return Long.parseLong(line);
            case '_':
                return null;
            case '#':
                return line.equals("t");
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
            case '>':
                return items(Integer.parseInt(line));
            case '%': {
                int count = Integer.parseInt(line);
                if (flatMaps) {
                    return items(count < 0 ? count : count * 2);
                }
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < count; i++) {
                    Object key = value();
                    map.put(key, value());
                }
                return map;
            }
            default:
                throw new IllegalArgumentException("unexpected reply type " + type);
        }
    }

    private List<Object> items(int count) {
        if (count < 0) {
            return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(value());
        }
        return items;
    }
}
