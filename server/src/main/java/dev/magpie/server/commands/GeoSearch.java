package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.Values;
import dev.magpie.server.types.ZSetValue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.MOVABLEKEYS;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;
import static dev.magpie.server.commands.GeoCommands.geo;

/**
 * GEOSEARCH, GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER and the _RO forms: Redis's
 * georadiusGeneric, with its option parsing and error order, its nine-cell scan (cells in
 * Redis's order, members of each cell by score), exact distance filters, and sorting.
 */
final class GeoSearch {
    private static final int COORDS = 1;
    private static final int MEMBER = 2;
    private static final int NOSTORE = 4;
    private static final int SEARCH = 8;
    private static final int SEARCHSTORE = 16;

    private final GeoCommands family;

    GeoSearch(GeoCommands family) {
        this.family = family;
    }

    void register(CommandTable table) {
        String cost = "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around "
                + "the shape provided as the filter and M is the number of items inside the shape";
        table.register(geo("georadius", -6, "Answers (or stores) the points within a radius of a longitude and "
                + "latitude.", cost)
                .since("3.2.0").flags(WRITE, DENYOOM, MOVABLEKEYS).keys(1, 1, 1)
                .keySpec(KeySpec.range("RO access", 1, 0, 1, 0))
                .keySpec(KeySpec.keywordRange("OW update", "STORE", 6, 0, 1, 0))
                .keySpec(KeySpec.keywordRange("OW update", "STOREDIST", 6, 0, 1, 0))
                .acl("write geo slow").implementation((s, a) -> search(s, a, 1, COORDS)));
        table.register(geo("georadius_ro", -6, "Answers the points within a radius of a longitude and latitude.", cost)
                .since("3.2.10").flags(READONLY).keys(1, 1, 1).keySpec(KeySpec.range("RO access", 1, 0, 1, 0))
                .acl("read geo slow").implementation((s, a) -> search(s, a, 1, COORDS | NOSTORE)));
        table.register(geo("georadiusbymember", -5, "Answers (or stores) the points within a radius of a member.",
                cost)
                .since("3.2.0").flags(WRITE, DENYOOM, MOVABLEKEYS).keys(1, 1, 1)
                .keySpec(KeySpec.range("RO access", 1, 0, 1, 0))
                .keySpec(KeySpec.keywordRange("OW update", "STORE", 5, 0, 1, 0))
                .keySpec(KeySpec.keywordRange("OW update", "STOREDIST", 5, 0, 1, 0))
                .acl("write geo slow").implementation((s, a) -> search(s, a, 1, MEMBER)));
        table.register(geo("georadiusbymember_ro", -5, "Answers the points within a radius of a member.", cost)
                .since("3.2.10").flags(READONLY).keys(1, 1, 1).keySpec(KeySpec.range("RO access", 1, 0, 1, 0))
                .acl("read geo slow").implementation((s, a) -> search(s, a, 1, MEMBER | NOSTORE)));
        table.register(geo("geosearch", -7, "Answers the points within a circle or a box around a member or a "
                + "longitude and latitude.", cost)
                .since("6.2.0").flags(READONLY).keys(1, 1, 1).keySpec(KeySpec.range("RO access", 1, 0, 1, 0))
                .acl("read geo slow").implementation((s, a) -> search(s, a, 1, SEARCH)));
        table.register(geo("geosearchstore", -8, "Stores under a key the points within a circle or a box around a "
                + "member or a longitude and latitude.", cost)
                .since("6.2.0").flags(WRITE, DENYOOM).keys(1, 2, 1)
                .keySpec(KeySpec.range("OW update", 1, 0, 1, 0)).keySpec(KeySpec.range("RO access", 2, 0, 1, 0))
                .acl("write geo slow").implementation((s, a) -> search(s, a, 2, SEARCH | SEARCHSTORE)));
    }

    /** One point found. */
    private record Point(byte[] member, double score, double longitude, double latitude, double distance) {
    }

    private void search(Session session, Arguments args, int sourceIndex, int flags) {
        Object found = family.lookup(session, args, sourceIndex, false);
        if (found == Values.WRONG_TYPE) {
            return;
        }
        ZSetValue set = (ZSetValue) found;
        GeoHash.GeoShape shape = new GeoHash.GeoShape();
        int base;
        int storeIndex = -1;
        boolean storeDist = false;
        if ((flags & COORDS) != 0) {
            base = 6;
            shape.circle = true;
            double[] xy = family.longLat(session, args, 2);
            if (xy == null || !distance(session, args, base - 2, shape)) {
                return;
            }
            shape.longitude = xy[0];
            shape.latitude = xy[1];
        } else if ((flags & MEMBER) != 0 && set == null) {
            base = 5;
        } else if ((flags & MEMBER) != 0) {
            base = 5;
            shape.circle = true;
            if (!fromMember(session, args, set, 2, shape) || !distance(session, args, base - 2, shape)) {
                return;
            }
        } else {
            base = 2;
            if ((flags & SEARCHSTORE) != 0) {
                base = 3;
                storeIndex = 1;
            }
        }
        boolean withDist = false;
        boolean withHash = false;
        boolean withCoords = false;
        boolean fromMember = false;
        boolean fromLonLat = false;
        boolean byRadius = false;
        boolean byBox = false;
        int sort = 0;
        boolean any = false;
        long count = 0;
        int remaining = args.count() - base;
        for (int i = 0; i < remaining; i++) {
            int at = base + i;
            if (args.is(at, "withdist")) {
                withDist = true;
            } else if (args.is(at, "withhash")) {
                withHash = true;
            } else if (args.is(at, "withcoord")) {
                withCoords = true;
            } else if (args.is(at, "any")) {
                any = true;
            } else if (args.is(at, "asc")) {
                sort = 1;
            } else if (args.is(at, "desc")) {
                sort = -1;
            } else if (args.is(at, "count") && i + 1 < remaining) {
                count = family.integer(session, args, at + 1);
                if (!args.parsedOk()) {
                    return;
                }
                if (count <= 0) {
                    family.fail(session, "ERR COUNT must be > 0");
                    return;
                }
                i++;
            } else if (args.is(at, "store") && i + 1 < remaining && (flags & (NOSTORE | SEARCH)) == 0) {
                storeIndex = at + 1;
                storeDist = false;
                i++;
            } else if (args.is(at, "storedist") && i + 1 < remaining && (flags & (NOSTORE | SEARCH)) == 0) {
                storeIndex = at + 1;
                storeDist = true;
                i++;
            } else if (args.is(at, "storedist") && (flags & SEARCH) != 0 && (flags & SEARCHSTORE) != 0) {
                storeDist = true;
            } else if (args.is(at, "frommember") && i + 1 < remaining && (flags & SEARCH) != 0 && !fromLonLat) {
                if (set != null && !fromMember(session, args, set, at + 1, shape)) {
                    return;
                }
                fromMember = true;
                i++;
            } else if (args.is(at, "fromlonlat") && i + 2 < remaining && (flags & SEARCH) != 0 && !fromMember) {
                double[] xy = family.longLat(session, args, at + 1);
                if (xy == null) {
                    return;
                }
                shape.longitude = xy[0];
                shape.latitude = xy[1];
                fromLonLat = true;
                i += 2;
            } else if (args.is(at, "byradius") && i + 2 < remaining && (flags & SEARCH) != 0 && !byBox) {
                if (!distance(session, args, at + 1, shape)) {
                    return;
                }
                shape.circle = true;
                byRadius = true;
                i += 2;
            } else if (args.is(at, "bybox") && i + 3 < remaining && (flags & SEARCH) != 0 && !byRadius) {
                if (!box(session, args, at + 1, shape)) {
                    return;
                }
                shape.circle = false;
                byBox = true;
                i += 3;
            } else {
                family.syntax(session);
                return;
            }
        }
        if (storeIndex >= 0 && (withDist || withHash || withCoords)) {
            family.fail(session, "ERR " + ((flags & SEARCHSTORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
            return;
        }
        if ((flags & SEARCH) != 0 && !(fromMember || fromLonLat)) {
            family.fail(session, "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + args.string(0));
            return;
        }
        if ((flags & SEARCH) != 0 && !(byRadius || byBox)) {
            family.fail(session, "ERR exactly one of BYRADIUS and BYBOX can be specified for " + args.string(0));
            return;
        }
        if (any && count == 0) {
            family.fail(session, "ERR the ANY argument requires COUNT argument");
            return;
        }
        RespWriter out = session.out();
        if (set == null) {
            if (storeIndex >= 0) {
                Database db = session.database();
                long entry = db.lookupWrite(args.data(), args.offset(storeIndex), args.length(storeIndex));
                if (entry != 0) {
                    db.delete(entry);
                }
                out.integer(0);
            } else {
                out.emptyArray();
            }
            return;
        }
        if (count != 0 && sort == 0 && !any) {
            sort = 1;
        }
        List<Point> points = collect(set, shape, any ? count : 0);
        if (points.isEmpty() && storeIndex < 0) {
            out.emptyArray();
            return;
        }
        if (sort != 0) {
            Comparator<Point> byDistance = Comparator.comparingDouble(Point::distance);
            points.sort(sort > 0 ? byDistance : byDistance.reversed());
        }
        int returned = (int) (count == 0 || points.size() < count ? points.size() : count);
        if (storeIndex < 0) {
            int options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
            out.arrayHeader(returned);
            for (int i = 0; i < returned; i++) {
                Point p = points.get(i);
                if (options > 0) {
                    out.arrayHeader(options + 1L);
                }
                out.bulk(p.member());
                if (withDist) {
                    GeoCommands.distanceReply(out, p.distance() / shape.conversion);
                }
                if (withHash) {
                    out.integer((long) p.score());
                }
                if (withCoords) {
                    out.arrayHeader(2);
                    out.doubleValue(ScoreFormat.human(p.longitude()));
                    out.doubleValue(ScoreFormat.human(p.latitude()));
                }
            }
            return;
        }
        ZSetValue result = ZSetValue.table(returned);
        for (int i = 0; i < returned; i++) {
            Point p = points.get(i);
            double score = storeDist ? p.distance() / shape.conversion : p.score();
            result.add(p.member(), 0, p.member().length, score, Long.MAX_VALUE, Long.MAX_VALUE);
        }
        result.compactIfSmall(family.engine().settings().integer("zset-max-listpack-entries"),
                family.engine().settings().integer("zset-max-listpack-value"));
        Database db = session.database();
        Values.overwrite(db, args.data(), args.offset(storeIndex), args.length(storeIndex), result);
        if (result.size() > 0) {
            family.engine().blocking().signalReady(db, args.data(), args.offset(storeIndex), args.length(storeIndex));
        }
        out.integer(returned);
    }

    private boolean fromMember(Session session, Arguments args, ZSetValue set, int i, GeoHash.GeoShape shape) {
        double score = set.score(args.data(), args.offset(i), args.length(i));
        if (Double.isNaN(score)) {
            family.fail(session, "ERR could not decode requested zset member");
            return false;
        }
        double[] xy = GeoHash.decodeScore(score);
        shape.longitude = xy[0];
        shape.latitude = xy[1];
        return true;
    }

    private boolean distance(Session session, Arguments args, int i, GeoHash.GeoShape shape) {
        double radius = family.number(session, args, i, "ERR need numeric radius");
        if (Double.isNaN(radius)) {
            return false;
        }
        if (radius < 0) {
            family.fail(session, "ERR radius cannot be negative");
            return false;
        }
        double conversion = family.unit(session, args, i + 1);
        if (conversion < 0) {
            return false;
        }
        shape.radius = radius;
        shape.conversion = conversion;
        return true;
    }

    private boolean box(Session session, Arguments args, int i, GeoHash.GeoShape shape) {
        double width = family.number(session, args, i, "ERR need numeric width");
        if (Double.isNaN(width)) {
            return false;
        }
        double height = family.number(session, args, i + 1, "ERR need numeric height");
        if (Double.isNaN(height)) {
            return false;
        }
        if (height < 0 || width < 0) {
            family.fail(session, "ERR height or width cannot be negative");
            return false;
        }
        double conversion = family.unit(session, args, i + 2);
        if (conversion < 0) {
            return false;
        }
        shape.width = width;
        shape.height = height;
        shape.conversion = conversion;
        return true;
    }

    /** Redis's membersOfAllNeighbors: the nine cells in order, duplicates of the previous one skipped. */
    private static List<Point> collect(ZSetValue set, GeoHash.GeoShape shape, long limit) {
        long[][] cells = GeoHash.searchCells(shape);
        List<Point> points = new ArrayList<>();
        int lastProcessed = 0;
        ZSetRanges.ScoreRange range = new ZSetRanges.ScoreRange();
        for (int i = 0; i < cells.length; i++) {
            long bits = cells[i][0];
            int step = (int) cells[i][1];
            if (bits == 0 && step == 0) {
                continue;
            }
            if (lastProcessed != 0 && bits == cells[lastProcessed][0] && step == cells[lastProcessed][1]) {
                continue;
            }
            if (!points.isEmpty() && limit != 0 && points.size() >= limit) {
                break;
            }
            range.min = GeoHash.align52(bits, step);
            range.max = GeoHash.align52(bits + 1, step);
            range.minExclusive = false;
            range.maxExclusive = true;
            inBox(set, range, shape, points, limit);
            lastProcessed = i;
        }
        return points;
    }

    private static void inBox(ZSetValue set, ZSetRanges.ScoreRange range, GeoHash.GeoShape shape, List<Point> points,
                              long limit) {
        long rank = ZSetRanges.first(set, range);
        if (rank < 0) {
            return;
        }
        ZSetValue.Cursor cursor = set.cursor().seek(rank);
        do {
            double score = cursor.score();
            if (!range.lteMax(score)) {
                break;
            }
            double[] xy = GeoHash.decodeScore(score);
            double distance = shape.distanceIfInside(xy[0], xy[1]);
            if (distance >= 0) {
                points.add(new Point(cursor.memberCopy(), score, xy[0], xy[1], distance));
            }
            if (!points.isEmpty() && limit != 0 && points.size() >= limit) {
                break;
            }
        } while (cursor.next());
    }
}
