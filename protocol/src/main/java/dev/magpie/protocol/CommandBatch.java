package dev.magpie.protocol;

import java.util.Arrays;

/**
 * Every complete command decoded from one read of a connection, in order, with their
 * arguments packed into one byte array. A batch is reused: {@link #clear()} keeps its arrays.
 *
 * <p>If the bytes after the last complete command were malformed, {@link #protocolError()}
 * holds Redis's text for it; the commands before it still run, then the connection closes.
 */
public final class CommandBatch {
    private byte[] data = new byte[4096];
    private int dataLength;
    private int[] argOffsets = new int[64];
    private int[] argLengths = new int[64];
    private int argCount;
    private int[] commandFirstArg = new int[16];
    private int[] commandArgc = new int[16];
    private int commandCount;
    private String protocolError;

    public void clear() {
        dataLength = 0;
        argCount = 0;
        commandCount = 0;
        protocolError = null;
    }

    public int commandCount() {
        return commandCount;
    }

    public boolean isEmpty() {
        return commandCount == 0 && protocolError == null;
    }

    public String protocolError() {
        return protocolError;
    }

    void protocolError(String message) {
        protocolError = message;
    }

    public byte[] data() {
        return data;
    }

    public int firstArg(int command) {
        return commandFirstArg[command];
    }

    public int argc(int command) {
        return commandArgc[command];
    }

    public int argOffset(int arg) {
        return argOffsets[arg];
    }

    public int argLength(int arg) {
        return argLengths[arg];
    }

    /** Starts a command; its arguments follow with {@link #reserveArg(int)}. */
    void beginCommand() {
        if (commandCount == commandFirstArg.length) {
            commandFirstArg = Arrays.copyOf(commandFirstArg, commandCount * 2);
            commandArgc = Arrays.copyOf(commandArgc, commandCount * 2);
        }
        commandFirstArg[commandCount] = argCount;
        commandArgc[commandCount] = 0;
    }

    /** Arguments appended to the command begun but not yet ended. */
    int pendingArgs() {
        return argCount - commandFirstArg[commandCount];
    }

    void endCommand() {
        commandArgc[commandCount] = argCount - commandFirstArg[commandCount];
        commandCount++;
    }

    /** Drops the arguments of a command begun but not ended (it was incomplete). */
    void abandonCommand() {
        int first = commandFirstArg[commandCount];
        if (first < argCount) {
            dataLength = argOffsets[first];
        }
        argCount = first;
    }

    /** Reserves room for one argument of {@code length} bytes and returns its offset in {@link #data()}. */
    int reserveArg(int length) {
        if (argCount == argOffsets.length) {
            argOffsets = Arrays.copyOf(argOffsets, argCount * 2);
            argLengths = Arrays.copyOf(argLengths, argCount * 2);
        }
        int offset = dataLength;
        long needed = (long) offset + length;
        if (needed > data.length) {
            long grown = Math.max(needed, Math.min((long) data.length * 2, Integer.MAX_VALUE - 8));
            data = Arrays.copyOf(data, (int) grown);
        }
        argOffsets[argCount] = offset;
        argLengths[argCount] = length;
        argCount++;
        dataLength = (int) needed;
        return offset;
    }

    /** Shrinks the last reserved argument to {@code length} bytes (inline parsing overestimates). */
    void trimLastArg(int length) {
        argLengths[argCount - 1] = length;
        dataLength = argOffsets[argCount - 1] + length;
    }

    /** Lets a long-lived connection give back a batch buffer inflated by one huge request. */
    public void shrinkIfLarger(int bytes) {
        if (data.length > bytes && dataLength == 0) {
            data = new byte[4096];
        }
    }
}
