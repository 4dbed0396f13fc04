package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.ObjectTable;
import dev.magpie.server.persistence.DumpPayload;
import dev.magpie.server.persistence.Migration;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.CollectionValue;
import dev.magpie.server.types.StringValues;
import dev.magpie.server.types.Values;

import static dev.magpie.server.command.CommandFlag.ADMIN;
import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.LOADING;
import static dev.magpie.server.command.CommandFlag.MOVABLEKEYS;
import static dev.magpie.server.command.CommandFlag.NOSCRIPT;
import static dev.magpie.server.command.CommandFlag.NO_ASYNC_LOADING;
import static dev.magpie.server.command.CommandFlag.NO_MULTI;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.STALE;
import static dev.magpie.server.command.CommandFlag.WRITE;

/** Persistence commands: SAVE, BGSAVE, LASTSAVE, DUMP, RESTORE, MIGRATE (see {@link dev.magpie.server.persistence.Persistence}). */
public final class PersistenceCommands extends CommandFamily {
    public PersistenceCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(command("save").arity(1).flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING, NO_MULTI).acl("admin slow dangerous")
                .group("server").summary("Writes the dataset to disk synchronously.")
                .complexity("O(N) where N is the total number of keys in all databases").implementation(this::save));
        table.register(command("bgsave").arity(-1).flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING).acl("admin slow dangerous")
                .group("server").summary("Writes the dataset to disk while the server keeps serving.")
                .complexity("O(1)").implementation(this::bgsave));
        table.register(command("lastsave").arity(1).flags(LOADING, STALE, FAST).acl("admin fast dangerous")
                .group("server").tips("nondeterministic_output")
                .summary("Returns the unix time of the last successful save.").complexity("O(1)")
                .implementation(this::lastsave));
        table.register(command("dump").arity(2).flags(READONLY).keys(1, 1, 1).keySpec(KeySpec.range("RO access", 1, 0, 1, 0))
                .acl("keyspace read slow").group("generic").since("2.6.0").tips("nondeterministic_output")
                .summary("Returns a serialized form of a key's value.")
                .complexity("O(1) to access the key and additional O(N*M) to serialize it, where N is the number of"
                        + " Redis objects composing the value and M their average size. For small string values the"
                        + " time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).")
                .implementation(this::dump));
        table.register(command("restore").arity(-4).flags(WRITE, DENYOOM).keys(1, 1, 1)
                .keySpec(KeySpec.range("OW update", 1, 0, 1, 0)).acl("keyspace write slow dangerous")
                .group("generic").since("2.6.0").summary("Creates a key from a DUMP payload.")
                .complexity("O(1) to create the new key and additional O(N*M) to reconstruct the serialized value,"
                        + " where N is the number of Redis objects composing the value and M their average size."
                        + " For small string values the time complexity is thus O(1)+O(1*M) where M is small, so"
                        + " simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because"
                        + " inserting values into sorted sets is O(log(N)).")
                .implementation(this::restore));
        table.register(command("migrate").arity(-6).flags(WRITE, MOVABLEKEYS).keys(3, 3, 1)
                .keySpec(KeySpec.range("RW access delete", 3, 0, 1, 0))
                .keySpec(KeySpec.keywordRange("RW access delete incomplete", "KEYS", -2, -1, 1, 0))
                .keyFinder(PersistenceCommands::migrateKeys)
                .acl("keyspace write slow dangerous").group("generic").since("2.6.0").tips("nondeterministic_output")
                .summary("Moves keys to another server atomically.")
                .complexity("This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the"
                        + " target instance. See the pages of these commands for time complexity. Also an O(N) data"
                        + " transfer between the two instances is performed.")
                .implementation(this::migrate));
    }

    private void save(Session session, Arguments args) {
        if (engine.persistence().bgsaveInProgress()) {
            error(session, "ERR Background save already in progress");
            return;
        }
        engine.persistence().countSave();
        if (engine.persistence().save()) {
            session.out().ok();
        } else {
            error(session, "ERR");
        }
    }

    private void bgsave(Session session, Arguments args) {
        boolean schedule = false;
        if (args.count() > 1) {
            if (args.count() == 2 && args.is(1, "schedule")) {
                schedule = true;
            } else {
                syntaxError(session);
                return;
            }
        }
        String failure = engine.persistence().bgsave(schedule);
        if (failure != null) {
            error(session, failure);
        } else if (engine.persistence().bgsaveScheduled()) {
            session.out().simple("Background saving scheduled");
        } else {
            session.out().simple("Background saving started");
        }
    }

    private void lastsave(Session session, Arguments args) {
        session.out().integer(engine.lastSaveSeconds());
    }

    private void dump(Session session, Arguments args) {
        Database db = session.database();
        long entry = db.lookupRead(args.data(), args.offset(1), args.length(1), !session.noTouch());
        if (entry == 0) {
            session.out().nullBulk();
            return;
        }
        byte[] payload = engine.persistence().payloads().dump(db.keyspace(), entry);
        session.out().bulk(payload, 0, payload.length);
    }

    /** RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency], checked in Redis's order. */
    private void restore(Session session, Arguments args) {
        boolean replace = false;
        boolean absoluteTtl = false;
        long idle = -1;
        long frequency = -1;
        for (int i = 4; i < args.count(); i++) {
            boolean more = i + 1 < args.count();
            if (args.is(i, "replace")) {
                replace = true;
            } else if (args.is(i, "absttl")) {
                absoluteTtl = true;
            } else if (args.is(i, "idletime") && more && frequency == -1) {
                idle = integerArg(session, args, ++i);
                if (!args.parsedOk()) {
                    return;
                }
                if (idle < 0) {
                    error(session, "ERR Invalid IDLETIME value, must be >= 0");
                    return;
                }
            } else if (args.is(i, "freq") && more && idle == -1) {
                frequency = integerArg(session, args, ++i);
                if (!args.parsedOk()) {
                    return;
                }
                if (frequency < 0 || frequency > 255) {
                    error(session, "ERR Invalid FREQ value, must be >= 0 and <= 255");
                    return;
                }
            } else {
                syntaxError(session);
                return;
            }
        }
        Database db = session.database();
        byte[] key = args.bytes(1);
        if (!replace && db.lookupWrite(key, 0, key.length) != 0) {
            error(session, "BUSYKEY Target key name already exists.");
            return;
        }
        long ttl = integerArg(session, args, 2);
        if (!args.parsedOk()) {
            return;
        }
        if (ttl < 0) {
            error(session, "ERR Invalid TTL value, must be >= 0");
            return;
        }
        if (!DumpPayload.verifyPayload(args.data(), args.offset(3), args.length(3))) {
            error(session, "ERR DUMP payload version or checksum are wrong");
            return;
        }
        Object value = engine.persistence().payloads().readPayload(args.data(), args.offset(3), args.length(3));
        if (value == null) {
            error(session, "ERR Bad data format");
            return;
        }
        if (replace) {
            long existing = db.lookupWrite(key, 0, key.length);
            if (existing != 0) {
                db.delete(existing);
            }
        }
        if (ttl > 0 && !absoluteTtl) {
            ttl += engine.now();
        }
        if (ttl > 0 && ttl <= engine.now()) {
            ObjectTable.free(value);
            session.out().ok();
            return;
        }
        long entry = value instanceof byte[] bytes
                ? StringValues.store(db, key, 0, key.length, bytes, 0, bytes.length, false)
                : Values.create(db, key, 0, key.length, (CollectionValue) value);
        if (ttl > 0) {
            entry = db.keyspace().expireAt(entry, ttl);
        }
        if (engine.settings().text("maxmemory-policy").contains("lfu")) {
            if (frequency >= 0) {
                Entry.lfu(entry, (int) frequency);
            }
        } else if (idle >= 0) {
            Entry.lru(entry, (int) (engine.now() / 1000 - idle));
        }
        session.out().ok();
    }

    private void migrate(Session session, Arguments args) {
        new Migration(engine).run(session, args);
    }

    /** MIGRATE's keys: argument 3, or everything after KEYS when argument 3 is empty. */
    private static int[] migrateKeys(byte[][] argv) {
        if (argv.length < 6) {
            return null;
        }
        if (argv[3].length > 0) {
            return new int[] {3};
        }
        for (int i = 6; i < argv.length; i++) {
            String word = new String(argv[i], java.nio.charset.StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
            if (word.equals("keys")) {
                int[] keys = new int[argv.length - i - 1];
                for (int k = 0; k < keys.length; k++) {
                    keys[k] = i + 1 + k;
                }
                return keys;
            }
            if (word.equals("auth")) {
                i++;
            } else if (word.equals("auth2")) {
                i += 2;
            }
        }
        return new int[0];
    }
}
