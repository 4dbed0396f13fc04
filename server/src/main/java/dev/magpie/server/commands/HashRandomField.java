package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.HashValue;
import dev.magpie.server.types.HashView;
import dev.magpie.server.types.Values;

import java.util.concurrent.ThreadLocalRandom;

import static dev.magpie.server.command.CommandFlag.READONLY;

/** HRANDFIELD: one random field, or a count of them (distinct when positive), optionally with values. */
final class HashRandomField {
    static final String COUNT_RANGE = "ERR value is out of range, value must between -9223372036854775807 and "
            + "9223372036854775807";
    private static final String OUT_OF_RANGE = "ERR value is out of range";

    private final HashCommands hashes;

    HashRandomField(HashCommands hashes) {
        this.hashes = hashes;
    }

    void register(CommandTable table) {
        table.register(HashCommands.hash("hrandfield", -2, "Answers random fields of a hash, optionally with their "
                        + "values.", "O(N) where N is the number of fields returned")
                .since("6.2.0").flags(READONLY).keySpec(HashCommands.oneKey("RO access")).acl("read hash slow")
                .tips("nondeterministic_output").implementation(this::hrandfield));
    }

    private void hrandfield(Session session, Arguments args) {
        if (args.count() >= 3) {
            long count = args.parseLong(2);
            if (!args.parsedOk()) {
                hashes.fail(session, Errors.NOT_INTEGER);
                return;
            }
            if (count == Long.MIN_VALUE) {
                hashes.fail(session, COUNT_RANGE);
                return;
            }
            boolean withValues = false;
            if (args.count() > 4 || (args.count() == 4 && !StringCommands.option(args, 3, "WITHVALUES"))) {
                hashes.syntaxError(session);
                return;
            }
            if (args.count() == 4) {
                withValues = true;
                if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
                    hashes.fail(session, OUT_OF_RANGE);
                    return;
                }
            }
            withCount(session, args, count, withValues);
            return;
        }
        Object value = hashes.read(session, args);
        if (value == Values.WRONG_TYPE) {
            return;
        }
        if (value == null) {
            session.out().nullBulk();
            return;
        }
        HashValue hash = (HashValue) value;
        HashView view = hashes.view;
        hash.load(hash.randomPosition(ThreadLocalRandom.current()), view);
        session.out().bulk(view.array, view.fieldOffset, view.fieldLength);
    }

    private void withCount(Session session, Arguments args, long requested, boolean withValues) {
        Object value = hashes.read(session, args);
        if (value == Values.WRONG_TYPE) {
            return;
        }
        RespWriter out = session.out();
        if (value == null || requested == 0) {
            out.emptyArray();
            return;
        }
        HashValue hash = (HashValue) value;
        long size = hash.size();
        boolean distinct = requested > 0;
        long count = Math.abs(requested);
        boolean flat = withValues && !out.resp3();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (!distinct || count == 1) {
            out.arrayHeader(flat ? count * 2 : count);
            for (long i = 0; i < count; i++) {
                reply(out, hash, hash.randomPosition(random), withValues);
            }
            return;
        }
        if (count >= size) {
            // The whole hash, in its own order, as Redis does.
            out.arrayHeader(flat ? size * 2 : size);
            for (int at = hash.first(); at >= 0; at = hash.next(at)) {
                reply(out, hash, at, withValues);
            }
            return;
        }
        // Distinct picks: a partial shuffle of every position (count < size, so this is O(size)).
        int[] positions = hash.positions();
        int n = (int) count;
        out.arrayHeader(flat ? n * 2L : n);
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(positions.length - i);
            int chosen = positions[j];
            positions[j] = positions[i];
            positions[i] = chosen;
            reply(out, hash, chosen, withValues);
        }
    }

    private void reply(RespWriter out, HashValue hash, int position, boolean withValues) {
        HashView view = hashes.view;
        hash.load(position, view);
        if (withValues && out.resp3()) {
            out.arrayHeader(2);
        }
        out.bulk(view.array, view.fieldOffset, view.fieldLength);
        if (withValues) {
            out.bulk(view.array, view.valueOffset, view.valueLength);
        }
    }
}
