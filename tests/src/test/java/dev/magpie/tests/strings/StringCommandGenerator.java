package dev.magpie.tests.strings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Random string-family commands over a small key space, so that keys collide and every command
 * meets values of every shape: integers and their edges, floats, binary bytes, embstr/raw
 * boundaries, absent keys, keys with a TTL. It also produces wrong arities, bad integers and
 * floats, conflicting options, huge and negative offsets. Expiry is chosen so both servers agree
 * regardless of timing: relative TTLs are long, absolute ones are in the past or far ahead.
 */
final class StringCommandGenerator {
    private static final String[] VALUES = {
        "", "0", "1", "-1", "7", "123", "-0", "007", "+1", " 1", "1 ", "9999", "10000",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
        "10.5", "3.0e3", "-2.5", "0.1", "1e300", "1e-300", "inf", "-inf", "nan", "0x10", "1e4000",
        "abc", "hello world", "ohmytext", "ohello", "aaaa", "abcabc",
        "12345678901234567890123456789012345678901234", // 44 bytes: the last embstr length
        "123456789012345678901234567890123456789012345", // 45 bytes: raw
        "x234567890123456789012345678901234567890123", "y2345678901234567890123456789012345678901234x",
    };
    private static final String[] INTEGERS = {
        "0", "1", "-1", "2", "5", "17", "100", "-100", "1000", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "abc", "1.5", "", " 1", "+1", "01", "-0", "4611686018427387904",
    };
    private static final String[] FLOATS = {
        "0", "0.1", "-0.1", "1", "-1", "1.5", "3.0e3", "-3e3", "1e300", "-1e300", "1e-20", "5e-324",
        "1.7976931348623157e308", "1e4000", "-1e4000", "1e5000", "1e-5000", "12345678901234567890",
        "0.000003814697265625", "inf", "-inf", "+inf", "nan", "abc", "", " 1", "1 ", "0x1p3", "0x1.8p-2",
        "+.5", "5.", ".", "1e", "1e+", "-", "1.00000000000000000000000001", "9223372036854775807",
    };
    private static final String[] OFFSETS = {
        "0", "1", "2", "3", "7", "10", "44", "45", "100", "-1", "abc", "536870912", "9223372036854775807",
        "-9223372036854775808", "1.0",
    };
    private static final String[] RANGE_INDEXES = {
        "0", "1", "2", "3", "-1", "-2", "-3", "5", "44", "100", "-100", "9223372036854775807",
        "-9223372036854775808", "x", "",
    };

    private final Random random;
    private final String prefix;
    private final int keyCount;

    StringCommandGenerator(long seed, String prefix, int keyCount) {
        this.random = new Random(seed);
        this.prefix = prefix;
        this.keyCount = keyCount;
    }

    String key(int index) {
        return prefix + index;
    }

    int keyCount() {
        return keyCount;
    }

    /** The next command, name first. */
    List<byte[]> next() {
        int pick = random.nextInt(100);
        List<byte[]> command;
        if (pick < 8) {
            command = args("GET", randomKey());
        } else if (pick < 22) {
            command = set();
        } else if (pick < 25) {
            command = args("SETNX", randomKey(), value());
        } else if (pick < 28) {
            command = args(random.nextBoolean() ? "SETEX" : "PSETEX", randomKey(), relativeTtl(), value());
        } else if (pick < 31) {
            command = args("GETSET", randomKey(), value());
        } else if (pick < 33) {
            command = args("GETDEL", randomKey());
        } else if (pick < 38) {
            command = getex();
        } else if (pick < 41) {
            command = multiKey("MGET", false);
        } else if (pick < 44) {
            command = multiKey(random.nextBoolean() ? "MSET" : "MSETNX", true);
        } else if (pick < 51) {
            command = args("APPEND", randomKey(), value());
        } else if (pick < 53) {
            command = args("STRLEN", randomKey());
        } else if (pick < 61) {
            command = counter();
        } else if (pick < 67) {
            command = args("INCRBYFLOAT", randomKey(), aFloat());
        } else if (pick < 73) {
            command = args(random.nextInt(4) == 0 ? "SUBSTR" : "GETRANGE", randomKey(), rangeIndex(), rangeIndex());
        } else if (pick < 80) {
            command = setrange();
        } else if (pick < 86) {
            command = lcs();
        } else if (pick < 92) {
            command = wrongArity();
        } else {
            command = args("SET", randomKey(), value());
        }
        mixCase(command);
        return command;
    }

    private List<byte[]> set() {
        List<byte[]> command = args("SET", randomKey(), value());
        int options = random.nextInt(4);
        for (int i = 0; i < options; i++) {
            switch (random.nextInt(10)) {
                case 0 -> command.add(bytes("NX"));
                case 1 -> command.add(bytes("XX"));
                case 2, 3 -> command.add(bytes("GET"));
                case 4 -> command.add(bytes("KEEPTTL"));
                case 5 -> {
                    command.add(bytes(random.nextBoolean() ? "EX" : "PX"));
                    if (random.nextInt(8) != 0) {
                        command.add(bytes(relativeTtl()));
                    }
                }
                case 6, 7 -> {
                    command.add(bytes(random.nextBoolean() ? "EXAT" : "PXAT"));
                    command.add(bytes(absoluteTime(command.get(command.size() - 1))));
                }
                case 8 -> command.add(bytes(random.nextBoolean() ? "PERSIST" : "BOGUS"));
                default -> command.add(bytes(random.nextBoolean() ? "EX" : "GET"));
            }
        }
        return command;
    }

    private List<byte[]> getex() {
        List<byte[]> command = args("GETEX", randomKey());
        int options = random.nextInt(3);
        for (int i = 0; i < options; i++) {
            switch (random.nextInt(8)) {
                case 0, 1 -> command.add(bytes("PERSIST"));
                case 2, 3 -> {
                    command.add(bytes(random.nextBoolean() ? "EX" : "PX"));
                    if (random.nextInt(8) != 0) {
                        command.add(bytes(relativeTtl()));
                    }
                }
                case 4, 5 -> {
                    command.add(bytes(random.nextBoolean() ? "EXAT" : "PXAT"));
                    command.add(bytes(absoluteTime(command.get(command.size() - 1))));
                }
                case 6 -> command.add(bytes(random.nextBoolean() ? "KEEPTTL" : "NX"));
                default -> command.add(bytes("GET"));
            }
        }
        return command;
    }

    private List<byte[]> multiKey(String name, boolean withValues) {
        List<byte[]> command = args(name);
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            command.add(bytes(randomKey()));
            if (withValues) {
                command.add(value());
            }
        }
        if (withValues && random.nextInt(8) == 0) {
            command.remove(command.size() - 1); // an odd number of arguments
        }
        return command;
    }

    private List<byte[]> counter() {
        return switch (random.nextInt(4)) {
            case 0 -> args("INCR", randomKey());
            case 1 -> args("DECR", randomKey());
            case 2 -> args("INCRBY", randomKey(), pick(INTEGERS));
            default -> args("DECRBY", randomKey(), pick(INTEGERS));
        };
    }

    private List<byte[]> setrange() {
        String offset = pick(OFFSETS);
        List<byte[]> command = args("SETRANGE", randomKey(), offset);
        if (offset.equals("536870911") || random.nextInt(6) == 0) {
            command.add(new byte[0]);
        } else {
            command.add(shortValue());
        }
        return command;
    }

    private List<byte[]> lcs() {
        List<byte[]> command = args("LCS", randomKey(), randomKey());
        int options = random.nextInt(4);
        for (int i = 0; i < options; i++) {
            switch (random.nextInt(7)) {
                case 0, 1 -> command.add(bytes("IDX"));
                case 2 -> command.add(bytes("LEN"));
                case 3 -> command.add(bytes("WITHMATCHLEN"));
                case 4, 5 -> {
                    command.add(bytes("MINMATCHLEN"));
                    if (random.nextInt(6) != 0) {
                        command.add(bytes(pick(new String[] {"0", "1", "2", "3", "-1", "x"})));
                    }
                }
                default -> command.add(bytes("FOO"));
            }
        }
        return command;
    }

    /** A string command with an argument count its arity refuses. */
    private List<byte[]> wrongArity() {
        String[][] shapes = {
            {"GET"}, {"GET", "k", "x"}, {"SET", "k"}, {"SETNX", "k"}, {"SETEX", "k", "10"}, {"PSETEX", "k", "1", "v", "x"},
            {"GETSET", "k"}, {"GETDEL"}, {"GETDEL", "k", "x"}, {"GETEX"}, {"MGET"}, {"MSET", "k"}, {"MSETNX"},
            {"APPEND", "k"}, {"STRLEN"}, {"INCR"}, {"DECR", "k", "1"}, {"INCRBY", "k"}, {"DECRBY", "k", "1", "2"},
            {"INCRBYFLOAT", "k"}, {"GETRANGE", "k", "0"}, {"SETRANGE", "k", "0"}, {"SUBSTR", "k"}, {"LCS", "k"},
        };
        String[] shape = shapes[random.nextInt(shapes.length)];
        List<byte[]> command = new ArrayList<>();
        for (String arg : shape) {
            command.add(bytes(arg.equals("k") ? randomKey() : arg));
        }
        return command;
    }

    /**
     * Relative TTLs long enough in either unit (PX included) that no key expires during a run:
     * a key expiring between the two servers' copies of a command would be a timing race, not a
     * difference of behaviour.
     */
    private String relativeTtl() {
        return pick(new String[] {"600000", "3600000", "86400", "100000", "0", "-1", "abc", "1.5",
            "9223372036854775807", "9223372036854776", "9223372036854775", "-9223372036854775808"});
    }

    /** Absolute times, in the unit of the option just added: long past, or far ahead. */
    private String absoluteTime(byte[] option) {
        boolean seconds = new String(option, StandardCharsets.US_ASCII).equalsIgnoreCase("EXAT");
        long now = System.currentTimeMillis();
        return switch (random.nextInt(6)) {
            case 0 -> "1";
            case 1 -> seconds ? String.valueOf(now / 1000 - 100) : String.valueOf(now - 100_000);
            case 2 -> seconds ? String.valueOf(now / 1000 + 100_000) : String.valueOf(now + 100_000_000);
            case 3 -> "0";
            case 4 -> seconds ? "9223372036854775" : "9223372036854775807";
            default -> "x";
        };
    }

    private byte[] value() {
        int kind = random.nextInt(10);
        if (kind < 5) {
            return bytes(pick(VALUES));
        }
        if (kind < 7) {
            return bytes(String.valueOf(random.nextInt(2001) - 1000));
        }
        if (kind < 8) {
            return bytes(randomDouble());
        }
        if (kind < 9) {
            return shortValue();
        }
        byte[] binary = new byte[random.nextInt(random.nextInt(8) == 0 ? 300 : 20)];
        random.nextBytes(binary);
        return binary;
    }

    private byte[] shortValue() {
        String alphabet = random.nextBoolean() ? "ab" : "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(random.nextInt(5) == 0 ? 60 : 10);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return bytes(text.toString());
    }

    private String aFloat() {
        int kind = random.nextInt(3);
        if (kind == 0) {
            return pick(FLOATS);
        }
        if (kind == 1) {
            return randomDouble();
        }
        return String.valueOf(random.nextInt(200) - 100);
    }

    /** Decimal text of assorted magnitudes and precisions, in plain and exponent notation. */
    private String randomDouble() {
        double magnitude = Math.pow(10, random.nextInt(40) - 20);
        double value = (random.nextDouble() - 0.5) * magnitude;
        return switch (random.nextInt(4)) {
            case 0 -> Double.toString(value);
            case 1 -> String.format(Locale.ROOT, "%.3f", value);
            case 2 -> String.format(Locale.ROOT, "%.25e", value);
            default -> String.format(Locale.ROOT, "%.1f", Math.rint(value * 10) / 10);
        };
    }

    private String rangeIndex() {
        return random.nextInt(3) == 0 ? String.valueOf(random.nextInt(61) - 30) : pick(RANGE_INDEXES);
    }

    private String randomKey() {
        return key(random.nextInt(keyCount));
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    /** Commands and options are case-insensitive: exercise that too. */
    private void mixCase(List<byte[]> command) {
        if (random.nextInt(4) != 0) {
            return;
        }
        byte[] name = command.get(0);
        for (int i = 0; i < name.length; i++) {
            if (random.nextBoolean()) {
                name[i] = (byte) Character.toLowerCase(name[i]);
            }
        }
    }

    private static List<byte[]> args(String... args) {
        List<byte[]> list = new ArrayList<>();
        for (String arg : args) {
            list.add(bytes(arg));
        }
        return list;
    }

    private static List<byte[]> args(String name, String key, byte[] value) {
        List<byte[]> list = args(name, key);
        list.add(value);
        return list;
    }

    private static List<byte[]> args(String name, String key, String middle, byte[] value) {
        List<byte[]> list = args(name, key, middle);
        list.add(value);
        return list;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
