package dev.magpie.server.persistence;

import dev.magpie.server.types.CollectionValue;
import dev.magpie.server.types.HashValue;
import dev.magpie.server.types.ListValue;
import dev.magpie.server.types.SetValue;
import dev.magpie.server.types.ZSetValue;

import java.nio.charset.StandardCharsets;

/**
 * Reads one value of a given RDB type into what Magpie stores: a {@code byte[]} for a string, a
 * {@link CollectionValue} otherwise, built through the types' own insert paths so encodings come
 * out as Redis would give them under the current thresholds. Accepts every encoding Redis 7.0
 * loads except modules and streams, which Magpie does not serve. Runs on any thread: it touches
 * no keyspace.
 */
final class ValueReader {
    /** What {@link #read} returns for an empty collection, which Redis 7.0 skips when loading. */
    static final Object EMPTY = new Object();

    private ValueReader() {
    }

    static Object read(RdbInput in, int type, Limits limits) throws RdbException {
        long start = in.offset();
        switch (type) {
            case Rdb.TYPE_STRING:
                return in.readString();
            case Rdb.TYPE_LIST: {
                long count = in.readLength();
                ListValue list = new ListValue(limits.listFill());
                try {
                    for (long i = 0; i < count; i++) {
                        byte[] element = in.readString();
                        list.pushTail(element, 0, element.length);
                    }
                } catch (RdbException | RuntimeException e) {
                    list.free();
                    throw e;
                }
                return nonEmpty(list, start);
            }
            case Rdb.TYPE_LIST_ZIPLIST:
            case Rdb.TYPE_LIST_QUICKLIST:
            case Rdb.TYPE_LIST_QUICKLIST_2:
                return readQuicklist(in, type, limits, start);
            case Rdb.TYPE_SET: {
                long count = in.readLength();
                SetValue set = null;
                for (long i = 0; i < count; i++) {
                    byte[] member = in.readString();
                    if (set == null) {
                        set = SetValue.forFirstMember(member, 0, member.length);
                    }
                    if (!set.add(member, 0, member.length, limits.intsetEntries())) {
                        throw new RdbException("duplicate set member", in.offset());
                    }
                }
                return nonEmpty(set, start);
            }
            case Rdb.TYPE_SET_INTSET: {
                long[] members = PackedReader.intset(in.readString(), start);
                SetValue set = SetValue.emptyIntset();
                for (long member : members) {
                    byte[] text = Long.toString(member).getBytes(StandardCharsets.US_ASCII);
                    if (!set.add(text, 0, text.length, limits.intsetEntries())) {
                        throw new RdbException("duplicate intset member", start);
                    }
                }
                return nonEmpty(set, start);
            }
            case Rdb.TYPE_ZSET:
            case Rdb.TYPE_ZSET_2: {
                long count = in.readLength();
                ZSetValue zset = ZSetValue.table((int) Math.min(count, 1 << 20));
                for (long i = 0; i < count; i++) {
                    byte[] member = in.readString();
                    double score = type == Rdb.TYPE_ZSET_2 ? in.readBinaryDouble() : in.readTextDouble();
                    addScored(zset, member, 0, member.length, score, limits, in.offset());
                }
                zset.compactIfSmall(limits.zsetEntries(), limits.zsetValue());
                return nonEmpty(zset, start);
            }
            case Rdb.TYPE_ZSET_ZIPLIST:
            case Rdb.TYPE_ZSET_LISTPACK: {
                PackedReader reader = new PackedReader(type == Rdb.TYPE_ZSET_LISTPACK
                        ? PackedReader.Kind.LISTPACK : PackedReader.Kind.ZIPLIST, in.readString(), start);
                ZSetValue zset = null;
                while (reader.next()) {
                    byte[] member = java.util.Arrays.copyOfRange(reader.array, reader.offset, reader.offset + reader.length);
                    if (!reader.next()) {
                        throw new RdbException("sorted set blob has a member without a score", start);
                    }
                    double score = reader.isInteger ? reader.integer : parseScore(reader, start);
                    if (zset == null) {
                        zset = ZSetValue.forFirstMember(member.length, limits.zsetEntries(), Long.MAX_VALUE);
                    }
                    addScored(zset, member, 0, member.length, score, limits, start);
                }
                return nonEmpty(zset, start);
            }
            case Rdb.TYPE_HASH: {
                long count = in.readLength();
                HashValue hash = new HashValue();
                if (count > limits.hashEntries()) {
                    hash.convertToTable();
                }
                for (long i = 0; i < count; i++) {
                    byte[] field = in.readString();
                    byte[] value = in.readString();
                    if (!hash.set(field, 0, field.length, value, 0, value.length, limits.hashEntries(), limits.hashValue())) {
                        throw new RdbException("duplicate hash field", in.offset());
                    }
                }
                return nonEmpty(hash, start);
            }
            case Rdb.TYPE_HASH_ZIPMAP:
            case Rdb.TYPE_HASH_ZIPLIST:
            case Rdb.TYPE_HASH_LISTPACK: {
                PackedReader.Kind kind = type == Rdb.TYPE_HASH_LISTPACK ? PackedReader.Kind.LISTPACK
                        : type == Rdb.TYPE_HASH_ZIPLIST ? PackedReader.Kind.ZIPLIST : PackedReader.Kind.ZIPMAP;
                PackedReader reader = new PackedReader(kind, in.readString(), start);
                HashValue hash = new HashValue();
                while (reader.next()) {
                    byte[] field = java.util.Arrays.copyOfRange(reader.array, reader.offset, reader.offset + reader.length);
                    if (!reader.next()) {
                        throw new RdbException("hash blob has a field without a value", start);
                    }
                    if (!hash.set(field, 0, field.length, reader.array, reader.offset, reader.length,
                            limits.hashEntries(), limits.hashValue())) {
                        throw new RdbException("duplicate hash field", start);
                    }
                }
                return nonEmpty(hash, start);
            }
            case Rdb.TYPE_STREAM_LISTPACKS:
            case Rdb.TYPE_STREAM_LISTPACKS_2:
                throw new RdbException("streams (RDB type " + type + ") are not supported", start);
            case Rdb.TYPE_MODULE:
            case Rdb.TYPE_MODULE_2:
                throw new RdbException("module values (RDB type " + type + ") are not supported", start);
            default:
                throw new RdbException("unknown value type " + type, start);
        }
    }

    private static Object nonEmpty(CollectionValue value, long start) {
        return value == null || value.size() == 0 ? EMPTY : value;
    }

    private static void addScored(ZSetValue zset, byte[] member, int offset, int length, double score, Limits limits,
                                  long at) throws RdbException {
        if (Double.isNaN(score)) {
            throw new RdbException("sorted set with a NaN score", at);
        }
        if (!Double.isNaN(zset.score(member, offset, length))) {
            throw new RdbException("duplicate sorted set member", at);
        }
        zset.add(member, offset, length, score, limits.zsetEntries(), zset.packed() ? Long.MAX_VALUE : limits.zsetValue());
    }

    private static double parseScore(PackedReader reader, long start) throws RdbException {
        String text = new String(reader.array, reader.offset, reader.length, StandardCharsets.US_ASCII);
        switch (text) {
            case "inf", "+inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new RdbException("invalid score '" + text + "'", start);
                }
            }
        }
    }

    private static Object readQuicklist(RdbInput in, int type, Limits limits, long start) throws RdbException {
        ListValue list = new ListValue(limits.listFill());
        try {
            readNodes(in, type, list);
        } catch (RdbException | RuntimeException e) {
            list.free();
            throw e;
        }
        return nonEmpty(list, start);
    }

    private static void readNodes(RdbInput in, int type, ListValue list) throws RdbException {
        long nodes = type == Rdb.TYPE_LIST_ZIPLIST ? 1 : in.readLength();
        for (long n = 0; n < nodes; n++) {
            long nodeStart = in.offset();
            int container = Rdb.QUICKLIST_NODE_PACKED;
            if (type == Rdb.TYPE_LIST_QUICKLIST_2) {
                container = (int) in.readLength();
                if (container != Rdb.QUICKLIST_NODE_PACKED && container != Rdb.QUICKLIST_NODE_PLAIN) {
                    throw new RdbException("unknown quicklist node container " + container, nodeStart);
                }
            }
            byte[] blob = in.readString();
            if (container == Rdb.QUICKLIST_NODE_PLAIN) {
                list.pushTail(blob, 0, blob.length);
                continue;
            }
            PackedReader reader = new PackedReader(type == Rdb.TYPE_LIST_QUICKLIST_2
                    ? PackedReader.Kind.LISTPACK : PackedReader.Kind.ZIPLIST, blob, nodeStart);
            while (reader.next()) {
                list.pushTail(reader.array, reader.offset, reader.length);
            }
        }
    }
}
