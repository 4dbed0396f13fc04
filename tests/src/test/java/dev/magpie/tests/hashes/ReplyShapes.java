package dev.magpie.tests.hashes;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Byte-level views of RESP2/RESP3 replies for comparing collections whose order Redis itself does
 * not fix (hashtable-encoded hashes and sets): an aggregate's elements, kept as their raw bytes,
 * and a canonical form with the elements (or field/value pairs) sorted.
 */
public final class ReplyShapes {
    private ReplyShapes() {
    }

    /** The index just past the reply element starting at {@code at}. */
    public static int end(byte[] reply, int at) {
        byte type = reply[at];
        int lineEnd = lineEnd(reply, at);
        String line = new String(reply, at + 1, lineEnd - at - 1, StandardCharsets.ISO_8859_1);
        int next = lineEnd + 2;
        switch (type) {
            case '$', '=', '!' -> {
                int length = Integer.parseInt(line);
                return length < 0 ? next : next + length + 2;
            }
            case '*', '~', '>', '%', '|' -> {
                long count = Long.parseLong(line);
                if (type == '%' || type == '|') {
                    count *= 2;
                }
                for (long i = 0; i < count; i++) {
                    next = end(reply, next);
                }
                return next;
            }
            default -> {
                return next;
            }
        }
    }

    private static int lineEnd(byte[] reply, int at) {
        int i = at;
        while (reply[i] != '\r') {
            i++;
        }
        return i;
    }

    /** The raw elements of a top-level aggregate (empty for anything else). */
    public static List<byte[]> elements(byte[] reply) {
        List<byte[]> out = new ArrayList<>();
        byte type = reply[0];
        if (type != '*' && type != '~' && type != '%') {
            return out;
        }
        int at = lineEnd(reply, 0) + 2;
        while (at < reply.length) {
            int next = end(reply, at);
            out.add(Arrays.copyOfRange(reply, at, next));
            at = next;
        }
        return out;
    }

    /** The header line of a reply ("*3", "~2", "%1", "$-1"...). */
    public static String header(byte[] reply) {
        return new String(reply, 0, lineEnd(reply, 0), StandardCharsets.ISO_8859_1);
    }

    /**
     * The reply with its aggregate's elements sorted, in groups of {@code group} (2 for a flat
     * field/value list), so two replies holding the same collection in another order compare equal.
     */
    public static byte[] canonical(byte[] reply, int group) {
        List<byte[]> elements = elements(reply);
        if (elements.isEmpty()) {
            return reply;
        }
        List<byte[]> groups = new ArrayList<>();
        for (int i = 0; i + group <= elements.size(); i += group) {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (int j = 0; j < group; j++) {
                joined.writeBytes(elements.get(i + j));
            }
            groups.add(joined.toByteArray());
        }
        groups.sort(Arrays::compareUnsigned);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((header(reply) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        groups.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** The text of a bulk string element ("$3\r\nabc\r\n" gives "abc"), null for a null. */
    public static String bulkText(byte[] element) {
        if (element[0] != '$') {
            return null;
        }
        int lineEnd = lineEnd(element, 0);
        int length = Integer.parseInt(new String(element, 1, lineEnd - 1, StandardCharsets.ISO_8859_1));
        if (length < 0) {
            return null;
        }
        return new String(element, lineEnd + 2, length, StandardCharsets.ISO_8859_1);
    }
}
