package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.command.KeySpec;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.OffHeap;
import dev.magpie.server.session.Session;

import static dev.magpie.server.command.CommandFlag.DENYOOM;
import static dev.magpie.server.command.CommandFlag.FAST;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.WRITE;

/**
 * Bitmap commands (Redis's bitops.c): bits of ordinary string values, read in place and written
 * in place after the value is made raw and long enough. BITOP and BITFIELD live beside it.
 */
public final class BitmapCommands extends CommandFamily {
    private final BitStrings strings;
    private final BitOp bitop;
    private final BitField bitfield;
    private final BitRange range = new BitRange();

    public BitmapCommands(Engine engine) {
        super(engine);
        this.strings = new BitStrings(engine);
        this.bitop = new BitOp(engine);
        this.bitfield = new BitField(engine, strings);
    }

    @Override
    public void register(CommandTable table) {
        table.register(bitmap("setbit", 4, "2.2.0", "RW access update")
                .flags(WRITE, DENYOOM).acl("write bitmap slow")
                .summary("Sets or clears one bit of a string value, growing it with zero bytes when needed, and answers the bit's old value.")
                .complexity("O(1)").implementation(this::setbit));
        table.register(bitmap("getbit", 3, "2.2.0", "RO access").flags(READONLY, FAST).acl("read bitmap fast")
                .summary("Answers one bit of a string value (0 past its end).")
                .complexity("O(1)").implementation(this::getbit));
        table.register(bitmap("bitcount", -2, "2.6.0", "RO access").flags(READONLY).acl("read bitmap slow")
                .summary("Counts the set bits of a string value, optionally within a byte or bit range.")
                .complexity("O(N)").implementation(this::bitcount));
        table.register(bitmap("bitpos", -3, "2.8.7", "RO access").flags(READONLY).acl("read bitmap slow")
                .summary("Finds the first set or clear bit of a string value, optionally within a byte or bit range.")
                .complexity("O(N)").implementation(this::bitpos));
        table.register(command("bitop").arity(-4).flags(WRITE, DENYOOM).keys(2, -1, 1)
                .keySpec(KeySpec.range("OW update", 2, 0, 1, 0)).keySpec(KeySpec.range("RO access", 3, -1, 1, 0))
                .acl("write bitmap slow").group("bitmap").since("2.6.0")
                .summary("Stores the bitwise AND, OR, XOR or NOT of string values in a destination key.")
                .complexity("O(N)").implementation(bitop::bitop));
        table.register(bitmap("bitfield", -2, "3.2.0", "RW access update variable_flags")
                .flags(WRITE, DENYOOM).acl("write bitmap slow")
                .summary("Reads, writes and increments integers of any width up to 64 bits at any bit offset of a string value.")
                .complexity("O(1) per subcommand.").implementation(bitfield::bitfield));
        table.register(bitmap("bitfield_ro", -2, "6.0.0", "RO access").flags(READONLY, FAST).acl("read bitmap fast")
                .summary("Reads integers of any width at any bit offset of a string value (BITFIELD limited to GET).")
                .complexity("O(1) per subcommand.").implementation(bitfield::bitfieldReadOnly));
    }

    private static CommandSpec bitmap(String name, int arity, String since, String keyFlags) {
        return command(name).arity(arity).keys(1, 1, 1).keySpec(KeySpec.range(keyFlags, 1, 0, 1, 0))
                .group("bitmap").since(since);
    }

    private void setbit(Session session, Arguments args) {
        long offset = strings.offset(session, args, 2, 0);
        if (offset < 0) {
            return;
        }
        long on = args.parseLong(3);
        if (!args.parsedOk() || (on & ~1L) != 0) {
            error(session, "ERR bit is not an integer or out of range");
            return;
        }
        long entry = strings.writable(session, args, 1, offset);
        if (entry < 0) {
            return;
        }
        long at = Entry.valueAddress(entry) + (offset >>> 3);
        int shift = 7 - (int) (offset & 7);
        int current = OffHeap.getByte(at) & 0xFF;
        OffHeap.putByte(at, (byte) ((current & ~(1 << shift)) | (int) on << shift));
        session.out().integer((current >>> shift) & 1);
    }

    private void getbit(Session session, Arguments args) {
        long offset = strings.offset(session, args, 2, 0);
        if (offset < 0) {
            return;
        }
        long entry = readable(session, args);
        if (entry <= 0) {
            return;
        }
        session.out().integer(Bits.bitAt(strings.address(entry), BitStrings.length(entry), offset));
    }

    /** The key's string entry; 0 after replying 0 for a missing key, -1 after WRONGTYPE. */
    private long readable(Session session, Arguments args) {
        long entry = session.database().lookupRead(args.data(), args.offset(1), args.length(1), !session.noTouch());
        if (entry == 0) {
            session.out().integer(0);
            return 0;
        }
        if (Entry.type(entry) != Entry.TYPE_STRING) {
            error(session, Errors.WRONG_TYPE);
            return -1;
        }
        return entry;
    }

    private void bitcount(Session session, Arguments args) {
        long entry = readable(session, args);
        if (entry <= 0) {
            return;
        }
        long address = strings.address(entry);
        long length = BitStrings.length(entry);
        long start;
        long end;
        int firstMask = 0;
        int lastMask = 0;
        if (args.count() == 4 || args.count() == 5) {
            start = integerArg(session, args, 2);
            if (!args.parsedOk()) {
                return;
            }
            end = integerArg(session, args, 3);
            if (!args.parsedOk()) {
                return;
            }
            if (start < 0 && end < 0 && start > end) {
                session.out().integer(0);
                return;
            }
            boolean bit = false;
            if (args.count() == 5) {
                bit = args.is(4, "bit");
                if (!bit && !args.is(4, "byte")) {
                    syntaxError(session);
                    return;
                }
            }
            range.resolve(start, end, bit, length);
            start = range.start;
            end = range.end;
            firstMask = range.firstMask;
            lastMask = range.lastMask;
        } else if (args.count() == 2) {
            start = 0;
            end = length - 1;
        } else {
            syntaxError(session);
            return;
        }
        if (start > end) {
            session.out().integer(0);
            return;
        }
        long count = Bits.popcount(address + start, end - start + 1);
        if (firstMask != 0) {
            count -= Integer.bitCount(OffHeap.getByte(address + start) & firstMask);
        }
        if (lastMask != 0) {
            count -= Integer.bitCount(OffHeap.getByte(address + end) & lastMask);
        }
        session.out().integer(count);
    }

    private void bitpos(Session session, Arguments args) {
        long bitArg = args.parseLong(2);
        if (!args.parsedOk()) {
            error(session, Errors.NOT_INTEGER);
            return;
        }
        if (bitArg != 0 && bitArg != 1) {
            error(session, "ERR The bit argument must be 1 or 0.");
            return;
        }
        int bit = (int) bitArg;
        long entry = session.database().lookupRead(args.data(), args.offset(1), args.length(1), !session.noTouch());
        if (entry == 0) {
            session.out().integer(bit == 1 ? -1 : 0);
            return;
        }
        if (Entry.type(entry) != Entry.TYPE_STRING) {
            error(session, Errors.WRONG_TYPE);
            return;
        }
        long address = strings.address(entry);
        long length = BitStrings.length(entry);
        long start;
        long end;
        boolean endGiven = false;
        int firstMask = 0;
        int lastMask = 0;
        int argc = args.count();
        if (argc >= 4 && argc <= 6) {
            start = integerArg(session, args, 3);
            if (!args.parsedOk()) {
                return;
            }
            boolean isBit = false;
            if (argc == 6) {
                isBit = args.is(5, "bit");
                if (!isBit && !args.is(5, "byte")) {
                    syntaxError(session);
                    return;
                }
            }
            if (argc >= 5) {
                end = integerArg(session, args, 4);
                if (!args.parsedOk()) {
                    return;
                }
                endGiven = true;
            } else {
                end = isBit ? (length << 3) + 7 : length - 1;
            }
            range.resolve(start, end, isBit, length);
            start = range.start;
            end = range.end;
            firstMask = range.firstMask;
            lastMask = range.lastMask;
        } else if (argc == 3) {
            start = 0;
            end = length - 1;
        } else {
            syntaxError(session);
            return;
        }
        if (start > end) {
            session.out().integer(-1);
            return;
        }
        session.out().integer(position(address, start, end, bit, endGiven, firstMask, lastMask));
    }

    /**
     * BITPOS over bytes {@code start..end}, the edge bytes masked in BIT mode: Redis looks at the
     * first byte, the whole bytes between and the last byte in turn, and only reports the
     * imaginary zero past the end when no end was given.
     */
    private static long position(long address, long start, long end, int bit, boolean endGiven,
                                 int firstMask, int lastMask) {
        long bytes = end - start + 1;
        long pos;
        found:
        {
            if (firstMask != 0) {
                int first = OffHeap.getByte(address + start) & 0xFF;
                first = bit == 1 ? first & ~firstMask : first | firstMask;
                if (lastMask != 0 && bytes == 1) {
                    first = bit == 1 ? first & ~lastMask : first | lastMask;
                }
                pos = Bits.firstBit(first, bit);
                if (bytes == 1 || (pos != -1 && pos != 8)) {
                    break found;
                }
                start++;
                bytes--;
            }
            long whole = bytes - (lastMask != 0 ? 1 : 0);
            if (whole > 0) {
                pos = Bits.firstBit(address + start, whole, bit);
                if (bytes == whole || (pos != -1 && pos != whole << 3)) {
                    break found;
                }
                start += whole;
                bytes -= whole;
            }
            int last = OffHeap.getByte(address + end) & 0xFF;
            last = bit == 1 ? last & ~lastMask : last | lastMask;
            pos = Bits.firstBit(last, bit);
        }
        if (endGiven && bit == 0 && pos == bytes << 3) {
            return -1;
        }
        return pos == -1 ? -1 : pos + (start << 3);
    }
}
