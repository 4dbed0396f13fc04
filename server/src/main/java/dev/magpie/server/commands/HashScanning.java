package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.HashSlots;
import dev.magpie.server.types.HashValue;
import dev.magpie.server.types.HashView;
import dev.magpie.server.types.SetMember;
import dev.magpie.server.types.SetValue;

import java.util.ArrayList;
import java.util.function.IntConsumer;

/**
 * HSCAN and SSCAN (Redis's scanGenericCommand for one key): a listpack or intset answers
 * everything at once with cursor 0; a table is walked from the cursor, COUNT buckets' worth at a
 * time (at most COUNT * 10 buckets), then MATCH filters what was gathered.
 */
final class HashScanning {
    private static final int RETAINED = 4096;

    private final HashView view = new HashView();
    private final SetMember member = new SetMember();
    /** Gathered elements (engine thread only): fields and values alternate for hashes. */
    private final ArrayList<byte[]> found = new ArrayList<>();
    private HashSlots scanned;
    private boolean pairs;
    private final IntConsumer collect = this::collect;
    private final ScanOptions options;

    HashScanning(Engine engine) {
        this.options = new ScanOptions(engine);
    }

    void hscan(Session session, Arguments args) {
        scan(session, args, Entry.TYPE_HASH);
    }

    void sscan(Session session, Arguments args) {
        scan(session, args, Entry.TYPE_SET);
    }

    private void scan(Session session, Arguments args, byte type) {
        if (!options.parseCursor(session, args, 2)) {
            return;
        }
        long cursor = options.cursor();
        Object value = options.collection(session, args, type);
        if (value == null) {
            return;
        }
        RespWriter out = session.out();
        long count = options.count();
        found.clear();
        try {
            pairs = type == Entry.TYPE_HASH;
            HashSlots table = pairs ? ((HashValue) value).table() : ((SetValue) value).table();
            if (table == null) {
                gatherAll(value);
                cursor = 0;
            } else {
                scanned = table;
                long maxIterations = count * 10;
                do {
                    cursor = table.scan(cursor, collect);
                } while (cursor != 0 && maxIterations-- != 0 && found.size() < count); // fields and values both count, as in Redis
            }
            int step = pairs ? 2 : 1;
            int kept = 0;
            for (int i = 0; i < found.size(); i += step) {
                byte[] element = found.get(i);
                if (options.matches(element)) {
                    for (int j = 0; j < step; j++) {
                        found.set(kept++, found.get(i + j));
                    }
                }
            }
            out.arrayHeader(2);
            out.bulk(Long.toUnsignedString(cursor));
            out.arrayHeader(kept);
            for (int i = 0; i < kept; i++) {
                out.bulk(found.get(i));
            }
        } finally {
            scanned = null;
            boolean large = found.size() > RETAINED;
            found.clear();
            if (large) {
                found.trimToSize();
            }
        }
    }

    private void gatherAll(Object value) {
        if (value instanceof HashValue hash) {
            for (int at = hash.first(); at >= 0; at = hash.next(at)) {
                hash.load(at, view);
                found.add(view.field());
                found.add(view.value());
            }
        } else {
            SetValue set = (SetValue) value;
            for (int at = set.first(); at >= 0; at = set.next(at)) {
                set.load(at, member);
                found.add(member.copy());
            }
        }
    }

    private void collect(int slot) {
        byte[] page = scanned.array(slot);
        int keyOffset = scanned.keyOffset(slot);
        found.add(java.util.Arrays.copyOfRange(page, keyOffset, keyOffset + scanned.keyLength(slot)));
        if (pairs) {
            int valueOffset = scanned.valueOffset(slot);
            found.add(java.util.Arrays.copyOfRange(page, valueOffset, valueOffset + scanned.valueLength(slot)));
        }
    }
}
