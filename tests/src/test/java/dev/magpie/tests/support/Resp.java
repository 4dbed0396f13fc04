package dev.magpie.tests.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Small helpers to build request bytes and to show reply bytes in assertion messages. */
public final class Resp {
    private Resp() {
    }

    /** A command as a RESP array of bulk strings, each argument in UTF-8. */
    public static byte[] command(String... args) {
        byte[][] raw = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            raw[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return command(raw);
    }

    /** A command as a RESP array of bulk strings with arbitrary binary arguments. */
    public static byte[] command(byte[]... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeAscii(out, "*" + args.length + "\r\n");
        for (byte[] arg : args) {
            writeAscii(out, "$" + arg.length + "\r\n");
            out.writeBytes(arg);
            writeAscii(out, "\r\n");
        }
        return out.toByteArray();
    }

    /**
     * The bytes of {@code text} one char per byte (ISO-8859-1), so {@code "\u00ff"} is byte 0xff:
     * the way to spell raw protocol streams, including malformed ones, in a test.
     */
    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Bytes back as a one-char-per-byte string (inverse of {@link #bytes(String)}). */
    public static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** A readable, unambiguous rendering: printable ASCII as is, {@code \r \n \t \\ "} escaped, others as {@code \xHH}. */
    public static String escape(byte[] bytes) {
        if (bytes == null) {
            return "<no reply: connection closed>";
        }
        StringBuilder text = new StringBuilder(bytes.length + 16).append('"');
        for (byte b : bytes) {
            int c = b & 0xFF;
            switch (c) {
                case '\r' -> text.append("\\r");
                case '\n' -> text.append("\\n");
                case '\t' -> text.append("\\t");
                case '\\' -> text.append("\\\\");
                case '"' -> text.append("\\\"");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        text.append((char) c);
                    } else {
                        text.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return text.append('"').toString();
    }

    /** Like {@link #escape(byte[])} but at most about {@code max} characters: long replies in messages stay readable. */
    public static String escape(byte[] bytes, int max) {
        String full = escape(bytes);
        if (full.length() <= max) {
            return full;
        }
        return full.substring(0, max) + "\"... (" + bytes.length + " bytes in all)";
    }

    /** A command for messages: its arguments, space separated, each escaped when needed, long ones cut. */
    public static String describe(String... args) {
        StringBuilder text = new StringBuilder();
        for (String arg : args) {
            if (text.length() > 0) {
                text.append(' ');
            }
            boolean plain = !arg.isEmpty() && arg.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"');
            String shown = plain ? arg : escape(arg.getBytes(StandardCharsets.UTF_8));
            text.append(shown.length() > 100 ? shown.substring(0, 100) + "...(" + arg.length() + " chars)" : shown);
        }
        return text.toString();
    }

    private static void writeAscii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
