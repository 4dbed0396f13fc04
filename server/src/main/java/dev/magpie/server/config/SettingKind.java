package dev.magpie.server.config;

import dev.magpie.protocol.RespNumbers;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** How a setting's text becomes a value and back, with Redis's parsing rules and error texts. */
public abstract class SettingKind {
    public abstract Object parse(String text);

    public abstract String format(Object value);

    public static final SettingKind BOOLEAN = new SettingKind() {
        @Override
        public Object parse(String text) {
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.equals("yes")) {
                return Boolean.TRUE;
            }
            if (lower.equals("no")) {
                return Boolean.FALSE;
            }
            throw new IllegalArgumentException("argument must be 'yes' or 'no'");
        }

        @Override
        public String format(Object value) {
            return (Boolean) value ? "yes" : "no";
        }
    };

    public static final SettingKind STRING = new SettingKind() {
        @Override
        public Object parse(String text) {
            return text;
        }

        @Override
        public String format(Object value) {
            return (String) value;
        }
    };

    public static SettingKind integer(long min, long max) {
        return clampedInteger(min, max, min, max);
    }

    /**
     * An integer accepted in {@code [min, max]} and then silently brought into {@code [low, high]},
     * as Redis does with hz (0 becomes 1, 600 becomes 500).
     */
    public static SettingKind clampedInteger(long min, long max, long low, long high) {
        return new SettingKind() {
            @Override
            public Object parse(String text) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                long parsed = RespNumbers.parseLong(bytes, 0, bytes.length);
                if (parsed == RespNumbers.INVALID && !RespNumbers.isMinValue(bytes, 0, bytes.length)) {
                    throw new IllegalArgumentException("argument couldn't be parsed into an integer");
                }
                if (parsed < min || parsed > max) {
                    throw new IllegalArgumentException("argument must be between " + min + " and " + max + " inclusive");
                }
                return Math.max(low, Math.min(high, parsed));
            }

            @Override
            public String format(Object value) {
                return Long.toString((Long) value);
            }
        };
    }

    /** Byte counts with Redis's units (1k = 1000, 1kb = 1024, ... up to gb). */
    public static SettingKind memory(long min, long max) {
        return new SettingKind() {
            @Override
            public Object parse(String text) {
                long parsed = MemoryUnits.parse(text);
                if (parsed == Long.MIN_VALUE) {
                    throw new IllegalArgumentException("argument must be a memory value");
                }
                if (parsed < min || parsed > max) {
                    throw new IllegalArgumentException("argument must be between " + min + " and " + max + " inclusive");
                }
                return parsed;
            }

            @Override
            public String format(Object value) {
                return Long.toString((Long) value);
            }
        };
    }

    public static SettingKind oneOf(String... choices) {
        return new SettingKind() {
            @Override
            public Object parse(String text) {
                String lower = text.toLowerCase(Locale.ROOT);
                for (String choice : choices) {
                    if (choice.equals(lower)) {
                        return choice;
                    }
                }
                throw new IllegalArgumentException("argument(s) must be one of the following: " + String.join(", ", choices));
            }

            @Override
            public String format(Object value) {
                return (String) value;
            }
        };
    }

    /** Redis's save: pairs of "seconds changes", or empty for no snapshots. */
    public static final SettingKind SAVE = new SettingKind() {
        @Override
        public Object parse(String text) {
            String trimmed = text.trim();
            if (trimmed.isEmpty()) {
                return "";
            }
            String[] words = trimmed.split("\\s+");
            if (words.length % 2 != 0) {
                throw new IllegalArgumentException("Invalid save parameters");
            }
            StringBuilder normalised = new StringBuilder();
            for (String word : words) {
                byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
                long value = RespNumbers.parseLong(bytes, 0, bytes.length);
                if (value == RespNumbers.INVALID || value < 0 || value > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("Invalid save parameters");
                }
                if (normalised.length() > 0) {
                    normalised.append(' ');
                }
                normalised.append(value);
            }
            return normalised.toString();
        }

        @Override
        public String format(Object value) {
            return (String) value;
        }
    };

    /** notify-keyspace-events: Redis's class characters, printed back in its canonical order ("AKE"). */
    public static final SettingKind KEYSPACE_EVENTS = new SettingKind() {
        private static final String CLASSES = "g$lshzxetd";

        @Override
        public Object parse(String text) {
            boolean all = false;
            StringBuilder seen = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == 'A') {
                    all = true;
                } else if ("g$lshzxeKEtmdn".indexOf(c) >= 0) {
                    seen.append(c);
                } else {
                    throw new IllegalArgumentException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                }
            }
            String chars = seen.toString();
            StringBuilder canonical = new StringBuilder();
            boolean every = all || CLASSES.chars().allMatch(c -> chars.indexOf(c) >= 0);
            if (every) {
                canonical.append('A');
            } else {
                for (char c : CLASSES.toCharArray()) {
                    if (chars.indexOf(c) >= 0) {
                        canonical.append(c);
                    }
                }
            }
            for (char c : "KEmn".toCharArray()) {
                if (chars.indexOf(c) >= 0) {
                    canonical.append(c);
                }
            }
            // Classes without K or E deliver nothing; Redis stores them anyway and prints them back.
            return canonical.toString();
        }

        @Override
        public String format(Object value) {
            return (String) value;
        }
    };
}
