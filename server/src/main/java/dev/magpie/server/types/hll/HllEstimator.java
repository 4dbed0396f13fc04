package dev.magpie.server.types.hll;

/**
 * The cardinality estimate Redis 7 computes from the histogram of register values: Otmar
 * Ertl's improved estimator ("New cardinality estimation algorithms for HyperLogLog
 * sketches", arXiv:1702.01284), evaluated in the same order of double operations so the
 * integer it rounds to is Redis's.
 */
public final class HllEstimator {
    private static final double ALPHA_INF = 0.721347520444481703680;

    private HllEstimator() {
    }

    /** The estimate for a value, or -1 when a sparse body is corrupt. */
    public static long count(HllValue v) {
        int[] histogram = new int[64];
        if (v.encoding() == Hll.DENSE) {
            HllDense.histogram(v.data, Hll.HEADER, histogram);
        } else if (!HllSparse.histogram(v.data, v.length, histogram)) {
            return -1;
        }
        return estimate(histogram);
    }

    /** The estimate for plain byte registers (one register per byte), as after merging several values. */
    public static long countRegisters(byte[] registers) {
        int[] histogram = new int[64];
        for (int i = 0; i < Hll.REGISTERS; i++) {
            histogram[registers[i] & 0xFF]++;
        }
        return estimate(histogram);
    }

    public static long estimate(int[] histogram) {
        double m = Hll.REGISTERS;
        double z = m * tau((m - histogram[Hll.Q + 1]) / m);
        for (int j = Hll.Q; j >= 1; --j) {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    static double sigma(double x) {
        if (x == 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        double previous;
        double y = 1;
        double z = x;
        do {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        } while (previous != z);
        return z;
    }

    static double tau(double x) {
        if (x == 0.0 || x == 1.0) {
            return 0.0;
        }
        double previous;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            previous = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (previous != z);
        return z / 3;
    }
}
