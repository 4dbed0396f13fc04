package dev.magpie.tests.strings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one RESP2 reply into plain Java values (String for simple and bulk strings and errors,
 * Long for integers, List for arrays, null for nulls), to read structured replies such as
 * COMMAND INFO in assertions.
 */
final class RespTree {
    private final byte[] bytes;
    private int at;

    private RespTree(byte[] bytes) {
        this.bytes = bytes;
    }

    static Object parse(byte[] reply) {
        return new RespTree(reply).value();
    }

    private Object value() {
        char type = (char) bytes[at++];
        String line = line();
        switch (type) {
            case '+', '-':
                return line;
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                String text = new String(bytes, at, length, StandardCharsets.ISO_8859_1);
                at += length + 2;
                return text;
            }
            case '*': {
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
            default:
                throw new IllegalArgumentException("not a RESP2 reply type: " + type);
        }
    }

    private String line() {
        int start = at;
        while (bytes[at] != '\r') {
            at++;
        }
        String line = new String(bytes, start, at - start, StandardCharsets.ISO_8859_1);
        at += 2;
        return line;
    }

    /** The value after {@code key} in a flat key-value list (a RESP2 map). */
    static Object field(Object flatMap, String key) {
        List<?> items = (List<?>) flatMap;
        for (int i = 0; i + 1 < items.size(); i += 2) {
            if (key.equals(items.get(i))) {
                return items.get(i + 1);
            }
        }
        return null;
    }
}
