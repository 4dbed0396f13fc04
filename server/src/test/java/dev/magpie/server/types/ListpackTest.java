package dev.magpie.server.types;

import dev.magpie.server.keyspace.OffHeap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Length headers round-trip at every size boundary. */
class ListpackTest {
    @Test
    void headersRoundTripAtEveryBoundary() {
        int[] lengths = {0, 1, 127, 128, 16383, 16384, 2097151, 2097152, 268435455, 268435456, Integer.MAX_VALUE};
        for (int length : lengths) {
            byte[] array = new byte[8];
            int end = Listpack.writeHeader(array, 1, length);
            assertEquals(Listpack.headerSize(length), end - 1, "header size of " + length);
            assertEquals(length, Listpack.length(array, 1));
            assertEquals(end, Listpack.dataOffset(array, 1));
        }
        byte[] data = "hello".getBytes();
        byte[] packed = new byte[Listpack.entrySize(5) * 2];
        int at = Listpack.write(packed, 0, data, 0, 5);
        Listpack.write(packed, at, data, 1, 4);
        assertTrue(Listpack.equalsAt(packed, 0, data, 0, 5));
        assertEquals(at, Listpack.next(packed, 0));
        assertTrue(Listpack.equalsAt(packed, at, "ello".getBytes(), 0, 4));
    }

    @Test
    void nativeReadsAgreeWithArrayReads() {
        int[] lengths = {0, 5, 127, 128, 300, 16384};
        int size = 0;
        for (int length : lengths) {
            size += Listpack.entrySize(length);
        }
        byte[] packed = new byte[size];
        int at = 0;
        for (int length : lengths) {
            byte[] data = new byte[length];
            java.util.Arrays.fill(data, (byte) length);
            at = Listpack.write(packed, at, data, 0, length);
        }
        long address = OffHeap.allocate(size);
        try {
            OffHeap.copyFromArray(packed, 0, address, size);
            int offset = 0;
            for (int length : lengths) {
                long here = address + offset;
                assertEquals(Listpack.length(packed, offset), Listpack.length(here));
                assertEquals(Listpack.dataOffset(packed, offset), Listpack.dataAddress(here) - address);
                assertEquals(Listpack.next(packed, offset), Listpack.next(here) - address);
                byte[] same = new byte[length];
                java.util.Arrays.fill(same, (byte) length);
                assertTrue(Listpack.equalsAt(here, same, 0, length));
                if (length > 0) {
                    assertFalse(Listpack.equalsAt(here, same, 0, length - 1), "a shorter string differs");
                    same[length - 1]++;
                    assertFalse(Listpack.equalsAt(here, same, 0, length));
                }
                offset = Listpack.next(packed, offset);
            }
            assertEquals(size, offset);
        } finally {
            OffHeap.free(address, size);
        }
    }
}
