package dev.magpie.server.persistence;

import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.Keyspace;

/**
 * DUMP and RESTORE payloads in Redis's serialization: an RDB type byte and value, the RDB
 * version (2 bytes, little-endian) and a CRC-64 of everything before it, so payloads move
 * between Magpie and Redis both ways. Engine thread only.
 */
public final class DumpPayload {
    private final Engine engine;
    private ValueWriter dumpValues;
    private RdbOutput dumpOutput;

    DumpPayload(Engine engine) {
        this.engine = engine;
    }

    /** DUMP's payload for a live entry: type, value, RDB version (2 bytes) and CRC-64 (8 bytes). */
    public byte[] dump(Keyspace keyspace, long entry) {
        if (dumpValues == null) {
            dumpValues = new ValueWriter();
            dumpOutput = new RdbOutput(256, true);
        }
        RdbOutput out = dumpOutput;
        out.reset();
        Object value = Entry.type(entry) == Entry.TYPE_STRING ? null : keyspace.objects().get(Entry.objectHandle(entry));
        out.writeByte(ValueWriter.rdbType(entry, value));
        dumpValues.writeValue(out, entry, value);
        out.writeLittleEndian(Rdb.VERSION, 2);
        long crc = Crc64.of(out.array(), 0, out.size());
        out.writeLittleEndian(crc, 8);
        byte[] payload = out.take();
        if (out.array().length > (1 << 20)) {
            dumpOutput = new RdbOutput(256, true);
        }
        return payload;
    }

    /** True when a payload's footer carries a version this server reads and a matching checksum. */
    public static boolean verifyPayload(byte[] payload, int offset, int length) {
        if (length < 10) {
            return false;
        }
        int footer = offset + length - 10;
        int version = (payload[footer] & 0xFF) | ((payload[footer + 1] & 0xFF) << 8);
        if (version > Rdb.VERSION) {
            return false;
        }
        long stored = 0;
        for (int i = 0; i < 8; i++) {
            stored |= (payload[footer + 2 + i] & 0xFFL) << (8 * i);
        }
        return Crc64.of(payload, offset, length - 8) == stored;
    }

    /** The value a verified payload carries ({@code byte[]} for a string), or null when it is malformed. */
    public Object readPayload(byte[] payload, int offset, int length) {
        byte[] body = java.util.Arrays.copyOfRange(payload, offset, offset + length - 10);
        RdbInput in = new RdbInput(body, body.length);
        try {
            int type = in.readByte();
            if (!Rdb.isKnownType(type)) {
                return null;
            }
            Object value = ValueReader.read(in, type, Limits.of(engine.settings()));
            return value == ValueReader.EMPTY ? null : value;
        } catch (RdbException | RuntimeException e) {
            return null;
        }
    }
}
