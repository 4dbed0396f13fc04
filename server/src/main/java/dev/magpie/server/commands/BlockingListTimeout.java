package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.session.Session;

/**
 * The timeout argument of the blocking list commands, read as Redis 7.0 reads it: seconds as a long
 * double (fractions, exponents and hex floats allowed), times 1000, rounded up to whole
 * milliseconds; 0 waits forever. Anything else in this family's style can reuse it.
 */
final class BlockingListTimeout {
    /** Returned after the error reply. */
    static final long INVALID = -1;

    private BlockingListTimeout() {
    }

    /** The absolute deadline in ms (0 = forever), or {@link #INVALID} after replying with Redis's error. */
    static long deadline(Engine engine, Session session, Arguments args, int index) {
        ExtendedFloat seconds = ExtendedFloat.parse(args.data(), args.offset(index), args.length(index));
        if (seconds == null) {
            engine.error(session, "ERR timeout is not a float or out of range");
            return INVALID;
        }
        long millis = seconds.timesThousandCeiling();
        if (millis < 0) {
            engine.error(session, "ERR timeout is negative");
            return INVALID;
        }
        if (millis == 0) {
            return 0;
        }
        long now = System.currentTimeMillis();
        // Redis's deadline overflows here, and such a client is then never timed out.
        return millis > Long.MAX_VALUE - now ? 0 : now + millis;
    }
}
