package dev.magpie.server.commands;

import dev.magpie.server.command.CommandTable;
import dev.magpie.server.engine.Engine;

/** COMMAND: the command table as clients see it. */
public final class CommandCommand extends CommandFamily {
    public CommandCommand(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
    }
}
