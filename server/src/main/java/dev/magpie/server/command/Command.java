package dev.magpie.server.command;

import dev.magpie.server.session.Session;

/** The implementation of one command (or subcommand). Runs on the engine thread. */
@FunctionalInterface
public interface Command {
    void execute(Session session, Arguments args);
}
