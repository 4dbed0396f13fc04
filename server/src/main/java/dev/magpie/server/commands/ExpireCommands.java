package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;

import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;

/** Expiry commands: EXPIRE and friends, TTL, PERSIST (Redis's expire.c). */
public final class ExpireCommands extends CommandFamily {
    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GT = 4;
    private static final int LT = 8;
    private static final KeySpec UPDATE = KeySpec.range("RW update", 1, 0, 1, 0);
    private static final KeySpec READ = KeySpec.range("RO access", 1, 0, 1, 0);

    public ExpireCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(command("expire").arity(-3).flags(WRITE, FAST).keys(1, 1, 1).acl("keyspace write fast")
                .keySpec(UPDATE)
                .summary("Sets a key's time to live in seconds.").complexity("O(1)")
                .implementation((session, args) -> expire(session, args, engine.now(), true, "expire")));
        table.register(command("pexpire").arity(-3).flags(WRITE, FAST).keys(1, 1, 1).acl("keyspace write fast")
                .keySpec(UPDATE)
                .since("2.6.0").summary("Sets a key's time to live in milliseconds.").complexity("O(1)")
                .implementation((session, args) -> expire(session, args, engine.now(), false, "pexpire")));
        table.register(command("expireat").arity(-3).flags(WRITE, FAST).keys(1, 1, 1).acl("keyspace write fast")
                .keySpec(UPDATE)
                .since("1.2.0").summary("Sets the moment a key expires, as a Unix time in seconds.").complexity("O(1)")
                .implementation((session, args) -> expire(session, args, 0, true, "expireat")));
        table.register(command("pexpireat").arity(-3).flags(WRITE, FAST).keys(1, 1, 1).acl("keyspace write fast")
                .keySpec(UPDATE)
                .since("2.6.0").summary("Sets the moment a key expires, as a Unix time in milliseconds.")
                .complexity("O(1)").implementation((session, args) -> expire(session, args, 0, false, "pexpireat")));
        table.register(command("ttl").arity(2).flags(READONLY, FAST).keys(1, 1, 1).acl("keyspace read fast")
                .tips("nondeterministic_output").keySpec(READ)
                .summary("Returns a key's remaining time to live in seconds.").complexity("O(1)")
                .implementation((session, args) -> ttl(session, args, false, false)));
        table.register(command("pttl").arity(2).flags(READONLY, FAST).keys(1, 1, 1).acl("keyspace read fast")
                .tips("nondeterministic_output").keySpec(READ)
                .since("2.6.0").summary("Returns a key's remaining time to live in milliseconds.").complexity("O(1)")
                .implementation((session, args) -> ttl(session, args, true, false)));
        table.register(command("expiretime").arity(2).flags(READONLY, FAST).keys(1, 1, 1).acl("keyspace read fast")
                .keySpec(READ)
                .since("7.0.0").summary("Returns the moment a key expires, as a Unix time in seconds.")
                .complexity("O(1)").implementation((session, args) -> ttl(session, args, false, true)));
        table.register(command("pexpiretime").arity(2).flags(READONLY, FAST).keys(1, 1, 1).acl("keyspace read fast")
                .keySpec(READ)
                .since("7.0.0").summary("Returns the moment a key expires, as a Unix time in milliseconds.")
                .complexity("O(1)").implementation((session, args) -> ttl(session, args, true, true)));
        table.register(command("persist").arity(2).flags(WRITE, FAST).keys(1, 1, 1).acl("keyspace write fast")
                .keySpec(UPDATE)
                .since("2.2.0").summary("Removes a key's expire time, so it lives until deleted.").complexity("O(1)")
                .implementation(this::persist));
    }

    /**
     * EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT: options first, then the time (with Redis's overflow
     * checks), then the key; a time already past deletes the key and still answers 1.
     */
    private void expire(Session session, Arguments args, long baseMillis, boolean seconds, String name) {
        int flags = parseOptions(session, args);
        if (flags < 0) {
            return;
        }
        long when = integerArg(session, args, 2);
        if (!args.parsedOk()) {
            return;
        }
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                error(session, Errors.invalidExpire(name));
                return;
            }
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - baseMillis) {
            error(session, Errors.invalidExpire(name));
            return;
        }
        when += baseMillis;
        Database db = session.database();
        long entry = KeyAccess.lookupWrite(session, db, args.data(), args.offset(1), args.length(1));
        if (entry == 0 || !conditionsMet(flags, when, Entry.expireAt(entry))) {
            session.out().integer(0);
            return;
        }
        if (when <= engine.now()) {
            KeyAccess.delete(engine, db, entry, engine.settings().bool("lazyfree-lazy-expire"));
        } else {
            db.keyspace().expireAt(entry, when);
        }
        session.out().integer(1);
    }

    /** NX/XX/GT/LT as flag bits, or -1 after replying with Redis's error. */
    private int parseOptions(Session session, Arguments args) {
        int flags = 0;
        for (int i = 3; i < args.count(); i++) {
            if (args.is(i, "NX")) {
                flags |= NX;
            } else if (args.is(i, "XX")) {
                flags |= XX;
            } else if (args.is(i, "GT")) {
                flags |= GT;
            } else if (args.is(i, "LT")) {
                flags |= LT;
            } else {
                error(session, "ERR Unsupported option " + args.string(i));
                return -1;
            }
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            error(session, "ERR NX and XX, GT or LT options at the same time are not compatible");
            return -1;
        }
        if ((flags & (GT | LT)) == (GT | LT)) {
            error(session, "ERR GT and LT options at the same time are not compatible");
            return -1;
        }
        return flags;
    }

    /** Redis's rules: no expire time counts as infinite, so GT never passes and LT always does. */
    private static boolean conditionsMet(int flags, long when, long current) {
        if ((flags & NX) != 0 && current != -1) {
            return false;
        }
        if ((flags & XX) != 0 && current == -1) {
            return false;
        }
        if ((flags & GT) != 0 && (current == -1 || when <= current)) {
            return false;
        }
        return (flags & LT) == 0 || current == -1 || when < current;
    }

    /** TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for no key, -1 for no expire time. */
    private void ttl(Session session, Arguments args, boolean millis, boolean absolute) {
        long entry = session.database().lookupRead(args.data(), args.offset(1), args.length(1), false);
        if (entry == 0) {
            session.out().integer(-2);
            return;
        }
        long expireAt = Entry.expireAt(entry);
        if (expireAt == -1) {
            session.out().integer(-1);
            return;
        }
        long value = Math.max(0, absolute ? expireAt : expireAt - engine.now());
        // Rounded to the nearest second; unsigned so a time near the end of the range stays positive.
        session.out().integer(millis ? value : Long.divideUnsigned(value + 500, 1000));
    }

    private void persist(Session session, Arguments args) {
        Database db = session.database();
        long entry = KeyAccess.lookupWrite(session, db, args.data(), args.offset(1), args.length(1));
        if (entry == 0 || !Entry.hasExpire(entry)) {
            session.out().integer(0);
            return;
        }
        db.keyspace().expireAt(entry, -1);
        session.out().integer(1);
    }
}
