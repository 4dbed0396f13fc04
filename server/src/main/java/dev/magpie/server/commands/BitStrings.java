package dev.magpie.server.commands;

import dev.magpie.protocol.RespNumbers;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.Keyspace;
import dev.magpie.server.keyspace.OffHeap;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.StringValues;

/**
 * How the bitmap commands see string values: reads go straight to the entry's bytes (an
 * integer-encoded value is spelled out into a small scratch area first), writes turn the value
 * into a raw string long enough for the highest bit touched, zero-padded, as Redis does.
 */
final class BitStrings {
    static final String OFFSET_ERROR = "ERR bit offset is not an integer or out of range";
    /** A long spelled out in decimal takes at most 20 bytes. */
    private static final int DIGITS = 24;

    private final Engine engine;
    private final long scratch = OffHeap.allocate(DIGITS);

    BitStrings(Engine engine) {
        this.engine = engine;
    }

    /** Address of the value's bytes; an int-encoded value is spelled out into the scratch area (valid until the next call). */
    long address(long entry) {
        if (Entry.encoding(entry) != Entry.ENCODING_INT) {
            return Entry.valueAddress(entry);
        }
        byte[] digits = StringValues.bytes(entry);
        OffHeap.copyFromArray(digits, 0, scratch, digits.length);
        return scratch;
    }

    static long length(long entry) {
        return StringValues.length(entry);
    }

    /**
     * Parses a bit offset as Redis does (with BITFIELD's {@code #N} form meaning N times the type
     * width when {@code bits > 0}); -1 after replying with the error. Offsets reach up to
     * proto-max-bulk-len bytes.
     */
    long offset(Session session, Arguments args, int index, int bits) {
        byte[] data = args.data();
        int offset = args.offset(index);
        int length = args.length(index);
        boolean hash = bits > 0 && length > 0 && data[offset] == '#';
        if (hash) {
            offset++;
            length--;
        }
        long value = RespNumbers.parseLong(data, offset, length);
        if (value == RespNumbers.INVALID) {
            engine.error(session, OFFSET_ERROR);
            return -1;
        }
        if (hash) {
            value *= bits;
        }
        if (value < 0 || (value >> 3) >= engine.maxBulkLength()) {
            engine.error(session, OFFSET_ERROR);
            return -1;
        }
        return value;
    }

    /**
     * The key's entry made ready for writing bits up to {@code maxBit}: created as zero bytes when
     * absent, otherwise turned raw and zero-extended. -1 after a WRONGTYPE error.
     */
    long writable(Session session, Arguments args, int keyIndex, long maxBit) {
        Database db = session.database();
        byte[] key = args.data();
        int keyOffset = args.offset(keyIndex);
        int keyLength = args.length(keyIndex);
        long entry = db.lookupWrite(key, keyOffset, keyLength);
        if (entry != 0 && Entry.type(entry) != Entry.TYPE_STRING) {
            engine.error(session, Errors.WRONG_TYPE);
            return -1;
        }
        long needed = (maxBit >>> 3) + 1;
        if (needed > Integer.MAX_VALUE - 64) {
            engine.error(session, Errors.STRING_TOO_LONG);
            return -1;
        }
        if (entry == 0) {
            entry = StringValues.prepare(db, 0, key, keyOffset, keyLength, (int) needed, false);
            Entry.type(entry, Entry.TYPE_STRING, Entry.ENCODING_RAW);
            OffHeap.setMemory(Entry.valueAddress(entry), needed, (byte) 0);
            return entry;
        }
        return rawAtLeast(db.keyspace(), entry, (int) needed);
    }

    /** Makes a string entry raw and at least {@code length} bytes long (zero-padded); returns its new address. */
    static long rawAtLeast(Keyspace keyspace, long entry, int length) {
        long resized;
        int oldLength;
        if (Entry.encoding(entry) == Entry.ENCODING_INT) {
            byte[] digits = StringValues.bytes(entry);
            oldLength = digits.length;
            resized = keyspace.resizeValue(entry, Math.max(length, oldLength));
            OffHeap.copyFromArray(digits, 0, Entry.valueAddress(resized), digits.length);
        } else {
            oldLength = Entry.valueLength(entry);
            resized = length > oldLength ? keyspace.resizeValueKeeping(entry, length) : entry;
        }
        if (length > oldLength) {
            OffHeap.setMemory(Entry.valueAddress(resized) + oldLength, length - oldLength, (byte) 0);
        }
        Entry.encoding(resized, Entry.ENCODING_RAW);
        return resized;
    }
}
