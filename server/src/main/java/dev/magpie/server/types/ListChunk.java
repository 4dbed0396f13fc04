package dev.magpie.server.types;

import java.util.Arrays;

/**
 * One node of a list: its elements packed back to back in one byte array, each framed by its
 * length before and after the bytes (a varint read forwards, and the same varint mirrored so it
 * reads backwards), so the chunk can be walked from either end, as Redis's listpack can. The
 * live bytes are {@code buf[start, end)}; free room may lie on both sides, so pushes at either
 * end are cheap.
 */
final class ListChunk {
    /** The smallest buffer a chunk starts with. */
    private static final int MIN_CAPACITY = 32;

    byte[] buf;
    int start;
    int end;
    int count;
    /** Also part of a frozen copy of its list ({@link ListValue#share}): the live list copies it before changing it. */
    boolean shared;
    /**
     * This chunk's serialized form, kept by a snapshot writer once the chunk is {@link #shared}
     * and so can never change again (a change goes to a copy, which starts without one). Written
     * on the writer's thread, hence volatile.
     */
    volatile byte[] savedForm;

    /** An empty chunk whose free room is all after the data ({@code towardsTail}) or all before it. */
    ListChunk(int capacity, boolean towardsTail) {
        buf = new byte[Math.max(capacity, MIN_CAPACITY)];
        start = towardsTail ? 0 : buf.length;
        end = start;
    }

    private ListChunk(byte[] buf, int count) {
        this.buf = buf;
        this.start = 0;
        this.end = buf.length;
        this.count = count;
    }

    int used() {
        return end - start;
    }

    ListChunk copy() {
        return new ListChunk(Arrays.copyOfRange(buf, start, end), count);
    }

    /** A private copy with the same layout, so positions found in this chunk stay valid in it. */
    ListChunk unshared() {
        ListChunk copy = new ListChunk(buf.clone(), count);
        copy.start = start;
        copy.end = end;
        return copy;
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

    /** The length of the element starting at {@code pos}. */
    int lengthAt(int pos) {
        int b = buf[pos];
        if (b >= 0) {
            return b;
        }
        int length = b & 0x7f;
        int shift = 7;
        do {
            b = buf[++pos];
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return length;
    }

    /** The length of the element ending just before {@code endPos}. */
    int lengthBefore(int endPos) {
        int pos = endPos - 1;
        int b = buf[pos];
        if (b >= 0) {
            return b;
        }
        int length = b & 0x7f;
        int shift = 7;
        do {
            b = buf[--pos];
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

    /** Writes a framed element at {@code pos} of {@code buf}; returns the position after it. */
    private static int write(byte[] buf, int pos, byte[] data, int offset, int length) {
        int n = lengthBytes(length);
        for (int i = 0; i < n; i++) {
            buf[pos + i] = (byte) (((length >>> (7 * i)) & 0x7f) | (i < n - 1 ? 0x80 : 0));
        }
        pos += n;
        System.arraycopy(data, offset, buf, pos, length);
        pos += length;
        for (int i = 0; i < n; i++) {
            buf[pos + n - 1 - i] = (byte) (((length >>> (7 * i)) & 0x7f) | (i < n - 1 ? 0x80 : 0));
        }
        return pos + n;
    }

    boolean elementEquals(int pos, byte[] data, int offset, int length) {
        int own = lengthAt(pos);
        if (own != length) {
            return false;
        }
        int from = dataOffset(pos, own);
        return Arrays.equals(buf, from, from + own, data, offset, offset + length);
    }

    byte[] element(int pos) {
        int length = lengthAt(pos);
        int from = dataOffset(pos, length);
        return Arrays.copyOfRange(buf, from, from + length);
    }

    // ---- changes at the ends ------------------------------------------------------------------

    void append(byte[] data, int offset, int length, int limit) {
        int need = frame(length);
        if (buf.length - end < need) {
            makeRoom(need, true, limit);
        }
        end = write(buf, end, data, offset, length);
        count++;
    }

    void prepend(byte[] data, int offset, int length, int limit) {
        int need = frame(length);
        if (start < need) {
            makeRoom(need, false, limit);
        }
        start -= need;
        write(buf, start, data, offset, length);
        count++;
    }

    /**
     * Finds {@code need} free bytes at the tail (or head): slides the data over when at least half
     * the buffer is free, else grows it (doubling, to at most twice the node limit unless one element
     * needs more), leaving all the free room on the side that asked. Chunks filled from one end stay
     * within the limit, since the list starts a new chunk before one would pass it.
     */
    private void makeRoom(int need, boolean atTail, int limit) {
        int used = used();
        byte[] target = buf;
        if (used > buf.length / 2 || buf.length - used < need) {
            int doubled = Math.max(MIN_CAPACITY, buf.length * 2);
            int capacity = Math.max(used + need, Math.min(doubled, 2 * limit));
            target = new byte[capacity];
        }
        int newStart = atTail ? 0 : target.length - used;
        System.arraycopy(buf, start, target, newStart, used);
        buf = target;
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
        if (buf.length - end >= need) {
            System.arraycopy(buf, pos, buf, pos + need, end - pos);
            end += need;
            write(buf, pos, data, offset, length);
        } else if (start >= need) {
            System.arraycopy(buf, start, buf, start - need, pos - start);
            start -= need;
            write(buf, pos - need, data, offset, length);
        } else {
            byte[] target = new byte[Math.max(used() + need, buf.length + buf.length / 2)];
            int head = pos - start;
            System.arraycopy(buf, start, target, 0, head);
            int after = write(target, head, data, offset, length);
            System.arraycopy(buf, pos, target, after, end - pos);
            end = after + (end - pos);
            start = 0;
            buf = target;
        }
        count++;
    }

    /** Removes the element starting at {@code pos}, moving whichever side of it is shorter. */
    void removeAt(int pos) {
        int size = frame(lengthAt(pos));
        if (pos - start < end - pos - size) {
            System.arraycopy(buf, start, buf, start + size, pos - start);
            start += size;
        } else {
            System.arraycopy(buf, pos + size, buf, pos, end - pos - size);
            end -= size;
        }
        count--;
    }

    /** Replaces the element starting at {@code pos}. */
    void replaceAt(int pos, byte[] data, int offset, int length) {
        if (frame(lengthAt(pos)) == frame(length)) {
            write(buf, pos, data, offset, length);
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
            System.arraycopy(buf, read, buf, write, pos - read);
            write += pos - read;
            read = next(pos);
        }
        System.arraycopy(buf, read, buf, write, end - read);
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
        ListChunk tail = new ListChunk(Arrays.copyOfRange(buf, pos, end), count - keep);
        end = pos;
        count = keep;
        return tail;
    }

    /** Appends all of {@code other}'s elements. */
    void absorb(ListChunk other) {
        int need = other.used();
        if (buf.length - end < need) {
            byte[] target = new byte[used() + need];
            System.arraycopy(buf, start, target, 0, used());
            end = used();
            start = 0;
            buf = target;
        }
        System.arraycopy(other.buf, other.start, buf, end, need);
        end += need;
        count += other.count;
    }
}
