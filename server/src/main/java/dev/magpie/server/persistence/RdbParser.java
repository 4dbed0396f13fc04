package dev.magpie.server.persistence;

import java.nio.charset.StandardCharsets;

/**
 * Parses a whole RDB stream (versions 1 to 10), handing each key to a {@link Receiver} with its
 * database, expire time and access data. Verifies the trailing CRC-64 when the file carries
 * one. Errors name the offset and, once a key has been read, the key and its database.
 */
final class RdbParser {
    /** Where parsed keys go. */
    interface Receiver {
        void key(int db, byte[] key, Object value, long expireAt, long idleSeconds, int frequency) throws RdbException;

        default void aux(String key, String value) {
        }

        /**
         * The RESIZEDB hint that precedes a database's keys: how many keys and how many with an
         * expire time the writer held, so a loader can size its tables once instead of growing them.
         */
        default void resizeHint(int db, long keys, long expires) {
        }
    }

    private RdbParser() {
    }

    static void parse(RdbInput in, Limits limits, int databases, boolean verifyChecksum, long keyDelayMicros,
                      Receiver receiver) throws RdbException {
        byte[] magic = in.readBytes(9);
        String head = new String(magic, StandardCharsets.US_ASCII);
        if (!head.startsWith("REDIS")) {
            throw new RdbException("wrong signature trying to load DB from file", 0);
        }
        int version;
        try {
            version = Integer.parseInt(head.substring(5));
        } catch (NumberFormatException e) {
            throw new RdbException("wrong signature trying to load DB from file", 0);
        }
        if (version < 1 || version > Rdb.VERSION) {
            throw new RdbException("can't handle RDB format version " + version, 5);
        }
        int db = 0;
        long expireAt = -1;
        long idle = -1;
        int frequency = -1;
        while (true) {
            long at = in.offset();
            int type = in.readByte();
            switch (type) {
                case Rdb.OPCODE_EXPIRETIME_MS -> expireAt = in.readLittleEndian(8);
                case Rdb.OPCODE_EXPIRETIME -> expireAt = in.readLittleEndian(4) * 1000;
                case Rdb.OPCODE_FREQ -> frequency = in.readByte();
                case Rdb.OPCODE_IDLE -> idle = in.readLength();
                case Rdb.OPCODE_SELECTDB -> {
                    long index = in.readLength();
                    if (index < 0 || index >= databases) {
                        throw new RdbException("the file uses database " + index + " but only " + databases
                                + " are configured (databases)", at);
                    }
                    db = (int) index;
                }
                case Rdb.OPCODE_RESIZEDB -> {
                    long keys = in.readLength();
                    long expires = in.readLength();
                    receiver.resizeHint(db, keys, expires);
                }
                case Rdb.OPCODE_AUX -> {
                    String key = new String(in.readString(), StandardCharsets.UTF_8);
                    String value = new String(in.readString(), StandardCharsets.UTF_8);
                    receiver.aux(key, value);
                }
                case Rdb.OPCODE_MODULE_AUX -> throw new RdbException("module data is not supported", at);
                case Rdb.OPCODE_FUNCTION, Rdb.OPCODE_FUNCTION2 -> throw new RdbException(
                        "the file holds functions (FUNCTION LOAD), which are not supported", at);
                case Rdb.OPCODE_EOF -> {
                    if (version >= 5) {
                        long expected = in.crc();
                        long stored = in.readLittleEndian(8);
                        if (verifyChecksum && stored != 0 && stored != expected) {
                            throw new RdbException("wrong RDB checksum (expected " + Long.toHexString(expected)
                                    + ", found " + Long.toHexString(stored) + ")", in.offset() - 8);
                        }
                    }
                    return;
                }
                default -> {
                    if (!Rdb.isKnownType(type)) {
                        throw new RdbException("unknown RDB type " + type, at);
                    }
                    byte[] key = in.readString();
                    Object value;
                    try {
                        value = ValueReader.read(in, type, limits);
                    } catch (RdbException e) {
                        throw new RdbException(e.getMessage() + " in key '" + printable(key) + "' of db " + db,
                                e.offset());
                    }
                    if (value != ValueReader.EMPTY) {
                        receiver.key(db, key, value, expireAt, idle, frequency);
                    }
                    if (keyDelayMicros > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(keyDelayMicros * 1000);
                    }
                    expireAt = -1;
                    idle = -1;
                    frequency = -1;
                }
            }
        }
    }

    static String printable(byte[] key) {
        String text = new String(key, 0, Math.min(key.length, 128), StandardCharsets.UTF_8);
        return key.length > 128 ? text + "..." : text;
    }
}
