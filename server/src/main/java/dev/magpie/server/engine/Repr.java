package dev.magpie.server.engine;

/** Redis's sdscatrepr: a quoted, escaped rendering of binary data. */
public final class Repr {
    private Repr() {
    }

    public static void append(StringBuilder out, byte[] data, int offset, int length) {
        out.append('"');
        for (int i = offset; i < offset + length; i++) {
            int c = data[i] & 0xFF;
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                default -> {
                    if (c >= 32 && c < 127) {
                        out.append((char) c);
                    } else {
                        out.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        out.append('"');
    }

    public static String of(byte[] data) {
        StringBuilder out = new StringBuilder();
        append(out, data, 0, data.length);
        return out.toString();
    }
}
