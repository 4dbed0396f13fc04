package dev.magpie.server.types;

import dev.magpie.protocol.RespNumbers;
import dev.magpie.protocol.RespWriter;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.Keyspace;
import dev.magpie.server.keyspace.Lfu;
import dev.magpie.server.keyspace.OffHeap;

import java.nio.charset.StandardCharsets;

/**
 * String values in entries, encoded as Redis encodes them: integers that print back exactly
 * are stored as 8-byte longs ("int"), short strings are "embstr", longer ones "raw".
 */
public final class StringValues {
    /** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
    public static final int EMBSTR_LIMIT = 44;

    private StringValues() {
    }

    /** Stores a string under a key, replacing any value of any type; the TTL is cleared unless kept. */
    public static long store(Database db, byte[] key, int keyOffset, int keyLength,
                             byte[] value, int offset, int length, boolean keepTtl) {
        long existing = db.lookupWrite(key, keyOffset, keyLength);
        return storeOver(db, existing, key, keyOffset, keyLength, value, offset, length, keepTtl);
    }

    /**
     * Stores a string under a key, clearing its TTL, for a command that never looks at what the
     * key held (plain SET, MSET): see {@link Database#lookupToReplace}.
     */
    public static long replace(Database db, byte[] key, int keyOffset, int keyLength,
                               byte[] value, int offset, int length) {
        long existing = db.lookupToReplace(key, keyOffset, keyLength);
        if (existing != 0) {
            db.touch(existing);
        }
        return storeOver(db, existing, key, keyOffset, keyLength, value, offset, length, false);
    }

    private static long storeOver(Database db, long existing, byte[] key, int keyOffset, int keyLength,
                                  byte[] value, int offset, int length, boolean keepTtl) {
        long number = length <= 20 ? RespNumbers.parseLong(value, offset, length) : RespNumbers.INVALID;
        boolean isInt = number != RespNumbers.INVALID || RespNumbers.isMinValue(value, offset, length);
        long entry = prepare(db, existing, key, keyOffset, keyLength, isInt ? 8 : length, keepTtl);
        writeValue(entry, value, offset, length, isInt, number);
        return entry;
    }

    private static void writeValue(long entry, byte[] value, int offset, int length, boolean isInt, long number) {
        if (isInt) {
            Entry.type(entry, Entry.TYPE_STRING, Entry.ENCODING_INT);
            OffHeap.putLong(Entry.valueAddress(entry), number);
        } else {
            Entry.type(entry, Entry.TYPE_STRING, length <= EMBSTR_LIMIT ? Entry.ENCODING_EMBSTR : Entry.ENCODING_RAW);
            OffHeap.copyFromArray(value, offset, Entry.valueAddress(entry), length);
        }
    }

    /**
     * A string entry for {@code key} in no index yet, its value encoded as {@link #store} would
     * (see {@link Keyspace#detached}): loaders build these off the engine thread.
     */
    public static long detached(byte[] key, byte[] value, long expireAt) {
        int length = value.length;
        long number = length <= 20 ? RespNumbers.parseLong(value, 0, length) : RespNumbers.INVALID;
        boolean isInt = number != RespNumbers.INVALID || RespNumbers.isMinValue(value, 0, length);
        long entry = Keyspace.detached(key, 0, key.length, isInt ? 8 : length, expireAt);
        writeValue(entry, value, 0, length, isInt, number);
        return entry;
    }

    /** Stores an integer value (INCR and friends). */
    public static long storeLong(Database db, byte[] key, int keyOffset, int keyLength, long value, long existing) {
        long entry = prepare(db, existing, key, keyOffset, keyLength, 8, true);
        Entry.type(entry, Entry.TYPE_STRING, Entry.ENCODING_INT);
        OffHeap.putLong(Entry.valueAddress(entry), value);
        return entry;
    }

    /**
     * Makes room for a value of {@code length} bytes under the key, reusing the existing entry
     * (0 if none) and releasing whatever the old value owned.
     */
    public static long prepare(Database db, long existing, byte[] key, int keyOffset, int keyLength,
                               int length, boolean keepTtl) {
        Keyspace keyspace = db.keyspace();
        if (existing == 0) {
            long entry = keyspace.add(key, keyOffset, keyLength, length);
            initAccess(db, entry);
            return entry;
        }
        if (Entry.type(existing) != Entry.TYPE_STRING) {
            long ttl = Entry.expireAt(existing);
            db.delete(existing);
            long entry = keyspace.add(key, keyOffset, keyLength, length);
            initAccess(db, entry);
            return keepTtl && ttl >= 0 ? keyspace.expireAt(entry, ttl) : entry;
        }
        long entry = keyspace.resizeValue(existing, length);
        if (!keepTtl && Entry.hasExpire(entry)) {
            entry = keyspace.expireAt(entry, -1);
        }
        return entry;
    }

    private static void initAccess(Database db, long entry) {
        db.initAccess(entry);
    }

    /**
     * Stores text with the encoding Redis gives a freshly built string object (embstr up to 44
     * bytes, raw beyond, never int even when it reads as a number): INCRBYFLOAT's result.
     */
    public static long storeText(Database db, long existing, byte[] key, int keyOffset, int keyLength,
                                 byte[] value, boolean keepTtl) {
        long entry = prepare(db, existing, key, keyOffset, keyLength, value.length, keepTtl);
        Entry.type(entry, Entry.TYPE_STRING, value.length <= EMBSTR_LIMIT ? Entry.ENCODING_EMBSTR : Entry.ENCODING_RAW);
        OffHeap.copyFromArray(value, 0, Entry.valueAddress(entry), value.length);
        return entry;
    }

    /**
     * Creates a raw string of {@code length} zero bytes with {@code data} copied in at {@code at}
     * (SETRANGE on a missing key).
     */
    public static long createZeroPadded(Database db, byte[] key, int keyOffset, int keyLength, int length,
                                        int at, byte[] data, int offset, int dataLength) {
        long entry = prepare(db, 0, key, keyOffset, keyLength, length, false);
        Entry.type(entry, Entry.TYPE_STRING, Entry.ENCODING_RAW);
        long value = Entry.valueAddress(entry);
        OffHeap.setMemory(value, at, (byte) 0);
        OffHeap.copyFromArray(data, offset, value + at, dataLength);
        return entry;
    }

    /**
     * Appends bytes to a string entry, which becomes raw as in Redis (an int is spelled out
     * first). Returns the entry's new address.
     */
    public static long append(Keyspace keyspace, long entry, byte[] data, int offset, int length) {
        return overwrite(keyspace, entry, length(entry), data, offset, length);
    }

    /**
     * Writes bytes over a string entry at {@code at}, zero-padding any gap past its end; the
     * entry becomes raw (SETRANGE, APPEND). Returns the entry's new address.
     */
    public static long overwrite(Keyspace keyspace, long entry, int at, byte[] data, int offset, int length) {
        int oldLength = length(entry);
        int newLength = Math.max(oldLength, at + length);
        long resized;
        if (Entry.encoding(entry) == Entry.ENCODING_INT) {
            byte[] digits = bytes(entry);
            resized = keyspace.resizeValue(entry, newLength);
            OffHeap.copyFromArray(digits, 0, Entry.valueAddress(resized), digits.length);
        } else {
            resized = keyspace.resizeValueKeeping(entry, newLength);
        }
        long value = Entry.valueAddress(resized);
        if (at > oldLength) {
            OffHeap.setMemory(value + oldLength, at - oldLength, (byte) 0);
        }
        OffHeap.copyFromArray(data, offset, value + at, length);
        Entry.encoding(resized, Entry.ENCODING_RAW);
        return resized;
    }

    /** Writes {@code length} bytes of the value from {@code start} as a bulk string reply. */
    public static void replyRange(RespWriter out, long entry, int start, int length) {
        if (Entry.encoding(entry) == Entry.ENCODING_INT) {
            out.bulk(bytes(entry), start, length);
        } else {
            out.bulkFromAddress(Entry.valueAddress(entry) + start, length);
        }
    }

    /** True when the value is the integer Long.MIN_VALUE, which {@link #asLong} cannot tell from invalid. */
    public static boolean isMinValue(long entry) {
        if (Entry.encoding(entry) == Entry.ENCODING_INT) {
            return Entry.intValue(entry) == Long.MIN_VALUE;
        }
        byte[] value = bytes(entry);
        return RespNumbers.isMinValue(value, 0, value.length);
    }

    /** Writes the value as a bulk string reply. */
    public static void reply(RespWriter out, long entry) {
        if (Entry.encoding(entry) == Entry.ENCODING_INT) {
            out.bulkLong(Entry.intValue(entry));
        } else {
            out.bulkFromAddress(Entry.valueAddress(entry), Entry.valueLength(entry));
        }
    }

    /** The value's length in bytes as a string. */
    public static int length(long entry) {
        if (Entry.encoding(entry) == Entry.ENCODING_INT) {
            return RespNumbers.decimalLength(Entry.intValue(entry));
        }
        return Entry.valueLength(entry);
    }

    /** A copy of the value's bytes. */
    public static byte[] bytes(long entry) {
        if (Entry.encoding(entry) == Entry.ENCODING_INT) {
            return Long.toString(Entry.intValue(entry)).getBytes(StandardCharsets.US_ASCII);
        }
        byte[] value = new byte[Entry.valueLength(entry)];
        OffHeap.copyToArray(Entry.valueAddress(entry), value, 0, value.length);
        return value;
    }

    /** The value as a long, for INCR; {@link RespNumbers#INVALID} when it is not an integer. */
    public static long asLong(long entry) {
        if (Entry.encoding(entry) == Entry.ENCODING_INT) {
            return Entry.intValue(entry);
        }
        int length = Entry.valueLength(entry);
        if (length > 20) {
            return RespNumbers.INVALID;
        }
        byte[] value = bytes(entry);
        return RespNumbers.parseLong(value, 0, value.length);
    }
}
