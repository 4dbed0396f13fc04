package dev.magpie.server.commands;

import dev.magpie.server.command.CommandTable;
import dev.magpie.server.engine.Engine;

/** Expiry commands: EXPIRE and friends, TTL, PERSIST (Redis's expire.c). */
public final class ExpireCommands extends CommandFamily {
    public ExpireCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
    }
}
