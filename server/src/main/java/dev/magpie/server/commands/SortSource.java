package dev.magpie.server.commands;

import dev.magpie.server.types.ListCursor;
import dev.magpie.server.types.ListValue;
import dev.magpie.server.types.SetMember;
import dev.magpie.server.types.SetValue;
import dev.magpie.server.types.ZSetValue;

import java.util.ArrayList;
import java.util.List;

/** The collection SORT reads: a list, a set, a sorted set, or nothing (a missing key sorts as an empty list). */
abstract class SortSource {
    static SortSource of(Object value) {
        if (value instanceof ListValue list) {
            return new Lists(list);
        }
        if (value instanceof SetValue set) {
            return new Sets(set);
        }
        if (value instanceof ZSetValue zset) {
            return new SortedSets(zset);
        }
        return new Empty();
    }

    abstract long size();

    boolean isSet() {
        return false;
    }

    /** True for lists and sorted sets, whose own order SORT keeps when told not to sort. */
    boolean ordered() {
        return true;
    }

    /** Every element, in iteration order. */
    abstract List<SortElement> all();

    /** {@code count} elements from position {@code start}, counted from the end when {@code reverse}. */
    List<SortElement> range(long start, long count, boolean reverse) {
        return new ArrayList<>();
    }

    /** Redis converts a sorted set to its skiplist encoding before sorting it (a visible side effect). */
    void prepareForSort() {
    }

    private static final class Empty extends SortSource {
        @Override
        long size() {
            return 0;
        }

        @Override
        List<SortElement> all() {
            return new ArrayList<>();
        }
    }

    private static final class Lists extends SortSource {
        private final ListValue list;

        Lists(ListValue list) {
            this.list = list;
        }

        @Override
        long size() {
            return list.size();
        }

        @Override
        List<SortElement> all() {
            return range(0, list.size(), false);
        }

        @Override
        List<SortElement> range(long start, long count, boolean reverse) {
            List<SortElement> elements = new ArrayList<>((int) Math.min(count, 1 << 16));
            ListCursor cursor = list.cursor(reverse);
            for (long skipped = 0; skipped < start && cursor.next(); skipped++) {
                // positions before the range
            }
            while (elements.size() < count && cursor.next()) {
                elements.add(new SortElement(cursor.element()));
            }
            return elements;
        }
    }

    private static final class Sets extends SortSource {
        private final SetValue set;

        Sets(SetValue set) {
            this.set = set;
        }

        @Override
        long size() {
            return set.size();
        }

        @Override
        boolean isSet() {
            return true;
        }

        @Override
        boolean ordered() {
            return false;
        }

        @Override
        List<SortElement> all() {
            List<SortElement> elements = new ArrayList<>((int) set.size());
            SetMember member = new SetMember();
            for (int position = set.first(); position >= 0; position = set.next(position)) {
                set.load(position, member);
                elements.add(new SortElement(member.copy()));
            }
            return elements;
        }
    }

    private static final class SortedSets extends SortSource {
        private final ZSetValue zset;

        SortedSets(ZSetValue zset) {
            this.zset = zset;
        }

        @Override
        long size() {
            return zset.size();
        }

        @Override
        void prepareForSort() {
            zset.convertToSkiplist();
        }

        @Override
        List<SortElement> all() {
            return range(0, zset.size(), false);
        }

        @Override
        List<SortElement> range(long start, long count, boolean reverse) {
            List<SortElement> elements = new ArrayList<>((int) Math.min(count, 1 << 16));
            if (count <= 0) {
                return elements;
            }
            ZSetValue.Cursor cursor = zset.cursor().seek(reverse ? zset.size() - 1 - start : start);
            boolean more = true;
            while (more && elements.size() < count) {
                elements.add(new SortElement(cursor.memberCopy()));
                more = reverse ? cursor.prev() : cursor.next();
            }
            return elements;
        }
    }
}
