package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.CollectionValue;
import dev.magpie.server.types.ListValue;
import dev.magpie.server.types.Values;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.MOVABLEKEYS;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;

/**
 * SORT and SORT_RO (Redis's sort.c) over lists, sets and sorted sets: numeric or ALPHA order,
 * weights and results read through BY and GET patterns, LIMIT, ASC/DESC, and STORE into a list.
 * A BY pattern without {@code *} skips sorting and keeps the collection's own order.
 */
public final class SortCommand extends CommandFamily {
    private static final String NOT_DOUBLE = "ERR One or more scores can't be converted into double";

    public SortCommand(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        table.register(sort("sort", "1.0.0").flags(WRITE, DENYOOM, MOVABLEKEYS)
                .acl("write set sortedset list slow dangerous")
                .summary("Sorts the elements of a list, set or sorted set, optionally by weights and with values read "
                        + "from other keys, and answers or stores the result.")
                .keyFinder(argv -> keys(argv, true)).implementation((s, a) -> sort(s, a, false)));
        table.register(sort("sort_ro", "7.0.0").flags(READONLY, MOVABLEKEYS)
                .acl("read set sortedset list slow dangerous")
                .summary("Sorts the elements of a list, set or sorted set like SORT, without the STORE option.")
                .keyFinder(argv -> keys(argv, false)).implementation((s, a) -> sort(s, a, true)));
    }

    private static CommandSpec sort(String name, String since) {
        return command(name).arity(-2).keys(1, 1, 1).keySpec(KeySpec.range("RO access", 1, 0, 1, 0))
                .group("generic").since(since)
                .complexity("O(N+M*log(M)) where N is the number of elements to sort and M the number returned; "
                        + "O(N) when nothing is sorted.");
    }

    /** The key positions COMMAND GETKEYS reports: the sorted key, then the last STORE destination. */
    private static int[] keys(byte[][] argv, boolean withStore) {
        if (argv.length < 2) {
            return null;
        }
        int store = -1;
        for (int i = 2; i < argv.length; i++) {
            String word = new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1);
            if (word.equalsIgnoreCase("limit")) {
                i += 2;
            } else if (word.equalsIgnoreCase("get") || word.equalsIgnoreCase("by")) {
                i += 1;
            } else if (withStore && word.equalsIgnoreCase("store") && i + 1 < argv.length) {
                store = i + 1;
            }
        }
        return store < 0 ? new int[] {1} : new int[] {1, store};
    }

    private void sort(Session session, Arguments args, boolean readOnly) {
        SortRequest request = SortRequest.parse(engine, session, args, readOnly);
        if (request == null) {
            return;
        }
        Database db = session.database();
        boolean touch = !session.noTouch();
        long entry = db.lookupRead(args.data(), args.offset(1), args.length(1), touch);
        Object value = null;
        if (entry != 0) {
            byte type = Entry.type(entry);
            if (type != Entry.TYPE_LIST && type != Entry.TYPE_SET && type != Entry.TYPE_ZSET) {
                error(session, Errors.WRONG_TYPE);
                return;
            }
            value = db.value(entry);
        }
        SortSource source = SortSource.of(value);
        if (request.dontSort && source.isSet() && request.storeKey != null) {
            // A set has no order of its own: stored results are sorted so replicas agree.
            request.dontSort = false;
            request.alpha = true;
            request.by = null;
        }
        source.prepareForSort();
        if (entry != 0) {
            Values.written(db, entry, (CollectionValue) value);
        }
        long length = source.size();
        long start = Math.min(Math.max(request.limitStart, 0), length);
        long count = Math.min(Math.max(request.limitCount, -1), length);
        long end = count < 0 ? length - 1 : start + count - 1;
        if (start >= length) {
            start = length - 1;
            end = length - 2;
        }
        if (end >= length) {
            end = length - 1;
        }
        List<SortElement> elements;
        if (request.dontSort && source.ordered()) {
            // Lists and sorted sets keep their own order: only the requested range is read.
            elements = end >= start ? source.range(start, end - start + 1, request.desc) : new ArrayList<>();
            end -= start;
            start = 0;
        } else {
            elements = source.all();
        }
        if (!request.dontSort && !weigh(db, touch, request, elements)) {
            error(session, NOT_DOUBLE);
            return;
        }
        if (!request.dontSort) {
            elements.sort(comparator(request));
        }
        int gets = request.gets.size();
        long outputs = gets > 0 ? gets * (end - start + 1) : end - start + 1;
        if (request.storeKey == null) {
            session.out().arrayHeader(outputs);
            for (long j = start; j <= end; j++) {
                byte[] element = elements.get((int) j).member;
                if (gets == 0) {
                    session.out().bulk(element);
                }
                for (SortPattern get : request.gets) {
                    byte[] found = get.lookup(db, element, touch);
                    if (found == null) {
                        session.out().nullBulk();
                    } else {
                        session.out().bulk(found);
                    }
                }
            }
            return;
        }
        ListValue stored = new ListValue(engine.settings().integer("list-max-listpack-size"));
        for (long j = start; j <= end; j++) {
            byte[] element = elements.get((int) j).member;
            if (gets == 0) {
                stored.pushTail(element, 0, element.length);
            }
            for (SortPattern get : request.gets) {
                byte[] found = get.lookup(db, element, touch);
                if (found == null) {
                    found = new byte[0];
                }
                stored.pushTail(found, 0, found.length);
            }
        }
        byte[] key = request.storeKey;
        Values.overwrite(db, key, 0, key.length, stored);
        if (outputs > 0) {
            engine.blocking().signalReady(db, key, 0, key.length);
        }
        session.out().integer(outputs);
    }

    /** Loads each element's weight (numeric) or comparison value (ALPHA with BY); false when one is not a number. */
    private static boolean weigh(Database db, boolean touch, SortRequest request, List<SortElement> elements) {
        boolean valid = true;
        for (SortElement element : elements) {
            byte[] weight;
            if (request.by != null) {
                weight = request.by.lookup(db, element.member, touch);
                if (weight == null) {
                    continue;
                }
            } else {
                weight = element.member;
            }
            if (request.alpha) {
                if (request.by != null) {
                    element.compareBy = weight;
                }
            } else {
                element.score = SortScores.parse(weight);
                if (Double.isNaN(element.score)) {
                    valid = false;
                }
            }
        }
        return valid;
    }

    /**
     * Redis's sortCompare: numbers with ties broken by the elements' bytes; ALPHA compares the
     * BY values (a missing one first) or the elements, as C strings, or as whole byte strings
     * when storing. DESC reverses the whole comparison, so ties keep their input order.
     */
    private static Comparator<SortElement> comparator(SortRequest request) {
        boolean binary = request.storeKey != null;
        Comparator<SortElement> ascending;
        if (!request.alpha) {
            ascending = (a, b) -> {
                int cmp = Double.compare(a.score, b.score);
                if (a.score == b.score) {
                    cmp = 0;
                }
                return cmp != 0 ? cmp : SortElement.compareBinary(a.member, b.member);
            };
        } else if (request.by != null) {
            ascending = (a, b) -> {
                if (a.compareBy == null || b.compareBy == null) {
                    return a.compareBy == b.compareBy ? 0 : a.compareBy == null ? -1 : 1;
                }
                return binary ? SortElement.compareBinary(a.compareBy, b.compareBy)
                        : SortElement.compareC(a.compareBy, b.compareBy);
            };
        } else {
            ascending = (a, b) -> binary ? SortElement.compareBinary(a.member, b.member)
                    : SortElement.compareC(a.member, b.member);
        }
        return request.desc ? ascending.reversed() : ascending;
    }
}
