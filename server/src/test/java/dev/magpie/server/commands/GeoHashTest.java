package dev.magpie.server.commands;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Geohash scores, decoding, neighbours and distances, against values redis-server 7.0 gives. */
class GeoHashTest {
    @Test
    void encodesScoresAsRedis() {
        // GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania; ZSCORE in Redis 7.0.
        assertEquals(3479099956230698L, GeoHash.align52(GeoHash.encodeWgs84(13.361389, 38.115556, 26), 26));
        assertEquals(3479447370796909L, GeoHash.align52(GeoHash.encodeWgs84(15.087269, 37.502669, 26), 26));
        assertEquals(-1, GeoHash.encodeWgs84(0, 85.06, 26));
        assertEquals(-1, GeoHash.encodeWgs84(180.1, 0, 26));
    }

    @Test
    void decodesToTheCellCentre() {
        double[] xy = GeoHash.decodeScore(3479099956230698.0);
        assertEquals("13.36138933897018433", ScoreFormat.human(xy[0]));
        assertEquals("38.11555639549629859", ScoreFormat.human(xy[1]));
    }

    @Test
    void neighboursWrapAndStepBack() {
        long hash = GeoHash.encodeWgs84(0, 0, 4);
        long east = GeoHash.moveX(hash, 4, 1);
        assertEquals(hash, GeoHash.moveX(east, 4, -1));
        long north = GeoHash.moveY(hash, 4, 1);
        assertEquals(hash, GeoHash.moveY(north, 4, -1));
        long corner = GeoHash.encodeWgs84(179.99, 0, 4);
        double[] wrapped = GeoHash.decodeArea(GeoHash.moveX(corner, 4, 1), 4);
        assertEquals(-180.0, wrapped[0]);
    }

    @Test
    void distancesMatchRedisToFourDecimals() {
        double[] a = GeoHash.decodeScore(3479099956230698.0);
        double[] b = GeoHash.decodeScore(3479447370796909.0);
        assertEquals("166274.1516", GeoCommands.fixed(GeoHash.distance(a[0], a[1], b[0], b[1]), 4));
        assertEquals("166.2742", GeoCommands.fixed(GeoHash.distance(a[0], a[1], b[0], b[1]) / 1000, 4));
        assertEquals(0.0, GeoHash.distance(1, 2, 1, 2));
    }

    @Test
    void stepEstimateWidensTowardsThePoles() {
        assertEquals(26, GeoHash.estimateSteps(0, 0));
        assertTrue(GeoHash.estimateSteps(1000, 70) < GeoHash.estimateSteps(1000, 10));
        assertEquals(1, GeoHash.estimateSteps(1e9, 0));
    }

    @Test
    void searchCellsAreNineWithUselessOnesZeroed() {
        GeoHash.GeoShape shape = new GeoHash.GeoShape();
        shape.circle = true;
        shape.longitude = 15;
        shape.latitude = 37;
        shape.radius = 200;
        shape.conversion = 1000;
        long[][] cells = GeoHash.searchCells(shape);
        assertEquals(9, cells.length);
        assertTrue(cells[0][1] > 0);
        assertArrayEquals(new long[] {GeoHash.encodeWgs84(15, 37, (int) cells[0][1]), cells[0][1]}, cells[0]);
    }
}
