package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.Errors;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.StringValues;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;

/** Commands that read or write part of a string: APPEND, SETRANGE, GETRANGE, SUBSTR. */
final class StringRangeCommands {
    private static final String OFFSET_OUT_OF_RANGE = "ERR offset is out of range";
    private static final String RANGE_COMPLEXITY = "O(N) where N is the length of the returned string."
            + " Short ranges are cheap to copy, so small strings answer in about constant time.";

    private final StringCommands strings;

    StringRangeCommands(StringCommands strings) {
        this.strings = strings;
    }

    void register(CommandTable table) {
        table.register(CommandSpec.command("append").arity(3).flags(WRITE, DENYOOM, FAST).keys(1, 1, 1)
                .keySpec(StringCommands.oneKey("RW insert"))
                .acl("write string fast").group("string").since("2.0.0")
                .summary("Adds bytes to the end of a key's string value, creating the key when absent.")
                .complexity("O(1), amortized over appends of small values.").implementation(this::append));
        table.register(CommandSpec.command("setrange").arity(4).flags(WRITE, DENYOOM).keys(1, 1, 1)
                .keySpec(StringCommands.oneKey("RW update"))
                .acl("write string slow").group("string").since("2.2.0")
                .summary("Writes bytes over part of a key's string value, zero-padding it when the offset is past its end.")
                .complexity("O(1), plus O(M) to copy a value of M bytes.").implementation(this::setrange));
        table.register(CommandSpec.command("getrange").arity(4).flags(READONLY).keys(1, 1, 1)
                .keySpec(StringCommands.oneKey("RO access"))
                .acl("read string slow").group("string").since("2.4.0")
                .summary("Answers the part of a key's string value between two offsets.")
                .complexity(RANGE_COMPLEXITY).implementation(this::getrange));
        table.register(CommandSpec.command("substr").arity(4).flags(READONLY).keys(1, 1, 1)
                .keySpec(StringCommands.oneKey("RO access"))
                .acl("read string slow").group("string")
                .summary("Answers the part of a key's string value between two offsets (the old name of GETRANGE).")
                .complexity(RANGE_COMPLEXITY).implementation(this::getrange));
    }

    private void append(Session session, Arguments args) {
        long entry = strings.writeString(session, args, 1);
        if (entry < 0) {
            return;
        }
        Database db = session.database();
        byte[] data = args.data();
        if (entry == 0) {
            // A new key gets its value encoded as SET would encode it (int, embstr or raw).
            entry = StringValues.store(db, data, args.offset(1), args.length(1), data, args.offset(2),
                    args.length(2), false);
            session.out().integer(StringValues.length(entry));
            return;
        }
        long total = (long) StringValues.length(entry) + args.length(2);
        if (total > strings.maxStringLength()) {
            strings.fail(session, Errors.STRING_TOO_LONG);
            return;
        }
        entry = StringValues.append(db.keyspace(), entry, data, args.offset(2), args.length(2));
        session.out().integer(Entry.valueLength(entry));
    }

    private void setrange(Session session, Arguments args) {
        long offset = args.parseLong(2);
        if (!args.parsedOk()) {
            strings.fail(session, Errors.NOT_INTEGER);
            return;
        }
        if (offset < 0) {
            strings.fail(session, OFFSET_OUT_OF_RANGE);
            return;
        }
        long entry = strings.writeString(session, args, 1);
        if (entry < 0) {
            return;
        }
        int length = args.length(3);
        if (length == 0) {
            session.out().integer(entry == 0 ? 0 : StringValues.length(entry));
            return;
        }
        if (offset > strings.maxStringLength() - length) {
            strings.fail(session, Errors.STRING_TOO_LONG);
            return;
        }
        Database db = session.database();
        byte[] data = args.data();
        if (entry == 0) {
            entry = StringValues.createZeroPadded(db, data, args.offset(1), args.length(1), (int) offset + length,
                    (int) offset, data, args.offset(3), length);
        } else {
            entry = StringValues.overwrite(db.keyspace(), entry, (int) offset, data, args.offset(3), length);
        }
        session.out().integer(Entry.valueLength(entry));
    }

    private void getrange(Session session, Arguments args) {
        long start = args.parseLong(2);
        if (!args.parsedOk()) {
            strings.fail(session, Errors.NOT_INTEGER);
            return;
        }
        long end = args.parseLong(3);
        if (!args.parsedOk()) {
            strings.fail(session, Errors.NOT_INTEGER);
            return;
        }
        long entry = session.database().lookupRead(args.data(), args.offset(1), args.length(1), !session.noTouch());
        if (entry == 0) {
            emptyBulk(session);
            return;
        }
        if (Entry.type(entry) != Entry.TYPE_STRING) {
            strings.fail(session, Errors.WRONG_TYPE);
            return;
        }
        long length = StringValues.length(entry);
        if (start < 0 && end < 0 && start > end) {
            emptyBulk(session);
            return;
        }
        if (start < 0) {
            start += length;
        }
        if (end < 0) {
            end += length;
        }
        start = Math.max(start, 0);
        end = Math.max(end, 0);
        if (end >= length) {
            end = length - 1;
        }
        if (start > end || length == 0) {
            emptyBulk(session);
        } else {
            StringValues.replyRange(session.out(), entry, (int) start, (int) (end - start + 1));
        }
    }

    private static void emptyBulk(Session session) {
        session.out().bulkHeader(0);
        session.out().bulkEnd();
    }
}
