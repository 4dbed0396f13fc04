package dev.magpie.server.command;

import dev.magpie.protocol.CommandBatch;
import dev.magpie.protocol.RespNumbers;

import java.nio.charset.StandardCharsets;

/** A flyweight over one command's arguments inside a {@link CommandBatch}; argument 0 is the name. */
public final class Arguments {
    private CommandBatch batch;
    private int first;
    private int count;
    private byte[] data;
    private int verbatimStart;
    private int verbatimLength;
    private boolean parsedOk;

    public Arguments wrap(CommandBatch batch, int command) {
        this.batch = batch;
        this.first = batch.firstArg(command);
        this.count = batch.argc(command);
        this.data = batch.data();
        this.verbatimStart = batch.verbatimStart(command);
        this.verbatimLength = batch.verbatimLength(command);
        return this;
    }

    public int count() {
        return count;
    }

    /**
     * Where in {@link #data()} these arguments' RESP text starts, when the client sent exactly
     * what Redis writes for them (see {@link CommandBatch#verbatimStart(int)}); -1 otherwise.
     */
    public int verbatimStart() {
        return verbatimStart;
    }

    public int verbatimLength() {
        return verbatimLength;
    }

    public byte[] data() {
        return data;
    }

    public int offset(int i) {
        return batch.argOffset(first + i);
    }

    public int length(int i) {
        return batch.argLength(first + i);
    }

    /** The argument as text, one char per byte (ISO-8859-1), so it can be echoed back unchanged. */
    public String string(int i) {
        return new String(data, offset(i), length(i), StandardCharsets.ISO_8859_1);
    }

    public byte[] bytes(int i) {
        int offset = offset(i);
        byte[] copy = new byte[length(i)];
        System.arraycopy(data, offset, copy, 0, copy.length);
        return copy;
    }

    public byte byteAt(int i, int position) {
        return data[offset(i) + position];
    }

    /** Case-insensitive comparison with an ASCII word ("EX", "nx"). */
    public boolean is(int i, String word) {
        int length = length(i);
        if (length != word.length()) {
            return false;
        }
        int offset = offset(i);
        for (int j = 0; j < length; j++) {
            int a = data[offset + j];
            int b = word.charAt(j);
            if (a != b && (!Character.isLetter(b) || (a | 0x20) != (b | 0x20))) {
                return false;
            }
        }
        return true;
    }

    public boolean equalsBytes(int i, int j) {
        int length = length(i);
        if (length != length(j)) {
            return false;
        }
        int a = offset(i);
        int b = offset(j);
        for (int k = 0; k < length; k++) {
            if (data[a + k] != data[b + k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses argument {@code i} as Redis does for integers; check {@link #parsedOk()} afterwards.
     */
    public long parseLong(int i) {
        int offset = offset(i);
        int length = length(i);
        long value = RespNumbers.parseLong(data, offset, length);
        parsedOk = value != RespNumbers.INVALID || RespNumbers.isMinValue(data, offset, length);
        return value;
    }

    public boolean parsedOk() {
        return parsedOk;
    }

    /** The command name as typed, lower-cased (for error texts). */
    public String nameLowerCase() {
        return string(0).toLowerCase(java.util.Locale.ROOT);
    }
}
