package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.engine.Pause;
import dev.magpie.server.session.Session;

/**
 * One line of CLIENT LIST / CLIENT INFO, with Redis 7.0's fields in Redis 7.0's order, followed
 * by the lib-name and lib-ver fields CLIENT SETINFO fills (Redis 7.2 adds them there too).
 */
final class ClientInfo {
    /** Client types as CLIENT LIST TYPE and CLIENT KILL TYPE name them. */
    enum Type {
        NORMAL, REPLICA, MASTER, PUBSUB;

        /** The type named by a TYPE argument, or null; "slave" is the old name of "replica". */
        static Type named(String name) {
            return switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "normal" -> NORMAL;
                case "slave", "replica" -> REPLICA;
                case "master" -> MASTER;
                case "pubsub" -> PUBSUB;
                default -> null;
            };
        }
    }

    private ClientInfo() {
    }

    /** Every connection here is a normal client: monitors count as normal, as in Redis. */
    static Type typeOf(Session session) {
        return Type.NORMAL;
    }

    /**
     * Appends the line for {@code target}. When it is the {@code caller}, the fields describe the
     * command being executed ({@code runningCommand}, its arguments), as Redis shows them.
     */
    static void append(StringBuilder line, Session target, Session caller, String runningCommand, Arguments args,
                       long nowMillis) {
        boolean self = target == caller;
        long argvMem = 0;
        if (self) {
            for (int i = 0; i < args.count(); i++) {
                argvMem += args.length(i);
            }
        }
        long bufferSize = target.out().buffer().capacity();
        long bufferUsed = self ? target.out().size() : 0;
        line.append("id=").append(target.id())
                .append(" addr=").append(target.connection().remoteAddress())
                .append(" laddr=").append(target.connection().localAddress())
                .append(" fd=").append(target.connection().fd())
                .append(" name=").append(target.name() == null ? "" : target.name())
                .append(" age=").append((nowMillis - target.createdAtMillis()) / 1000)
                .append(" idle=").append(self ? 0 : (nowMillis - target.lastInteractionMillis()) / 1000)
                .append(" flags=");
        appendFlags(line, target);
        line.append(" db=").append(target.database().index())
                .append(" sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0")
                .append(" argv-mem=").append(argvMem)
                .append(" multi-mem=0")
                .append(" rbs=").append(bufferSize)
                .append(" rbp=").append(bufferUsed)
                .append(" obl=0 oll=0 omem=0")
                .append(" tot-mem=").append(bufferSize + argvMem)
                .append(" events=r")
                .append(" cmd=").append(self ? runningCommand : target.lastCommand())
                .append(" user=default redir=-1")
                .append(" resp=").append(target.out().protocol())
                .append(" lib-name=").append(orEmpty(target.libraryName()))
                .append(" lib-ver=").append(orEmpty(target.libraryVersion()));
    }

    /** Redis's flag letters, in its order; N when none applies. */
    private static void appendFlags(StringBuilder line, Session target) {
        int start = line.length();
        if (target.monitor()) {
            line.append('O');
        }
        if (target.blocked()) {
            line.append('b');
        }
        if (target.closing()) {
            line.append('c');
        }
        if (target.noEvict()) {
            line.append('e');
        }
        if (target.noTouch()) {
            line.append('T');
        }
        if (line.length() == start) {
            line.append('N');
        }
    }

    /** True when the session waits for a CLIENT PAUSE to end rather than for a blocking command. */
    static boolean pausedOnly(Session session) {
        return session.blockedOn() instanceof Pause;
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
