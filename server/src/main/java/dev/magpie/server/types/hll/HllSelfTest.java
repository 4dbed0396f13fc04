package dev.magpie.server.types.hll;

import java.util.concurrent.ThreadLocalRandom;

/**
 * PFSELFTEST: checks that every 6-bit register reads back what was written without disturbing
 * its neighbours, then adds ten million distinct elements to a dense and a sparse value side
 * by side, checking at each power of ten that the sparse one stayed sparse while small, that
 * both estimate the same, and that the error stays within six standard errors.
 */
public final class HllSelfTest {
    private static final int REGISTER_CYCLES = 1000;
    private static final int ELEMENTS = 10_000_000;

    /** Null when every check passed, else Redis's TESTFAILED error text. */
    public String run(long sparseMaxBytes) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] dense = new byte[Hll.DENSE_SIZE];
        byte[] expected = new byte[Hll.REGISTERS];
        for (int cycle = 0; cycle < REGISTER_CYCLES; cycle++) {
            for (int i = 0; i < Hll.REGISTERS; i++) {
                int value = random.nextInt(Hll.REGISTER_MAX + 1);
                expected[i] = (byte) value;
                HllDense.set(dense, Hll.HEADER, i, value);
            }
            for (int i = 0; i < Hll.REGISTERS; i++) {
                int value = HllDense.get(dense, Hll.HEADER, i);
                if (value != expected[i]) {
                    return "TESTFAILED Register " + i + " should be " + expected[i] + " but is " + value;
                }
            }
        }
        HllValue reference = new HllValue().load(new byte[Hll.DENSE_SIZE]);
        Hll.writeMagic(reference.data, Hll.DENSE);
        HllValue sparse = new HllValue().load(Hll.emptySparse());
        double relativeError = 1.04 / Math.sqrt(Hll.REGISTERS);
        long checkpoint = 1;
        long seed = random.nextLong();
        byte[] element = new byte[8];
        for (long j = 1; j <= ELEMENTS; j++) {
            long value = j ^ seed;
            for (int b = 0; b < 8; b++) {
                element[b] = (byte) (value >>> (8 * b));
            }
            int hashed = Hll.hashElement(element, 0, 8);
            reference.raise(hashed & 0xFFFF, hashed >>> 16, sparseMaxBytes);
            sparse.raise(hashed & 0xFFFF, hashed >>> 16, sparseMaxBytes);
            if (j != checkpoint) {
                continue;
            }
            if (j < sparseMaxBytes / 2 && sparse.encoding() != Hll.SPARSE) {
                return "TESTFAILED sparse encoding not used";
            }
            long estimate = HllEstimator.count(reference);
            if (estimate != HllEstimator.count(sparse)) {
                return "TESTFAILED dense/sparse disagree";
            }
            long error = Math.abs(checkpoint - estimate);
            long maxError = j == 10 ? 1 : (long) Math.ceil(relativeError * 6 * checkpoint);
            if (error > maxError) {
                return "TESTFAILED Too big error. card:" + checkpoint + " abserr:" + error;
            }
            checkpoint *= 10;
        }
        return null;
    }
}
