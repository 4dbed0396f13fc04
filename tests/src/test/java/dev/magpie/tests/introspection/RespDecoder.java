package dev.magpie.tests.introspection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one whole reply's bytes into plain values for structural comparisons: strings (simple,
 * bulk, verbatim without its format), errors as {@link Error}, integers as Long, arrays and sets
 * as List, maps as LinkedHashMap, nulls as null.
 */
final class RespDecoder {
    /** An error reply's text. */
    record Error(String message) {
    }

    private final byte[] bytes;
    private int position;

    private RespDecoder(byte[] bytes) {
        this.bytes = bytes;
    }

    static Object decode(byte[] reply) {
        return new RespDecoder(reply).value();
    }

    private String line() {
        int start = position;
        while (bytes[position] != '\r') {
            position++;
        }
        String text = new String(bytes, start, position - start, StandardCharsets.UTF_8);
        position += 2;
        return text;
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
            case '#':
                return line.equals("t");
            case ',':
            case '(':
                return line;
            case '$':
            case '=': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                String text = new String(bytes, position, length, StandardCharsets.UTF_8);
                position += length + 2;
                return type == '=' ? text.substring(4) : text;
            }
            case '*':
            case '~':
            case '>': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(value());
                }
                return items;
            }
            case '%': {
                int count = Integer.parseInt(line);
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

    /** A RESP2 flat array of pairs (or a RESP3 map) as a map. */
    @SuppressWarnings("unchecked")
    static Map<Object, Object> pairs(Object reply) {
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
}
