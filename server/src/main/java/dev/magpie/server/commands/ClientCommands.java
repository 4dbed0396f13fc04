package dev.magpie.server.commands;

import dev.magpie.server.command.CommandTable;
import dev.magpie.server.engine.Engine;

/** CLIENT and its subcommands. */
public final class ClientCommands extends CommandFamily {
    public ClientCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
    }
}
