package dev.magpie.server.types;

import dev.magpie.protocol.RespNumbers;
import dev.magpie.server.keyspace.Entry;

import java.util.random.RandomGenerator;

/**
 * A set, encoded as Redis 7.0 encodes it: an {@link IntSet} while every member is an integer
 * (Redis's string2ll syntax) and there are at most set-max-intset-entries of them, then a
 * {@link HashSlots} table for good (sets never convert back).
 *
 * <p>Positions (for iteration, random picks and removal) are intset indexes or table slots.
 */
public final class SetValue implements CollectionValue {
    private static final byte[] EMPTY = new byte[0];

    private byte[] ints = EMPTY;
    private int width = 2;
    private int count;
    private HashSlots table;

    private SetValue() {
    }

    /** An empty intset, as Redis starts the result of a set operation. */
    public static SetValue emptyIntset() {
        return new SetValue();
    }

    /** An empty set in the encoding Redis picks for a new key from its first member. */
    public static SetValue forFirstMember(byte[] data, int offset, int length) {
        SetValue set = new SetValue();
        if (!isInteger(data, offset, length)) {
            set.table = new HashSlots(false, 0);
            set.ints = null;
        }
        return set;
    }

    private static boolean isInteger(byte[] data, int offset, int length) {
        return RespNumbers.parseLong(data, offset, length) != RespNumbers.INVALID
                || RespNumbers.isMinValue(data, offset, length);
    }

    @Override
    public byte type() {
        return Entry.TYPE_SET;
    }

    @Override
    public byte encoding() {
        return table == null ? Values.ENCODING_INTSET : Values.ENCODING_HASHTABLE;
    }

    public boolean isIntset() {
        return table == null;
    }

    @Override
    public long size() {
        return table == null ? count : table.size();
    }

    // ---- membership ------------------------------------------------------------------------

    public boolean contains(byte[] data, int offset, int length) {
        if (table != null) {
            return table.find(data, offset, length) >= 0;
        }
        long value = RespNumbers.parseLong(data, offset, length);
        if (value == RespNumbers.INVALID && !RespNumbers.isMinValue(data, offset, length)) {
            return false;
        }
        return IntSet.search(ints, width, count, value) >= 0;
    }

    /** Membership of a member loaded from another set (integers compare without text). */
    public boolean contains(SetMember member) {
        if (table == null && member.isInteger) {
            return IntSet.search(ints, width, count, member.integer) >= 0;
        }
        return contains(member.array, member.offset, member.length);
    }

    // ---- writes ----------------------------------------------------------------------------

    /** Adds a member; true when it was new. Converts to a table as Redis's setTypeAdd does. */
    public boolean add(byte[] data, int offset, int length, long maxIntsetEntries) {
        if (table == null) {
            long value = RespNumbers.parseLong(data, offset, length);
            if (value != RespNumbers.INVALID || RespNumbers.isMinValue(data, offset, length)) {
                return addInteger(value, maxIntsetEntries);
            }
            convertToTable();
        }
        if (table.find(data, offset, length) >= 0) {
            return false;
        }
        table.add(data, offset, length, null, 0, 0);
        return true;
    }

    /** Adds a member loaded from another set. */
    public boolean add(SetMember member, long maxIntsetEntries) {
        if (table == null && member.isInteger) {
            return addInteger(member.integer, maxIntsetEntries);
        }
        return add(member.array, member.offset, member.length, maxIntsetEntries);
    }

    private boolean addInteger(long value, long maxIntsetEntries) {
        int index = IntSet.search(ints, width, count, value);
        if (index >= 0) {
            return false;
        }
        int newWidth = Math.max(width, IntSet.widthFor(value));
        ints = IntSet.insert(ints, width, count, -index - 1, value, newWidth);
        width = newWidth;
        count++;
        if (count > maxIntsetEntries) {
            convertToTable();
        }
        return true;
    }

    /** Removes a member; true when it was there. */
    public boolean remove(byte[] data, int offset, int length) {
        if (table != null) {
            return table.remove(data, offset, length);
        }
        long value = RespNumbers.parseLong(data, offset, length);
        if (value == RespNumbers.INVALID && !RespNumbers.isMinValue(data, offset, length)) {
            return false;
        }
        int index = IntSet.search(ints, width, count, value);
        if (index < 0) {
            return false;
        }
        removeAt(index);
        return true;
    }

    public boolean remove(SetMember member) {
        if (table == null && member.isInteger) {
            int index = IntSet.search(ints, width, count, member.integer);
            if (index < 0) {
                return false;
            }
            removeAt(index);
            return true;
        }
        return remove(member.array, member.offset, member.length);
    }

    /** Removes the member at a position; other positions are invalid afterwards. */
    public void removeAt(int position) {
        if (table != null) {
            table.removeAt(position);
        } else {
            ints = IntSet.remove(ints, width, count, position);
            count--;
        }
    }

    private void convertToTable() {
        HashSlots converted = new HashSlots(false, count + 1);
        SetMember member = new SetMember();
        for (int i = 0; i < count; i++) {
            member.integer(IntSet.get(ints, width, i));
            converted.add(member.array, member.offset, member.length, null, 0, 0);
        }
        table = converted;
        ints = null;
        count = 0;
    }

    // ---- iteration -------------------------------------------------------------------------

    /** The first position, or -1 when empty. */
    public int first() {
        return next(-1);
    }

    /** The position after {@code position}, or -1 at the end: intsets ascend, tables go by slot. */
    public int next(int position) {
        if (table != null) {
            return table.next(position);
        }
        return position + 1 < count ? position + 1 : -1;
    }

    public void load(int position, SetMember member) {
        if (table != null) {
            member.bytes(table.array(position), table.keyOffset(position), table.keyLength(position));
        } else {
            member.integer(IntSet.get(ints, width, position));
        }
    }

    /** A uniformly chosen position, or -1 when empty. */
    public int randomPosition(RandomGenerator random) {
        if (table != null) {
            return table.randomSlot(random);
        }
        return count == 0 ? -1 : random.nextInt(count);
    }

    /** The table behind a hashtable-encoded set (null for an intset), for SSCAN's cursor. */
    public HashSlots table() {
        return table;
    }

    /** A frozen copy sharing this set's records ({@link HashSlots#share}); null for an intset. */
    public SetValue share() {
        if (table == null) {
            return null;
        }
        SetValue frozen = new SetValue();
        frozen.ints = null;
        frozen.table = table.share();
        return frozen;
    }

    @Override
    public SetValue copy() {
        SetValue copy = new SetValue();
        copy.width = width;
        copy.count = count;
        copy.ints = ints == null ? null : ints.clone();
        copy.table = table == null ? null : table.copy();
        return copy;
    }

    @Override
    public long memoryUsage() {
        return 32 + (table != null ? table.memoryUsage() : 16 + (long) ints.length);
    }
}
