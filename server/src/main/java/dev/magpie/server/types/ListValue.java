package dev.magpie.server.types;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.ObjectTable;

import java.util.Arrays;

/**
 * A list value: a sequence of {@link ListChunk}s, each a packed native block of elements, kept
 * in an array with free slots at both ends (Redis's quicklist of listpacks, without a Java object
 * per element). Node size follows {@code list-max-listpack-size} as Redis reads it when the list is
 * created: negative values cap a node's bytes (-1 4 KB ... -5 64 KB), positive ones its entries
 * (with an 8 KB safety cap). Redis 7.0 encodes every list as a quicklist, whatever its size, so
 * the encoding is always {@link Values#ENCODING_QUICKLIST}.
 *
 * <p>The blocks are freed explicitly: {@link #free} when the list leaves its keyspace for good
 * (and when a frozen copy has been written), and each chunk as the list drops or regrows it.
 *
 * <p>Indexes taken by the methods are already checked by the caller: {@code 0 <= index < size()}.
 */
public final class ListValue implements CollectionValue, ObjectTable.Freeable {
    private static final int[] NODE_BYTES = {4096, 8192, 16384, 32768, 65536};
    private static final int SAFETY_BYTES = 8192;
    private static final int MAX_FILL = (1 << 15) - 1;

    private final int maxBytes;
    private final int maxEntries;
    private ListChunk[] chunks = new ListChunk[4];
    /** Array index of the head chunk. */
    private int first = 2;
    private int chunkCount;
    private long size;
    /** A copy made by {@link #share}: nothing changes it, so its nodes' serialized forms may be kept. */
    private boolean frozen;

    /** An empty list whose nodes follow {@code fill} (the list-max-listpack-size setting). */
    public ListValue(long fill) {
        if (fill < 0) {
            maxBytes = NODE_BYTES[(int) Math.min(-fill, NODE_BYTES.length) - 1];
            maxEntries = Integer.MAX_VALUE;
        } else {
            maxBytes = SAFETY_BYTES;
            maxEntries = (int) Math.max(1, Math.min(fill, MAX_FILL));
        }
    }

    private ListValue(ListValue source) {
        this.maxBytes = source.maxBytes;
        this.maxEntries = source.maxEntries;
    }

    @Override
    public byte type() {
        return Entry.TYPE_LIST;
    }

    @Override
    public byte encoding() {
        return Values.ENCODING_QUICKLIST;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public ListValue copy() {
        ListValue copy = new ListValue(this);
        copy.chunks = new ListChunk[Math.max(4, chunkCount + 4)];
        copy.first = 2;
        for (int i = 0; i < chunkCount; i++) {
            copy.chunks[copy.first + i] = chunk(i).copy();
        }
        copy.chunkCount = chunkCount;
        copy.size = size;
        return copy;
    }

    @Override
    public long memoryUsage() {
        long bytes = 48 + 16 + 8L * chunks.length;
        for (int i = 0; i < chunkCount; i++) {
            ListChunk chunk = chunk(i);
            byte[] saved = chunk.savedForm;
            bytes += 48 + chunk.capacity + (saved == null ? 0 : 16 + saved.length);
        }
        return bytes;
    }

    // ---- chunk bookkeeping (package-private for ListCursor) -----------------------------------

    int chunkCount() {
        return chunkCount;
    }

    ListChunk chunk(int index) {
        return chunks[first + index];
    }

    /** Chunk {@code index}, about to change: a chunk a frozen copy still shares is replaced by a copy of its own first. */
    private ListChunk writable(int index) {
        ListChunk chunk = chunks[first + index];
        if (chunk.shared) {
            ListChunk own = chunk.unshared();
            chunks[first + index] = own;
            chunk.release();
            return own;
        }
        return chunk;
    }

    /**
     * A frozen copy that shares this list's chunks, made in time proportional to their number,
     * not to the elements. This list copies a shared chunk before it next changes it, so the
     * copy keeps the elements it has now. Nothing may change the copy; it may be read on another
     * thread once handed over safely (a snapshot writer serializes it there).
     */
    public ListValue share() {
        ListValue frozen = new ListValue(this);
        frozen.chunks = Arrays.copyOfRange(chunks, first, first + chunkCount);
        frozen.first = 0;
        frozen.chunkCount = chunkCount;
        frozen.size = size;
        frozen.frozen = true;
        for (int i = 0; i < chunkCount; i++) {
            ListChunk chunk = chunks[first + i];
            chunk.shared = true;
            chunk.retain();
        }
        return frozen;
    }

    /**
     * Frees the list's native blocks (those a frozen copy still shares once that copy is freed
     * too), leaving it empty. For a list leaving its keyspace for good, or a frozen copy once
     * written; any thread, as long as nothing else uses this list.
     */
    @Override
    public long blocksToFree() {
        return chunkCount;
    }

    @Override
    public void free() {
        for (int i = 0; i < chunkCount; i++) {
            chunks[first + i].release();
            chunks[first + i] = null;
        }
        chunkCount = 0;
        size = 0;
    }

    private void insertChunk(int index, ListChunk chunk) {
        if (index == 0 && first > 0) {
            chunks[--first] = chunk;
            chunkCount++;
            return;
        }
        if (first + chunkCount == chunks.length || index == 0) {
            int capacity = Math.max(8, chunkCount * 2 + 2);
            ListChunk[] target = new ListChunk[capacity];
            int newFirst = (capacity - chunkCount) / 2;
            System.arraycopy(chunks, first, target, newFirst, chunkCount);
            chunks = target;
            first = newFirst;
        }
        if (index == 0) {
            chunks[--first] = chunk;
        } else {
            int at = first + index;
            System.arraycopy(chunks, at, chunks, at + 1, chunkCount - index);
            chunks[at] = chunk;
        }
        chunkCount++;
    }

    private void removeChunk(int index) {
        chunk(index).release();
        if (index == 0) {
            chunks[first++] = null;
        } else {
            int at = first + index;
            System.arraycopy(chunks, at + 1, chunks, at, chunkCount - index - 1);
            chunks[first + chunkCount - 1] = null;
        }
        chunkCount--;
    }

    private boolean fits(ListChunk chunk, int need) {
        return chunk.count < maxEntries && chunk.used() + need <= maxBytes;
    }

    /** Splits a chunk that an insertion made larger than a node may be. */
    private void splitIfNeeded(int index) {
        ListChunk chunk = chunk(index);
        if (chunk.count > 1 && (chunk.used() > maxBytes || chunk.count > maxEntries)) {
            insertChunk(index + 1, writable(index).splitAfter(chunk.count / 2));
            splitIfNeeded(index + 1);
            splitIfNeeded(index);
        }
    }

    /** Drops a chunk that removals emptied, or merges it into its successor when both fit in one node. */
    private void tidy(int index) {
        ListChunk chunk = chunk(index);
        if (chunk.count == 0) {
            removeChunk(index);
            return;
        }
        if (index + 1 < chunkCount) {
            ListChunk next = chunk(index + 1);
            if (chunk.count + next.count <= maxEntries && chunk.used() + next.used() <= maxBytes) {
                writable(index).absorb(next);
                removeChunk(index + 1);
            }
        }
    }

    /**
     * Finds element {@code index}: the chunk index in the high 32 bits, the element's start in its
     * chunk's buffer in the low 32 bits. Walks from whichever end of the list is nearer.
     */
    private long locate(long index) {
        if (index < size / 2) {
            for (int i = 0; i < chunkCount; i++) {
                ListChunk chunk = chunk(i);
                if (index < chunk.count) {
                    return ((long) i << 32) | positionIn(chunk, (int) index);
                }
                index -= chunk.count;
            }
        } else {
            long fromTail = size - 1 - index;
            for (int i = chunkCount - 1; i >= 0; i--) {
                ListChunk chunk = chunk(i);
                if (fromTail < chunk.count) {
                    return ((long) i << 32) | positionIn(chunk, chunk.count - 1 - (int) fromTail);
                }
                fromTail -= chunk.count;
            }
        }
        throw new IndexOutOfBoundsException("list index " + index + " of " + size);
    }

    private static int positionIn(ListChunk chunk, int k) {
        if (k <= chunk.count / 2) {
            int pos = chunk.start;
            for (int i = 0; i < k; i++) {
                pos = chunk.next(pos);
            }
            return pos;
        }
        int pos = chunk.end;
        for (int i = chunk.count; i > k; i--) {
            pos = chunk.previous(pos);
        }
        return pos;
    }

    // ---- the ends ------------------------------------------------------------------------------

    public void pushHead(byte[] data, int offset, int length) {
        int need = ListChunk.frame(length);
        ListChunk head = chunkCount == 0 ? null : chunks[first];
        if (head == null || !fits(head, need)) {
            head = new ListChunk(nextChunkCapacity(head, need), false);
            insertChunk(0, head);
        } else {
            head = writable(0);
        }
        head.prepend(data, offset, length, maxBytes);
        size++;
    }

    public void pushTail(byte[] data, int offset, int length) {
        int need = ListChunk.frame(length);
        ListChunk tail = chunkCount == 0 ? null : chunks[first + chunkCount - 1];
        if (tail == null || !fits(tail, need)) {
            tail = new ListChunk(nextChunkCapacity(tail, need), true);
            insertChunk(chunkCount, tail);
        } else {
            tail = writable(chunkCount - 1);
        }
        tail.append(data, offset, length, maxBytes);
        size++;
    }

    /**
     * The room a chunk started at an end gets: as much as the full chunk beside it reached, since
     * pushes at that end are likely to fill it too, rather than growing from one element by
     * doublings whose discarded arrays would fill the young generation twice as fast.
     */
    private static int nextChunkCapacity(ListChunk full, int need) {
        return full == null ? need : Math.max(need, full.capacity);
    }

    public void push(boolean head, byte[] data, int offset, int length) {
        if (head) {
            pushHead(data, offset, length);
        } else {
            pushTail(data, offset, length);
        }
    }

    /** Removes the first (or last) element and answers it as a bulk string; the list must not be empty. */
    public void pop(boolean head, RespWriter out) {
        ListChunk chunk = writable(head ? 0 : chunkCount - 1);
        int pos = head ? chunk.start : chunk.previous(chunk.end);
        out.bulkFromAddress(chunk.dataAddress(pos), chunk.lengthAt(pos));
        dropOne(head, chunk, pos);
    }

    /** Removes the first (or last) element and returns a copy of it; the list must not be empty. */
    public byte[] pop(boolean head) {
        ListChunk chunk = writable(head ? 0 : chunkCount - 1);
        int pos = head ? chunk.start : chunk.previous(chunk.end);
        byte[] element = chunk.element(pos);
        dropOne(head, chunk, pos);
        return element;
    }

    private void dropOne(boolean head, ListChunk chunk, int pos) {
        if (head) {
            chunk.start = chunk.next(pos);
        } else {
            chunk.end = pos;
        }
        chunk.count--;
        size--;
        if (chunk.count == 0) {
            removeChunk(head ? 0 : chunkCount - 1);
        }
    }

    /**
     * Removes up to {@code n} elements from one end, answering them in the order they leave (the
     * last element first when popping from the tail), without the array header.
     */
    public void pop(boolean head, long n, RespWriter out) {
        long count = Math.min(n, size);
        if (head) {
            replyRange(out, 0, count);
            removeHead(count);
        } else {
            ListCursor cursor = new ListCursor(this, true);
            for (long i = 0; i < count && cursor.next(); i++) {
                cursor.reply(out);
            }
            removeTail(count);
        }
    }

    /** Drops the first {@code n} elements (all when n is at least the size). */
    public void removeHead(long n) {
        while (n > 0 && chunkCount > 0) {
            ListChunk chunk = chunks[first];
            if (chunk.count <= n) {
                n -= chunk.count;
                size -= chunk.count;
                removeChunk(0);
            } else {
                writable(0).dropHead((int) n);
                size -= n;
                n = 0;
            }
        }
    }

    /** Drops the last {@code n} elements (all when n is at least the size). */
    public void removeTail(long n) {
        while (n > 0 && chunkCount > 0) {
            ListChunk chunk = chunks[first + chunkCount - 1];
            if (chunk.count <= n) {
                n -= chunk.count;
                size -= chunk.count;
                removeChunk(chunkCount - 1);
            } else {
                writable(chunkCount - 1).dropTail((int) n);
                size -= n;
                n = 0;
            }
        }
    }

    // ---- by index ------------------------------------------------------------------------------

    /** Answers {@code count} elements from {@code start} on as bulk strings (no header); both in range. */
    public void replyRange(RespWriter out, long start, long count) {
        if (count <= 0) {
            return;
        }
        long found = locate(start);
        int index = (int) (found >>> 32);
        int pos = (int) found;
        ListChunk chunk = chunk(index);
        for (long i = 0; i < count; i++) {
            if (pos == chunk.end) {
                chunk = chunk(++index);
                pos = chunk.start;
            }
            int length = chunk.lengthAt(pos);
            int data = ListChunk.dataOffset(pos, length);
            out.bulkFromAddress(chunk.address + data, length);
            pos = data + length + ListChunk.lengthBytes(length);
        }
    }

    public void replyAt(long index, RespWriter out) {
        long found = locate(index);
        ListChunk chunk = chunk((int) (found >>> 32));
        int pos = (int) found;
        out.bulkFromAddress(chunk.dataAddress(pos), chunk.lengthAt(pos));
    }

    public byte[] get(long index) {
        long found = locate(index);
        return chunk((int) (found >>> 32)).element((int) found);
    }

    public void set(long index, byte[] data, int offset, int length) {
        long found = locate(index);
        int chunkIndex = (int) (found >>> 32);
        writable(chunkIndex).replaceAt((int) found, data, offset, length);
        splitIfNeeded(chunkIndex);
    }

    // ---- by value ------------------------------------------------------------------------------

    /**
     * Inserts {@code value} before (or after) the first element equal to {@code pivot}, scanning
     * from the head. Returns false when there is no such element.
     */
    public boolean insert(byte[] pivot, int pivotOffset, int pivotLength, boolean after,
                          byte[] value, int valueOffset, int valueLength) {
        for (int i = 0; i < chunkCount; i++) {
            ListChunk chunk = chunk(i);
            for (int pos = chunk.start; pos < chunk.end; pos = chunk.next(pos)) {
                if (chunk.elementEquals(pos, pivot, pivotOffset, pivotLength)) {
                    writable(i).insertAt(after ? chunk.next(pos) : pos, value, valueOffset, valueLength);
                    size++;
                    splitIfNeeded(i);
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * LREM: removes elements equal to the given bytes, all of them when {@code count} is 0, else
     * the first {@code count} (or, when negative, the last {@code -count}). Returns how many went.
     */
    public long remove(long count, byte[] data, int offset, int length) {
        boolean fromTail = count < 0;
        // -Long.MIN_VALUE overflows, and Redis then removes every match, as for 0.
        long limit = fromTail ? (count == Long.MIN_VALUE ? 0 : -count) : count;
        long removed = 0;
        if (!fromTail) {
            for (int i = 0; i < chunkCount && (limit == 0 || removed < limit); i++) {
                int before = chunkCount;
                removed += writable(i).removeEqual(data, offset, length, limit == 0 ? 0 : limit - removed, false);
                tidy(i);
                if (chunkCount < before) {
                    i--;
                }
            }
        } else {
            for (int i = chunkCount - 1; i >= 0 && (limit == 0 || removed < limit); i--) {
                removed += writable(i).removeEqual(data, offset, length, limit == 0 ? 0 : limit - removed, true);
                tidy(i);
            }
        }
        size -= removed;
        return removed;
    }

    /** A cursor over the elements from the head (or from the tail). */
    public ListCursor cursor(boolean fromTail) {
        return new ListCursor(this, fromTail);
    }

    /** Nodes (packed chunks) the list is made of, for persistence, which writes one node per chunk. */
    public int nodeCount() {
        return chunkCount;
    }

    /** Elements in node {@code index}. */
    public int nodeSize(int index) {
        return chunk(index).count;
    }

    /** Whether this is a frozen copy ({@link #share}), whose nodes may keep their serialized forms. */
    public boolean isFrozen() {
        return frozen;
    }

    /**
     * The serialized form a snapshot writer kept for node {@code index} of this frozen copy, or
     * null. It outlives the copy: the node is shared with the live list and never changes, so the
     * next snapshot finds it there too.
     */
    public byte[] savedForm(int index) {
        return frozen ? chunk(index).savedForm : null;
    }

    /** Keeps {@code form} as node {@code index}'s serialized form; only for a frozen copy. */
    public void keepSavedForm(int index, byte[] form) {
        if (!frozen) {
            throw new IllegalStateException("only a frozen list's nodes can keep a serialized form");
        }
        chunk(index).savedForm = form;
    }
}
