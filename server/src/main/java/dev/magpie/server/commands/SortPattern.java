package dev.magpie.server.commands;

import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.types.HashValue;
import dev.magpie.server.types.HashView;
import dev.magpie.server.types.StringValues;

/**
 * SORT's BY and GET patterns, resolved as Redis's lookupKeyByPattern does: {@code #} is the
 * element itself; otherwise the first {@code *} is replaced by the element to name a key, whose
 * string value is the result, or with {@code key->field} the field of the hash at that key.
 * Patterns are read as C strings, so they end at a NUL byte where Redis's would.
 */
final class SortPattern {
    private final byte[] pattern;
    /** The pattern up to its first NUL byte, as C's string functions see it. */
    private final int cLength;
    private final HashView view = new HashView();

    SortPattern(byte[] pattern) {
        this.pattern = pattern;
        int nul = 0;
        while (nul < pattern.length && pattern[nul] != 0) {
            nul++;
        }
        this.cLength = nul;
    }

    /** True when the pattern names no key per element (no {@code *}): BY then means "do not sort". */
    boolean constant() {
        return indexOf((byte) '*', 0) < 0;
    }

    private int indexOf(byte wanted, int from) {
        for (int i = from; i < cLength; i++) {
            if (pattern[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** The value the pattern gives for {@code element}, or null when there is none. */
    byte[] lookup(Database db, byte[] element, boolean touch) {
        if (cLength == 1 && pattern[0] == '#') {
            return element;
        }
        int star = indexOf((byte) '*', 0);
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < cLength; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        boolean hasField = arrow >= 0 && arrow + 2 < cLength;
        int fieldLength = hasField ? pattern.length - arrow - 2 : 0;
        int postfixLength = pattern.length - (star + 1) - (hasField ? fieldLength + 2 : 0);
        byte[] key = new byte[star + element.length + postfixLength];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, postfixLength);
        long entry = db.lookupRead(key, 0, key.length, touch);
        if (entry == 0) {
            return null;
        }
        if (!hasField) {
            return Entry.type(entry) == Entry.TYPE_STRING ? StringValues.bytes(entry) : null;
        }
        if (Entry.type(entry) != Entry.TYPE_HASH) {
            return null;
        }
        HashValue hash = (HashValue) db.value(entry);
        int position = hash.find(pattern, arrow + 2, fieldLength);
        if (position < 0) {
            return null;
        }
        hash.load(position, view);
        return view.value();
    }
}
