package dev.magpie.server.commands;

import dev.magpie.server.keyspace.OffHeap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bit arithmetic over native memory, checked against a plain bit-by-bit model. */
class BitsTest {
    private static final int SIZE = 64;
    private long memory;

    @BeforeEach
    void allocate() {
        memory = OffHeap.allocate(SIZE);
        OffHeap.setMemory(memory, SIZE, (byte) 0);
    }

    @AfterEach
    void free() {
        OffHeap.free(memory, SIZE);
    }

    private void fill(byte[] bytes) {
        OffHeap.copyFromArray(bytes, 0, memory, bytes.length);
    }

    private static int bit(byte[] bytes, long offset) {
        return (bytes[(int) (offset >>> 3)] >>> (7 - (offset & 7))) & 1;
    }

    @Test
    void popcountAndFirstBitMatchTheModel() {
        Random random = new Random(1);
        for (int round = 0; round < 500; round++) {
            byte[] bytes = new byte[SIZE];
            int density = random.nextInt(4);
            for (int i = 0; i < SIZE; i++) {
                bytes[i] = density == 0 ? 0 : density == 1 ? (byte) 0xFF : (byte) random.nextInt(256);
            }
            if (random.nextBoolean()) {
                bytes[random.nextInt(SIZE)] ^= (byte) (1 << random.nextInt(8));
            }
            fill(bytes);
            int count = 1 + random.nextInt(SIZE);
            long ones = 0;
            long firstOne = -1;
            long firstZero = count * 8L;
            for (long offset = 0; offset < count * 8L; offset++) {
                int b = bit(bytes, offset);
                ones += b;
                if (b == 1 && firstOne < 0) {
                    firstOne = offset;
                }
                if (b == 0 && firstZero == count * 8L) {
                    firstZero = offset;
                }
            }
            assertEquals(ones, Bits.popcount(memory, count));
            assertEquals(firstOne, Bits.firstBit(memory, count, 1));
            assertEquals(firstZero, Bits.firstBit(memory, count, 0));
        }
    }

    @Test
    void singleByteFirstBit() {
        assertEquals(-1, Bits.firstBit(0, 1));
        assertEquals(8, Bits.firstBit(0xFF, 0));
        assertEquals(0, Bits.firstBit(0x80, 1));
        assertEquals(7, Bits.firstBit(0x01, 1));
        assertEquals(1, Bits.firstBit(0xBF, 0));
    }

    @Test
    void fieldsRoundTripAtAnyOffsetAndWidth() {
        Random random = new Random(2);
        for (int round = 0; round < 2000; round++) {
            int bits = 1 + random.nextInt(64);
            long offset = random.nextInt(SIZE * 8 - 64);
            long value = random.nextLong();
            byte[] before = new byte[SIZE];
            random.nextBytes(before);
            fill(before);
            Bits.setUnsigned(memory, offset, bits, value);
            long mask = bits == 64 ? -1L : (1L << bits) - 1;
            assertEquals(value & mask, Bits.getUnsigned(memory, SIZE, offset, bits));
            long signed = bits == 64 ? value : (value << (64 - bits)) >> (64 - bits);
            assertEquals(signed, Bits.getSigned(memory, SIZE, offset, bits));
            byte[] after = new byte[SIZE];
            OffHeap.copyToArray(memory, after, 0, SIZE);
            for (long o = 0; o < SIZE * 8L; o++) {
                if (o < offset || o >= offset + bits) {
                    assertEquals(bit(before, o), bit(after, o), "bit " + o + " outside the field changed");
                }
            }
        }
    }

    @Test
    void readsPastTheEndSeeZeros() {
        fill(new byte[] {(byte) 0xFF, (byte) 0xFF});
        assertEquals(0xFF, Bits.getUnsigned(memory, 1, 0, 8));
        assertEquals(0xFF00, Bits.getUnsigned(memory, 1, 0, 16));
        assertEquals(0, Bits.bitAt(memory, 1, 8));
    }
}
