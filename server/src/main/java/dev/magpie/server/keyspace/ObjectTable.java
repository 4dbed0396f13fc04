package dev.magpie.server.keyspace;

import java.util.Arrays;

/**
 * The values that are not strings (lists, hashes, sets, sorted sets) of one keyspace, by handle.
 * An entry of such a type stores the handle in its 8-byte value area. The table belongs to its
 * keyspace, so FLUSHALL ASYNC and SWAPDB carry the values along with the index.
 */
public final class ObjectTable {
    private Object[] slots = new Object[16];
    private int[] free = new int[16];
    private int freeCount;
    private int next;
    private int size;

    public int put(Object value) {
        int handle;
        if (freeCount > 0) {
            handle = free[--freeCount];
        } else {
            if (next == slots.length) {
                slots = Arrays.copyOf(slots, next * 2);
            }
            handle = next++;
        }
        slots[handle] = value;
        size++;
        return handle;
    }

    public Object get(int handle) {
        return slots[handle];
    }

    public void replace(int handle, Object value) {
        slots[handle] = value;
    }

    public Object remove(int handle) {
        Object value = slots[handle];
        slots[handle] = null;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, freeCount * 2);
        }
        free[freeCount++] = handle;
        size--;
        return value;
    }

    public int size() {
        return size;
    }
}
