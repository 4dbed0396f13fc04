package dev.magpie.server.commands;

import dev.magpie.server.command.CommandTable;
import dev.magpie.server.engine.Engine;

/** Server commands: DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, TIME, LASTSAVE, SHUTDOWN, MEMORY, MONITOR. */
public final class ServerCommands extends CommandFamily {
    public ServerCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
    }
}
