package dev.magpie.server.commands;

import dev.magpie.server.command.CommandTable;
import dev.magpie.server.engine.Engine;

/** INFO and its sections. */
public final class InfoCommand extends CommandFamily {
    public InfoCommand(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
    }
}
