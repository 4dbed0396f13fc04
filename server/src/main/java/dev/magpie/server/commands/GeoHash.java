package dev.magpie.server.commands;

/**
 * Redis's geohash arithmetic, step for step (geohash.c, geohash_helper.c): 52-bit interleaved
 * scores over longitude [-180, 180] and latitude [-85.05112878, 85.05112878], cell neighbours,
 * the search-area estimate and haversine distances on a sphere of radius 6372797.560856 m. The
 * floating-point operations are done in the same order as the C code so results agree to the bit.
 */
final class GeoHash {
    static final double LONG_MIN = -180;
    static final double LONG_MAX = 180;
    static final double LAT_MIN = -85.05112878;
    static final double LAT_MAX = 85.05112878;
    static final int STEP_MAX = 26;
    static final double EARTH_RADIUS = 6372797.560856;
    static final double MERCATOR_MAX = 20037726.37;
    private static final double D_R = Math.PI / 180.0;

    private GeoHash() {
    }

    static double degRad(double degrees) {
        return degrees * D_R;
    }

    static double radDeg(double radians) {
        return radians / D_R;
    }

    /** Interleaves the low 32 bits of x (even positions) and y (odd positions). */
    static long interleave(long x, long y) {
        return spread(x) | (spread(y) << 1);
    }

    private static long spread(long v) {
        v &= 0xFFFFFFFFL;
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        v = (v | (v << 1)) & 0x5555555555555555L;
        return v;
    }

    private static long squash(long v) {
        v &= 0x5555555555555555L;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        v = (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
        return v;
    }

    /** C's conversion of a non-negative double to uint32_t (truncation). */
    private static long toUint32(double value) {
        return ((long) value) & 0xFFFFFFFFL;
    }

    /**
     * The cell bits of a point at {@code step} (bits per coordinate) within the given ranges, or -1
     * when the point is outside Redis's limits or the ranges.
     */
    static long encode(double longMin, double longMax, double latMin, double latMax, double longitude,
                       double latitude, int step) {
        if (longitude > LONG_MAX || longitude < LONG_MIN || latitude > LAT_MAX || latitude < LAT_MIN) {
            return -1;
        }
        if (latitude < latMin || latitude > latMax || longitude < longMin || longitude > longMax) {
            return -1;
        }
        double latOffset = (latitude - latMin) / (latMax - latMin);
        double longOffset = (longitude - longMin) / (longMax - longMin);
        latOffset *= (double) (1L << step);
        longOffset *= (double) (1L << step);
        return interleave(toUint32(latOffset), toUint32(longOffset));
    }

    static long encodeWgs84(double longitude, double latitude, int step) {
        return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, step);
    }

    /** The 52-bit score of a cell. */
    static long align52(long bits, int step) {
        return bits << (52 - step * 2);
    }

    /** A decoded cell: {longMin, longMax, latMin, latMax}. */
    static double[] decodeArea(long bits, int step) {
        long latBits = squash(bits);
        long longBits = squash(bits >>> 1);
        double latScale = LAT_MAX - LAT_MIN;
        double longScale = LONG_MAX - LONG_MIN;
        double cells = (double) (1L << step);
        return new double[] {
            LONG_MIN + (longBits * 1.0 / cells) * longScale,
            LONG_MIN + ((longBits + 1) * 1.0 / cells) * longScale,
            LAT_MIN + (latBits * 1.0 / cells) * latScale,
            LAT_MIN + ((latBits + 1) * 1.0 / cells) * latScale,
        };
    }

    /** A score's point {longitude, latitude} (the centre of its 52-bit cell, clamped). */
    static double[] decodeScore(double score) {
        long bits = toUint64(score);
        double[] area = decodeArea(bits, STEP_MAX);
        double longitude = (area[0] + area[1]) / 2;
        longitude = Math.min(LONG_MAX, Math.max(LONG_MIN, longitude));
        double latitude = (area[2] + area[3]) / 2;
        latitude = Math.min(LAT_MAX, Math.max(LAT_MIN, latitude));
        return new double[] {longitude, latitude};
    }

    /** C's (uint64_t) cast of a score, for the values a geo set holds. */
    static long toUint64(double value) {
        if (value >= 0x1p63) {
            return (long) (value - 0x1p63) ^ Long.MIN_VALUE;
        }
        return (long) value;
    }

    // ---- neighbours ---------------------------------------------------------------------------

    static long moveX(long bits, int step, int d) {
        if (d == 0) {
            return bits;
        }
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - step * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        return x | y;
    }

    static long moveY(long bits, int step, int d) {
        if (d == 0) {
            return bits;
        }
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= 0x5555555555555555L >>> (64 - step * 2);
        return x | y;
    }

    // ---- distances ----------------------------------------------------------------------------

    static double latDistance(double lat1, double lat2) {
        return EARTH_RADIUS * Math.abs(degRad(lat2) - degRad(lat1));
    }

    static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lon1r = degRad(lon1d);
        double lon2r = degRad(lon2d);
        double v = Math.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            return latDistance(lat1d, lat2d);
        }
        double lat1r = degRad(lat1d);
        double lat2r = degRad(lat2d);
        double u = Math.sin((lat2r - lat1r) / 2);
        double a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS * Math.asin(Math.sqrt(a));
    }

    // ---- the search area ------------------------------------------------------------------------

    static int estimateSteps(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        if (step < 1) {
            step = 1;
        }
        if (step > 26) {
            step = 26;
        }
        return step;
    }

    /**
     * The nine cells to scan for a search shape, in Redis's order (centre, N, S, E, W, NE, NW, SE,
     * SW) as {bits, step} pairs; a useless cell is {0, 0}.
     */
    static long[][] searchCells(GeoShape shape) {
        double longitude = shape.longitude;
        double latitude = shape.latitude;
        double height = shape.conversion * (shape.circle ? shape.radius : shape.height / 2);
        double width = shape.conversion * (shape.circle ? shape.radius : shape.width / 2);
        double latDelta = radDeg(height / EARTH_RADIUS);
        double longDeltaTop = radDeg(width / EARTH_RADIUS / Math.cos(degRad(latitude + latDelta)));
        double longDeltaBottom = radDeg(width / EARTH_RADIUS / Math.cos(degRad(latitude - latDelta)));
        boolean southern = latitude < 0;
        double minLon = southern ? longitude - longDeltaBottom : longitude - longDeltaTop;
        double maxLon = southern ? longitude + longDeltaBottom : longitude + longDeltaTop;
        double minLat = latitude - latDelta;
        double maxLat = latitude + latDelta;

        double radiusMeters = shape.circle ? shape.radius
                : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
        radiusMeters *= shape.conversion;
        int steps = estimateSteps(radiusMeters, latitude);
        long hash = encodeWgs84(longitude, latitude, steps);
        long[] neighbors = neighbors(hash, steps);
        double[] area = decodeArea(hash, steps);
        boolean decrease = decodeArea(neighbors[1], steps)[3] < maxLat
                || decodeArea(neighbors[2], steps)[2] > minLat
                || decodeArea(neighbors[3], steps)[1] < maxLon
                || decodeArea(neighbors[4], steps)[0] > minLon;
        if (steps > 1 && decrease) {
            steps--;
            hash = encodeWgs84(longitude, latitude, steps);
            neighbors = neighbors(hash, steps);
            area = decodeArea(hash, steps);
        }
        boolean[] zero = new boolean[9];
        if (steps >= 2) {
            if (area[2] < minLat) {
                zero[2] = zero[8] = zero[7] = true;
            }
            if (area[3] > maxLat) {
                zero[1] = zero[5] = zero[6] = true;
            }
            if (area[0] < minLon) {
                zero[4] = zero[8] = zero[6] = true;
            }
            if (area[1] > maxLon) {
                zero[3] = zero[7] = zero[5] = true;
            }
        }
        long[][] cells = new long[9][];
        for (int i = 0; i < 9; i++) {
            cells[i] = zero[i] ? new long[] {0, 0} : new long[] {neighbors[i], steps};
        }
        return cells;
    }

    /** {centre, N, S, E, W, NE, NW, SE, SW}. */
    private static long[] neighbors(long hash, int step) {
        return new long[] {
            hash,
            moveY(hash, step, 1),
            moveY(hash, step, -1),
            moveX(hash, step, 1),
            moveX(hash, step, -1),
            moveY(moveX(hash, step, 1), step, 1),
            moveY(moveX(hash, step, -1), step, 1),
            moveY(moveX(hash, step, 1), step, -1),
            moveY(moveX(hash, step, -1), step, -1),
        };
    }

    /** A search shape: a circle (radius) or a box (width, height), in the unit given by {@code conversion}. */
    static final class GeoShape {
        boolean circle;
        double longitude;
        double latitude;
        double radius;
        double width;
        double height;
        double conversion = 1;

        /** The distance to a point when it lies inside the shape, else -1. */
        double distanceIfInside(double lon, double lat) {
            if (circle) {
                double d = distance(longitude, latitude, lon, lat);
                return d > radius * conversion ? -1 : d;
            }
            double latDistance = latDistance(lat, latitude);
            if (latDistance > height * conversion / 2) {
                return -1;
            }
            double lonDistance = distance(lon, lat, longitude, lat);
            if (lonDistance > width * conversion / 2) {
                return -1;
            }
            return distance(longitude, latitude, lon, lat);
        }
    }
}
