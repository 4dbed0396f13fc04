package dev.magpie.server.commands;

import dev.magpie.server.command.CommandTable;
import dev.magpie.server.engine.Engine;

/** CONFIG GET, SET, RESETSTAT, REWRITE. */
public final class ConfigCommands extends CommandFamily {
    public ConfigCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
    }
}
