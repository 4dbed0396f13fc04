package dev.magpie.server.keyspace;

/**
 * The layout of one key-value entry in native memory, read and written through static
 * accessors over its address (a flyweight without an object). No Java object exists per key.
 *
 * <pre>
 *  0  long  next entry in the same bucket (0 ends the chain)
 *  8  int   key length
 * 12  int   value length
 * 16  byte  type           17 byte encoding
 * 18  byte  flags          19 byte LFU counter
 * 20  int   LRU clock (seconds)
 * 24  [long expire time in unix ms, int slot in the expiry set]   only with HAS_EXPIRE
 *     key bytes, then value bytes
 * </pre>
 */
public final class Entry {
    public static final byte TYPE_STRING = 0;
    public static final byte TYPE_LIST = 1;
    public static final byte TYPE_SET = 2;
    public static final byte TYPE_ZSET = 3;
    public static final byte TYPE_HASH = 4;
    public static final byte TYPE_STREAM = 6;

    /** Redis's encoding numbers, so OBJECT ENCODING and persistence can share them. */
    public static final byte ENCODING_RAW = 0;
    public static final byte ENCODING_INT = 1;
    public static final byte ENCODING_EMBSTR = 8;

    static final byte FLAG_HAS_EXPIRE = 1;
    /** The snapshot parity bit: an entry is covered by the running snapshot when it equals its keyspace's parity. */
    static final byte FLAG_SNAPSHOT = 2;

    private static final int NEXT = 0;
    private static final int KEY_LENGTH = 8;
    private static final int VALUE_LENGTH = 12;
    private static final int TYPE = 16;
    private static final int ENCODING = 17;
    private static final int FLAGS = 18;
    private static final int LFU = 19;
    private static final int LRU = 20;
    static final int HEADER = 24;
    private static final int EXPIRE_AT = 24;
    private static final int EXPIRE_SLOT = 32;
    static final int EXPIRE_EXTRA = 12;

    private Entry() {
    }

    static long size(boolean hasExpire, int keyLength, int valueLength) {
        return HEADER + (hasExpire ? EXPIRE_EXTRA : 0) + (long) keyLength + valueLength;
    }

    public static long size(long entry) {
        return size(hasExpire(entry), keyLength(entry), valueLength(entry));
    }

    static void init(long entry, int keyLength, int valueLength, boolean hasExpire) {
        OffHeap.putLong(entry + NEXT, 0);
        OffHeap.putInt(entry + KEY_LENGTH, keyLength);
        OffHeap.putInt(entry + VALUE_LENGTH, valueLength);
        OffHeap.putInt(entry + TYPE, hasExpire ? FLAG_HAS_EXPIRE << 16 : 0);
        OffHeap.putInt(entry + LRU, 0);
        if (hasExpire) {
            OffHeap.putLong(entry + EXPIRE_AT, -1);
            OffHeap.putInt(entry + EXPIRE_SLOT, -1);
        }
    }

    static long next(long entry) {
        return OffHeap.getLong(entry + NEXT);
    }

    static void next(long entry, long next) {
        OffHeap.putLong(entry + NEXT, next);
    }

    public static int keyLength(long entry) {
        return OffHeap.getInt(entry + KEY_LENGTH);
    }

    public static int valueLength(long entry) {
        return OffHeap.getInt(entry + VALUE_LENGTH);
    }

    public static long keyAddress(long entry) {
        return entry + (hasExpire(entry) ? HEADER + EXPIRE_EXTRA : HEADER);
    }

    public static long valueAddress(long entry) {
        return keyAddress(entry) + keyLength(entry);
    }

    public static byte type(long entry) {
        return OffHeap.getByte(entry + TYPE);
    }

    public static byte encoding(long entry) {
        return OffHeap.getByte(entry + ENCODING);
    }

    public static void type(long entry, byte type, byte encoding) {
        OffHeap.putByte(entry + TYPE, type);
        OffHeap.putByte(entry + ENCODING, encoding);
    }

    public static void encoding(long entry, byte encoding) {
        OffHeap.putByte(entry + ENCODING, encoding);
    }

    static boolean snapshotBit(long entry) {
        return (OffHeap.getByte(entry + FLAGS) & FLAG_SNAPSHOT) != 0;
    }

    static void snapshotBit(long entry, boolean set) {
        byte flags = OffHeap.getByte(entry + FLAGS);
        OffHeap.putByte(entry + FLAGS, (byte) (set ? flags | FLAG_SNAPSHOT : flags & ~FLAG_SNAPSHOT));
    }

    public static boolean hasExpire(long entry) {
        return (OffHeap.getByte(entry + FLAGS) & FLAG_HAS_EXPIRE) != 0;
    }

    /** The expire time in unix milliseconds, or -1 when the key does not expire. */
    public static long expireAt(long entry) {
        return hasExpire(entry) ? OffHeap.getLong(entry + EXPIRE_AT) : -1;
    }

    static void expireAt(long entry, long when) {
        OffHeap.putLong(entry + EXPIRE_AT, when);
    }

    static int expireSlot(long entry) {
        return OffHeap.getInt(entry + EXPIRE_SLOT);
    }

    static void expireSlot(long entry, int slot) {
        OffHeap.putInt(entry + EXPIRE_SLOT, slot);
    }

    public static int lfu(long entry) {
        return OffHeap.getByte(entry + LFU) & 0xFF;
    }

    public static void lfu(long entry, int counter) {
        OffHeap.putByte(entry + LFU, (byte) counter);
    }

    public static int lru(long entry) {
        return OffHeap.getInt(entry + LRU);
    }

    public static void lru(long entry, int clock) {
        OffHeap.putInt(entry + LRU, clock);
    }

    /** The object-table handle held by an entry whose value is not a string. */
    public static int objectHandle(long entry) {
        return OffHeap.getInt(valueAddress(entry));
    }

    public static void objectHandle(long entry, int handle) {
        OffHeap.putLong(valueAddress(entry), handle);
    }

    /** The integer held by an INT-encoded string. */
    public static long intValue(long entry) {
        return OffHeap.getLong(valueAddress(entry));
    }

    public static boolean keyEquals(long entry, byte[] key, int offset, int length) {
        return keyLength(entry) == length && OffHeap.equals(keyAddress(entry), key, offset, length);
    }

    public static byte[] keyBytes(long entry) {
        byte[] key = new byte[keyLength(entry)];
        OffHeap.copyToArray(keyAddress(entry), key, 0, key.length);
        return key;
    }
}
