package dev.magpie.server.types;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
