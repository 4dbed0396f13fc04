package dev.magpie.server.commands;

import dev.magpie.server.command.CommandTable;
import dev.magpie.server.engine.Engine;

import java.util.List;

/** Every command family, registered into the table at startup. */
public final class CommandFamilies {
    private CommandFamilies() {
    }

    public static void registerAll(Engine engine, CommandTable table) {
        List<CommandFamily> families = List.of(
                new ConnectionCommands(engine),
                new StringCommands(engine),
                new KeyCommands(engine),
                new ExpireCommands(engine),
                new ObjectCommands(engine),
                new ServerCommands(engine),
                new InfoCommand(engine),
                new ConfigCommands(engine),
                new CommandCommand(engine),
                new ClientCommands(engine),
                new SlowlogCommands(engine),
                new LatencyCommands(engine),
                new DebugCommands(engine),
                new HyperLogLogCommands(engine),
                new BitmapCommands(engine),
                new SortCommand(engine),
                new HashCommands(engine),
                new SetCommands(engine),
                new ListCommands(engine),
                new SortedSetCommands(engine),
                new GeoCommands(engine),
                new AclCommands(engine),
                new PersistenceCommands(engine),
                new AofCommands(engine));
        for (CommandFamily family : families) {
            family.register(table);
        }
    }
}
