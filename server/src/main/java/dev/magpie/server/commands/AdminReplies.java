package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;

import java.util.Locale;

/** Reply shapes shared by the admin families (CLIENT, SLOWLOG, LATENCY, DEBUG, MEMORY). */
final class AdminReplies {
    private AdminReplies() {
    }

    /**
     * A HELP reply as Redis shapes it: a header naming the command, the given lines, and the
     * closing HELP entry, each as a status line.
     */
    static void help(RespWriter out, String command, String... lines) {
        out.arrayHeader(lines.length + 3L);
        out.simple(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) {
            out.simple(line);
        }
        out.simple("HELP");
        out.simple("    Prints this help.");
    }

    /** Redis's error for a known subcommand given the wrong arguments (or an unknown one). */
    static String subcommandSyntax(Arguments args) {
        String sub = args.string(1);
        if (sub.length() > 128) {
            sub = sub.substring(0, 128);
        }
        return "ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try "
                + args.string(0).toUpperCase(Locale.ROOT) + " HELP.";
    }

    /** True for "on"/"off" in any case; {@link #isOn} tells which. */
    static boolean isOnOff(Arguments args, int index) {
        return args.is(index, "on") || args.is(index, "off");
    }

    static boolean isOn(Arguments args, int index) {
        return args.is(index, "on");
    }
}
