package dev.magpie.server.commands;

import dev.magpie.server.command.CommandTable;
import dev.magpie.server.engine.Engine;

/** Generic key commands (Redis's db.c keyspace commands): DEL, EXISTS, TYPE, KEYS, SCAN, RENAME, COPY, MOVE... */
public final class KeyCommands extends CommandFamily {
    public KeyCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
    }
}
