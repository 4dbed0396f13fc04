package dev.magpie.server.config;

import java.util.Locale;

/** Redis's memtoull: "1gb" = 1024^3, "1g" = 1000^3, a plain number is bytes. */
public final class MemoryUnits {
    private MemoryUnits() {
    }

    /** Bytes, or Long.MIN_VALUE when the text is not a memory value. */
    public static long parse(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        long multiplier = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"},
            {"k", "1000"}, {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
        for (String[] unit : units) {
            if (lower.endsWith(unit[0])) {
                multiplier = Long.parseLong(unit[1]);
                lower = lower.substring(0, lower.length() - unit[0].length());
                break;
            }
        }
        if (lower.isEmpty() || !lower.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Long.MIN_VALUE;
        }
        try {
            return Math.multiplyExact(Long.parseLong(lower), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
