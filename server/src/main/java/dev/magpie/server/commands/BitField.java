package dev.magpie.server.commands;

import dev.magpie.protocol.RespNumbers;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;

/**
 * BITFIELD and BITFIELD_RO: signed and unsigned integers of 1 to 64 bits (unsigned up to 63)
 * at arbitrary bit offsets, with GET, SET, INCRBY and the WRAP, SAT and FAIL overflow
 * policies. Every subcommand is parsed and checked before any is run, as Redis does, so an
 * error leaves the value untouched.
 */
final class BitField {
    private static final String TYPE_ERROR =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    private static final int GET = 0;
    private static final int SET = 1;
    private static final int INCRBY = 2;
    private static final int WRAP = 0;
    private static final int SAT = 1;
    private static final int FAIL = 2;

    private final Engine engine;
    private final BitStrings strings;
    /** What an overflowing operation stores under WRAP or SAT (set by the overflow checks). */
    private long limit;

    BitField(Engine engine, BitStrings strings) {
        this.engine = engine;
        this.strings = strings;
    }

    void bitfield(Session session, Arguments args) {
        run(session, args, false);
    }

    void bitfieldReadOnly(Session session, Arguments args) {
        run(session, args, true);
    }

    private void run(Session session, Arguments args, boolean readOnlyCommand) {
        int argc = args.count();
        // At most one operation per two arguments: opcode, type, offset and value packed in arrays.
        int capacity = argc / 2 + 1;
        int[] opcodes = new int[capacity];
        int[] overflows = new int[capacity];
        int[] widths = new int[capacity];
        boolean[] signed = new boolean[capacity];
        long[] offsets = new long[capacity];
        long[] values = new long[capacity];
        int operations = 0;
        int overflow = WRAP;
        boolean readOnly = true;
        long highestWrite = 0;
        for (int j = 2; j < argc; j++) {
            int remaining = argc - j - 1;
            int opcode;
            if (args.is(j, "get") && remaining >= 2) {
                opcode = GET;
            } else if (args.is(j, "set") && remaining >= 3) {
                opcode = SET;
            } else if (args.is(j, "incrby") && remaining >= 3) {
                opcode = INCRBY;
            } else if (args.is(j, "overflow") && remaining >= 1) {
                j++;
                if (args.is(j, "wrap")) {
                    overflow = WRAP;
                } else if (args.is(j, "sat")) {
                    overflow = SAT;
                } else if (args.is(j, "fail")) {
                    overflow = FAIL;
                } else {
                    engine.error(session, "ERR Invalid OVERFLOW type specified");
                    return;
                }
                continue;
            } else {
                engine.error(session, Errors.SYNTAX);
                return;
            }
            int type = parseType(args, j + 1);
            if (type == 0) {
                engine.error(session, TYPE_ERROR);
                return;
            }
            int bits = Math.abs(type);
            long offset = strings.offset(session, args, j + 2, bits);
            if (offset < 0) {
                return;
            }
            long value = 0;
            if (opcode != GET) {
                readOnly = false;
                highestWrite = Math.max(highestWrite, offset + bits - 1);
                value = args.parseLong(j + 3);
                if (!args.parsedOk()) {
                    engine.error(session, Errors.NOT_INTEGER);
                    return;
                }
            }
            opcodes[operations] = opcode;
            overflows[operations] = overflow;
            widths[operations] = bits;
            signed[operations] = type < 0;
            offsets[operations] = offset;
            values[operations] = value;
            operations++;
            j += opcode == GET ? 2 : 3;
        }
        long entry;
        if (readOnly) {
            entry = session.database().lookupRead(args.data(), args.offset(1), args.length(1), !session.noTouch());
            if (entry != 0 && Entry.type(entry) != Entry.TYPE_STRING) {
                engine.error(session, Errors.WRONG_TYPE);
                return;
            }
        } else {
            if (readOnlyCommand) {
                engine.error(session, "ERR BITFIELD_RO only supports the GET subcommand");
                return;
            }
            entry = strings.writable(session, args, 1, highestWrite);
            if (entry < 0) {
                return;
            }
        }
        session.out().arrayHeader(operations);
        long address = entry == 0 ? 0 : strings.address(entry);
        long length = entry == 0 ? 0 : BitStrings.length(entry);
        for (int i = 0; i < operations; i++) {
            int bits = widths[i];
            long offset = offsets[i];
            if (opcodes[i] == GET) {
                long value = signed[i] ? Bits.getSigned(address, length, offset, bits)
                        : Bits.getUnsigned(address, length, offset, bits);
                session.out().integer(value);
                continue;
            }
            long old = signed[i] ? Bits.getSigned(address, length, offset, bits)
                    : Bits.getUnsigned(address, length, offset, bits);
            long stored;
            long reply;
            boolean overflowed;
            if (opcodes[i] == INCRBY) {
                overflowed = signed[i] ? signedOverflow(old, values[i], bits, overflows[i]) != 0
                        : unsignedOverflow(old, values[i], bits, overflows[i]) != 0;
                stored = overflowed ? limit : old + values[i];
                reply = stored;
            } else {
                stored = values[i];
                overflowed = signed[i] ? signedOverflow(stored, 0, bits, overflows[i]) != 0
                        : unsignedOverflow(stored, 0, bits, overflows[i]) != 0;
                if (overflowed) {
                    stored = limit;
                }
                reply = old;
            }
            if (overflowed && overflows[i] == FAIL) {
                session.out().nullBulk();
            } else {
                session.out().integer(reply);
                Bits.setUnsigned(address, offset, bits, stored);
            }
        }
    }

    /** The type's width, negative for signed ({@code i1..i64}), positive for unsigned ({@code u1..u63}), 0 when invalid. */
    private static int parseType(Arguments args, int index) {
        byte[] data = args.data();
        int offset = args.offset(index);
        int length = args.length(index);
        if (length == 0 || (data[offset] != 'i' && data[offset] != 'u')) {
            return 0;
        }
        boolean isSigned = data[offset] == 'i';
        // Redis reads the width as a C string: it stops at a NUL byte.
        int digits = 0;
        while (digits < length - 1 && data[offset + 1 + digits] != 0) {
            digits++;
        }
        long bits = RespNumbers.parseLong(data, offset + 1, digits);
        if (bits == RespNumbers.INVALID || bits < 1 || (isSigned && bits > 64) || (!isSigned && bits > 63)) {
            return 0;
        }
        return isSigned ? -(int) bits : (int) bits;
    }

    /**
     * Redis's overflow test for an unsigned field: 1 above the range, -1 below, 0 when the sum
     * fits; on overflow {@link #limit} gets the value WRAP or SAT stores.
     */
    private int unsignedOverflow(long value, long increment, int bits, int policy) {
        long max = (1L << bits) - 1;
        long maxIncrement = max - value;
        long minIncrement = -value;
        int result;
        if (Long.compareUnsigned(value, max) > 0 || (increment > 0 && increment > maxIncrement)) {
            result = 1;
            limit = policy == WRAP ? (value + increment) & max : max;
        } else if (increment < 0 && increment < minIncrement) {
            result = -1;
            limit = policy == WRAP ? (value + increment) & max : 0;
        } else {
            result = 0;
        }
        return result;
    }

    /** The signed counterpart of {@link #unsignedOverflow}; WRAP keeps the low bits and extends their sign. */
    private int signedOverflow(long value, long increment, int bits, int policy) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncrement = max - value;
        long minIncrement = min - value;
        int result;
        if (value > max || (bits != 64 && increment > maxIncrement)
                || (value >= 0 && increment > 0 && increment > maxIncrement)) {
            result = 1;
            limit = policy == WRAP ? wrapSigned(value + increment, bits) : max;
        } else if (value < min || (bits != 64 && increment < minIncrement)
                || (value < 0 && increment < 0 && increment < minIncrement)) {
            result = -1;
            limit = policy == WRAP ? wrapSigned(value + increment, bits) : min;
        } else {
            result = 0;
        }
        return result;
    }

    private static long wrapSigned(long sum, int bits) {
        if (bits == 64) {
            return sum;
        }
        long mask = -1L << bits;
        return (sum & (1L << (bits - 1))) != 0 ? sum | mask : sum & ~mask;
    }
}
