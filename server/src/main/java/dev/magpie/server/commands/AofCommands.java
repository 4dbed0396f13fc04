package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.session.Session;

import static dev.magpie.server.command.CommandFlag.ADMIN;
import static dev.magpie.server.command.CommandFlag.NOSCRIPT;
import static dev.magpie.server.command.CommandFlag.NO_ASYNC_LOADING;

/** BGREWRITEAOF (see {@link dev.magpie.server.persistence.Aof}). */
public final class AofCommands extends CommandFamily {
    public AofCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(command("bgrewriteaof").arity(1).flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING).acl("admin slow dangerous")
                .group("server").since("1.0.0").summary("Compacts the append-only file in the background.").complexity("O(1)")
                .implementation(this::bgrewriteaof));
    }

    private void bgrewriteaof(Session session, Arguments args) {
        String reply = engine.aof().requestRewrite();
        if (reply.startsWith("ERR ")) {
            error(session, reply);
        } else {
            session.out().simple(reply);
        }
    }
}
