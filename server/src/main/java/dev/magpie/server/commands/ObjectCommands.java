package dev.magpie.server.commands;

import dev.magpie.server.command.CommandTable;
import dev.magpie.server.engine.Engine;

/** OBJECT: introspection of a key's encoding and access data. */
public final class ObjectCommands extends CommandFamily {
    public ObjectCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
    }
}
