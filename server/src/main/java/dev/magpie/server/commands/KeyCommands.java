package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.Keyspace;
import dev.magpie.server.keyspace.Lfu;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.Values;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;

/** Generic key commands (Redis's db.c keyspace commands): DEL, EXISTS, TYPE, KEYS, SCAN, RENAME, COPY, MOVE... */
public final class KeyCommands extends CommandFamily {
    private final KeyIteration iteration;

    public KeyCommands(Engine engine) {
        super(engine);
        this.iteration = new KeyIteration(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(command("del").arity(-2).flags(WRITE).keys(1, -1, 1).acl("keyspace write slow")
                .tips("request_policy:multi_shard", "response_policy:agg_sum").keySpec(KeySpec.range("RM delete", 1, -1, 1, 0))
                .summary("Deletes one or more keys.")
                .complexity("O(N) where N is the number of keys that will be removed.").implementation(this::del));
        table.register(command("unlink").arity(-2).flags(WRITE, FAST).keys(1, -1, 1).acl("keyspace write fast")
                .tips("request_policy:multi_shard", "response_policy:agg_sum").keySpec(KeySpec.range("RM delete", 1, -1, 1, 0))
                .since("4.0.0").summary("Deletes keys, reclaiming large values off the main thread.")
                .complexity("O(1) for each key removed regardless of its size.").implementation(this::unlink));
        table.register(command("exists").arity(-2).flags(READONLY, FAST).keys(1, -1, 1).acl("keyspace read fast")
                .tips("request_policy:multi_shard", "response_policy:agg_sum").keySpec(KeySpec.range("RO", 1, -1, 1, 0))
                .summary("Counts how many of the given keys exist; a key named twice counts twice.")
                .complexity("O(N) where N is the number of keys to check.").implementation(this::exists));
        table.register(command("type").arity(2).flags(READONLY, FAST).keys(1, 1, 1).acl("keyspace read fast")
                .keySpec(KeySpec.range("RO", 1, 0, 1, 0))
                .summary("Returns the type of the value stored at a key.").complexity("O(1)")
                .implementation(this::type));
        table.register(command("keys").arity(2).flags(READONLY).acl("keyspace read slow dangerous")
                .tips("request_policy:all_shards", "nondeterministic_output_order")
                .summary("Returns every key name matching a glob pattern.")
                .complexity("O(N) with N being the number of keys in the database.").implementation(iteration::keys));
        table.register(command("scan").arity(-2).flags(READONLY).acl("keyspace read slow").since("2.8.0")
                .tips("nondeterministic_output", "request_policy:special")
                .summary("Iterates over the key names of the database with a cursor.")
                .complexity("O(1) for every call. O(N) for a complete iteration.").implementation(iteration::scan));
        table.register(command("randomkey").arity(1).flags(READONLY).acl("keyspace read slow")
                .tips("request_policy:all_shards", "nondeterministic_output")
                .summary("Returns a key name picked at random.").complexity("O(1)")
                .implementation(iteration::randomKey));
        table.register(command("rename").arity(3).flags(WRITE).keys(1, 2, 1).acl("keyspace write slow")
                .keySpec(KeySpec.range("RW access delete", 1, 0, 1, 0)).keySpec(KeySpec.range("OW update", 2, 0, 1, 0))
                .summary("Renames a key, overwriting the destination.").complexity("O(1)")
                .implementation(this::rename));
        table.register(command("renamenx").arity(3).flags(WRITE, FAST).keys(1, 2, 1).acl("keyspace write fast")
                .keySpec(KeySpec.range("RW access delete", 1, 0, 1, 0)).keySpec(KeySpec.range("OW insert", 2, 0, 1, 0))
                .summary("Renames a key only when the new name is not taken.").complexity("O(1)")
                .implementation(this::renamenx));
        table.register(command("copy").arity(-3).flags(WRITE, DENYOOM).keys(1, 2, 1).acl("keyspace write slow")
                .keySpec(KeySpec.range("RO access", 1, 0, 1, 0)).keySpec(KeySpec.range("OW update", 2, 0, 1, 0))
                .since("6.2.0").summary("Copies the value of a key to a new key, possibly in another database.")
                .complexity("O(N) worst case for collections, where N is the number of nested items."
                        + " O(1) for string values.")
                .implementation(this::copy));
        table.register(command("move").arity(3).flags(WRITE, FAST).keys(1, 1, 1).acl("keyspace write fast")
                .keySpec(KeySpec.range("RW access update", 1, 0, 1, 0))
                .summary("Moves a key to another database.").complexity("O(1)").implementation(this::move));
        table.register(command("touch").arity(-2).flags(READONLY, FAST).keys(1, -1, 1).acl("keyspace read fast")
                .tips("request_policy:multi_shard", "response_policy:agg_sum").keySpec(KeySpec.range("RO", 1, -1, 1, 0))
                .since("3.2.1").summary("Updates the last access time of keys and counts those that exist.")
                .complexity("O(N) where N is the number of keys that will be touched.").implementation(this::touch));
    }

    private void del(Session session, Arguments args) {
        deleteKeys(session, args, engine.settings().bool("lazyfree-lazy-user-del"));
    }

    private void unlink(Session session, Arguments args) {
        deleteKeys(session, args, true);
    }

    private void deleteKeys(Session session, Arguments args, boolean lazy) {
        Database db = session.database();
        byte[] data = args.data();
        long deleted = 0;
        for (int i = 1; i < args.count(); i++) {
            long entry = db.lookupToReplace(data, args.offset(i), args.length(i));
            if (entry != 0) {
                KeyAccess.delete(engine, db, entry, lazy);
                deleted++;
            }
        }
        engine.changes(deleted);
        session.out().integer(deleted);
    }

    private void exists(Session session, Arguments args) {
        Database db = session.database();
        byte[] data = args.data();
        long found = 0;
        for (int i = 1; i < args.count(); i++) {
            if (db.lookupRead(data, args.offset(i), args.length(i), false) != 0) {
                found++;
            }
        }
        session.out().integer(found);
    }

    private void touch(Session session, Arguments args) {
        Database db = session.database();
        byte[] data = args.data();
        long touched = 0;
        for (int i = 1; i < args.count(); i++) {
            // TOUCH touches even a client in CLIENT NO-TOUCH mode: that is its whole purpose.
            if (db.lookupRead(data, args.offset(i), args.length(i), true) != 0) {
                touched++;
            }
        }
        session.out().integer(touched);
    }

    private void type(Session session, Arguments args) {
        long entry = session.database().lookupRead(args.data(), args.offset(1), args.length(1), false);
        session.out().simple(KeyAccess.typeName(entry));
    }

    private void rename(Session session, Arguments args) {
        renameGeneric(session, args, false);
    }

    private void renamenx(Session session, Arguments args) {
        renameGeneric(session, args, true);
    }

    private void renameGeneric(Session session, Arguments args, boolean nx) {
        Database db = session.database();
        byte[] data = args.data();
        long source = KeyAccess.lookupWrite(session, db, data, args.offset(1), args.length(1));
        if (source == 0) {
            error(session, Errors.NO_SUCH_KEY);
            return;
        }
        if (args.equalsBytes(1, 2)) {
            // Renaming a key to itself changes nothing (RENAMENX: 0), but the key must still exist.
            if (nx) {
                session.out().integer(0);
            } else {
                session.out().ok();
            }
            return;
        }
        int keyOffset = args.offset(2);
        int keyLength = args.length(2);
        long existing = KeyAccess.lookupWrite(session, db, data, keyOffset, keyLength);
        if (existing != 0) {
            if (nx) {
                session.out().integer(0);
                return;
            }
            db.delete(existing);
        }
        // The value changes owner, not content: the old entry's memory goes, nothing it refers to.
        Keyspace keyspace = db.keyspace();
        long renamed = Keyspace.copyOf(source, data, keyOffset, keyLength);
        keyspace.delete(source);
        keyspace.addEntry(renamed);
        if (nx) {
            session.out().integer(1);
        } else {
            session.out().ok();
        }
    }

    private void copy(Session session, Arguments args) {
        Database source = session.database();
        Database target = source;
        boolean replace = false;
        for (int i = 3; i < args.count(); i++) {
            if (args.is(i, "REPLACE")) {
                replace = true;
            } else if (args.is(i, "DB") && i + 1 < args.count()) {
                int index = KeyAccess.databaseIndex(engine, session, args, ++i);
                if (index < 0) {
                    return;
                }
                target = engine.database(index);
            } else {
                syntaxError(session);
                return;
            }
        }
        if (source == target && args.equalsBytes(1, 2)) {
            error(session, KeyAccess.SAME_OBJECT);
            return;
        }
        byte[] data = args.data();
        long entry = source.lookupRead(data, args.offset(1), args.length(1), !session.noTouch());
        if (entry == 0) {
            session.out().integer(0);
            return;
        }
        int keyOffset = args.offset(2);
        int keyLength = args.length(2);
        long existing = KeyAccess.lookupWrite(session, target, data, keyOffset, keyLength);
        if (existing != 0) {
            if (!replace) {
                session.out().integer(0);
                return;
            }
            target.delete(existing);
        }
        long copy = Keyspace.copyOf(entry, data, keyOffset, keyLength);
        Values.cloneValue(source, entry, target, copy);
        // A copy is a new object to Redis: fresh access data, like any newly created value.
        Entry.lru(copy, engine.lruClock());
        Entry.lfu(copy, Lfu.INITIAL);
        target.keyspace().addEntry(copy);
        session.out().integer(1);
    }

    private void move(Session session, Arguments args) {
        Database source = session.database();
        int index = KeyAccess.databaseIndex(engine, session, args, 2);
        if (index < 0) {
            return;
        }
        Database target = engine.database(index);
        if (target == source) {
            error(session, KeyAccess.SAME_OBJECT);
            return;
        }
        byte[] data = args.data();
        int keyOffset = args.offset(1);
        int keyLength = args.length(1);
        long entry = KeyAccess.lookupWrite(session, source, data, keyOffset, keyLength);
        if (entry == 0 || KeyAccess.lookupWrite(session, target, data, keyOffset, keyLength) != 0) {
            session.out().integer(0);
            return;
        }
        // The same entry, relinked: nothing is copied or freed.
        long moved = source.keyspace().unlink(entry);
        Values.rehome(source, target, moved);
        target.keyspace().addEntry(moved);
        session.out().integer(1);
    }
}
