package dev.magpie.server.types;

import dev.magpie.server.keyspace.Entry;

import java.util.random.RandomGenerator;

/**
 * A hash, encoded as Redis encodes it: a listpack (here a {@link Listpack} array of field,
 * value, field, value... kept in insertion order, updated in place, closing the gap on delete)
 * until it holds more than hash-max-listpack-entries fields or a field or value longer than
 * hash-max-listpack-value, then a {@link HashSlots} table for good.
 *
 * <p>Positions are byte offsets of a field in the listpack, or table slots.
 */
public final class HashValue implements CollectionValue {
    private static final byte[] EMPTY = new byte[0];
    /** Redis caps a listpack at 1 GiB (lpSafeToAdd). */
    private static final long LISTPACK_LIMIT = 1L << 30;

    /** The listpack, exactly sized; null once converted. */
    private byte[] packed = EMPTY;
    private int count;
    private HashSlots table;

    @Override
    public byte type() {
        return Entry.TYPE_HASH;
    }

    @Override
    public byte encoding() {
        return table == null ? Values.ENCODING_LISTPACK : Values.ENCODING_HASHTABLE;
    }

    public boolean isListpack() {
        return table == null;
    }

    @Override
    public long size() {
        return table == null ? count : table.size();
    }

    // ---- lookups -----------------------------------------------------------------------------

    /** The position of the field, or -1. */
    public int find(byte[] field, int offset, int length) {
        if (table != null) {
            return table.find(field, offset, length);
        }
        byte[] lp = packed;
        int at = 0;
        for (int i = 0; i < count; i++) {
            if (Listpack.equalsAt(lp, at, field, offset, length)) {
                return at;
            }
            at = Listpack.next(lp, Listpack.next(lp, at));
        }
        return -1;
    }

    /** The first position, or -1 when empty. */
    public int first() {
        if (table != null) {
            return table.next(-1);
        }
        return count == 0 ? -1 : 0;
    }

    /** The position after {@code position}, or -1: insertion order for a listpack, slot order for a table. */
    public int next(int position) {
        if (table != null) {
            return table.next(position);
        }
        int after = Listpack.next(packed, Listpack.next(packed, position));
        return after < packed.length ? after : -1;
    }

    public void load(int position, HashView view) {
        if (table != null) {
            view.array = table.array(position);
            view.fieldOffset = table.keyOffset(position);
            view.fieldLength = table.keyLength(position);
            view.valueOffset = table.valueOffset(position);
            view.valueLength = table.valueLength(position);
            return;
        }
        byte[] lp = packed;
        view.array = lp;
        view.fieldOffset = Listpack.dataOffset(lp, position);
        view.fieldLength = Listpack.length(lp, position);
        int valueAt = view.fieldOffset + view.fieldLength;
        view.valueOffset = Listpack.dataOffset(lp, valueAt);
        view.valueLength = Listpack.length(lp, valueAt);
    }

    /** Every position, in iteration order. */
    public int[] positions() {
        int[] all = new int[(int) size()];
        int n = 0;
        for (int p = first(); p >= 0; p = next(p)) {
            all[n++] = p;
        }
        return all;
    }

    /** A uniformly chosen position, or -1 when empty. */
    public int randomPosition(RandomGenerator random) {
        if (table != null) {
            return table.randomSlot(random);
        }
        if (count == 0) {
            return -1;
        }
        int at = 0;
        for (int skip = random.nextInt(count); skip > 0; skip--) {
            at = Listpack.next(packed, Listpack.next(packed, at));
        }
        return at;
    }

    /** The table behind a hashtable-encoded hash (null for a listpack), for HSCAN's cursor. */
    public HashSlots table() {
        return table;
    }

    // ---- writes ------------------------------------------------------------------------------

    /**
     * Converts a listpack that could not take {@code addedBytes} more (Redis's lpSafeToAdd) to a
     * table, as hashTypeTryConversion does once it found no argument too long.
     */
    public void convertIfTooBig(long addedBytes) {
        if (table == null && packed.length + addedBytes > LISTPACK_LIMIT) {
            convertToTable();
        }
    }

    /**
     * Sets a field (Redis's hashTypeSet): a listpack converts first when the field or value is
     * longer than {@code maxValue} and after the insert when it holds more than {@code maxEntries}.
     * Returns true when the field was added, false when its value was replaced.
     */
    public boolean set(byte[] field, int fieldOffset, int fieldLength, byte[] value, int valueOffset, int valueLength,
                       long maxEntries, long maxValue) {
        if (table == null && (fieldLength > maxValue || valueLength > maxValue)) {
            convertToTable();
        }
        if (table != null) {
            return table.put(field, fieldOffset, fieldLength, value, valueOffset, valueLength);
        }
        int at = find(field, fieldOffset, fieldLength);
        if (at >= 0) {
            replaceValue(at, value, valueOffset, valueLength);
            return false;
        }
        byte[] lp = new byte[packed.length + Listpack.entrySize(fieldLength) + Listpack.entrySize(valueLength)];
        System.arraycopy(packed, 0, lp, 0, packed.length);
        int end = Listpack.write(lp, packed.length, field, fieldOffset, fieldLength);
        Listpack.write(lp, end, value, valueOffset, valueLength);
        packed = lp;
        count++;
        if (count > maxEntries) {
            convertToTable();
        }
        return true;
    }

    private void replaceValue(int fieldAt, byte[] value, int valueOffset, int valueLength) {
        byte[] lp = packed;
        int valueAt = Listpack.next(lp, fieldAt);
        int valueEnd = Listpack.next(lp, valueAt);
        int newSize = Listpack.entrySize(valueLength);
        if (newSize == valueEnd - valueAt) {
            Listpack.write(lp, valueAt, value, valueOffset, valueLength);
            return;
        }
        byte[] result = new byte[lp.length - (valueEnd - valueAt) + newSize];
        System.arraycopy(lp, 0, result, 0, valueAt);
        int end = Listpack.write(result, valueAt, value, valueOffset, valueLength);
        System.arraycopy(lp, valueEnd, result, end, lp.length - valueEnd);
        packed = result;
    }

    /** Removes a field; true when it was there. */
    public boolean delete(byte[] field, int offset, int length) {
        if (table != null) {
            return table.remove(field, offset, length);
        }
        int at = find(field, offset, length);
        if (at < 0) {
            return false;
        }
        int end = Listpack.next(packed, Listpack.next(packed, at));
        byte[] result = new byte[packed.length - (end - at)];
        System.arraycopy(packed, 0, result, 0, at);
        System.arraycopy(packed, end, result, at, packed.length - end);
        packed = result;
        count--;
        return true;
    }

    /** Converts a listpack to a table (Redis's hashTypeConvert); nothing when already one. */
    public void convertToTable() {
        if (table != null) {
            return;
        }
        HashSlots converted = new HashSlots(true, count);
        HashView view = new HashView();
        for (int at = first(); at >= 0; at = next(at)) {
            load(at, view);
            converted.add(view.array, view.fieldOffset, view.fieldLength, view.array, view.valueOffset, view.valueLength);
        }
        table = converted;
        packed = null;
        count = 0;
    }

    @Override
    public HashValue copy() {
        HashValue copy = new HashValue();
        copy.count = count;
        copy.packed = packed == null ? null : packed.clone();
        copy.table = table == null ? null : table.copy();
        return copy;
    }

    @Override
    public long memoryUsage() {
        return 24 + (table != null ? table.memoryUsage() : 16 + (long) packed.length);
    }
}
