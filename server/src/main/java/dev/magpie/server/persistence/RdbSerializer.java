package dev.magpie.server.persistence;

import dev.magpie.server.Version;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.Keyspace;

import java.nio.charset.StandardCharsets;

/**
 * Writes an RDB version 10 stream into an {@link RdbOutput}: the "REDIS0010" magic, the aux
 * fields Redis 7.0 writes, then keys (each behind a SELECTDB when its database differs from the
 * previous key's, with RESIZEDB hints the first time), then EOF. The trailing checksum is added
 * by whoever writes the bytes out, since it covers all of them. Engine thread only; values it
 * defers are serialized by the writer.
 */
final class RdbSerializer implements KeyspaceSnapshot.Sink {
    private final RdbOutput out;
    private final ValueWriter values = new ValueWriter();
    private final boolean[] sized;
    private final long[] keyCounts;
    private final long[] expiresCounts;
    private final int idleMode;
    private int currentDb = -1;
    private Deferral deferral;
    /** String keys being copied for the writer, or null while keys go into the output. */
    private CopiedStrings copied;

    /** Takes keys a writer thread serializes instead (see {@link DeferredKeys}). */
    interface Deferral {
        /** Called with the bytes that precede the keys still in the output: take them first. */
        void defer(DeferredKeys keys);
    }

    /** Access data to write per key, as Redis picks it from maxmemory-policy. */
    private static final int ACCESS_NONE = 0;
    private static final int ACCESS_LRU = 1;
    private static final int ACCESS_LFU = 2;

    RdbSerializer(Engine engine, RdbOutput out) {
        this.out = out;
        int count = engine.databases().length;
        this.sized = new boolean[count];
        this.keyCounts = new long[count];
        this.expiresCounts = new long[count];
        for (int i = 0; i < count; i++) {
            keyCounts[i] = engine.database(i).keyspace().size();
            expiresCounts[i] = engine.database(i).keyspace().expiringCount();
        }
        String policy = engine.settings().text("maxmemory-policy");
        this.idleMode = policy.contains("lru") ? ACCESS_LRU : policy.contains("lfu") ? ACCESS_LFU : ACCESS_NONE;
    }

    RdbOutput output() {
        return out;
    }

    /**
     * Hands string keys (copied in runs) and large lists (frozen) to {@code deferral} instead of
     * serializing them here; without one, every key is written here.
     */
    void defer(Deferral deferral) {
        this.deferral = deferral;
    }

    void header(Engine engine, boolean aofBase) {
        byte[] magic = ("REDIS" + String.format("%04d", Rdb.VERSION)).getBytes(StandardCharsets.US_ASCII);
        out.write(magic, 0, magic.length);
        aux("redis-ver", Version.REDIS_COMPATIBLE);
        aux("redis-bits", "64");
        aux("ctime", Long.toString(System.currentTimeMillis() / 1000));
        aux("used-mem", Long.toString(engine.usedMemory()));
        aux("aof-base", aofBase ? "1" : "0");
    }

    private void aux(String key, String value) {
        out.writeByte(Rdb.OPCODE_AUX);
        out.writeString(key);
        out.writeString(value);
    }

    @Override
    public void entry(int database, Keyspace keyspace, long entry) {
        select(database);
        if (deferral != null && Entry.type(entry) == Entry.TYPE_STRING) {
            if (copied == null) {
                copied = new CopiedStrings(idleMode);
            }
            copied.add(entry);
            if (copied.full()) {
                handOverCopied();
            }
            return;
        }
        handOverCopied();
        Object value = Entry.type(entry) == Entry.TYPE_STRING ? null
                : keyspace.objects().get(Entry.objectHandle(entry));
        FrozenEntry frozen = deferral == null ? null : FrozenEntry.of(entry, value, idleMode);
        if (frozen != null) {
            deferral.defer(frozen);
            return;
        }
        writeKeyValue(out, values, entry, value, idleMode);
    }

    private void select(int database) {
        if (database != currentDb) {
            handOverCopied();
            out.writeByte(Rdb.OPCODE_SELECTDB);
            out.writeLength(database);
            if (!sized[database]) {
                sized[database] = true;
                out.writeByte(Rdb.OPCODE_RESIZEDB);
                out.writeLength(keyCounts[database]);
                out.writeLength(expiresCounts[database]);
            }
            currentDb = database;
        }
    }

    /**
     * Puts {@code marker} in the stream after everything so far, with keys of {@code database}
     * selected: what it writes, or where it notes the stream to be, lies between keys of that
     * database (a segment of keys copied or walked). Needs a deferral.
     */
    void mark(int database, DeferredKeys marker) {
        select(database);
        handOverCopied();
        deferral.defer(marker);
    }

    /** Frees a run of copied strings not handed over yet (the save is given up). */
    void discardCopied() {
        if (copied != null) {
            copied.release();
            copied = null;
        }
    }

    /** The run of copied strings goes to the deferral before anything else is written. */
    private void handOverCopied() {
        if (copied != null) {
            CopiedStrings run = copied;
            copied = null;
            deferral.defer(run);
        }
    }

    static void writeKeyValue(RdbOutput out, ValueWriter values, long entry, Object value, int idleMode) {
        long expireAt = Entry.expireAt(entry);
        if (expireAt >= 0) {
            out.writeByte(Rdb.OPCODE_EXPIRETIME_MS);
            out.writeLittleEndian(expireAt, 8);
        }
        if (idleMode == ACCESS_LRU) {
            out.writeByte(Rdb.OPCODE_IDLE);
            out.writeLength(Math.max(0, System.currentTimeMillis() / 1000 - Entry.lru(entry)));
        } else if (idleMode == ACCESS_LFU) {
            out.writeByte(Rdb.OPCODE_FREQ);
            out.writeByte(Entry.lfu(entry));
        }
        out.writeByte(ValueWriter.rdbType(entry, value));
        out.writeStringAt(Entry.keyAddress(entry), Entry.keyLength(entry));
        values.writeValue(out, entry, value);
    }

    /** The EOF opcode; the 8-byte checksum follows, written by the file writer. */
    void footer() {
        handOverCopied();
        out.writeByte(Rdb.OPCODE_EOF);
    }
}
