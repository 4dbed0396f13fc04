package dev.magpie.server.persistence;

import java.nio.charset.StandardCharsets;

/**
 * Walks the elements of the packed blobs RDB files carry: listpacks (Redis 7), ziplists (the
 * encodings before 7.0, which Redis 7 still loads) and zipmaps (before 2.6). After {@link #next()}
 * the current element is {@code array[offset, offset+length)}; integers are spelled out in
 * decimal, as Redis reads them back into strings.
 */
final class PackedReader {
    enum Kind { LISTPACK, ZIPLIST, ZIPMAP }

    private final Kind kind;
    private final byte[] blob;
    private final long blobOffset;
    private int at;
    private boolean zipmapValueNext;
    byte[] array;
    int offset;
    int length;
    boolean isInteger;
    long integer;

    PackedReader(Kind kind, byte[] blob, long blobOffset) throws RdbException {
        this.kind = kind;
        this.blob = blob;
        this.blobOffset = blobOffset;
        switch (kind) {
            case LISTPACK -> {
                check(blob.length >= 7 && le(0, 4) == blob.length, "listpack header does not match its size");
                at = 6;
            }
            case ZIPLIST -> {
                check(blob.length >= 11 && le(0, 4) == blob.length, "ziplist header does not match its size");
                at = 10;
            }
            case ZIPMAP -> {
                check(blob.length >= 2, "zipmap too short");
                at = 1;
            }
        }
    }

    private void check(boolean condition, String what) throws RdbException {
        if (!condition) {
            throw new RdbException(what, blobOffset);
        }
    }

    private long le(int from, int bytes) throws RdbException {
        check(from + bytes <= blob.length, kind.name().toLowerCase() + " entry overruns the blob");
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value |= (blob[from + i] & 0xFFL) << (8 * i);
        }
        return value;
    }

    private long signed(long value, int bits) {
        return (value << (64 - bits)) >> (64 - bits);
    }

    /** Moves to the next element; false at the end. */
    boolean next() throws RdbException {
        check(at < blob.length, kind.name().toLowerCase() + " has no terminator");
        return switch (kind) {
            case LISTPACK -> nextListpack();
            case ZIPLIST -> nextZiplist();
            case ZIPMAP -> nextZipmap();
        };
    }

    private void integer(long value) {
        isInteger = true;
        integer = value;
        array = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
        offset = 0;
        length = array.length;
    }

    private void string(int from, int len) throws RdbException {
        check(len >= 0 && from + len <= blob.length, "string overruns the blob");
        isInteger = false;
        array = blob;
        offset = from;
        length = len;
    }

    private boolean nextListpack() throws RdbException {
        int start = at;
        int b = blob[at] & 0xFF;
        if (b == 0xFF) {
            return false;
        }
        int end;
        if ((b & 0x80) == 0) {
            integer(b);
            end = at + 1;
        } else if ((b & 0xC0) == 0x80) {
            int len = b & 0x3F;
            string(at + 1, len);
            end = at + 1 + len;
        } else if ((b & 0xE0) == 0xC0) {
            integer(signed(((b & 0x1F) << 8) | (le(at + 1, 1)), 13));
            end = at + 2;
        } else if ((b & 0xF0) == 0xE0) {
            int len = ((b & 0x0F) << 8) | (int) le(at + 1, 1);
            string(at + 2, len);
            end = at + 2 + len;
        } else if (b == 0xF0) {
            int len = (int) le(at + 1, 4);
            string(at + 5, len);
            end = at + 5 + len;
        } else if (b == 0xF1) {
            integer(signed(le(at + 1, 2), 16));
            end = at + 3;
        } else if (b == 0xF2) {
            integer(signed(le(at + 1, 3), 24));
            end = at + 4;
        } else if (b == 0xF3) {
            integer(signed(le(at + 1, 4), 32));
            end = at + 5;
        } else if (b == 0xF4) {
            integer(le(at + 1, 8));
            end = at + 9;
        } else {
            throw new RdbException("invalid listpack entry encoding " + b, blobOffset);
        }
        int l = end - start;
        int back = l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
        at = end + back;
        check(at < blob.length, "listpack entry overruns the blob");
        return true;
    }

    private boolean nextZiplist() throws RdbException {
        int b = blob[at] & 0xFF;
        if (b == 0xFF) {
            return false;
        }
        at += b == 254 ? 5 : 1;
        check(at < blob.length, "ziplist entry overruns the blob");
        int e = blob[at] & 0xFF;
        switch (e >>> 6) {
            case 0 -> {
                string(at + 1, e & 0x3F);
                at += 1 + (e & 0x3F);
            }
            case 1 -> {
                int len = ((e & 0x3F) << 8) | (int) le(at + 1, 1);
                string(at + 2, len);
                at += 2 + len;
            }
            case 2 -> {
                int len = (int) ((le(at + 1, 1) << 24) | (le(at + 2, 1) << 16) | (le(at + 3, 1) << 8) | le(at + 4, 1));
                string(at + 5, len);
                at += 5 + len;
            }
            default -> {
                switch (e) {
                    case 0xC0 -> { integer(signed(le(at + 1, 2), 16)); at += 3; }
                    case 0xD0 -> { integer(signed(le(at + 1, 4), 32)); at += 5; }
                    case 0xE0 -> { integer(le(at + 1, 8)); at += 9; }
                    case 0xF0 -> { integer(signed(le(at + 1, 3), 24)); at += 4; }
                    case 0xFE -> { integer(signed(le(at + 1, 1), 8)); at += 2; }
                    default -> {
                        check(e >= 0xF1 && e <= 0xFD, "invalid ziplist entry encoding " + e);
                        integer((e & 0x0F) - 1);
                        at += 1;
                    }
                }
            }
        }
        check(at < blob.length, "ziplist entry overruns the blob");
        return true;
    }

    private boolean nextZipmap() throws RdbException {
        int b = blob[at] & 0xFF;
        if (b == 0xFF) {
            return false;
        }
        int len;
        if (b < 254) {
            len = b;
            at += 1;
        } else {
            check(b == 254, "invalid zipmap length");
            len = (int) le(at + 1, 4);
            at += 5;
        }
        int free = 0;
        if (zipmapValueNext) {
            free = (int) le(at, 1);
            at += 1;
        }
        string(at, len);
        at += len + free;
        zipmapValueNext = !zipmapValueNext;
        check(at < blob.length, "zipmap entry overruns the blob");
        return true;
    }

    /** Reads an intset blob (RDB type 11): its members in order. */
    static long[] intset(byte[] blob, long blobOffset) throws RdbException {
        if (blob.length < 8) {
            throw new RdbException("intset too short", blobOffset);
        }
        int width = (int) leOf(blob, 0, 4);
        long count = leOf(blob, 4, 4);
        if ((width != 2 && width != 4 && width != 8) || 8 + count * width != blob.length) {
            throw new RdbException("intset header does not match its size", blobOffset);
        }
        long[] values = new long[(int) count];
        for (int i = 0; i < count; i++) {
            long raw = leOf(blob, 8 + i * width, width);
            values[i] = (raw << (64 - 8 * width)) >> (64 - 8 * width);
        }
        return values;
    }

    private static long leOf(byte[] blob, int from, int bytes) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value |= (blob[from + i] & 0xFFL) << (8 * i);
        }
        return value;
    }
}
