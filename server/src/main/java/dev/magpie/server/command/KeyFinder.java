package dev.magpie.server.command;

/** Finds the key positions of a command whose keys move with its arguments (COMMAND GETKEYS). */
@FunctionalInterface
public interface KeyFinder {
    /** Positions of the keys in {@code argv} (argv[0] is the command name), or null when the arguments are invalid. */
    int[] find(byte[][] argv);
}
