package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.OffHeap;
import dev.magpie.server.session.Session;
import dev.magpie.server.types.StringValues;

/**
 * BITOP: combines source strings (missing keys and bytes past a source's end count as zero)
 * into a raw string as long as the longest source, or deletes the destination when every
 * source is empty. The result is built in a native scratch area first because the destination
 * may be one of the sources.
 */
final class BitOp {
    private static final int AND = 0;
    private static final int OR = 1;
    private static final int XOR = 2;
    private static final int NOT = 3;

    private final Engine engine;

    BitOp(Engine engine) {
        this.engine = engine;
    }

    void bitop(Session session, Arguments args) {
        int op;
        if (args.is(1, "and")) {
            op = AND;
        } else if (args.is(1, "or")) {
            op = OR;
        } else if (args.is(1, "xor")) {
            op = XOR;
        } else if (args.is(1, "not")) {
            op = NOT;
        } else {
            engine.error(session, Errors.SYNTAX);
            return;
        }
        if (op == NOT && args.count() != 4) {
            engine.error(session, "ERR BITOP NOT must be called with a single source key.");
            return;
        }
        Database db = session.database();
        int sources = args.count() - 3;
        long[] addresses = new long[sources];
        long[] lengths = new long[sources];
        long[] owned = new long[sources];
        long maxLength = 0;
        long result = 0;
        try {
            for (int i = 0; i < sources; i++) {
                long entry = db.lookupRead(args.data(), args.offset(i + 3), args.length(i + 3), !session.noTouch());
                if (entry == 0) {
                    continue;
                }
                if (Entry.type(entry) != Entry.TYPE_STRING) {
                    engine.error(session, Errors.WRONG_TYPE);
                    return;
                }
                if (Entry.encoding(entry) == Entry.ENCODING_INT) {
                    byte[] digits = StringValues.bytes(entry);
                    owned[i] = OffHeap.allocate(digits.length);
                    OffHeap.copyFromArray(digits, 0, owned[i], digits.length);
                    addresses[i] = owned[i];
                    lengths[i] = digits.length;
                } else {
                    addresses[i] = Entry.valueAddress(entry);
                    lengths[i] = Entry.valueLength(entry);
                }
                maxLength = Math.max(maxLength, lengths[i]);
            }
            if (maxLength > 0) {
                result = OffHeap.allocate(maxLength);
                compute(op, addresses, lengths, result, maxLength);
                byte[] key = args.data();
                long existing = db.lookupWrite(key, args.offset(2), args.length(2));
                long entry = StringValues.prepare(db, existing, key, args.offset(2), args.length(2), (int) maxLength, false);
                Entry.type(entry, Entry.TYPE_STRING, Entry.ENCODING_RAW);
                OffHeap.copy(result, Entry.valueAddress(entry), maxLength);
            } else {
                long existing = db.lookupWrite(args.data(), args.offset(2), args.length(2));
                if (existing != 0) {
                    db.delete(existing);
                }
            }
            session.out().integer(maxLength);
        } finally {
            for (int i = 0; i < sources; i++) {
                if (owned[i] != 0) {
                    OffHeap.free(owned[i], lengths[i]);
                }
            }
            if (result != 0) {
                OffHeap.free(result, maxLength);
            }
        }
    }

    /** Word at a time where every source still has eight bytes, byte at a time elsewhere. */
    private static void compute(int op, long[] addresses, long[] lengths, long result, long maxLength) {
        long minLength = Long.MAX_VALUE;
        for (long length : lengths) {
            minLength = Math.min(minLength, length);
        }
        long j = 0;
        for (; j + 8 <= minLength; j += 8) {
            long word = OffHeap.getLong(addresses[0] + j);
            if (op == NOT) {
                word = ~word;
            }
            for (int i = 1; i < addresses.length; i++) {
                long other = OffHeap.getLong(addresses[i] + j);
                word = op == AND ? word & other : op == OR ? word | other : word ^ other;
            }
            OffHeap.putLong(result + j, word);
        }
        for (; j < maxLength; j++) {
            int output = byteAt(addresses[0], lengths[0], j);
            if (op == NOT) {
                output = ~output;
            }
            for (int i = 1; i < addresses.length; i++) {
                int other = byteAt(addresses[i], lengths[i], j);
                output = op == AND ? output & other : op == OR ? output | other : output ^ other;
            }
            OffHeap.putByte(result + j, (byte) output);
        }
    }

    private static int byteAt(long address, long length, long at) {
        return at < length ? OffHeap.getByte(address + at) & 0xFF : 0;
    }
}
