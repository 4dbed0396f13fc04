package dev.magpie.server.types;

import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.ObjectTable;
import dev.magpie.server.keyspace.OffHeap;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A hash, encoded as Redis encodes it: a listpack (here a {@link Listpack} run of field, value,
 * field, value... kept in insertion order, updated in place, closing the gap on delete) until it
 * holds more than hash-max-listpack-entries fields or a field or value longer than
 * hash-max-listpack-value, then a {@link HashSlots} table for good.
 *
 * <p>Where the listpack lives: a hash stored in a keyspace keeps it in a native block of the
 * keyspace's {@link ObjectTable} ({@code [int block size][int count][listpack]}), with no Java
 * object in between commands; the table hands out a short-lived {@code HashValue} bound to the
 * handle for each use, which reads the block in place and never caches its address (writes
 * reallocate it). A write copies the listpack into the table's scratch array, edits it there
 * and stores it back as one exactly sized block; {@link #beginWrites} lets a command with many
 * writes (HSET of several fields) do that once. A hash not (yet) in a table, as the RDB reader
 * builds one, keeps its listpack in a heap array, moved into a block when it is stored.
 *
 * <p>Positions are byte offsets of a field in the listpack, or table slots.
 */
public final class HashValue implements CollectionValue, ObjectTable.Packable {
    private static final byte[] EMPTY = new byte[0];
    /** Redis caps a listpack at 1 GiB (lpSafeToAdd). */
    private static final long LISTPACK_LIMIT = 1L << 30;
    private static final int BLOCK_HEADER = 8;
    private static final int BLOCK_COUNT = 4;

    private static final ObjectTable.BlockKind IN_BLOCK = new ObjectTable.BlockKind() {
        @Override
        protected Object view(ObjectTable table, int handle) {
            return new HashValue(table, handle);
        }

        @Override
        protected Object detach(ObjectTable table, int handle) {
            return new HashValue(table, handle).copy();
        }
    };

    /** The table whose block holds the listpack (null when it is in {@code packed} or converted). */
    private ObjectTable owner;
    private int handle;
    /** True while a write works on a copy of the block in {@code packed}. */
    private boolean staged;
    /** The listpack in its first {@code length} bytes, when not in a block (or staged). */
    private byte[] packed;
    private int length;
    private int count;
    private HashSlots table;

    public HashValue() {
        packed = EMPTY;
    }

    private HashValue(ObjectTable owner, int handle) {
        this.owner = owner;
        this.handle = handle;
    }

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
        if (table != null) {
            return table.size();
        }
        if (inBlock()) {
            long block = owner.block(handle);
            return block == 0 ? 0 : OffHeap.getInt(block + BLOCK_COUNT);
        }
        return count;
    }

    /** True when the listpack is read from the native block. */
    private boolean inBlock() {
        return owner != null && !staged;
    }

    /** Bytes of the listpack. */
    private int listpackLength() {
        if (inBlock()) {
            long block = owner.block(handle);
            return block == 0 ? 0 : OffHeap.getInt(block) - BLOCK_HEADER;
        }
        return length;
    }

    // ---- lookups -----------------------------------------------------------------------------

    /** The position of the field, or -1. */
    public int find(byte[] field, int offset, int length) {
        if (table != null) {
            return table.find(field, offset, length);
        }
        if (inBlock()) {
            long block = owner.block(handle);
            if (block == 0) {
                return -1;
            }
            long base = block + BLOCK_HEADER;
            long at = base;
            for (int i = OffHeap.getInt(block + BLOCK_COUNT); i > 0; i--) {
                if (Listpack.equalsAt(at, field, offset, length)) {
                    return (int) (at - base);
                }
                at = Listpack.next(Listpack.next(at));
            }
            return -1;
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
        return size() == 0 ? -1 : 0;
    }

    /** The position after {@code position}, or -1: insertion order for a listpack, slot order for a table. */
    public int next(int position) {
        if (table != null) {
            return table.next(position);
        }
        int after;
        if (inBlock()) {
            long base = owner.block(handle) + BLOCK_HEADER;
            after = (int) (Listpack.next(Listpack.next(base + position)) - base);
        } else {
            after = Listpack.next(packed, Listpack.next(packed, position));
        }
        return after < listpackLength() ? after : -1;
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
        if (inBlock()) {
            long field = owner.block(handle) + BLOCK_HEADER + position;
            int fieldLength = Listpack.length(field);
            long fieldData = Listpack.dataAddress(field);
            long value = fieldData + fieldLength;
            int valueLength = Listpack.length(value);
            byte[] buffer = view.buffer(fieldLength + valueLength);
            OffHeap.copyToArray(fieldData, buffer, 0, fieldLength);
            OffHeap.copyToArray(Listpack.dataAddress(value), buffer, fieldLength, valueLength);
            view.array = buffer;
            view.fieldOffset = 0;
            view.fieldLength = fieldLength;
            view.valueOffset = fieldLength;
            view.valueLength = valueLength;
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

    /**
     * The address of the field's header at {@code position} when the listpack is read in native
     * memory (its value's header follows the field's data), else 0: replies can be written from
     * there without copying the pair into a view first.
     */
    public long nativeAddress(int position) {
        return table == null && inBlock() ? owner.block(handle) + BLOCK_HEADER + position : 0;
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
        int size = (int) size();
        if (size == 0) {
            return -1;
        }
        int at = 0;
        for (int skip = random.nextInt(size); skip > 0; skip--) {
            at = next(at);
        }
        return at;
    }

    /** The table behind a hashtable-encoded hash (null for a listpack), for HSCAN's cursor. */
    public HashSlots table() {
        return table;
    }

    // ---- writes ------------------------------------------------------------------------------

    /**
     * Starts a batch of writes to a hash kept in a native block: its listpack is copied out once
     * here and stored back once by {@link #endWrites}, not once per write. Call endWrites before
     * anything else (Values.written included) looks at the hash again.
     */
    public void beginWrites() {
        if (owner != null && !staged) {
            stage();
        }
    }

    /** Ends a batch begun by {@link #beginWrites} (nothing when there is none). */
    public void endWrites() {
        if (staged) {
            unstage();
        }
    }

    /** Copies the block's listpack into the table's scratch array, where writes edit it. */
    private void stage() {
        long block = owner.block(handle);
        int bytes = block == 0 ? 0 : OffHeap.getInt(block) - BLOCK_HEADER;
        packed = owner.scratch(bytes);
        if (block != 0) {
            OffHeap.copyToArray(block + BLOCK_HEADER, packed, 0, bytes);
            count = OffHeap.getInt(block + BLOCK_COUNT);
        } else {
            count = 0;
        }
        length = bytes;
        staged = true;
    }

    /** Stores the edited listpack back as an exactly sized block (none when empty). */
    private void unstage() {
        long block = owner.block(handle);
        int oldSize = block == 0 ? 0 : OffHeap.getInt(block);
        int size = count == 0 ? 0 : BLOCK_HEADER + length;
        if (size != oldSize) {
            if (block != 0) {
                OffHeap.free(block, oldSize);
            }
            block = size == 0 ? 0 : OffHeap.allocate(size);
            owner.block(handle, block);
            if (block != 0) {
                OffHeap.putInt(block, size);
            }
        }
        if (block != 0) {
            OffHeap.putInt(block + BLOCK_COUNT, count);
            OffHeap.copyFromArray(packed, 0, block + BLOCK_HEADER, length);
        }
        packed = null;
        length = 0;
        count = 0;
        staged = false;
    }

    /** Opens a one-write batch when none is open; true when the caller must close it. */
    private boolean openWrite() {
        if (owner != null && !staged) {
            stage();
            return true;
        }
        return false;
    }

    private void closeWrite(boolean opened) {
        if (opened && staged) {
            unstage();
        }
    }

    private void ensureCapacity(int bytes) {
        if (packed.length >= bytes) {
            return;
        }
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(bytes, packed.length + (packed.length >> 1) + 16L));
        byte[] bigger = staged ? owner.scratch(capacity) : new byte[capacity];
        System.arraycopy(packed, 0, bigger, 0, length);
        packed = bigger;
    }

    /**
     * Converts a listpack that could not take {@code addedBytes} more (Redis's lpSafeToAdd) to a
     * table, as hashTypeTryConversion does once it found no argument too long.
     */
    public void convertIfTooBig(long addedBytes) {
        if (table == null && listpackLength() + addedBytes > LISTPACK_LIMIT) {
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
        if (at >= 0 && inBlock() && replaceInBlock(at, value, valueOffset, valueLength)) {
            return false;
        }
        boolean opened = openWrite();
        try {
            if (at >= 0) {
                replaceValue(at, value, valueOffset, valueLength);
                return false;
            }
            ensureCapacity(length + Listpack.entrySize(fieldLength) + Listpack.entrySize(valueLength));
            int end = Listpack.write(packed, length, field, fieldOffset, fieldLength);
            length = Listpack.write(packed, end, value, valueOffset, valueLength);
            count++;
            if (count > maxEntries) {
                convertToTable();
            }
            return true;
        } finally {
            closeWrite(opened);
        }
    }

    /** An update that keeps the value's size is written straight into the block; false when the size differs. */
    private boolean replaceInBlock(int fieldAt, byte[] value, int valueOffset, int valueLength) {
        long valueAt = Listpack.next(owner.block(handle) + BLOCK_HEADER + fieldAt);
        if (Listpack.length(valueAt) != valueLength) {
            return false;
        }
        OffHeap.copyFromArray(value, valueOffset, Listpack.dataAddress(valueAt), valueLength);
        return true;
    }

    private void replaceValue(int fieldAt, byte[] value, int valueOffset, int valueLength) {
        int valueAt = Listpack.next(packed, fieldAt);
        int valueEnd = Listpack.next(packed, valueAt);
        int oldSize = valueEnd - valueAt;
        int newSize = Listpack.entrySize(valueLength);
        if (newSize != oldSize) {
            ensureCapacity(length - oldSize + newSize);
            System.arraycopy(packed, valueEnd, packed, valueAt + newSize, length - valueEnd);
            length += newSize - oldSize;
        }
        Listpack.write(packed, valueAt, value, valueOffset, valueLength);
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
        boolean opened = openWrite();
        try {
            int end = Listpack.next(packed, Listpack.next(packed, at));
            System.arraycopy(packed, end, packed, at, this.length - end);
            this.length -= end - at;
            count--;
            return true;
        } finally {
            closeWrite(opened);
        }
    }

    /** Converts a listpack to a table (Redis's hashTypeConvert); nothing when already one. */
    public void convertToTable() {
        if (table != null) {
            return;
        }
        HashSlots converted = new HashSlots(true, (int) size());
        HashView view = new HashView();
        for (int at = first(); at >= 0; at = next(at)) {
            load(at, view);
            converted.add(view.array, view.fieldOffset, view.fieldLength, view.array, view.valueOffset, view.valueLength);
        }
        ObjectTable from = owner;
        table = converted;
        owner = null;
        staged = false;
        packed = null;
        length = 0;
        count = 0;
        if (from != null) {
            // This object becomes the value: the table frees the block and keeps the object.
            from.replace(handle, this);
        }
    }

    /** The listpack's bytes, exactly sized. */
    private byte[] listpackBytes() {
        if (inBlock()) {
            long block = owner.block(handle);
            if (block == 0) {
                return EMPTY;
            }
            byte[] bytes = new byte[OffHeap.getInt(block) - BLOCK_HEADER];
            OffHeap.copyToArray(block + BLOCK_HEADER, bytes, 0, bytes.length);
            return bytes;
        }
        return length == 0 ? EMPTY : Arrays.copyOf(packed, length);
    }

    @Override
    public ObjectTable.BlockKind pack(ObjectTable into, int at) {
        if (table != null) {
            return null;
        }
        int entries = (int) size();
        long block = 0;
        if (entries > 0) {
            // From a heap array, or from another table's block (a value stored twice).
            byte[] bytes = inBlock() ? listpackBytes() : packed;
            int bytesLength = inBlock() ? bytes.length : length;
            block = OffHeap.allocate(BLOCK_HEADER + bytesLength);
            OffHeap.putInt(block, BLOCK_HEADER + bytesLength);
            OffHeap.putInt(block + BLOCK_COUNT, entries);
            OffHeap.copyFromArray(bytes, 0, block + BLOCK_HEADER, bytesLength);
        }
        into.block(at, block);
        owner = into;
        handle = at;
        staged = false;
        packed = null;
        length = 0;
        count = 0;
        return IN_BLOCK;
    }

    /** A frozen copy sharing this hash's records ({@link HashSlots#share}); null for a listpack, which is small. */
    public HashValue share() {
        if (table == null) {
            return null;
        }
        HashValue frozen = new HashValue();
        frozen.table = table.share();
        return frozen;
    }

    @Override
    public HashValue copy() {
        HashValue copy = new HashValue();
        if (table != null) {
            copy.table = table.copy();
        } else {
            copy.count = (int) size();
            copy.packed = listpackBytes();
            copy.length = copy.packed.length;
        }
        return copy;
    }

    @Override
    public long memoryUsage() {
        if (table != null) {
            return 24 + table.memoryUsage();
        }
        if (inBlock()) {
            long block = owner.block(handle);
            // The table's slot and address, and the block with the allocator's header.
            return 12 + (block == 0 ? 0 : 8 + OffHeap.getInt(block));
        }
        return 24 + 16 + (long) packed.length;
    }
}
