package dev.magpie.server.commands;

import dev.magpie.protocol.RespNumbers;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.StringValues;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.WRITE;

/** Strings used as numbers: INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT. */
final class CounterCommands {
    private static final String DECREMENT_OVERFLOW = "ERR decrement would overflow";
    private static final String NAN_OR_INFINITY = "ERR increment would produce NaN or Infinity";

    private final StringCommands strings;

    CounterCommands(StringCommands strings) {
        this.strings = strings;
    }

    void register(CommandTable table) {
        table.register(counter("incr", "Adds one to the integer held by a key, starting from zero when absent.")
                .arity(2).implementation((session, args) -> incrBy(session, args, 1)));
        table.register(counter("decr", "Subtracts one from the integer held by a key, starting from zero when absent.")
                .arity(2).implementation((session, args) -> incrBy(session, args, -1)));
        table.register(counter("incrby", "Adds an integer to the integer held by a key, starting from zero when absent.")
                .arity(3).implementation(this::incrby));
        table.register(counter("decrby", "Subtracts an integer from the integer held by a key, starting from zero when absent.")
                .arity(3).implementation(this::decrby));
        table.register(counter("incrbyfloat", "Adds a floating point number to the number held by a key, starting from zero when absent.")
                .arity(3).since("2.6.0").implementation(this::incrbyfloat));
    }

    private static CommandSpec counter(String name, String summary) {
        return CommandSpec.command(name).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1)
                .keySpec(StringCommands.oneKey("RW access update")).acl("write string fast")
                .group("string").summary(summary).complexity("O(1)");
    }

    private void incrby(Session session, Arguments args) {
        long increment = args.parseLong(2);
        if (!args.parsedOk()) {
            strings.fail(session, Errors.NOT_INTEGER);
            return;
        }
        incrBy(session, args, increment);
    }

    private void decrby(Session session, Arguments args) {
        long decrement = args.parseLong(2);
        if (!args.parsedOk()) {
            strings.fail(session, Errors.NOT_INTEGER);
            return;
        }
        if (decrement == Long.MIN_VALUE) {
            strings.fail(session, DECREMENT_OVERFLOW);
            return;
        }
        incrBy(session, args, -decrement);
    }

    private void incrBy(Session session, Arguments args, long increment) {
        long entry = strings.writeString(session, args, 1);
        if (entry < 0) {
            return;
        }
        long value = 0;
        if (entry != 0) {
            value = StringValues.asLong(entry);
            if (value == RespNumbers.INVALID && !StringValues.isMinValue(entry)) {
                strings.fail(session, Errors.NOT_INTEGER);
                return;
            }
        }
        if ((increment < 0 && value < 0 && increment < Long.MIN_VALUE - value)
                || (increment > 0 && value > 0 && increment > Long.MAX_VALUE - value)) {
            strings.fail(session, Errors.OVERFLOW);
            return;
        }
        value += increment;
        StringValues.storeLong(session.database(), args.data(), args.offset(1), args.length(1), value, entry);
        session.out().integer(value);
    }

    private void incrbyfloat(Session session, Arguments args) {
        long entry = strings.writeString(session, args, 1);
        if (entry < 0) {
            return;
        }
        ExtendedFloat value = ExtendedFloat.of(0);
        if (entry != 0) {
            if (Entry.encoding(entry) == Entry.ENCODING_INT) {
                value = ExtendedFloat.of(Entry.intValue(entry));
            } else if (Entry.valueLength(entry) < ExtendedFloat.MAX_TEXT) {
                byte[] text = StringValues.bytes(entry);
                value = ExtendedFloat.parse(text, 0, text.length);
            } else {
                value = null;
            }
        }
        ExtendedFloat increment = value == null ? null : ExtendedFloat.parse(args.data(), args.offset(2), args.length(2));
        if (increment == null) {
            strings.fail(session, Errors.NOT_FLOAT);
            return;
        }
        ExtendedFloat sum = value.add(increment);
        if (sum.isInfinite()) {
            strings.fail(session, NAN_OR_INFINITY);
            return;
        }
        byte[] text = sum.formatBytes();
        StringValues.storeText(session.database(), entry, args.data(), args.offset(1), args.length(1), text, true);
        session.out().bulk(text);
    }
}
