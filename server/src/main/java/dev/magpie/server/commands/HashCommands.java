package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.config.Setting;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.HashValue;
import dev.magpie.server.types.HashView;
import dev.magpie.server.types.Listpack;
import dev.magpie.server.types.Values;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;

/**
 * The hash type's commands (Redis's t_hash.c). This class declares the family and implements
 * the field reads and writes; counters, HRANDFIELD and HSCAN live in helpers beside it.
 */
public final class HashCommands extends CommandFamily {
    private static final String NONDETERMINISTIC_ORDER = "nondeterministic_output_order";

    private final Setting maxListpackEntries;
    private final Setting maxListpackValue;
    /** Reused by every command (engine thread only). */
    final HashView view = new HashView();
    private final HashCounters counters = new HashCounters(this);
    private final HashRandomField random = new HashRandomField(this);
    private final HashScanning scanning;

    public HashCommands(Engine engine) {
        super(engine);
        this.maxListpackEntries = engine.settings().find("hash-max-listpack-entries");
        this.maxListpackValue = engine.settings().find("hash-max-listpack-value");
        this.scanning = new HashScanning(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(hash("hset", -4, "Sets one or more fields of a hash, creating the hash when absent.",
                        "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is "
                                + "called with multiple field/value pairs.")
                .flags(WRITE, DENYOOM, FAST).keySpec(oneKey("RW update")).acl("write hash fast")
                .implementation((session, args) -> hset(session, args, false)));
        table.register(hash("hmset", -4, "Sets one or more fields of a hash and answers OK (the older form of HSET).",
                        "O(N) where N is the number of fields being set.")
                .flags(WRITE, DENYOOM, FAST).keySpec(oneKey("RW update")).acl("write hash fast")
                .implementation((session, args) -> hset(session, args, true)));
        table.register(hash("hsetnx", 4, "Sets a field of a hash only when the field is absent.", "O(1)")
                .flags(WRITE, DENYOOM, FAST).keySpec(oneKey("RW insert")).acl("write hash fast")
                .implementation(this::hsetnx));
        table.register(hash("hget", 3, "Answers the value of one field of a hash.", "O(1)")
                .flags(READONLY, FAST).keySpec(oneKey("RO access")).acl("read hash fast")
                .implementation(this::hget));
        table.register(hash("hmget", -3, "Answers the values of several fields of a hash.",
                        "O(N) where N is the number of fields being requested.")
                .flags(READONLY, FAST).keySpec(oneKey("RO access")).acl("read hash fast")
                .implementation(this::hmget));
        table.register(hash("hdel", -3, "Removes fields from a hash, and the hash itself once it is empty.",
                        "O(N) where N is the number of fields to be removed.")
                .flags(WRITE, FAST).keySpec(oneKey("RW delete")).acl("write hash fast")
                .implementation(this::hdel));
        table.register(hash("hlen", 2, "Answers how many fields a hash has.", "O(1)")
                .flags(READONLY, FAST).keySpec(oneKey("RO")).acl("read hash fast")
                .implementation(this::hlen));
        table.register(hash("hstrlen", 3, "Answers the length in bytes of the value of a hash field.", "O(1)")
                .since("3.2.0").flags(READONLY, FAST).keySpec(oneKey("RO")).acl("read hash fast")
                .implementation(this::hstrlen));
        table.register(hash("hexists", 3, "Tells whether a hash has a field.", "O(1)")
                .flags(READONLY, FAST).keySpec(oneKey("RO")).acl("read hash fast")
                .implementation(this::hexists));
        table.register(hash("hkeys", 2, "Answers the field names of a hash.", "O(N) where N is the size of the hash.")
                .flags(READONLY).keySpec(oneKey("RO access")).acl("read hash slow").tips(NONDETERMINISTIC_ORDER)
                .implementation((session, args) -> getAll(session, args, true, false)));
        table.register(hash("hvals", 2, "Answers the values of a hash.", "O(N) where N is the size of the hash.")
                .flags(READONLY).keySpec(oneKey("RO access")).acl("read hash slow").tips(NONDETERMINISTIC_ORDER)
                .implementation((session, args) -> getAll(session, args, false, true)));
        table.register(hash("hgetall", 2, "Answers every field of a hash with its value.",
                        "O(N) where N is the size of the hash.")
                .flags(READONLY).keySpec(oneKey("RO access")).acl("read hash slow").tips(NONDETERMINISTIC_ORDER)
                .implementation((session, args) -> getAll(session, args, true, true)));
        counters.register(table);
        random.register(table);
        table.register(hash("hscan", -3, "Iterates over the fields and values of a hash with a cursor.",
                        "O(1) for every call. O(N) for a complete iteration, including enough command calls for the "
                                + "cursor to return back to 0. N is the number of elements inside the collection..")
                .since("2.8.0").flags(READONLY).keySpec(oneKey("RO access")).acl("read hash slow")
                .tips("nondeterministic_output").implementation(scanning::hscan));
    }

    // ---- shared with the helpers --------------------------------------------------------------

    /** A command of the hash group, key at argument 1; since 2.0.0 unless the declaration says otherwise. */
    static CommandSpec hash(String name, int arity, String summary, String complexity) {
        return command(name).arity(arity).keys(1, 1, 1).group("hash").since("2.0.0").summary(summary)
                .complexity(complexity);
    }

    long maxEntries() {
        return (Long) maxListpackEntries.value();
    }

    long maxValue() {
        return (Long) maxListpackValue.value();
    }

    /** The hash under argument 1 for reading: the value, null when absent, or WRONG_TYPE after the error. */
    Object read(Session session, Arguments args) {
        return Values.lookup(engine, session, session.database(), args.data(), args.offset(1), args.length(1),
                Entry.TYPE_HASH, false);
    }

    /**
     * The entry of the hash under argument 1 for writing, created empty when absent (Redis's
     * hashTypeLookupWriteOrCreate); -1 after a WRONGTYPE error. Callers finish with
     * {@link Values#written} so an emptied hash disappears.
     */
    long writeOrCreate(Session session, Arguments args) {
        Database db = session.database();
        long entry = db.lookupWrite(args.data(), args.offset(1), args.length(1));
        if (entry == 0) {
            return Values.create(db, args.data(), args.offset(1), args.length(1), new HashValue());
        }
        if (Entry.type(entry) != Entry.TYPE_HASH) {
            error(session, Errors.WRONG_TYPE);
            return -1;
        }
        return entry;
    }

    /** Sets one field from arguments, with the configured conversion thresholds. */
    boolean set(HashValue hash, Arguments args, int fieldIndex, int valueIndex) {
        return hash.set(args.data(), args.offset(fieldIndex), args.length(fieldIndex),
                args.data(), args.offset(valueIndex), args.length(valueIndex), maxEntries(), maxValue());
    }

    /**
     * Redis's hashTypeTryConversion: a listpack becomes a table before the write when any of the
     * arguments is longer than hash-max-listpack-value, or the listpack would pass its size cap.
     */
    void convertForArguments(HashValue hash, Arguments args, int from, int to) {
        if (!hash.isListpack()) {
            return;
        }
        long maxValue = maxValue();
        long sum = 0;
        for (int i = from; i <= to; i++) {
            int length = args.length(i);
            if (length > maxValue) {
                hash.convertToTable();
                return;
            }
            sum += length;
        }
        hash.convertIfTooBig(sum);
    }

    // ---- writes -------------------------------------------------------------------------------

    private void hset(Session session, Arguments args, boolean hmset) {
        if (args.count() % 2 == 1) {
            error(session, Errors.arity(hmset ? "hmset" : "hset"));
            return;
        }
        long entry = writeOrCreate(session, args);
        if (entry < 0) {
            return;
        }
        Database db = session.database();
        HashValue hash = (HashValue) db.value(entry);
        convertForArguments(hash, args, 2, args.count() - 1);
        int created = 0;
        // One copy-out and one store of a listpack kept in native memory, whatever the field count.
        hash.beginWrites();
        try {
            for (int i = 2; i < args.count(); i += 2) {
                if (set(hash, args, i, i + 1)) {
                    created++;
                }
            }
        } finally {
            hash.endWrites();
        }
        Values.written(db, entry, hash);
        engine.changes((args.count() - 2) / 2);
        if (hmset) {
            session.out().ok();
        } else {
            session.out().integer(created);
        }
    }

    private void hsetnx(Session session, Arguments args) {
        long entry = writeOrCreate(session, args);
        if (entry < 0) {
            return;
        }
        Database db = session.database();
        HashValue hash = (HashValue) db.value(entry);
        boolean absent = hash.find(args.data(), args.offset(2), args.length(2)) < 0;
        if (absent) {
            convertForArguments(hash, args, 2, 3);
            set(hash, args, 2, 3);
        }
        Values.written(db, entry, hash);
        engine.changes(absent ? 1 : 0);
        session.out().integer(absent ? 1 : 0);
    }

    private void hdel(Session session, Arguments args) {
        MemberRemoval.remove(engine, session, args, Entry.TYPE_HASH, HashValue::delete);
    }

    // ---- reads --------------------------------------------------------------------------------

    private void hget(Session session, Arguments args) {
        Object value = read(session, args);
        if (value == Values.WRONG_TYPE) {
            return;
        }
        if (value == null) {
            session.out().nullBulk();
            return;
        }
        replyField(session.out(), (HashValue) value, args, 2);
    }

    private void replyField(RespWriter out, HashValue hash, Arguments args, int fieldIndex) {
        int at = hash.find(args.data(), args.offset(fieldIndex), args.length(fieldIndex));
        if (at < 0) {
            out.nullBulk();
            return;
        }
        long address = hash.nativeAddress(at);
        if (address != 0) {
            long value = Listpack.next(address);
            out.bulkFromAddress(Listpack.dataAddress(value), Listpack.length(value));
            return;
        }
        hash.load(at, view);
        out.bulk(view.array, view.valueOffset, view.valueLength);
    }

    private void hmget(Session session, Arguments args) {
        Object value = read(session, args);
        if (value == Values.WRONG_TYPE) {
            return;
        }
        RespWriter out = session.out();
        out.arrayHeader(args.count() - 2);
        for (int i = 2; i < args.count(); i++) {
            if (value == null) {
                out.nullBulk();
            } else {
                replyField(out, (HashValue) value, args, i);
            }
        }
    }

    private void hlen(Session session, Arguments args) {
        Object value = read(session, args);
        if (value != Values.WRONG_TYPE) {
            session.out().integer(value == null ? 0 : ((HashValue) value).size());
        }
    }

    private void hstrlen(Session session, Arguments args) {
        Object value = read(session, args);
        if (value == Values.WRONG_TYPE) {
            return;
        }
        int length = 0;
        if (value != null) {
            HashValue hash = (HashValue) value;
            int at = hash.find(args.data(), args.offset(2), args.length(2));
            if (at >= 0) {
                hash.load(at, view);
                length = view.valueLength;
            }
        }
        session.out().integer(length);
    }

    private void hexists(Session session, Arguments args) {
        Object value = read(session, args);
        if (value != Values.WRONG_TYPE) {
            boolean found = value != null && ((HashValue) value).find(args.data(), args.offset(2), args.length(2)) >= 0;
            session.out().integer(found ? 1 : 0);
        }
    }

    /** HKEYS, HVALS and HGETALL (a map in RESP3), in the hash's own order. */
    private void getAll(Session session, Arguments args, boolean fields, boolean values) {
        Object value = read(session, args);
        if (value == Values.WRONG_TYPE) {
            return;
        }
        RespWriter out = session.out();
        boolean both = fields && values;
        if (value == null) {
            if (both) {
                out.mapHeader(0);
            } else {
                out.emptyArray();
            }
            return;
        }
        HashValue hash = (HashValue) value;
        if (both) {
            out.mapHeader(hash.size());
        } else {
            out.arrayHeader(hash.size());
        }
        for (int at = hash.first(); at >= 0; at = hash.next(at)) {
            long address = hash.nativeAddress(at);
            if (address != 0) {
                if (fields) {
                    out.bulkFromAddress(Listpack.dataAddress(address), Listpack.length(address));
                }
                if (values) {
                    long valueAt = Listpack.next(address);
                    out.bulkFromAddress(Listpack.dataAddress(valueAt), Listpack.length(valueAt));
                }
                continue;
            }
            hash.load(at, view);
            if (fields) {
                out.bulk(view.array, view.fieldOffset, view.fieldLength);
            }
            if (values) {
                out.bulk(view.array, view.valueOffset, view.valueLength);
            }
        }
    }
}
