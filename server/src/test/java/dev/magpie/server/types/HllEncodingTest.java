package dev.magpie.server.types;

import dev.magpie.server.types.hll.Hll;
import dev.magpie.server.types.hll.HllDense;
import dev.magpie.server.types.hll.HllEstimator;
import dev.magpie.server.types.hll.HllSparse;
import dev.magpie.server.types.hll.HllValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HyperLogLog codecs against values produced by Redis 7.0.15 itself (GET after PFADD): the
 * hash, register derivation, sparse splitting and merging, promotion and the estimator must all
 * agree for the bytes and counts to match.
 */
class HllEncodingTest {
    private static final long SPARSE_MAX = 3000;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static HllValue add(HllValue value, String element) {
        byte[] e = b(element);
        int hashed = Hll.hashElement(e, 0, e.length);
        if (value.raise(hashed & 0xFFFF, hashed >>> 16, SPARSE_MAX) > 0) {
            value.invalidateCache();
        }
        return value;
    }

    private static byte[] bytes(HllValue value) {
        return Arrays.copyOf(value.data(), value.length());
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void emptyValueIsOneXZeroOpcode() {
        assertArrayEquals(b("HYLL\u0001\0\0\0\0\0\0\0\0\0\0\0\u007f\u00ff"), Hll.emptySparse());
    }

    @Test
    void threeElementsGiveRedisBytes() {
        HllValue value = new HllValue().load(Hll.emptySparse());
        add(add(add(value, "a"), "b"), "c");
        // redis-cli GET after PFADD hv a b c on Redis 7.0.15.
        byte[] expected = b("HYLL\u0001\0\0\0\0\0\0\0\0\0\0\u0080\u0060\u00f3\u0080\u0050\u00b1\u0084\u004b\u00fb\u0080\u0042\u005a");
        assertArrayEquals(expected, bytes(value));
        assertEquals("Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603", HllSparse.decode(value.data(), value.length()));
        assertEquals(3, HllEstimator.count(value));
    }

    @Test
    void aThousandElementsStaySparseWithRedisBytesAndCount() throws Exception {
        HllValue value = new HllValue().load(Hll.emptySparse());
        for (int i = 0; i < 1000; i++) {
            add(value, "el" + i);
        }
        assertEquals(Hll.SPARSE, value.encoding());
        assertEquals(1916, value.length());
        assertEquals(1005, HllEstimator.count(value));
        // Redis's bytes were read after PFCOUNT, which caches the estimate in the header.
        value.cacheCardinality(1005);
        assertEquals("7c48c4eedf13fc75c80dfd42f2535aa8ddd2dc1394e40a713e1ebe008c40c026", sha256(bytes(value)));
    }

    @Test
    void aHundredThousandElementsTurnDenseWithRedisBytesAndCount() throws Exception {
        HllValue value = new HllValue().load(Hll.emptySparse());
        for (int i = 0; i < 100_000; i++) {
            add(value, "x" + i);
        }
        assertEquals(Hll.DENSE, value.encoding());
        assertEquals(Hll.DENSE_SIZE, value.length());
        assertEquals(100903, HllEstimator.count(value));
        value.cacheCardinality(100903);
        assertEquals("9a8cd483649896a288a0e2ba219cfabb58bb73e015dc3c127de8b4fffc786d43", sha256(bytes(value)));
    }

    @Test
    void sparseAndDenseAgreeOnRegistersAndCount() {
        HllValue sparse = new HllValue().load(Hll.emptySparse());
        HllValue dense = new HllValue().load(Hll.emptySparse());
        assertTrue(dense.toDense());
        for (int i = 0; i < 700; i++) {
            add(sparse, "m" + i);
            add(dense, "m" + i);
        }
        assertEquals(Hll.SPARSE, sparse.encoding());
        assertEquals(HllEstimator.count(dense), HllEstimator.count(sparse));
        byte[] fromSparse = new byte[Hll.REGISTERS];
        byte[] fromDense = new byte[Hll.REGISTERS];
        assertTrue(sparse.maxInto(fromSparse));
        assertTrue(dense.maxInto(fromDense));
        assertArrayEquals(fromDense, fromSparse);
        assertTrue(sparse.toDense());
        assertArrayEquals(Arrays.copyOfRange(dense.data(), Hll.HEADER, Hll.DENSE_SIZE),
                Arrays.copyOfRange(sparse.data(), Hll.HEADER, Hll.DENSE_SIZE));
    }

    @Test
    void denseRegistersDoNotDisturbTheirNeighbours() {
        byte[] registers = new byte[Hll.DENSE_SIZE];
        int[] expected = new int[Hll.REGISTERS];
        Random random = new Random(7);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < Hll.REGISTERS; i++) {
                expected[i] = random.nextInt(64);
                HllDense.set(registers, Hll.HEADER, i, expected[i]);
            }
            for (int i = 0; i < Hll.REGISTERS; i++) {
                assertEquals(expected[i], HllDense.get(registers, Hll.HEADER, i), "register " + i);
            }
        }
    }

    @Test
    void aCountAboveThirtyTwoPromotesToDense() {
        HllValue value = new HllValue().load(Hll.emptySparse());
        assertEquals(1, value.raise(5, 33, SPARSE_MAX));
        assertEquals(Hll.DENSE, value.encoding());
        assertEquals(33, HllDense.get(value.data(), Hll.HEADER, 5));
    }

    @Test
    void theSizeLimitPromotesToDense() {
        HllValue value = new HllValue().load(Hll.emptySparse());
        for (int i = 0; i < 10; i++) {
            add(value, "e" + i);
        }
        assertEquals(Hll.SPARSE, value.encoding());
        HllValue small = new HllValue().load(Hll.emptySparse());
        for (int i = 0; i < 10 && small.encoding() == Hll.SPARSE; i++) {
            byte[] e = b("e" + i);
            int hashed = Hll.hashElement(e, 0, e.length);
            small.raise(hashed & 0xFFFF, hashed >>> 16, 20);
        }
        assertEquals(Hll.DENSE, small.encoding());
    }

    @Test
    void corruptSparseBodiesAreDetected() {
        byte[] tooShort = Hll.emptySparse();
        tooShort[17] = (byte) 0xfe; // XZERO of 16383 registers: one missing
        HllValue value = new HllValue().load(tooShort);
        assertEquals(-1, HllEstimator.count(value));
        assertFalse(value.maxInto(new byte[Hll.REGISTERS]));
        assertFalse(new HllValue().load(tooShort).toDense());
        assertEquals(-1, new HllValue().load(tooShort).raise(16383, 1, SPARSE_MAX));
    }

    @Test
    void validityFollowsRedisRules() {
        assertTrue(Hll.looksValid((byte) 'H', (byte) 'Y', (byte) 'L', (byte) 'L', Hll.SPARSE, 16));
        assertFalse(Hll.looksValid((byte) 'H', (byte) 'Y', (byte) 'L', (byte) 'X', Hll.SPARSE, 18));
        assertFalse(Hll.looksValid((byte) 'H', (byte) 'Y', (byte) 'L', (byte) 'L', (byte) 2, 18));
        assertFalse(Hll.looksValid((byte) 'H', (byte) 'Y', (byte) 'L', (byte) 'L', Hll.DENSE, 18));
        assertTrue(Hll.looksValid((byte) 'H', (byte) 'Y', (byte) 'L', (byte) 'L', Hll.DENSE, Hll.DENSE_SIZE));
        assertFalse(Hll.looksValid((byte) 'H', (byte) 'Y', (byte) 'L', (byte) 'L', Hll.SPARSE, 15));
    }

    @Test
    void emptyAndFullEstimates() {
        assertEquals(0, HllEstimator.count(new HllValue().load(Hll.emptySparse())));
        byte[] registers = new byte[Hll.REGISTERS];
        assertEquals(0, HllEstimator.countRegisters(registers));
    }
}
