package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.session.Session;

/** Shared plumbing of the classes that declare and implement one family of commands. */
public abstract class CommandFamily {
    protected final Engine engine;

    protected CommandFamily(Engine engine) {
        this.engine = engine;
    }

    /** Declares this family's commands in the table. */
    public abstract void register(CommandTable table);

    protected final void error(Session session, String message) {
        engine.error(session, message);
    }

    protected final void syntaxError(Session session) {
        engine.error(session, Errors.SYNTAX);
    }

    /** Parses an integer argument, answering Redis's error when it is not one; check {@code args.parsedOk()}. */
    protected final long integerArg(Session session, Arguments args, int index) {
        long value = args.parseLong(index);
        if (!args.parsedOk()) {
            engine.error(session, Errors.NOT_INTEGER);
        }
        return value;
    }

    protected static CommandSpec command(String name) {
        return CommandSpec.command(name);
    }

    /** The key spec of a command whose one key is its first argument. */
    protected static KeySpec oneKey(String flags) {
        return KeySpec.range(flags, 1, 0, 1, 0);
    }

    // ---- for a family's helper classes in this package ------------------------------------------

    final Engine engine() {
        return engine;
    }

    final void fail(Session session, String message) {
        error(session, message);
    }

    final void syntax(Session session) {
        syntaxError(session);
    }

    /** An integer argument; when it is not one, Redis's error is sent and {@code args.parsedOk()} is false. */
    final long integer(Session session, Arguments args, int i) {
        return integerArg(session, args, i);
    }
}
