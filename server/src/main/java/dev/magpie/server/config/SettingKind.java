package dev.magpie.server.config;

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
        return new SettingKind() {
            @Override
            public Object parse(String text) {
                long parsed;
                try {
                    parsed = Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("argument couldn't be parsed into an integer");
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
}
