package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.ZSetValue;

import java.util.ArrayList;
import java.util.List;

import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.commands.SortedSetCommands.oneKey;
import static dev.magpie.server.commands.SortedSetCommands.zset;

/**
 * ZSCAN as Redis's scanGenericCommand runs it: a packed set comes back whole with cursor 0; a
 * large one is walked bucket by bucket with the reverse-binary cursor (COUNT buckets' worth,
 * at most ten times as many steps), then filtered by MATCH. Scores are bulk strings.
 */
final class ZSetScan {
    private final ScanOptions options;

    ZSetScan(SortedSetCommands family) {
        this.options = new ScanOptions(family.engine);
    }

    void register(CommandTable table) {
        table.register(zset("zscan", -3, "Iterates over the members and scores of a sorted set, a few at a time.",
                "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor "
                        + "to return back to 0. N is the number of elements inside the collection.")
                .since("2.8.0").flags(READONLY).keys(1, 1, 1).keySpec(oneKey("RO access"))
                .tips("nondeterministic_output").acl("read sortedset slow").implementation(this::zscan));
    }

    private void zscan(Session session, Arguments args) {
        if (!options.parseCursor(session, args, 2)) {
            return;
        }
        Object value = options.collection(session, args, Entry.TYPE_ZSET);
        if (value == null) {
            return;
        }
        RespWriter out = session.out();
        long count = options.count();
        ZSetValue set = (ZSetValue) value;
        List<byte[]> members = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        long cursor = options.cursor();
        if (set.packed()) {
            if (set.size() > 0) {
                ZSetValue.Cursor c = set.cursor().seek(0);
                do {
                    members.add(c.memberCopy());
                    scores.add(c.score());
                } while (c.next());
            }
            cursor = 0;
        } else {
            long elements = count * 2;
            long maxIterations = count * 10;
            do {
                cursor = set.scanStep(cursor, (m, o, l, s) -> {
                    members.add(java.util.Arrays.copyOfRange(m, o, o + l));
                    scores.add(s);
                });
            } while (cursor != 0 && maxIterations-- != 0 && members.size() * 2L < elements);
        }
        int kept = 0;
        for (int i = 0; i < members.size(); i++) {
            if (options.matches(members.get(i))) {
                members.set(kept, members.get(i));
                scores.set(kept, scores.get(i));
                kept++;
            }
        }
        out.arrayHeader(2);
        out.bulk(Long.toUnsignedString(cursor));
        out.arrayHeader(kept * 2L);
        boolean packed = set.packed();
        for (int i = 0; i < kept; i++) {
            out.bulk(members.get(i));
            out.bulk(packed ? ScoreFormat.listpackText(scores.get(i)) : ScoreFormat.format(scores.get(i)));
        }
    }
}
