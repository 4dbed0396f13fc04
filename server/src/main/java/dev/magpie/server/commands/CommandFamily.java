package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
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
}
