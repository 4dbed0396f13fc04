package dev.magpie.server.types;

import dev.magpie.protocol.RespWriter;

/**
 * Walks a list's elements from the head or from the tail without copying them. Valid until the
 * list changes. {@link #next()} moves to the next element; the other methods read the current one.
 */
public final class ListCursor {
    private final ListValue list;
    private final boolean reverse;
    private int chunkIndex;
    private ListChunk chunk;
    /** Forward: where the next element starts. Reverse: where the next element ends. */
    private int boundary;
    private int current;

    ListCursor(ListValue list, boolean fromTail) {
        this.list = list;
        this.reverse = fromTail;
        if (list.chunkCount() == 0) {
            chunkIndex = -1;
            return;
        }
        chunkIndex = fromTail ? list.chunkCount() - 1 : 0;
        chunk = list.chunk(chunkIndex);
        boundary = fromTail ? chunk.end : chunk.start;
    }

    /** Places a forward cursor before the first element of node {@code index}. */
    public void moveToNode(int index) {
        chunkIndex = index;
        chunk = list.chunk(index);
        boundary = chunk.start;
    }

    /** Moves to the next element; false when there is none. */
    public boolean next() {
        if (chunk == null) {
            return false;
        }
        if (reverse) {
            while (boundary == chunk.start) {
                if (--chunkIndex < 0) {
                    chunk = null;
                    return false;
                }
                chunk = list.chunk(chunkIndex);
                boundary = chunk.end;
            }
            current = chunk.previous(boundary);
            boundary = current;
        } else {
            while (boundary == chunk.end) {
                if (++chunkIndex >= list.chunkCount()) {
                    chunk = null;
                    return false;
                }
                chunk = list.chunk(chunkIndex);
                boundary = chunk.start;
            }
            current = boundary;
            boundary = chunk.next(current);
        }
        return true;
    }

    /** Whether the current element equals the given bytes. */
    public boolean matches(byte[] data, int offset, int length) {
        return chunk.elementEquals(current, data, offset, length);
    }

    /** Answers the current element as a bulk string. */
    public void reply(RespWriter out) {
        out.bulkFromAddress(chunk.dataAddress(current), chunk.lengthAt(current));
    }

    /** A copy of the current element. */
    public byte[] element() {
        return chunk.element(current);
    }

    /** Where the current element's {@link #length()} bytes are, read in place (persistence); valid until the list changes. */
    public long address() {
        return chunk.dataAddress(current);
    }

    public int length() {
        return chunk.lengthAt(current);
    }
}
