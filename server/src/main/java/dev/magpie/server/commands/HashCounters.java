package dev.magpie.server.commands;

import dev.magpie.protocol.RespNumbers;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.HashValue;
import dev.magpie.server.types.HashView;
import dev.magpie.server.types.Values;

import java.nio.charset.StandardCharsets;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.WRITE;

/** Hash fields used as numbers: HINCRBY and HINCRBYFLOAT (the latter in INCRBYFLOAT's long-double arithmetic). */
final class HashCounters {
    private static final String NOT_INTEGER_FIELD = "ERR hash value is not an integer";
    private static final String NOT_FLOAT_FIELD = "ERR hash value is not a float";
    private static final String NAN_OR_INFINITE_INCREMENT = "ERR value is NaN or Infinity";
    private static final String NAN_OR_INFINITY = "ERR increment would produce NaN or Infinity";

    private final HashCommands hashes;

    HashCounters(HashCommands hashes) {
        this.hashes = hashes;
    }

    void register(CommandTable table) {
        table.register(HashCommands.hash("hincrby", 4, "Adds an integer to the integer held by a hash field, starting "
                        + "from zero when the field is absent.", "O(1)")
                .flags(WRITE, DENYOOM, FAST).keySpec(HashCommands.oneKey("RW access update")).acl("write hash fast")
                .implementation(this::hincrby));
        table.register(HashCommands.hash("hincrbyfloat", 4, "Adds a floating point number to the number held by a "
                        + "hash field, starting from zero when the field is absent.", "O(1)")
                .since("2.6.0").flags(WRITE, DENYOOM, FAST).keySpec(HashCommands.oneKey("RW access update"))
                .acl("write hash fast").implementation(this::hincrbyfloat));
    }

    private void hincrby(Session session, Arguments args) {
        long increment = args.parseLong(3);
        if (!args.parsedOk()) {
            hashes.fail(session, Errors.NOT_INTEGER);
            return;
        }
        long entry = hashes.writeOrCreate(session, args);
        if (entry < 0) {
            return;
        }
        Database db = session.database();
        HashValue hash = (HashValue) db.value(entry);
        long value = 0;
        int at = hash.find(args.data(), args.offset(2), args.length(2));
        if (at >= 0) {
            HashView view = hashes.view;
            hash.load(at, view);
            value = RespNumbers.parseLong(view.array, view.valueOffset, view.valueLength);
            if (value == RespNumbers.INVALID && !RespNumbers.isMinValue(view.array, view.valueOffset, view.valueLength)) {
                hashes.fail(session, NOT_INTEGER_FIELD);
                return;
            }
        }
        if ((increment < 0 && value < 0 && increment < Long.MIN_VALUE - value)
                || (increment > 0 && value > 0 && increment > Long.MAX_VALUE - value)) {
            hashes.fail(session, Errors.OVERFLOW);
            return;
        }
        value += increment;
        byte[] text = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
        store(hash, args, text);
        Values.written(db, entry, hash);
        session.out().integer(value);
    }

    private void hincrbyfloat(Session session, Arguments args) {
        ExtendedFloat increment = ExtendedFloat.parse(args.data(), args.offset(3), args.length(3));
        if (increment == null) {
            hashes.fail(session, Errors.NOT_FLOAT);
            return;
        }
        if (increment.isInfinite()) {
            hashes.fail(session, NAN_OR_INFINITE_INCREMENT);
            return;
        }
        long entry = hashes.writeOrCreate(session, args);
        if (entry < 0) {
            return;
        }
        Database db = session.database();
        HashValue hash = (HashValue) db.value(entry);
        ExtendedFloat value = ExtendedFloat.of(0);
        int at = hash.find(args.data(), args.offset(2), args.length(2));
        if (at >= 0) {
            HashView view = hashes.view;
            hash.load(at, view);
            value = ExtendedFloat.parse(view.array, view.valueOffset, view.valueLength);
            if (value == null) {
                hashes.fail(session, NOT_FLOAT_FIELD);
                return;
            }
        }
        ExtendedFloat sum = value.add(increment);
        if (sum.isInfinite()) {
            hashes.fail(session, NAN_OR_INFINITY);
            return;
        }
        byte[] text = sum.formatBytes();
        store(hash, args, text);
        Values.written(db, entry, hash);
        session.out().bulk(text);
    }

    /** Redis's hashTypeSet of the new number (it converts when the field name is too long for a listpack). */
    private void store(HashValue hash, Arguments args, byte[] text) {
        hash.set(args.data(), args.offset(2), args.length(2), text, 0, text.length,
                hashes.maxEntries(), hashes.maxValue());
    }
}
