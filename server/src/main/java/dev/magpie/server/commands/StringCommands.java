package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.StringValues;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;

/** The string type's commands (Redis's t_string.c). */
public final class StringCommands extends CommandFamily {
    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GET = 4;
    private static final int KEEPTTL = 8;
    private static final int EX = 16;
    private static final int PX = 32;
    private static final int EXAT = 64;
    private static final int PXAT = 128;
    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;

    public StringCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(command("get").arity(2).flags(READONLY, FAST).keys(1, 1, 1).acl("read string fast")
                .group("string").summary("Returns the string value of a key.").complexity("O(1)")
                .implementation(this::get));
        table.register(command("set").arity(-3).flags(WRITE, DENYOOM).keys(1, 1, 1).acl("write string slow")
                .group("string").summary("Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.")
                .complexity("O(1)").implementation(this::set));
    }

    /** Looks a key up for reading a string: 0 with a null reply if absent, -1 after a WRONGTYPE error. */
    long readString(Session session, Arguments args, int keyIndex) {
        Database db = session.database();
        long entry = db.lookupRead(args.data(), args.offset(keyIndex), args.length(keyIndex), !session.noTouch());
        if (entry == 0) {
            return 0;
        }
        if (Entry.type(entry) != Entry.TYPE_STRING) {
            error(session, Errors.WRONG_TYPE);
            return -1;
        }
        return entry;
    }

    private void get(Session session, Arguments args) {
        long entry = readString(session, args, 1);
        if (entry == 0) {
            session.out().nullBulk();
        } else if (entry > 0) {
            StringValues.reply(session.out(), entry);
        }
    }

    private void set(Session session, Arguments args) {
        int flags = 0;
        int expireIndex = -1;
        for (int i = 3; i < args.count(); i++) {
            boolean hasNext = i + 1 < args.count();
            if (args.is(i, "NX") && (flags & XX) == 0) {
                flags |= NX;
            } else if (args.is(i, "XX") && (flags & NX) == 0) {
                flags |= XX;
            } else if (args.is(i, "GET")) {
                flags |= GET;
            } else if (args.is(i, "KEEPTTL") && (flags & ANY_EXPIRE) == 0) {
                flags |= KEEPTTL;
            } else if (hasNext && (flags & (ANY_EXPIRE | KEEPTTL)) == 0 && expireFlag(args, i) != 0) {
                flags |= expireFlag(args, i);
                expireIndex = ++i;
            } else {
                syntaxError(session);
                return;
            }
        }
        setGeneric(session, args, flags, 1, 2, expireIndex, "set");
    }

    private static int expireFlag(Arguments args, int i) {
        if (args.is(i, "EX")) {
            return EX;
        }
        if (args.is(i, "PX")) {
            return PX;
        }
        if (args.is(i, "EXAT")) {
            return EXAT;
        }
        if (args.is(i, "PXAT")) {
            return PXAT;
        }
        return 0;
    }

    /**
     * SET and its variants: validates the expire time, answers the old value for GET, honours
     * NX/XX, stores, and replies OK (or null when a condition was not met).
     */
    void setGeneric(Session session, Arguments args, int flags, int keyIndex, int valueIndex, int expireIndex,
                    String commandName) {
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
            if (old == 0) {
                session.out().nullBulk();
            } else {
                StringValues.reply(session.out(), old);
            }
        }
        boolean found = db.lookupWrite(data, keyOffset, keyLength) != 0;
        if (((flags & NX) != 0 && found) || ((flags & XX) != 0 && !found)) {
            if ((flags & GET) == 0) {
                session.out().nullBulk();
            }
            return;
        }
        long entry = StringValues.store(db, data, keyOffset, keyLength, data, args.offset(valueIndex),
                args.length(valueIndex), (flags & KEEPTTL) != 0);
        if (expireAt >= 0) {
            db.keyspace().expireAt(entry, expireAt);
        }
        if ((flags & GET) == 0) {
            session.out().ok();
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
            value += System.currentTimeMillis();
        }
        if (value <= 0) {
            error(session, Errors.invalidExpire(commandName));
            return Long.MIN_VALUE;
        }
        return value;
    }
}
