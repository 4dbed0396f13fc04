package dev.magpie.server.persistence;

import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.types.HashValue;
import dev.magpie.server.types.HashView;
import dev.magpie.server.types.ListCursor;
import dev.magpie.server.types.ListValue;
import dev.magpie.server.types.SetMember;
import dev.magpie.server.types.SetValue;
import dev.magpie.server.types.ZSetValue;

/**
 * Serializes one value in the RDB form Redis 7.0 gives its encoding: strings (integer-encoded
 * when they are integers), lists as quicklist 2 with one listpack per node, hashes and sorted
 * sets as a listpack or as plain pairs, sets as an intset or plain members. Shared by snapshots
 * and DUMP; not thread-safe (scratch buffers), one per user.
 */
final class ValueWriter {
    private final ListpackWriter listpack = new ListpackWriter();
    private final HashView view = new HashView();
    private final SetMember member = new SetMember();

    /** The RDB type byte for an entry whose (non-string) value object is {@code value}. */
    static int rdbType(long entry, Object value) {
        switch (Entry.type(entry)) {
            case Entry.TYPE_STRING:
                return Rdb.TYPE_STRING;
            case Entry.TYPE_LIST:
                return Rdb.TYPE_LIST_QUICKLIST_2;
            case Entry.TYPE_HASH:
                return ((HashValue) value).isListpack() ? Rdb.TYPE_HASH_LISTPACK : Rdb.TYPE_HASH;
            case Entry.TYPE_SET:
                return ((SetValue) value).isIntset() ? Rdb.TYPE_SET_INTSET : Rdb.TYPE_SET;
            case Entry.TYPE_ZSET:
                return ((ZSetValue) value).packed() ? Rdb.TYPE_ZSET_LISTPACK : Rdb.TYPE_ZSET_2;
            default:
                throw new IllegalStateException("no RDB form for entry type " + Entry.type(entry));
        }
    }

    /** Writes the value of {@code entry} (after its type byte and key); {@code value} is its object or null for strings. */
    void writeValue(RdbOutput out, long entry, Object value) {
        switch (Entry.type(entry)) {
            case Entry.TYPE_STRING -> {
                if (Entry.encoding(entry) == Entry.ENCODING_INT) {
                    out.writeLongString(Entry.intValue(entry));
                } else {
                    out.writeStringAt(Entry.valueAddress(entry), Entry.valueLength(entry));
                }
            }
            case Entry.TYPE_LIST -> writeList(out, (ListValue) value);
            case Entry.TYPE_HASH -> writeHash(out, (HashValue) value);
            case Entry.TYPE_SET -> writeSet(out, (SetValue) value);
            case Entry.TYPE_ZSET -> writeZSet(out, (ZSetValue) value);
            default -> throw new IllegalStateException("no RDB form for entry type " + Entry.type(entry));
        }
    }

    void writeList(RdbOutput out, ListValue list) {
        int nodes = list.nodeCount();
        int nonEmpty = 0;
        for (int i = 0; i < nodes; i++) {
            if (list.nodeSize(i) > 0) {
                nonEmpty++;
            }
        }
        out.writeLength(nonEmpty);
        boolean frozen = list.isFrozen();
        ListCursor cursor = list.cursor(false);
        for (int i = 0; i < nodes; i++) {
            int elements = list.nodeSize(i);
            if (elements == 0) {
                continue;
            }
            out.writeLength(Rdb.QUICKLIST_NODE_PACKED);
            byte[] saved = frozen && out.compressing() ? list.savedForm(i) : null;
            if (saved != null) {
                out.write(saved, 0, saved.length);
                continue;
            }
            cursor.moveToNode(i);
            listpack.begin();
            for (int e = 0; e < elements; e++) {
                cursor.next();
                listpack.addString(cursor.address(), cursor.length());
            }
            int length = listpack.finish();
            if (frozen) {
                byte[] record = out.writeStringKeepingSmall(listpack.array(), 0, length);
                if (record != null) {
                    list.keepSavedForm(i, record);
                }
            } else {
                out.writeString(listpack.array(), 0, length);
            }
        }
    }

    private void writeHash(RdbOutput out, HashValue hash) {
        if (hash.isListpack()) {
            listpack.begin();
            for (int p = hash.first(); p >= 0; p = hash.next(p)) {
                hash.load(p, view);
                listpack.addString(view.array, view.fieldOffset, view.fieldLength);
                listpack.addString(view.array, view.valueOffset, view.valueLength);
            }
            int length = listpack.finish();
            out.writeString(listpack.array(), 0, length);
            return;
        }
        out.writeLength(hash.size());
        for (int p = hash.first(); p >= 0; p = hash.next(p)) {
            hash.load(p, view);
            out.writeString(view.array, view.fieldOffset, view.fieldLength);
            out.writeString(view.array, view.valueOffset, view.valueLength);
        }
    }

    private void writeSet(RdbOutput out, SetValue set) {
        if (set.isIntset()) {
            int count = (int) set.size();
            long[] values = new long[count];
            int width = 2;
            int i = 0;
            for (int p = set.first(); p >= 0; p = set.next(p)) {
                set.load(p, member);
                long v = member.integer;
                values[i++] = v;
                if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                    width = Math.max(width, v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? 8 : 4);
                }
            }
            RdbOutput blob = new RdbOutput(8 + count * width, false);
            blob.writeLittleEndian(width, 4);
            blob.writeLittleEndian(count, 4);
            for (long v : values) {
                blob.writeLittleEndian(v, width);
            }
            out.writeString(blob.array(), 0, blob.size());
            return;
        }
        out.writeLength(set.size());
        for (int p = set.first(); p >= 0; p = set.next(p)) {
            set.load(p, member);
            out.writeString(member.array, member.offset, member.length);
        }
    }

    private void writeZSet(RdbOutput out, ZSetValue zset) {
        long size = zset.size();
        if (zset.packed()) {
            listpack.begin();
            if (size > 0) {
                ZSetValue.Cursor cursor = zset.cursor().seek(0);
                do {
                    listpack.addString(cursor.memberArray(), cursor.memberOffset(), cursor.memberLength());
                    listpack.addScore(cursor.score());
                } while (cursor.next());
            }
            int length = listpack.finish();
            out.writeString(listpack.array(), 0, length);
            return;
        }
        out.writeLength(size);
        if (size > 0) {
            // Highest first, as Redis writes it, so its loader inserts each element at the head.
            ZSetValue.Cursor cursor = zset.cursor().seek(size - 1);
            do {
                out.writeString(cursor.memberArray(), cursor.memberOffset(), cursor.memberLength());
                out.writeBinaryDouble(cursor.score());
            } while (cursor.prev());
        }
    }
}
