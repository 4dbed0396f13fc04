package dev.magpie.server.types;

import dev.magpie.server.keyspace.OffHeap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One node of a list: its elements packed back to back in a block of native memory, each framed
 * by its length before and after the bytes (a varint read forwards, and the same varint mirrored
 * so it reads backwards), so the chunk can be walked from either end, as Redis's listpack can.
 * The live bytes are {@code [start, end)} of the block; free room may lie on both sides, so
 * pushes at either end are cheap.
 *
 * <p>The bytes live off the heap so that a long list costs the collector one small object per
 * node, not the node's kilobytes to copy from generation to generation. The block is freed when
 * the last holder {@linkplain #release releases} the chunk: its live list, and every frozen copy
 * ({@link ListValue#share}) still sharing it, whose writer may release it on another thread.
 */
final class ListChunk {
    /** The smallest block a chunk starts with. */
    private static final int MIN_CAPACITY = 32;
    private static final VarHandle HOLDERS;

    static {
        try {
            HOLDERS = MethodHandles.lookup().findVarHandle(ListChunk.class, "holders", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    long address;
    int capacity;
    int start;
    int end;
    int count;
    /** Also part of a frozen copy of its list ({@link ListValue#share}): the live list copies it before changing it. */
    boolean shared;
    /** The live list and the frozen copies that hold this chunk; the last to release it frees the block. */
    @SuppressWarnings("unused") // through HOLDERS
    private volatile int holders = 1;
    /**
     * This chunk's serialized form, kept by a snapshot writer once the chunk is {@link #shared}
     * and so can never change again (a change goes to a copy, which starts without one). Written
     * on the writer's thread, hence volatile.
     */
    volatile byte[] savedForm;

    /** An empty chunk whose free room is all after the data ({@code towardsTail}) or all before it. */
    ListChunk(int capacity, boolean towardsTail) {
        this.capacity = Math.max(capacity, MIN_CAPACITY);
        this.address = OffHeap.allocate(this.capacity);
        start = towardsTail ? 0 : this.capacity;
        end = start;
    }

    /** A chunk of {@code capacity} bytes holding {@code used} bytes copied from {@code from}, placed at {@code at}. */
    private ListChunk(int capacity, long from, int at, int used, int count) {
        this.capacity = Math.max(capacity, MIN_CAPACITY);
        this.address = OffHeap.allocate(this.capacity);
        OffHeap.copy(from, address + at, used);
        this.start = at;
        this.end = at + used;
        this.count = count;
    }

    int used() {
        return end - start;
    }

    /** Another holder of this chunk: a frozen copy of its list. */
    void retain() {
        HOLDERS.getAndAdd(this, 1);
    }

    /** Drops one holder; the last one frees the block. Any thread. */
    void release() {
        if ((int) HOLDERS.getAndAdd(this, -1) == 1) {
            OffHeap.free(address, capacity);
            address = 0;
        }
    }

    ListChunk copy() {
        return new ListChunk(used(), address + start, 0, used(), count);
    }

    /** A private copy with the same layout, so positions found in this chunk stay valid in it. */
    ListChunk unshared() {
        return new ListChunk(capacity, address + start, start, used(), count);
    }

    // ---- framing ----------------------------------------------------------------------------

    static int lengthBytes(int length) {
        if (length < 1 << 7) {
            return 1;
        }
        if (length < 1 << 14) {
            return 2;
        }
        if (length < 1 << 21) {
            return 3;
        }
        return length < 1 << 28 ? 4 : 5;
    }

    /** Bytes an element of {@code length} bytes takes with its two length frames. */
    static int frame(int length) {
        return length + 2 * lengthBytes(length);
    }

    private byte byteAt(int pos) {
        return OffHeap.getByte(address + pos);
    }

    /** The length of the element starting at {@code pos}. */
    int lengthAt(int pos) {
        int b = byteAt(pos);
        if (b >= 0) {
            return b;
        }
        int length = b & 0x7f;
        int shift = 7;
        do {
            b = byteAt(++pos);
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return length;
    }

    /** The length of the element ending just before {@code endPos}. */
    int lengthBefore(int endPos) {
        int pos = endPos - 1;
        int b = byteAt(pos);
        if (b >= 0) {
            return b;
        }
        int length = b & 0x7f;
        int shift = 7;
        do {
            b = byteAt(--pos);
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return length;
    }

    /** Where the bytes of the element starting at {@code pos}, of {@code length} bytes, begin. */
    static int dataOffset(int pos, int length) {
        return pos + lengthBytes(length);
    }

    int next(int pos) {
        return pos + frame(lengthAt(pos));
    }

    /** The start of the element that ends just before {@code endPos}. */
    int previous(int endPos) {
        return endPos - frame(lengthBefore(endPos));
    }

    /** Writes a framed element at {@code pos} of the block at {@code base}; returns the position after it. */
    private static int write(long base, int pos, byte[] data, int offset, int length) {
        int n = lengthBytes(length);
        for (int i = 0; i < n; i++) {
            OffHeap.putByte(base + pos + i, (byte) (((length >>> (7 * i)) & 0x7f) | (i < n - 1 ? 0x80 : 0)));
        }
        pos += n;
        OffHeap.copyFromArray(data, offset, base + pos, length);
        pos += length;
        for (int i = 0; i < n; i++) {
            OffHeap.putByte(base + pos + n - 1 - i, (byte) (((length >>> (7 * i)) & 0x7f) | (i < n - 1 ? 0x80 : 0)));
        }
        return pos + n;
    }

    /** Moves {@code bytes} bytes within the block; the ranges may overlap. */
    private void move(int from, int to, int bytes) {
        OffHeap.copy(address + from, address + to, bytes);
    }

    boolean elementEquals(int pos, byte[] data, int offset, int length) {
        int own = lengthAt(pos);
        return own == length && OffHeap.equals(address + dataOffset(pos, own), data, offset, length);
    }

    byte[] element(int pos) {
        int length = lengthAt(pos);
        byte[] copy = new byte[length];
        OffHeap.copyToArray(address + dataOffset(pos, length), copy, 0, length);
        return copy;
    }

    /** The address of the bytes of the element starting at {@code pos}. */
    long dataAddress(int pos) {
        return address + dataOffset(pos, lengthAt(pos));
    }

    // ---- changes at the ends ------------------------------------------------------------------

    void append(byte[] data, int offset, int length, int limit) {
        int need = frame(length);
        if (capacity - end < need) {
            makeRoom(need, true, limit);
        }
        end = write(address, end, data, offset, length);
        count++;
    }

    void prepend(byte[] data, int offset, int length, int limit) {
        int need = frame(length);
        if (start < need) {
            makeRoom(need, false, limit);
        }
        start -= need;
        write(address, start, data, offset, length);
        count++;
    }

    /**
     * Finds {@code need} free bytes at the tail (or head): slides the data over when at least half
     * the block is free, else grows it (doubling, to at most twice the node limit unless one element
     * needs more), leaving all the free room on the side that asked. Chunks filled from one end stay
     * within the limit, since the list starts a new chunk before one would pass it.
     */
    private void makeRoom(int need, boolean atTail, int limit) {
        int used = used();
        if (used > capacity / 2 || capacity - used < need) {
            int doubled = Math.max(MIN_CAPACITY, capacity * 2);
            int grown = Math.max(used + need, Math.min(doubled, 2 * limit));
            int newStart = atTail ? 0 : grown - used;
            moveTo(grown, newStart, start, used);
        } else {
            int newStart = atTail ? 0 : capacity - used;
            move(start, newStart, used);
            start = newStart;
            end = newStart + used;
        }
    }

    /** Moves the live bytes to a new block of {@code grown} bytes, at {@code newStart}, and frees the old one. */
    private void moveTo(int grown, int newStart, int from, int used) {
        long target = OffHeap.allocate(grown);
        OffHeap.copy(address + from, target + newStart, used);
        OffHeap.free(address, capacity);
        address = target;
        capacity = grown;
        start = newStart;
        end = newStart + used;
    }

    /** Drops the first {@code n} elements. */
    void dropHead(int n) {
        int pos = start;
        for (int i = 0; i < n; i++) {
            pos = next(pos);
        }
        start = pos;
        count -= n;
    }

    /** Drops the last {@code n} elements. */
    void dropTail(int n) {
        int pos = end;
        for (int i = 0; i < n; i++) {
            pos = previous(pos);
        }
        end = pos;
        count -= n;
    }

    // ---- changes in the middle ----------------------------------------------------------------

    /** Inserts an element so that it starts where the element at {@code pos} (or {@code end}) started. */
    void insertAt(int pos, byte[] data, int offset, int length) {
        int need = frame(length);
        if (capacity - end < need && start < need) {
            int at = pos - start;
            moveTo(Math.max(used() + need, capacity + capacity / 2), 0, start, used());
            pos = at;
        }
        if (capacity - end >= need) {
            move(pos, pos + need, end - pos);
            end += need;
            write(address, pos, data, offset, length);
        } else {
            move(start, start - need, pos - start);
            start -= need;
            write(address, pos - need, data, offset, length);
        }
        count++;
    }

    /** Removes the element starting at {@code pos}, moving whichever side of it is shorter. */
    void removeAt(int pos) {
        int size = frame(lengthAt(pos));
        if (pos - start < end - pos - size) {
            move(start, start + size, pos - start);
            start += size;
        } else {
            move(pos + size, pos, end - pos - size);
            end -= size;
        }
        count--;
    }

    /** Replaces the element starting at {@code pos}. */
    void replaceAt(int pos, byte[] data, int offset, int length) {
        if (frame(lengthAt(pos)) == frame(length)) {
            write(address, pos, data, offset, length);
            return;
        }
        int at = pos - start;
        removeAt(pos);
        insertAt(start + at, data, offset, length);
    }

    /**
     * Removes elements equal to the given bytes: all of them when {@code limit} is 0, else at most
     * {@code limit}, the first ones or ({@code fromTail}) the last ones. Returns how many went.
     */
    int removeEqual(byte[] data, int offset, int length, long limit, boolean fromTail) {
        int[] matches = new int[count];
        int found = 0;
        for (int pos = start; pos < end; pos = next(pos)) {
            if (elementEquals(pos, data, offset, length)) {
                matches[found++] = pos;
            }
        }
        if (found == 0) {
            return 0;
        }
        int take = limit > 0 && limit < found ? (int) limit : found;
        int firstTaken = fromTail ? found - take : 0;
        int write = start;
        int read = start;
        for (int m = firstTaken; m < firstTaken + take; m++) {
            int pos = matches[m];
            move(read, write, pos - read);
            write += pos - read;
            read = next(pos);
        }
        move(read, write, end - read);
        end = write + (end - read);
        count -= take;
        return take;
    }

    /** Moves the elements from the {@code keep}-th on into a new chunk, which it returns. */
    ListChunk splitAfter(int keep) {
        int pos = start;
        for (int i = 0; i < keep; i++) {
            pos = next(pos);
        }
        ListChunk tail = new ListChunk(end - pos, address + pos, 0, end - pos, count - keep);
        end = pos;
        count = keep;
        return tail;
    }

    /** Appends all of {@code other}'s elements. */
    void absorb(ListChunk other) {
        int need = other.used();
        if (capacity - end < need) {
            moveTo(used() + need, 0, start, used());
        }
        OffHeap.copy(other.address + other.start, address + end, need);
        end += need;
        count += other.count;
    }
}
