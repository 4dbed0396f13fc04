package dev.magpie.server.types.hll;

import dev.magpie.server.keyspace.OffHeap;

/**
 * A working copy of one HyperLogLog string: the sparse codec edits it in a Java array that
 * can grow by a few bytes per update, and the caller stores it back into the entry once per
 * command. Reused between commands (engine thread only).
 */
public final class HllValue {
    byte[] data = new byte[Hll.DENSE_SIZE + 8];
    int length;
    /** Scratch for the up to five bytes an opcode split produces. */
    final byte[] sequence = new byte[5];

    public byte[] data() {
        return data;
    }

    public int length() {
        return length;
    }

    public byte encoding() {
        return data[Hll.ENCODING_AT];
    }

    /** Copies {@code length} bytes from native memory. */
    public HllValue load(long address, int length) {
        ensureCapacity(length);
        OffHeap.copyToArray(address, data, 0, length);
        this.length = length;
        return this;
    }

    public HllValue load(byte[] source) {
        ensureCapacity(source.length);
        System.arraycopy(source, 0, data, 0, source.length);
        length = source.length;
        return this;
    }

    /** Makes room for {@code capacity} bytes plus one zero byte past them (Redis reads the sds terminator). */
    void ensureCapacity(int capacity) {
        if (data.length < capacity + 1) {
            byte[] bigger = new byte[Math.max(capacity + 1, data.length * 2)];
            System.arraycopy(data, 0, bigger, 0, length);
            data = bigger;
        }
    }

    /** The byte at {@code at}, or 0 past the end (where Redis finds the string's terminator). */
    int byteAt(int at) {
        return at < length ? data[at] & 0xFF : 0;
    }

    /** Marks the cached cardinality stale (the top bit of its last byte). */
    public void invalidateCache() {
        data[Hll.CARDINALITY_AT + 7] |= (byte) 0x80;
    }

    /** Raises {@code max[i]} to each register of this value; false when a sparse body is corrupt. */
    public boolean maxInto(byte[] max) {
        if (encoding() == Hll.DENSE) {
            HllDense.maxInto(data, Hll.HEADER, max);
            return true;
        }
        return HllSparse.maxInto(data, length, max);
    }

    /**
     * Raises one register in whichever encoding the value has (the sparse one may turn dense):
     * 1 when it changed, 0 when not, -1 when the value is corrupt.
     */
    public int raise(int index, int count, long sparseMaxBytes) {
        if (encoding() == Hll.DENSE) {
            return HllDense.raise(data, Hll.HEADER, index, count) ? 1 : 0;
        }
        return HllSparse.set(this, index, count, sparseMaxBytes);
    }

    /** Writes an estimate into the header as a valid cached cardinality (what PFCOUNT leaves behind). */
    public void cacheCardinality(long card) {
        for (int i = 0; i < 8; i++) {
            data[Hll.CARDINALITY_AT + i] = (byte) (card >>> (8 * i));
        }
    }

    /** Turns a sparse value dense; false (and unchanged) when the sparse body is corrupt. */
    public boolean toDense() {
        if (encoding() == Hll.DENSE) {
            return true;
        }
        byte[] dense = HllSparse.toDense(data, length);
        if (dense == null) {
            return false;
        }
        ensureCapacity(dense.length);
        System.arraycopy(dense, 0, data, 0, dense.length);
        length = dense.length;
        return true;
    }
}
