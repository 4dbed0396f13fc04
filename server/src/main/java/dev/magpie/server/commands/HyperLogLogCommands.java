package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.OffHeap;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.StringValues;
import dev.magpie.server.types.hll.Hll;
import dev.magpie.server.types.hll.HllDense;
import dev.magpie.server.types.hll.HllEstimator;
import dev.magpie.server.types.hll.HllSelfTest;
import dev.magpie.server.types.hll.HllSparse;
import dev.magpie.server.types.hll.HllValue;

import java.util.Arrays;

import static dev.magpie.server.command.CommandFlag.ADMIN;
import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;

/**
 * HyperLogLog commands (Redis's hyperloglog.c). Values are ordinary strings in Redis's exact
 * representation, so a value moved with GET and SET between Magpie and Redis counts the same
 * on both sides. Dense values are updated in place in the entry; sparse ones are edited in a
 * reusable working copy and stored back once per command.
 */
public final class HyperLogLogCommands extends CommandFamily {
    static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    static final String CORRUPT = "INVALIDOBJ Corrupted HLL object detected";

    private final HllValue work = new HllValue();
    private final byte[] max = new byte[Hll.REGISTERS];
    private final HllSelfTest selfTest = new HllSelfTest();

    public HyperLogLogCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(command("pfadd").arity(-2).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1)
                .keySpec(KeySpec.range("RW insert", 1, 0, 1, 0)).acl("write hyperloglog fast")
                .group("hyperloglog").since("2.8.9")
                .summary("Adds elements to a HyperLogLog, creating the key when absent.")
                .complexity("O(1) per element added.").implementation(this::pfadd));
        table.register(command("pfcount").arity(-2).flags(READONLY).keys(1, -1, 1)
                .keySpec(KeySpec.range("RW access", 1, -1, 1, 0)).acl("read hyperloglog slow")
                .group("hyperloglog").since("2.8.9")
                .summary("Answers the approximate number of distinct elements added to one HyperLogLog, or to the union of several.")
                .complexity("O(1) with one key (the estimate is cached in the value), O(N) for the union of N keys.")
                .implementation(this::pfcount));
        table.register(command("pfmerge").arity(-2).flags(WRITE, DENYOOM).keys(1, -1, 1)
                .keySpec(KeySpec.range("RW access insert", 1, 0, 1, 0)).keySpec(KeySpec.range("RO access", 2, -1, 1, 0))
                .acl("write hyperloglog slow").group("hyperloglog").since("2.8.9")
                .summary("Stores the union of several HyperLogLogs in a destination key.")
                .complexity("O(N) to merge N HyperLogLogs, with a large constant.").implementation(this::pfmerge));
        table.register(command("pfdebug").arity(3).flags(WRITE, DENYOOM, ADMIN).keys(2, 2, 1)
                .keySpec(KeySpec.range("RW access", 2, 0, 1, 0)).acl("write hyperloglog admin slow dangerous")
                .group("hyperloglog").since("2.8.9")
                .summary("Inspects or converts the internal representation of a HyperLogLog (for debugging).")
                .complexity("N/A").implementation(this::pfdebug));
        table.register(command("pfselftest").arity(1).flags(ADMIN).keys(0, 0, 0)
                .acl("hyperloglog admin slow dangerous").group("hyperloglog").since("2.8.9")
                .summary("Checks the HyperLogLog implementation's registers and estimates against known bounds.")
                .complexity("N/A").implementation(this::pfselftest));
    }

    private long sparseMaxBytes() {
        return engine.settings().integer("hll-sparse-max-bytes");
    }

    /** True when the entry holds a HyperLogLog string; otherwise replies with Redis's error. */
    private boolean isHll(Session session, long entry) {
        if (Entry.type(entry) != Entry.TYPE_STRING) {
            error(session, Errors.WRONG_TYPE);
            return false;
        }
        int length = Entry.valueLength(entry);
        long value = Entry.valueAddress(entry);
        if (Entry.encoding(entry) == Entry.ENCODING_INT || length < Hll.HEADER
                || !Hll.looksValid(OffHeap.getByte(value), OffHeap.getByte(value + 1), OffHeap.getByte(value + 2),
                OffHeap.getByte(value + 3), OffHeap.getByte(value + Hll.ENCODING_AT), length)) {
            error(session, NOT_HLL);
            return false;
        }
        return true;
    }

    private HllValue load(long entry) {
        return work.load(Entry.valueAddress(entry), Entry.valueLength(entry));
    }

    /** Writes the working copy back as the key's value (a raw string), creating the key when {@code entry} is 0. */
    private static long store(Database db, Arguments args, int keyIndex, long entry, HllValue value) {
        long stored = entry == 0
                ? StringValues.prepare(db, 0, args.data(), args.offset(keyIndex), args.length(keyIndex), value.length(), false)
                : db.keyspace().resizeValue(entry, value.length());
        Entry.type(stored, Entry.TYPE_STRING, Entry.ENCODING_RAW);
        OffHeap.copyFromArray(value.data(), 0, Entry.valueAddress(stored), value.length());
        return stored;
    }

    private void pfadd(Session session, Arguments args) {
        Database db = session.database();
        long entry = db.lookupWrite(args.data(), args.offset(1), args.length(1));
        int updated = 0;
        if (entry == 0) {
            work.load(Hll.emptySparse());
            updated = 1;
        } else {
            if (!isHll(session, entry)) {
                return;
            }
            Entry.encoding(entry, Entry.ENCODING_RAW);
            if (OffHeap.getByte(Entry.valueAddress(entry) + Hll.ENCODING_AT) == Hll.DENSE) {
                addDenseInPlace(session, args, entry);
                return;
            }
            load(entry);
        }
        long maxBytes = sparseMaxBytes();
        byte[] data = args.data();
        for (int i = 2; i < args.count(); i++) {
            int hashed = Hll.hashElement(data, args.offset(i), args.length(i));
            int result = work.raise(hashed & 0xFFFF, hashed >>> 16, maxBytes);
            if (result < 0) {
                store(db, args, 1, entry, work);
                error(session, CORRUPT);
                return;
            }
            updated += result;
        }
        if (updated > 0) {
            work.invalidateCache();
            store(db, args, 1, entry, work);
        }
        session.out().integer(updated > 0 ? 1 : 0);
    }

    private static void addDenseInPlace(Session session, Arguments args, long entry) {
        long value = Entry.valueAddress(entry);
        long registers = value + Hll.HEADER;
        byte[] data = args.data();
        boolean updated = false;
        for (int i = 2; i < args.count(); i++) {
            int hashed = Hll.hashElement(data, args.offset(i), args.length(i));
            updated |= HllDense.raise(registers, hashed & 0xFFFF, hashed >>> 16);
        }
        if (updated) {
            long last = value + Hll.CARDINALITY_AT + 7;
            OffHeap.putByte(last, (byte) (OffHeap.getByte(last) | 0x80));
        }
        session.out().integer(updated ? 1 : 0);
    }

    private void pfcount(Session session, Arguments args) {
        Database db = session.database();
        boolean touch = !session.noTouch();
        if (args.count() > 2) {
            Arrays.fill(max, (byte) 0);
            for (int i = 1; i < args.count(); i++) {
                long entry = db.lookupRead(args.data(), args.offset(i), args.length(i), touch);
                if (entry == 0) {
                    continue;
                }
                if (!isHll(session, entry)) {
                    return;
                }
                if (!load(entry).maxInto(max)) {
                    error(session, CORRUPT);
                    return;
                }
            }
            session.out().integer(HllEstimator.countRegisters(max));
            return;
        }
        long entry = db.lookupRead(args.data(), args.offset(1), args.length(1), touch);
        if (entry == 0) {
            session.out().integer(0);
            return;
        }
        if (!isHll(session, entry)) {
            return;
        }
        Entry.encoding(entry, Entry.ENCODING_RAW);
        long cardinality = cached(entry);
        if (cardinality < 0) {
            cardinality = HllEstimator.count(load(entry));
            if (cardinality < 0) {
                error(session, CORRUPT);
                return;
            }
            long at = Entry.valueAddress(entry) + Hll.CARDINALITY_AT;
            for (int i = 0; i < 8; i++) {
                OffHeap.putByte(at + i, (byte) (cardinality >>> (8 * i)));
            }
        }
        session.out().integer(cardinality);
    }

    /** The cardinality cached in the header, or -1 when it is stale. */
    private static long cached(long entry) {
        long at = Entry.valueAddress(entry) + Hll.CARDINALITY_AT;
        if ((OffHeap.getByte(at + 7) & 0x80) != 0) {
            return -1;
        }
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = card << 8 | (OffHeap.getByte(at + i) & 0xFF);
        }
        return card;
    }

    private void pfmerge(Session session, Arguments args) {
        Database db = session.database();
        boolean touch = !session.noTouch();
        boolean dense = false;
        Arrays.fill(max, (byte) 0);
        for (int i = 1; i < args.count(); i++) {
            long entry = db.lookupRead(args.data(), args.offset(i), args.length(i), touch);
            if (entry == 0) {
                continue;
            }
            if (!isHll(session, entry)) {
                return;
            }
            HllValue value = load(entry);
            dense |= value.encoding() == Hll.DENSE;
            if (!value.maxInto(max)) {
                error(session, CORRUPT);
                return;
            }
        }
        long target = db.lookupWrite(args.data(), args.offset(1), args.length(1));
        if (target == 0) {
            work.load(Hll.emptySparse());
        } else {
            load(target);
        }
        if (dense && !work.toDense()) {
            error(session, CORRUPT);
            return;
        }
        long maxBytes = sparseMaxBytes();
        for (int i = 0; i < Hll.REGISTERS; i++) {
            if (max[i] != 0) {
                work.raise(i, max[i], maxBytes);
            }
        }
        work.invalidateCache();
        store(db, args, 1, target, work);
        session.out().ok();
    }

    private void pfdebug(Session session, Arguments args) {
        Database db = session.database();
        long entry = db.lookupWrite(args.data(), args.offset(2), args.length(2));
        if (entry == 0) {
            error(session, "ERR The specified key does not exist");
            return;
        }
        if (!isHll(session, entry)) {
            return;
        }
        Entry.encoding(entry, Entry.ENCODING_RAW);
        HllValue value = load(entry);
        if (args.is(1, "getreg")) {
            if (value.encoding() == Hll.SPARSE) {
                if (!value.toDense()) {
                    error(session, CORRUPT);
                    return;
                }
                store(db, args, 2, entry, value);
            }
            session.out().arrayHeader(Hll.REGISTERS);
            for (int i = 0; i < Hll.REGISTERS; i++) {
                session.out().integer(HllDense.get(value.data(), Hll.HEADER, i));
            }
        } else if (args.is(1, "decode")) {
            if (value.encoding() != Hll.SPARSE) {
                error(session, "ERR HLL encoding is not sparse");
                return;
            }
            session.out().bulk(HllSparse.decode(value.data(), value.length()));
        } else if (args.is(1, "encoding")) {
            session.out().simple(value.encoding() == Hll.DENSE ? "dense" : "sparse");
        } else if (args.is(1, "todense")) {
            boolean converted = false;
            if (value.encoding() == Hll.SPARSE) {
                if (!value.toDense()) {
                    error(session, CORRUPT);
                    return;
                }
                store(db, args, 2, entry, value);
                converted = true;
            }
            session.out().integer(converted ? 1 : 0);
        } else {
            error(session, "ERR Unknown PFDEBUG subcommand '" + cString(args, 1) + "'");
        }
    }

    /** An argument as Redis's C code prints it: up to its first NUL byte. */
    private static String cString(Arguments args, int i) {
        String text = args.string(i);
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }

    private void pfselftest(Session session, Arguments args) {
        String failure = selfTest.run(sparseMaxBytes());
        if (failure == null) {
            session.out().ok();
        } else {
            error(session, failure);
        }
    }
}
