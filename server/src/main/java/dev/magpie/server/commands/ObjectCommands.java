package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;

import static dev.magpie.server.command.CommandFlag.LOADING;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.STALE;

/** OBJECT: introspection of a key's encoding and access data. */
public final class ObjectCommands extends CommandFamily {
    /** What Redis answers as the reference count of its shared objects (OBJ_SHARED_REFCOUNT). */
    private static final long SHARED_REFCOUNT = Integer.MAX_VALUE;
    /** Redis keeps one shared object for each integer in [0, 10000) (OBJ_SHARED_INTEGERS). */
    private static final long SHARED_INTEGERS = 10_000;
    private static final KeySpec KEY = KeySpec.range("RO", 2, 0, 1, 0);

    private static final String[] HELP = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    };

    public ObjectCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(command("object").arity(-2).acl("slow").since("2.2.3")
                .summary("A container for commands that inspect how a key's value is kept.")
                .complexity("Depends on subcommand.")
                .subcommand("encoding").arity(3).flags(READONLY).keys(2, 2, 1).acl("keyspace read slow")
                .tips("nondeterministic_output").keySpec(KEY)
                .summary("Returns the internal encoding of a key's value.").complexity("O(1)")
                .implementation(this::encoding).done()
                .subcommand("freq").arity(3).flags(READONLY).keys(2, 2, 1).acl("keyspace read slow")
                .tips("nondeterministic_output").keySpec(KEY).since("4.0.0")
                .summary("Returns the logarithmic access frequency counter of a key.").complexity("O(1)")
                .implementation(this::freq).done()
                .subcommand("help").arity(2).flags(LOADING, STALE).acl("keyspace slow").since("6.2.0")
                .summary("Lists the OBJECT subcommands.").complexity("O(1)")
                .implementation(this::help).done()
                .subcommand("idletime").arity(3).flags(READONLY).keys(2, 2, 1).acl("keyspace read slow")
                .tips("nondeterministic_output").keySpec(KEY)
                .summary("Returns the seconds since a key was last accessed.").complexity("O(1)")
                .implementation(this::idletime).done()
                .subcommand("refcount").arity(3).flags(READONLY).keys(2, 2, 1).acl("keyspace read slow")
                .tips("nondeterministic_output").keySpec(KEY)
                .summary("Returns how many references the value of a key has.").complexity("O(1)")
                .implementation(this::refcount).done());
    }

    /** The key's entry for an OBJECT subcommand (counted as a read, never touched), or 0 after a null reply. */
    private long lookup(Session session, Arguments args) {
        long entry = session.database().lookupRead(args.data(), args.offset(2), args.length(2), false);
        if (entry == 0) {
            session.out().nullBulk();
        }
        return entry;
    }

    private void encoding(Session session, Arguments args) {
        long entry = lookup(session, args);
        if (entry != 0) {
            session.out().bulk(encodingName(Entry.encoding(entry)));
        }
    }

    /** Redis's names for its encoding numbers, which {@link Entry} shares. */
    static String encodingName(byte encoding) {
        return switch (encoding) {
            case 0 -> "raw";
            case 1 -> "int";
            case 2 -> "hashtable";
            case 3 -> "zipmap";
            case 4 -> "linkedlist";
            case 5 -> "ziplist";
            case 6 -> "intset";
            case 7 -> "skiplist";
            case 8 -> "embstr";
            case 9 -> "quicklist";
            case 10 -> "stream";
            case 11 -> "listpack";
            default -> "unknown";
        };
    }

    private void refcount(Session session, Arguments args) {
        long entry = lookup(session, args);
        if (entry != 0) {
            session.out().integer(isSharedInteger(entry) ? SHARED_REFCOUNT : 1);
        }
    }

    /**
     * Redis stores small integers as shared objects, unless an LRU/LFU eviction policy with a
     * memory limit needs per-key access data. Magpie keeps access data in every entry, so it
     * derives the answer Redis would give from the value and the current settings.
     */
    private boolean isSharedInteger(long entry) {
        if (Entry.type(entry) != Entry.TYPE_STRING || Entry.encoding(entry) != Entry.ENCODING_INT) {
            return false;
        }
        long value = Entry.intValue(entry);
        if (value < 0 || value >= SHARED_INTEGERS) {
            return false;
        }
        String policy = engine.settings().text("maxmemory-policy");
        boolean perKeyAccess = policy.endsWith("-lru") || policy.endsWith("-lfu");
        return engine.settings().integer("maxmemory") == 0 || !perKeyAccess;
    }

    private boolean lfuPolicy() {
        return engine.settings().text("maxmemory-policy").endsWith("-lfu");
    }

    private void idletime(Session session, Arguments args) {
        long entry = lookup(session, args);
        if (entry == 0) {
            return;
        }
        if (lfuPolicy()) {
            error(session, "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when"
                    + " switching between policies at runtime LRU and LFU data will take some time to adjust.");
            return;
        }
        session.out().integer(Math.max(0, engine.lruClock() - Entry.lru(entry)));
    }

    private void freq(Session session, Arguments args) {
        long entry = lookup(session, args);
        if (entry == 0) {
            return;
        }
        if (!lfuPolicy()) {
            error(session, "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note"
                    + " that when switching between policies at runtime LRU and LFU data will take some time to"
                    + " adjust.");
            return;
        }
        session.out().integer(decayedCounter(entry));
    }

    /**
     * The access counter after Redis's decay: one less per lfu-decay-time minutes since the last
     * access, so a key nobody reads loses its rank even though reading it is what updates it.
     */
    private long decayedCounter(long entry) {
        long counter = Entry.lfu(entry);
        long decayTime = engine.settings().integer("lfu-decay-time");
        if (decayTime <= 0) {
            return counter;
        }
        long elapsedMinutes = engine.lruClock() / 60 - Entry.lru(entry) / 60;
        long periods = Math.max(0, elapsedMinutes) / decayTime;
        return periods > counter ? 0 : counter - periods;
    }

    private void help(Session session, Arguments args) {
        RespWriter out = session.out();
        out.arrayHeader(HELP.length);
        for (String line : HELP) {
            out.simple(line);
        }
    }
}
