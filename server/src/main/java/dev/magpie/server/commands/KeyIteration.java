package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.Keyspace;
import dev.magpie.server.keyspace.OffHeap;
import dev.magpie.server.session.Session;
import dev.magpie.server.util.GlobPattern;

import java.util.ArrayList;
import java.util.Arrays;

/** The commands that walk the keyspace rather than name a key: KEYS, SCAN and RANDOMKEY. */
final class KeyIteration {
    private static final int RETAINED = 64 * 1024;

    private final Engine engine;
    /** Reused between calls (engine thread only): matching entries of KEYS, key names of SCAN. */
    private long[] found = new long[64];
    private int foundCount;
    private byte[] keyScratch = new byte[64];
    private final ArrayList<byte[]> scanned = new ArrayList<>();
    private final Keyspace.EntryVisitor collectMatching;
    private final Keyspace.EntryVisitor collectNames = entry -> scanned.add(Entry.keyBytes(entry));
    private byte[] keysPattern;
    private int keysPatternOffset;
    private int keysPatternLength;
    private Database keysDatabase;
    private final ScanOptions options;

    KeyIteration(Engine engine) {
        this.engine = engine;
        this.options = new ScanOptions(engine);
        this.collectMatching = this::collectIfMatching;
    }

    // ---- KEYS -------------------------------------------------------------------------------

    void keys(Session session, Arguments args) {
        keysPattern = args.data();
        keysPatternOffset = args.offset(1);
        keysPatternLength = args.length(1);
        keysDatabase = session.database();
        foundCount = 0;
        try {
            keysDatabase.keyspace().forEach(collectMatching);
            RespWriter out = session.out();
            out.arrayHeader(foundCount);
            for (int i = 0; i < foundCount; i++) {
                out.bulkFromAddress(Entry.keyAddress(found[i]), Entry.keyLength(found[i]));
            }
        } finally {
            keysPattern = null;
            keysDatabase = null;
            // One huge KEYS (or one huge key) should not pin its buffers for good.
            if (found.length > RETAINED) {
                found = new long[64];
            }
            if (keyScratch.length > RETAINED) {
                keyScratch = new byte[64];
            }
        }
    }

    /** KEYS lists live keys only, but leaves expired ones for lazy or active expiry to delete. */
    private void collectIfMatching(long entry) {
        boolean all = keysPatternLength == 1 && keysPattern[keysPatternOffset] == '*';
        if (!all) {
            int length = Entry.keyLength(entry);
            if (keyScratch.length < length) {
                keyScratch = new byte[Math.max(length, keyScratch.length * 2)];
            }
            OffHeap.copyToArray(Entry.keyAddress(entry), keyScratch, 0, length);
            if (!GlobPattern.matches(keysPattern, keysPatternOffset, keysPatternLength, keyScratch, 0, length, false)) {
                return;
            }
        }
        if (keysDatabase.isExpired(entry)) {
            return;
        }
        if (foundCount == found.length) {
            found = Arrays.copyOf(found, foundCount * 2);
        }
        found[foundCount++] = entry;
    }

    // ---- SCAN -------------------------------------------------------------------------------

    void scan(Session session, Arguments args) {
        if (!options.parseCursor(session, args, 1) || !options.parseOptions(session, args, 2, true)) {
            return;
        }
        long cursor = options.cursor();
        long count = options.count();
        int typeIndex = options.typeIndex();
        Database db = session.database();
        Keyspace keyspace = db.keyspace();
        scanned.clear();
        try {
            // Redis's loop, overflow of count * 10 included: gather names first, filter afterwards.
            long maxIterations = count * 10;
            do {
                cursor = keyspace.scan(cursor, collectNames);
            } while (cursor != 0 && maxIterations-- != 0 && scanned.size() < count);
            int kept = 0;
            for (int i = 0; i < scanned.size(); i++) {
                byte[] key = scanned.get(i);
                if (options.matches(key) && keep(db, key, args, typeIndex)) {
                    scanned.set(kept++, key);
                }
            }
            RespWriter out = session.out();
            out.arrayHeader(2);
            out.bulk(Long.toUnsignedString(cursor));
            out.arrayHeader(kept);
            for (int i = 0; i < kept; i++) {
                out.bulk(scanned.get(i));
            }
        } finally {
            boolean large = scanned.size() > RETAINED;
            scanned.clear();
            if (large) {
                scanned.trimToSize(); // one huge COUNT should not pin its list for good
            }
        }
    }

    /** SCAN's filters after MATCH, in Redis's order: type (a counted, non-touching read), then expiry. */
    private static boolean keep(Database db, byte[] key, Arguments args, int typeIndex) {
        if (typeIndex >= 0) {
            long entry = db.lookupRead(key, 0, key.length, false);
            if (!args.is(typeIndex, KeyAccess.typeName(entry))) {
                return false;
            }
        }
        long entry = db.keyspace().find(key, 0, key.length);
        if (entry != 0 && db.isExpired(entry)) {
            db.expire(entry);
            return false;
        }
        return true;
    }

    // ---- RANDOMKEY --------------------------------------------------------------------------

    void randomKey(Session session, Arguments args) {
        Database db = session.database();
        Keyspace keyspace = db.keyspace();
        while (true) {
            long entry = keyspace.randomEntry();
            if (entry == 0) {
                session.out().nullBulk();
                return;
            }
            if (db.isExpired(entry)) {
                db.expire(entry);
                continue;
            }
            session.out().bulkFromAddress(Entry.keyAddress(entry), Entry.keyLength(entry));
            return;
        }
    }
}
