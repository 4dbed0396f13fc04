package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.Values;
import dev.magpie.server.types.ZSetValue;

import java.math.BigDecimal;
import java.math.RoundingMode;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;

/**
 * The geo commands (Redis's geo.c): points are sorted-set members whose score is their 52-bit
 * geohash. GEOADD is ZADD with encoded scores; searches scan the nine cells Redis picks and
 * filter by exact distance; GEOSEARCH/GEORADIUS replies and stores live in {@link GeoSearch}.
 */
public final class GeoCommands extends CommandFamily {
    private static final String ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";
    private final ScoreFormat.Parsed parsed = new ScoreFormat.Parsed();
    private final GeoSearch search = new GeoSearch(this);

    public GeoCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(geo("geoadd", -5, "Adds points (longitude, latitude, name) to a geospatial index held in a "
                + "sorted set, or moves existing ones.", "O(log(N)) for each item added, where N is the number of "
                + "elements in the sorted set.")
                .since("3.2.0").flags(WRITE, DENYOOM).keys(1, 1, 1).keySpec(KeySpec.range("RW update", 1, 0, 1, 0))
                .acl("write geo slow").implementation(this::geoadd));
        table.register(geo("geodist", -4, "Answers the distance between two points of an index, in meters or a "
                + "given unit.", "O(1)")
                .since("3.2.0").flags(READONLY).keys(1, 1, 1).keySpec(KeySpec.range("RO access", 1, 0, 1, 0))
                .acl("read geo slow").implementation(this::geodist));
        table.register(geo("geohash", -2, "Answers the standard 11-character geohash strings of points.",
                "O(1) for each member requested.")
                .since("3.2.0").flags(READONLY).keys(1, 1, 1).keySpec(KeySpec.range("RO access", 1, 0, 1, 0))
                .acl("read geo slow").implementation(this::geohash));
        table.register(geo("geopos", -2, "Answers the longitude and latitude of points.",
                "O(1) for each member requested.")
                .since("3.2.0").flags(READONLY).keys(1, 1, 1).keySpec(KeySpec.range("RO access", 1, 0, 1, 0))
                .acl("read geo slow").implementation(this::geopos));
        search.register(table);
    }

    static CommandSpec geo(String name, int arity, String summary, String complexity) {
        return command(name).arity(arity).group("geo").summary(summary).complexity(complexity);
    }

    Object lookup(Session session, Arguments args, int i, boolean write) {
        return Values.lookup(engine, session, session.database(), args.data(), args.offset(i), args.length(i),
                Entry.TYPE_ZSET, write);
    }

    /** A double argument as Redis's getDoubleFromObjectOrReply reads it; NaN after replying {@code message}. */
    double number(Session session, Arguments args, int i, String message) {
        double value = ScoreFormat.parseStrict(args.data(), args.offset(i), args.length(i), parsed);
        if (Double.isNaN(value)) {
            error(session, message);
        }
        return value;
    }

    /** Longitude and latitude at {@code i}, {@code i+1}; null after the error. */
    double[] longLat(Session session, Arguments args, int i) {
        double longitude = number(session, args, i, Errors.NOT_FLOAT);
        if (Double.isNaN(longitude)) {
            return null;
        }
        double latitude = number(session, args, i + 1, Errors.NOT_FLOAT);
        if (Double.isNaN(latitude)) {
            return null;
        }
        if (longitude < GeoHash.LONG_MIN || longitude > GeoHash.LONG_MAX || latitude < GeoHash.LAT_MIN
                || latitude > GeoHash.LAT_MAX) {
            error(session, "ERR invalid longitude,latitude pair " + fixed(longitude, 6) + "," + fixed(latitude, 6));
            return null;
        }
        return new double[] {longitude, latitude};
    }

    /** C's {@code "%.Nf"} from the exact binary value. */
    static String fixed(double value, int decimals) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        String text = new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        if (value < 0 || (value == 0 && Double.doubleToRawLongBits(value) < 0)) {
            if (!text.startsWith("-")) {
                text = "-" + text;
            }
        }
        return text;
    }

    /** Meters per unit, or -1 after the error. */
    double unit(Session session, Arguments args, int i) {
        if (args.is(i, "m")) {
            return 1;
        }
        if (args.is(i, "km")) {
            return 1000;
        }
        if (args.is(i, "ft")) {
            return 0.3048;
        }
        if (args.is(i, "mi")) {
            return 1609.34;
        }
        error(session, "ERR unsupported unit provided. please use M, KM, FT, MI");
        return -1;
    }

    static void distanceReply(RespWriter out, double meters) {
        out.bulk(fixed(meters, 4));
    }

    // ---- GEOADD -----------------------------------------------------------------------------

    private void geoadd(Session session, Arguments args) {
        boolean xx = false;
        boolean nx = false;
        boolean ch = false;
        int longIndex = 2;
        while (longIndex < args.count()) {
            if (args.is(longIndex, "nx")) {
                nx = true;
            } else if (args.is(longIndex, "xx")) {
                xx = true;
            } else if (args.is(longIndex, "ch")) {
                ch = true;
            } else {
                break;
            }
            longIndex++;
        }
        int rest = args.count() - longIndex;
        if (rest % 3 != 0 || (xx && nx) || rest == 0) {
            syntaxError(session);
            return;
        }
        int elements = rest / 3;
        double[] scores = new double[elements];
        for (int e = 0; e < elements; e++) {
            double[] xy = longLat(session, args, longIndex + e * 3);
            if (xy == null) {
                return;
            }
            long bits = GeoHash.encodeWgs84(xy[0], xy[1], GeoHash.STEP_MAX);
            scores[e] = GeoHash.align52(bits, GeoHash.STEP_MAX);
        }
        Object found = lookup(session, args, 1, true);
        if (found == Values.WRONG_TYPE) {
            return;
        }
        Database db = session.database();
        byte[] data = args.data();
        ZSetValue set = (ZSetValue) found;
        long maxEntries = engine.settings().integer("zset-max-listpack-entries");
        long maxValue = engine.settings().integer("zset-max-listpack-value");
        if (set == null) {
            if (xx) {
                session.out().integer(0);
                return;
            }
            set = ZSetValue.forFirstMember(args.length(longIndex + 2), maxEntries, maxValue);
            Values.create(db, data, args.offset(1), args.length(1), set);
        }
        long added = 0;
        long updated = 0;
        for (int e = 0; e < elements; e++) {
            int m = longIndex + e * 3 + 2;
            double current = set.score(data, args.offset(m), args.length(m));
            if (!Double.isNaN(current)) {
                if (!nx && scores[e] != current) {
                    set.setScore(data, args.offset(m), args.length(m), scores[e]);
                    updated++;
                }
            } else if (!xx) {
                set.add(data, args.offset(m), args.length(m), scores[e], maxEntries, maxValue);
                added++;
            }
        }
        Values.written(db, data, args.offset(1), args.length(1), set);
        if (added + updated > 0) {
            engine.blocking().signalReady(db, data, args.offset(1), args.length(1));
        }
        session.out().integer(ch ? added + updated : added);
    }

    // ---- GEODIST, GEOHASH, GEOPOS -----------------------------------------------------------

    private void geodist(Session session, Arguments args) {
        double toMeter = 1;
        if (args.count() == 5) {
            toMeter = unit(session, args, 4);
            if (toMeter < 0) {
                return;
            }
        } else if (args.count() > 5) {
            syntaxError(session);
            return;
        }
        Object found = lookup(session, args, 1, false);
        if (found == Values.WRONG_TYPE) {
            return;
        }
        if (found == null) {
            session.out().nullBulk();
            return;
        }
        ZSetValue set = (ZSetValue) found;
        double first = set.score(args.data(), args.offset(2), args.length(2));
        double second = set.score(args.data(), args.offset(3), args.length(3));
        if (Double.isNaN(first) || Double.isNaN(second)) {
            session.out().nullBulk();
            return;
        }
        double[] a = GeoHash.decodeScore(first);
        double[] b = GeoHash.decodeScore(second);
        distanceReply(session.out(), GeoHash.distance(a[0], a[1], b[0], b[1]) / toMeter);
    }

    private void geohash(Session session, Arguments args) {
        Object found = lookup(session, args, 1, false);
        if (found == Values.WRONG_TYPE) {
            return;
        }
        ZSetValue set = (ZSetValue) found;
        RespWriter out = session.out();
        out.arrayHeader(args.count() - 2);
        for (int i = 2; i < args.count(); i++) {
            double score = set == null ? Double.NaN : set.score(args.data(), args.offset(i), args.length(i));
            if (Double.isNaN(score)) {
                out.nullBulk();
                continue;
            }
            double[] xy = GeoHash.decodeScore(score);
            long bits = GeoHash.encode(-180, 180, -90, 90, xy[0], xy[1], GeoHash.STEP_MAX);
            if (bits < 0) {
                bits = 0;
            }
            byte[] text = new byte[11];
            for (int c = 0; c < 11; c++) {
                int index = c == 10 ? 0 : (int) ((bits >>> (52 - (c + 1) * 5)) & 0x1f);
                text[c] = (byte) ALPHABET.charAt(index);
            }
            out.bulk(text);
        }
    }

    private void geopos(Session session, Arguments args) {
        Object found = lookup(session, args, 1, false);
        if (found == Values.WRONG_TYPE) {
            return;
        }
        ZSetValue set = (ZSetValue) found;
        RespWriter out = session.out();
        out.arrayHeader(args.count() - 2);
        for (int i = 2; i < args.count(); i++) {
            double score = set == null ? Double.NaN : set.score(args.data(), args.offset(i), args.length(i));
            if (Double.isNaN(score)) {
                out.nullArray();
                continue;
            }
            double[] xy = GeoHash.decodeScore(score);
            out.arrayHeader(2);
            out.doubleValue(ScoreFormat.human(xy[0]));
            out.doubleValue(ScoreFormat.human(xy[1]));
        }
    }
}
