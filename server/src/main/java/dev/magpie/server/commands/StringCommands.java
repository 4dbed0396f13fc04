package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.StringValues;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;

/**
 * The string type's commands (Redis's t_string.c). This class declares the whole family and
 * implements the get/set core; ranges, counters and LCS live in helpers beside it.
 */
public final class StringCommands extends CommandFamily {
    static final int NX = 1;
    static final int XX = 2;
    static final int GET = 4;
    static final int KEEPTTL = 8;
    static final int EX = 16;
    static final int PX = 32;
    static final int EXAT = 64;
    static final int PXAT = 128;
    static final int PERSIST = 256;
    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;

    private final StringRangeCommands ranges = new StringRangeCommands(this);
    private final CounterCommands counters = new CounterCommands(this);
    private final Lcs lcs = new Lcs(this);

    public StringCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(string("get", 2, "Answers the string value held by a key.", "O(1)")
                .flags(READONLY, FAST).keys(1, 1, 1).keySpec(oneKey("RO access")).acl("read string fast")
                .implementation(this::get));
        table.register(string("set", -3, "Stores a string under a key, whatever the key held before; options add an "
                        + "expiry, a condition on the key's existence, or answer the previous value.", "O(1)")
                .flags(WRITE, DENYOOM).keys(1, 1, 1).keySpec(oneKey("RW access update variable_flags"))
                .acl("write string slow").implementation(this::set));
        table.register(string("setnx", 3, "Stores a string under a key only when the key is absent.", "O(1)")
                .flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).keySpec(oneKey("OW insert")).acl("write string fast")
                .implementation(this::setnx));
        table.register(string("setex", 4, "Stores a string under a key with a time to live in seconds.", "O(1)")
                .since("2.0.0").flags(WRITE, DENYOOM).keys(1, 1, 1).keySpec(oneKey("OW update"))
                .acl("write string slow").implementation(this::setex));
        table.register(string("psetex", 4, "Stores a string under a key with a time to live in milliseconds.", "O(1)")
                .since("2.6.0").flags(WRITE, DENYOOM).keys(1, 1, 1).keySpec(oneKey("OW update"))
                .acl("write string slow").implementation(this::psetex));
        table.register(string("getset", 3, "Replaces a key's string value and answers the value it held before.", "O(1)")
                .flags(WRITE, DENYOOM, FAST).keys(1, 1, 1).keySpec(oneKey("RW access update"))
                .acl("write string fast").implementation(this::getset));
        table.register(string("getdel", 2, "Answers a key's string value and deletes the key.", "O(1)")
                .since("6.2.0").flags(WRITE, FAST).keys(1, 1, 1).keySpec(oneKey("RW access delete"))
                .acl("write string fast").implementation(this::getdel));
        table.register(string("getex", -2, "Answers a key's string value and optionally changes or removes its expiration.",
                        "O(1)")
                .since("6.2.0").flags(WRITE, FAST).keys(1, 1, 1).keySpec(oneKey("RW access update"))
                .acl("write string fast").implementation(this::getex));
        table.register(string("mget", -2, "Answers the string values of several keys at once.",
                        "O(N) where N is the number of keys to retrieve.")
                .flags(READONLY, FAST).keys(1, -1, 1).keySpec(KeySpec.range("RO access", 1, -1, 1, 0))
                .tips("request_policy:multi_shard").acl("read string fast").implementation(this::mget));
        table.register(string("mset", -3, "Stores the string values of several keys at once.",
                        "O(N) where N is the number of keys to set.")
                .since("1.0.1").flags(WRITE, DENYOOM).keys(1, -1, 2).keySpec(KeySpec.range("OW update", 1, -1, 2, 0))
                .tips("request_policy:multi_shard", "response_policy:all_succeeded").acl("write string slow")
                .implementation(this::mset));
        table.register(string("msetnx", -3, "Stores the string values of several keys at once, only when none of them exists.",
                        "O(N) where N is the number of keys to set.")
                .since("1.0.1").flags(WRITE, DENYOOM).keys(1, -1, 2).keySpec(KeySpec.range("OW insert", 1, -1, 2, 0))
                .tips("request_policy:multi_shard", "response_policy:agg_min").acl("write string slow")
                .implementation(this::msetnx));
        table.register(string("strlen", 2, "Answers the length in bytes of a key's string value.", "O(1)")
                .since("2.2.0").flags(READONLY, FAST).keys(1, 1, 1).keySpec(oneKey("RO")).acl("read string fast")
                .implementation(this::strlen));
        ranges.register(table);
        counters.register(table);
        lcs.register(table);
    }

    // ---- shared with the helpers ------------------------------------------------------------

    /** A command of the string group; since 1.0.0 unless the declaration says otherwise. */
    static CommandSpec string(String name, int arity, String summary, String complexity) {
        return command(name).arity(arity).group("string").summary(summary).complexity(complexity);
    }

    /** Looks a key up for reading a string: 0 with a null reply if absent, -1 after a WRONGTYPE error. */
    long readString(Session session, Arguments args, int keyIndex) {
        Database db = session.database();
        long entry = db.lookupRead(args.data(), args.offset(keyIndex), args.length(keyIndex), !session.noTouch());
        if (entry == 0) {
            session.out().nullBulk();
            return 0;
        }
        if (Entry.type(entry) != Entry.TYPE_STRING) {
            error(session, Errors.WRONG_TYPE);
            return -1;
        }
        return entry;
    }

    /** Looks a key up for writing; -1 after a WRONGTYPE error when it holds another type, 0 if absent. */
    long writeString(Session session, Arguments args, int keyIndex) {
        long entry = session.database().lookupWrite(args.data(), args.offset(keyIndex), args.length(keyIndex));
        if (entry != 0 && Entry.type(entry) != Entry.TYPE_STRING) {
            error(session, Errors.WRONG_TYPE);
            return -1;
        }
        return entry;
    }

    /** The largest string a command may build (proto-max-bulk-len, bounded by what an entry can hold). */
    long maxStringLength() {
        return Math.min(engine.settings().integer("proto-max-bulk-len"), Integer.MAX_VALUE - 64);
    }

    /**
     * Compares an option with a word as Redis's C code does: case-insensitively, and only up to
     * a NUL byte, since it reads arguments as C strings.
     */
    static boolean option(Arguments args, int i, String word) {
        int length = args.length(i);
        int n = word.length();
        if (length < n) {
            return false;
        }
        byte[] data = args.data();
        int offset = args.offset(i);
        for (int j = 0; j < n; j++) {
            int a = data[offset + j];
            int b = word.charAt(j);
            if (a != b && (!Character.isLetter(b) || (a | 0x20) != (b | 0x20))) {
                return false;
            }
        }
        return length == n || data[offset + n] == 0;
    }

    // ---- GET, SET and their variants -------------------------------------------------------

    private void get(Session session, Arguments args) {
        long entry = readString(session, args, 1);
        if (entry > 0) {
            StringValues.reply(session.out(), entry);
        }
    }

    private void set(Session session, Arguments args) {
        long parsed = parseOptions(session, args, 3, true);
        if (parsed < 0) {
            return;
        }
        setGeneric(session, args, (int) parsed, 1, 2, (int) (parsed >>> 32) - 1, "set", false);
    }

    private void setnx(Session session, Arguments args) {
        setGeneric(session, args, NX, 1, 2, -1, "setnx", true);
    }

    private void setex(Session session, Arguments args) {
        setGeneric(session, args, EX, 1, 3, 2, "setex", false);
    }

    private void psetex(Session session, Arguments args) {
        setGeneric(session, args, PX, 1, 3, 2, "psetex", false);
    }

    /**
     * Parses SET's or GETEX's options as Redis does (a repeated option is accepted, conflicting
     * ones are a syntax error). Returns the flags in the low 32 bits and the expire argument's
     * index plus one in the high bits, or -1 after replying with the error.
     */
    private long parseOptions(Session session, Arguments args, int from, boolean forSet) {
        int flags = 0;
        int expireIndex = -1;
        for (int i = from; i < args.count(); i++) {
            boolean hasNext = i + 1 < args.count();
            int expire = expireKind(args, i);
            if (forSet && option(args, i, "NX") && (flags & XX) == 0) {
                flags |= NX;
            } else if (forSet && option(args, i, "XX") && (flags & NX) == 0) {
                flags |= XX;
            } else if (forSet && option(args, i, "GET")) {
                flags |= GET;
            } else if (forSet && option(args, i, "KEEPTTL") && (flags & (ANY_EXPIRE | PERSIST)) == 0) {
                flags |= KEEPTTL;
            } else if (!forSet && option(args, i, "PERSIST") && (flags & (ANY_EXPIRE | KEEPTTL)) == 0) {
                flags |= PERSIST;
            } else if (expire != 0 && hasNext && (flags & (KEEPTTL | PERSIST | (ANY_EXPIRE & ~expire))) == 0) {
                flags |= expire;
                expireIndex = ++i;
            } else {
                syntaxError(session);
                return -1;
            }
        }
        return ((long) (expireIndex + 1) << 32) | flags;
    }

    private static int expireKind(Arguments args, int i) {
        if (option(args, i, "EX")) {
            return EX;
        }
        if (option(args, i, "PX")) {
            return PX;
        }
        if (option(args, i, "EXAT")) {
            return EXAT;
        }
        if (option(args, i, "PXAT")) {
            return PXAT;
        }
        return 0;
    }

    /**
     * SET and its variants: validates the expire time, answers the old value for GET, honours
     * NX/XX, stores, and replies OK (or null when a condition was not met); SETNX's reply is 1 or 0.
     */
    void setGeneric(Session session, Arguments args, int flags, int keyIndex, int valueIndex, int expireIndex,
                    String commandName, boolean integerReply) {
        long expireAt = -1;
        if (expireIndex >= 0) {
            expireAt = expireTime(session, args, expireIndex, flags, commandName);
            if (expireAt == Long.MIN_VALUE) {
                return;
            }
        }
        Database db = session.database();
        byte[] data = args.data();
        int keyOffset = args.offset(keyIndex);
        int keyLength = args.length(keyIndex);
        if ((flags & GET) != 0) {
            long old = readString(session, args, keyIndex);
            if (old < 0) {
                return;
            }
            if (old > 0) {
                StringValues.reply(session.out(), old);
            }
        }
        if ((flags & (NX | XX | KEEPTTL)) == 0) {
            // Nothing of what the key held decides or survives this write: a running AOF
            // rewrite need not record it first.
            long entry = StringValues.replace(db, data, keyOffset, keyLength, data, args.offset(valueIndex),
                    args.length(valueIndex));
            stored(session, db, entry, expireAt, flags, integerReply);
            return;
        }
        boolean found = db.lookupWrite(data, keyOffset, keyLength) != 0;
        if (((flags & NX) != 0 && found) || ((flags & XX) != 0 && !found)) {
            engine.changes(0);
            if ((flags & GET) == 0) {
                if (integerReply) {
                    session.out().integer(0);
                } else {
                    session.out().nullBulk();
                }
            }
            return;
        }
        long entry = StringValues.store(db, data, keyOffset, keyLength, data, args.offset(valueIndex),
                args.length(valueIndex), (flags & KEEPTTL) != 0);
        stored(session, db, entry, expireAt, flags, integerReply);
    }

    private static void stored(Session session, Database db, long entry, long expireAt, int flags, boolean integerReply) {
        if (expireAt >= 0) {
            db.keyspace().expireAt(entry, expireAt);
        }
        if ((flags & GET) == 0) {
            if (integerReply) {
                session.out().integer(1);
            } else {
                session.out().ok();
            }
        }
    }

    /** The absolute expire time in ms, or Long.MIN_VALUE after replying with Redis's error. */
    long expireTime(Session session, Arguments args, int index, int flags, String commandName) {
        long value = args.parseLong(index);
        if (!args.parsedOk()) {
            error(session, Errors.NOT_INTEGER);
            return Long.MIN_VALUE;
        }
        boolean seconds = (flags & (EX | EXAT)) != 0;
        if (value <= 0 || (seconds && value > Long.MAX_VALUE / 1000)) {
            error(session, Errors.invalidExpire(commandName));
            return Long.MIN_VALUE;
        }
        if (seconds) {
            value *= 1000;
        }
        if ((flags & (EX | PX)) != 0) {
            value += engine.now();
        }
        if (value <= 0) {
            error(session, Errors.invalidExpire(commandName));
            return Long.MIN_VALUE;
        }
        return value;
    }

    private void getset(Session session, Arguments args) {
        long old = readString(session, args, 1);
        if (old < 0) {
            return;
        }
        if (old > 0) {
            StringValues.reply(session.out(), old);
        }
        byte[] data = args.data();
        StringValues.store(session.database(), data, args.offset(1), args.length(1), data, args.offset(2),
                args.length(2), false);
    }

    private void getdel(Session session, Arguments args) {
        long entry = readString(session, args, 1);
        if (entry > 0) {
            StringValues.reply(session.out(), entry);
            session.database().delete(entry);
        }
    }

    private void getex(Session session, Arguments args) {
        long parsed = parseOptions(session, args, 2, false);
        if (parsed < 0) {
            return;
        }
        int flags = (int) parsed;
        int expireIndex = (int) (parsed >>> 32) - 1;
        long entry = readString(session, args, 1);
        if (entry <= 0) {
            return;
        }
        long expireAt = -1;
        if (expireIndex >= 0) {
            expireAt = expireTime(session, args, expireIndex, flags, "getex");
            if (expireAt == Long.MIN_VALUE) {
                return;
            }
        }
        StringValues.reply(session.out(), entry);
        Database db = session.database();
        if ((flags & (EXAT | PXAT)) != 0 && expireAt <= engine.now()) {
            db.delete(entry);
        } else if (expireAt >= 0) {
            db.keyspace().expireAt(entry, expireAt);
        } else if ((flags & PERSIST) != 0) {
            db.keyspace().expireAt(entry, -1);
        }
    }

    // ---- several keys ----------------------------------------------------------------------

    private void mget(Session session, Arguments args) {
        Database db = session.database();
        byte[] data = args.data();
        boolean touch = !session.noTouch();
        session.out().arrayHeader(args.count() - 1);
        for (int i = 1; i < args.count(); i++) {
            long entry = db.lookupRead(data, args.offset(i), args.length(i), touch);
            if (entry == 0 || Entry.type(entry) != Entry.TYPE_STRING) {
                session.out().nullBulk();
            } else {
                StringValues.reply(session.out(), entry);
            }
        }
    }

    private void mset(Session session, Arguments args) {
        if (args.count() % 2 == 0) {
            error(session, Errors.arity("mset"));
            return;
        }
        storeAll(session, args);
        engine.changes(args.count() / 2);
        session.out().ok();
    }

    private void msetnx(Session session, Arguments args) {
        if (args.count() % 2 == 0) {
            error(session, Errors.arity("msetnx"));
            return;
        }
        Database db = session.database();
        for (int i = 1; i < args.count(); i += 2) {
            if (db.lookupWrite(args.data(), args.offset(i), args.length(i)) != 0) {
                engine.changes(0);
                session.out().integer(0);
                return;
            }
        }
        storeAll(session, args);
        engine.changes(args.count() / 2);
        session.out().integer(1);
    }

    private static void storeAll(Session session, Arguments args) {
        Database db = session.database();
        byte[] data = args.data();
        for (int i = 1; i < args.count(); i += 2) {
            StringValues.replace(db, data, args.offset(i), args.length(i), data, args.offset(i + 1),
                    args.length(i + 1));
        }
    }

    private void strlen(Session session, Arguments args) {
        long entry = session.database().lookupRead(args.data(), args.offset(1), args.length(1), !session.noTouch());
        if (entry == 0) {
            session.out().integer(0);
        } else if (Entry.type(entry) != Entry.TYPE_STRING) {
            error(session, Errors.WRONG_TYPE);
        } else {
            session.out().integer(StringValues.length(entry));
        }
    }
}
