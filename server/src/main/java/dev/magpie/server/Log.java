package dev.magpie.server;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Redis-style log lines on stdout: "pid:M 21 Nov 2026 06:35:41.123 * message". */
public final class Log {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ROOT);
    private static final long PID = ProcessHandle.current().pid();
    private static volatile int level = 2;

    private Log() {
    }

    /** 0 debug, 1 verbose, 2 notice, 3 warning, 4 nothing. */
    public static void level(String name) {
        level = switch (name) {
            case "debug" -> 0;
            case "verbose" -> 1;
            case "warning" -> 3;
            case "nothing" -> 4;
            default -> 2;
        };
    }

    public static void notice(String message) {
        write(2, '*', message);
    }

    public static void warning(String message) {
        write(3, '#', message);
    }

    public static void verbose(String message) {
        write(1, '-', message);
    }

    private static void write(int severity, char mark, String message) {
        if (severity < level) {
            return;
        }
        String line = PID + ":M " + TIME.format(ZonedDateTime.now()) + " " + mark + " " + message;
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

    public static long pid() {
        return PID;
    }
}
