package dev.magpie.server.engine;

import dev.magpie.server.command.Arguments;

/**
 * Which arguments MONITOR and SLOWLOG show as "(redacted)", as Redis does: every argument of
 * AUTH, and the user name and password after HELLO's AUTH.
 */
final class Redaction {
    static final byte[] REDACTED = "(redacted)".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Redaction() {
    }

    static boolean redacted(Arguments args, int index) {
        if (index == 0) {
            return false;
        }
        if (args.is(0, "auth")) {
            return true;
        }
        if (args.is(0, "hello")) {
            for (int i = 2; i + 2 < args.count(); i++) {
                if (args.is(i, "auth") && (index == i + 1 || index == i + 2)) {
                    return true;
                }
            }
        }
        return false;
    }
}
