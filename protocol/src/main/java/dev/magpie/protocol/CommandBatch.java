package dev.magpie.protocol;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * Every complete command decoded from one read of a connection, in order, with their
 * arguments packed into one byte array. A batch is reused: {@link #clear()} keeps its arrays.
 *
 * <p>A multibulk command is kept in that array as the client sent it, its arguments pointing
 * inside the RESP text: one copy per command, and a command whose text is RESP exactly as
 * Redis writes it can be appended to an append-only file as it is ({@link #verbatimStart(int)}).
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
    private int[] commandVerbatimStart = new int[16];
    private int[] commandVerbatimLength = new int[16];
    private int commandCount;
    /** Where the command begun but not yet ended starts in {@link #data}. */
    private int commandDataStart;
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

    /**
     * Where in {@link #data()} the command's RESP text starts, if it is byte for byte what
     * Redis writes for its arguments (a multibulk request with plain CRLF line ends); -1 for an
     * inline command or one sent with other bytes where Redis skips the line ends unread.
     */
    public int verbatimStart(int command) {
        return commandVerbatimStart[command];
    }

    /** The length of that RESP text; meaningful only when {@link #verbatimStart(int)} is not -1. */
    public int verbatimLength(int command) {
        return commandVerbatimLength[command];
    }

    /** Starts a command; its arguments follow with {@link #reserveArg(int)} (inline) or {@link #multibulkArg}. */
    void beginCommand() {
        if (commandCount == commandFirstArg.length) {
            commandFirstArg = Arrays.copyOf(commandFirstArg, commandCount * 2);
            commandArgc = Arrays.copyOf(commandArgc, commandCount * 2);
            commandVerbatimStart = Arrays.copyOf(commandVerbatimStart, commandCount * 2);
            commandVerbatimLength = Arrays.copyOf(commandVerbatimLength, commandCount * 2);
        }
        commandFirstArg[commandCount] = argCount;
        commandArgc[commandCount] = 0;
        commandVerbatimStart[commandCount] = -1;
        commandDataStart = dataLength;
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
        argCount = commandFirstArg[commandCount];
        dataLength = commandDataStart;
    }

    /** Reserves room for one argument of {@code length} bytes and returns its offset in {@link #data()}. */
    int reserveArg(int length) {
        int offset = dataLength;
        ensureData((long) offset + length);
        addArg(offset, length);
        dataLength = offset + length;
        return offset;
    }

    /**
     * Records an argument of the multibulk command begun: {@code length} bytes at
     * {@code offsetInCommand} from the start of its RESP text, which {@link #endMultibulk}
     * copies in once the whole command has arrived.
     */
    void multibulkArg(int offsetInCommand, int length) {
        addArg(commandDataStart + offsetInCommand, length);
    }

    /**
     * Ends the multibulk command begun, copying its RESP text, {@code in[start, start + length)},
     * where its arguments were recorded to be.
     *
     * @param verbatim whether that text is exactly what Redis writes for these arguments
     */
    void endMultibulk(ByteBuf in, int start, int length, boolean verbatim) {
        int offset = commandDataStart;
        ensureData((long) offset + length);
        in.getBytes(start, data, offset, length);
        dataLength = offset + length;
        if (verbatim) {
            commandVerbatimStart[commandCount] = offset;
            commandVerbatimLength[commandCount] = length;
        }
        endCommand();
    }

    private void addArg(int offset, int length) {
        if (argCount == argOffsets.length) {
            argOffsets = Arrays.copyOf(argOffsets, argCount * 2);
            argLengths = Arrays.copyOf(argLengths, argCount * 2);
        }
        argOffsets[argCount] = offset;
        argLengths[argCount] = length;
        argCount++;
    }

    private void ensureData(long needed) {
        if (needed > data.length) {
            long grown = Math.max(needed, Math.min((long) data.length * 2, Integer.MAX_VALUE - 8));
            data = Arrays.copyOf(data, (int) grown);
        }
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
