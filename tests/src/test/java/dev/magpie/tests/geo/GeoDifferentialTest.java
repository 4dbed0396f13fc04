package dev.magpie.tests.geo;

import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.OracleAndMagpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.Resp;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The geo commands against a real redis-server, byte for byte in RESP2 and RESP3: real cities,
 * the poles' limits, the antimeridian and invalid coordinates, then seeded random points and
 * searches (radius and box, every unit, with and without sorting and COUNT) whose distances,
 * coordinates and hashes must match to the last digit.
 */
class GeoDifferentialTest {
    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie();

    private static final String[][] CITIES = {
        {"-0.1276", "51.5072", "London"}, {"2.3522", "48.8566", "Paris"}, {"13.4050", "52.5200", "Berlin"},
        {"-74.0060", "40.7128", "New York"}, {"139.6917", "35.6895", "Tokyo"}, {"151.2093", "-33.8688", "Sydney"},
        {"-43.1729", "-22.9068", "Rio"}, {"37.6173", "55.7558", "Moscow"}, {"-122.4194", "37.7749", "San Francisco"},
        {"18.4241", "-33.9249", "Cape Town"}, {"-149.9003", "61.2181", "Anchorage"}, {"174.7633", "-36.8485", "Auckland"},
        {"-179.9", "-16.5", "Fiji west"}, {"179.9", "-16.6", "Fiji east"}, {"13.361389", "38.115556", "Palermo"},
        {"15.087269", "37.502669", "Catania"}, {"0", "0", "Null Island"}, {"-180", "85.05112878", "corner nw"},
        {"180", "-85.05112878", "corner se"}, {"-68.3", "-54.8", "Ushuaia"}, {"15.6", "78.2", "Longyearbyen"},
    };

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void citiesAndEdgesMatchRedis(int protocol) {
        String k = "geo" + protocol;
        try (Pair pair = new Pair(protocol)) {
            List<String> add = new ArrayList<>(List.of("GEOADD", k));
            for (String[] city : CITIES) {
                add.addAll(Arrays.asList(city));
            }
            pair.same(add.toArray(String[]::new));
            String[][] cases = {
                {"GEOADD", k, "200", "100", "x"}, {"GEOADD", k, "0", "91", "x"}, {"GEOADD", k, "-180.0001", "0", "x"},
                {"GEOADD", k, "0", "85.05112879", "x"}, {"GEOADD", k, "abc", "0", "x"}, {"GEOADD", k, "xx", "nx", "1", "2", "a"},
                {"GEOADD", k, "gt", "1", "2", "a"}, {"GEOADD", k, "1", "2", "a", "3"}, {"GEOADD", k, "CH", "XX", "2.35", "48.85", "Paris"},
                {"GEOADD", k, "NX", "2.35", "48.85", "Paris", "1", "1", "new"}, {"GEOADD", "geonew" + protocol, "XX", "1", "1", "a"},
                {"GEODIST", k, "London", "Paris"}, {"GEODIST", k, "London", "Sydney", "km"}, {"GEODIST", k, "Fiji west", "Fiji east", "mi"},
                {"GEODIST", k, "Palermo", "Catania", "ft"}, {"GEODIST", k, "London", "nope"}, {"GEODIST", k, "London", "Paris", "parsec"},
                {"GEODIST", k, "London", "Paris", "km", "x"}, {"GEODIST", "nokey", "a", "b"}, {"GEODIST", k, "corner nw", "corner se"},
                {"GEOPOS", k, "London", "nope", "Sydney", "corner nw", "corner se", "Null Island", "Fiji west"}, {"GEOPOS", "nokey", "a"},
                {"GEOHASH", k, "London", "Tokyo", "Rio", "corner nw", "corner se", "Null Island", "nope"}, {"GEOHASH", "nokey", "a"},
                {"GEORADIUS", k, "0", "51", "1000", "km", "WITHDIST", "WITHCOORD", "WITHHASH", "ASC"},
                {"GEORADIUS", k, "179.95", "-16.55", "50", "km", "WITHDIST"}, {"GEORADIUS", k, "-179.95", "-16.55", "50", "km", "DESC"},
                {"GEORADIUS_RO", k, "15", "37", "200", "km", "WITHDIST", "COUNT", "1"},
                {"GEORADIUS_RO", k, "15", "37", "200", "km", "STORE", "x"},
                {"GEORADIUSBYMEMBER", k, "Paris", "1000", "km", "WITHDIST", "ASC"}, {"GEORADIUSBYMEMBER", k, "nope", "10", "km"},
                {"GEORADIUSBYMEMBER_RO", k, "London", "500", "mi", "WITHCOORD"}, {"GEORADIUSBYMEMBER", "nokey", "a", "1", "km"},
                {"GEOSEARCH", k, "FROMMEMBER", "Palermo", "BYRADIUS", "100", "km"},
                {"GEOSEARCH", k, "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "ANY"},
                {"GEOSEARCH", k, "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "WITHDIST"},
                {"GEOSEARCH", k, "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "WITHDIST", "COUNT", "1", "ANY"},
                {"GEOSEARCH", k, "FROMLONLAT", "0", "0", "BYRADIUS", "20000", "km", "WITHDIST", "ASC"},
                {"GEOSEARCH", k, "FROMLONLAT", "0", "0", "BYBOX", "40000", "40000", "km"},
                {"GEOSEARCH", k, "FROMLONLAT", "0", "85", "BYRADIUS", "5000", "km", "WITHDIST", "ASC"},
                {"GEOSEARCH", k, "FROMLONLAT", "0", "-85", "BYBOX", "9000", "3000", "km", "WITHHASH", "DESC"},
                {"GEOSEARCH", k, "FROMLONLAT", "180", "0", "BYRADIUS", "3000", "km", "WITHDIST", "ASC"},
                {"GEOSEARCH", k, "FROMMEMBER", "Fiji west", "BYBOX", "100", "100", "km", "WITHDIST", "ASC"},
                {"GEOSEARCH", k, "FROMLONLAT", "15", "37", "BYRADIUS", "-1", "km"},
                {"GEOSEARCH", k, "FROMLONLAT", "15", "37", "BYRADIUS", "1", "parsec"},
                {"GEOSEARCH", k, "FROMLONLAT", "15", "37", "BYRADIUS", "x", "km"},
                {"GEOSEARCH", k, "FROMLONLAT", "15", "37", "BYBOX", "1", "-1", "km"},
                {"GEOSEARCH", k, "FROMLONLAT", "15", "37", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km"},
                {"GEOSEARCH", k, "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "BYBOX", "1", "1", "km"},
                {"geosearch", k, "BYRADIUS", "1", "km", "WITHDIST"}, {"GEOSEARCH", k, "FROMMEMBER", "Palermo", "ASC", "COUNT", "2"},
                {"GEOSEARCH", k, "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "COUNT", "0"},
                {"GEOSEARCH", k, "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km", "STORE", "x"},
                {"GEOSEARCH", "nokey", "FROMMEMBER", "x", "BYRADIUS", "1", "km"},
                {"GEOSEARCHSTORE", "dst" + protocol, k, "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHDIST"},
                {"GEOSEARCHSTORE", "dst" + protocol, k, "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST"},
                {"ZRANGE", "dst" + protocol, "0", "-1", "WITHSCORES"}, {"OBJECT", "ENCODING", "dst" + protocol},
                {"GEORADIUS", k, "15", "37", "200", "km", "STORE", "dst" + protocol}, {"ZRANGE", "dst" + protocol, "0", "-1", "WITHSCORES"},
                {"GEORADIUS", k, "15", "37", "1", "m", "STOREDIST", "dst" + protocol}, {"EXISTS", "dst" + protocol},
                {"GEOSEARCHSTORE", "dst" + protocol, "nokey", "FROMMEMBER", "x", "BYRADIUS", "1", "km"},
                {"ZSCORE", k, "London"}, {"ZRANGE", k, "0", "4", "WITHSCORES"},
            };
            for (String[] command : cases) {
                pair.same(command);
            }
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void randomPointsAndSearchesMatchRedis(int protocol) {
        Random random = new Random(42 + protocol);
        String k = "rgeo" + protocol;
        String[] units = {"m", "km", "mi", "ft"};
        try (Pair pair = new Pair(protocol)) {
            for (int batch = 0; batch < 20; batch++) {
                List<String> add = new ArrayList<>(List.of("GEOADD", k));
                for (int i = 0; i < 20; i++) {
                    add.add(coordinate(random, 180));
                    add.add(coordinate(random, 85.05));
                    add.add("p" + random.nextInt(500));
                }
                pair.same(add.toArray(String[]::new));
            }
            for (int i = 0; i < 300; i++) {
                String unit = units[random.nextInt(units.length)];
                double meters = Math.pow(10, 2 + random.nextDouble() * 5);
                double inUnit = meters / (unit.equals("m") ? 1 : unit.equals("km") ? 1000 : unit.equals("mi") ? 1609.34 : 0.3048);
                String size = String.format(Locale.ROOT, "%.3f", inUnit);
                List<String> c = new ArrayList<>(List.of("GEOSEARCH", k));
                if (random.nextInt(3) == 0) {
                    c.addAll(List.of("FROMMEMBER", "p" + random.nextInt(500)));
                } else {
                    c.addAll(List.of("FROMLONLAT", coordinate(random, 180), coordinate(random, 85)));
                }
                if (random.nextBoolean()) {
                    c.addAll(List.of("BYRADIUS", size, unit));
                } else {
                    c.addAll(List.of("BYBOX", size, String.format(Locale.ROOT, "%.3f", inUnit * random.nextDouble() * 2), unit));
                }
                c.add(random.nextBoolean() ? "ASC" : "DESC");
                if (random.nextBoolean()) {
                    c.addAll(List.of("COUNT", Integer.toString(1 + random.nextInt(5))));
                }
                c.addAll(List.of("WITHDIST", "WITHCOORD", "WITHHASH"));
                pair.same(c.toArray(String[]::new));
                if (i % 10 == 0) {
                    pair.same("GEODIST", k, "p" + random.nextInt(500), "p" + random.nextInt(500), unit);
                    pair.same("GEOPOS", k, "p" + random.nextInt(500), "p" + random.nextInt(500));
                    pair.same("GEOHASH", k, "p" + random.nextInt(500), "p" + random.nextInt(500));
                }
            }
        }
    }

    private static String coordinate(Random random, double limit) {
        return String.format(Locale.ROOT, "%.6f", (random.nextDouble() * 2 - 1) * limit);
    }

    /** A connection to each server, in the same protocol. */
    private static final class Pair implements AutoCloseable {
        final RawRespClient m = servers.magpie().connect();
        final RawRespClient r = servers.redis().connect();

        Pair(int protocol) {
            if (protocol == 3) {
                m.call("HELLO", "3");
                r.call("HELLO", "3");
            }
        }

        void same(String... command) {
            byte[] expected = r.call(command);
            byte[] actual = m.call(command);
            if (!Arrays.equals(expected, actual)) {
                fail("Magpie and redis-server disagree on " + Resp.describe(command)
                        + "\n  redis-server: " + Resp.escape(expected, 1500) + "\n  magpie:       " + Resp.escape(actual, 1500));
            }
        }

        @Override
        public void close() {
            m.close();
            r.close();
        }
    }
}
