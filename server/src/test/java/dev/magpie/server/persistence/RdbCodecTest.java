package dev.magpie.server.persistence;

import dev.magpie.server.types.HashValue;
import dev.magpie.server.types.ListValue;
import dev.magpie.server.types.SetValue;
import dev.magpie.server.types.ZSetValue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RdbCodecTest {
    private static final Limits LIMITS = new Limits(-2, 128, 64, 512, 128, 64);

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void crc64MatchesRedisCheckValue() {
        // Redis's crc64.c test vector for "123456789".
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of(ascii("123456789"), 0, 9));
        byte[] data = new byte[1000];
        new Random(1).nextBytes(data);
        long whole = Crc64.of(data, 0, data.length);
        long pieces = Crc64.update(Crc64.update(0, data, 0, 333), data, 333, 667);
        assertEquals(whole, pieces, "slicing must agree with the byte-at-a-time path");
    }

    @Test
    void crc64AgreesWithTheBitwiseDefinitionAtEveryOffsetAndManyLengths() {
        byte[] data = new byte[300];
        new Random(3).nextBytes(data);
        for (int offset = 0; offset < 16; offset++) {
            for (int length = 0; offset + length <= data.length; length += 1 + length / 8) {
                assertEquals(bitwiseCrc64(data, offset, length), Crc64.of(data, offset, length),
                        "offset " + offset + ", length " + length);
            }
        }
    }

    @Test
    void crc64OfALongBufferInTwoJoinedHalvesEqualsTheRunningChecksum() {
        byte[] data = new byte[300_000];
        Random random = new Random(5);
        random.nextBytes(data);
        int[] lengths = {Crc64.TWO_LANES_MIN - 1, Crc64.TWO_LANES_MIN, Crc64.TWO_LANES_MIN + 1, 4111, 4127, 4128,
            65_536, 65_537, 65_551, 131_072, 299_000};
        for (int length : lengths) {
            for (int offset : new int[] {0, 1, 7, 15, 999}) {
                long initial = random.nextLong();
                long expected = initial;
                for (int at = offset; at < offset + length; at += 1000) {
                    // pieces below the two-lane threshold take the one-lane path
                    expected = Crc64.update(expected, data, at, Math.min(1000, offset + length - at));
                }
                assertEquals(expected, Crc64.update(initial, data, offset, length), "offset " + offset + ", length " + length);
            }
        }
        byte[] exact = Arrays.copyOfRange(data, 3, 3 + 20_000);
        assertEquals(bitwiseCrc64(exact, 0, exact.length), Crc64.of(data, 3, 20_000), "against the bit-at-a-time definition");
    }

    @Test
    void crc64MultiplicationIsThePolynomialProductModuloJones() {
        long one = 1L << 63; // reflected: bit 63 is x^0
        long x = 1L << 62;
        long sample = 0x0123456789abcdefL;
        assertEquals(sample, Crc64.multiply(sample, one));
        assertEquals(sample, Crc64.multiply(one, sample));
        // multiplying by x shifts once toward x^63 and folds x^64 back through the polynomial
        long shifted = (sample & 1) != 0 ? (sample >>> 1) ^ Long.reverse(0xad93d23594c935a9L) : sample >>> 1;
        assertEquals(shifted, Crc64.multiply(sample, x));
        assertEquals(Crc64.multiply(sample, 0x5555L), Crc64.multiply(0x5555L, sample), "commutative");
    }

    /** The definition, one bit at a time: what the sliced tables must reproduce. */
    private static long bitwiseCrc64(byte[] data, int offset, int length) {
        long poly = Long.reverse(0xad93d23594c935a9L);
        long crc = 0;
        for (int i = offset; i < offset + length; i++) {
            crc ^= data[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
        }
        return crc;
    }

    @Test
    void lzfRoundTripsAndRejectsBadStreams() {
        Lzf lzf = new Lzf();
        Random random = new Random(7);
        int compressed = 0;
        for (int round = 0; round < 400; round++) {
            // Short and long inputs, somewhere inside a larger array (or ending where it ends),
            // some switching between stretches that compress and stretches that do not.
            int length = round % 4 == 0 ? 5 + random.nextInt(60) : random.nextInt(5000) + 21;
            int offset = random.nextInt(16);
            byte[] array = new byte[offset + length + (round % 3 == 0 ? 0 : random.nextInt(9))];
            int alphabet = 1 + random.nextInt(round % 2 == 0 ? 4 : 256);
            for (int i = 0; i < length; i++) {
                if (round % 5 == 0 && i % 500 == 0) {
                    alphabet = alphabet <= 4 ? 256 : 2;
                }
                array[offset + i] = (byte) ('a' + random.nextInt(alphabet));
            }
            byte[] input = Arrays.copyOfRange(array, offset, offset + length);
            byte[] out = new byte[length];
            int packed = lzf.compress(array, offset, length, out, length - 4);
            if (packed == 0) {
                continue;
            }
            compressed++;
            assertArrayEquals(input, Lzf.decompress(out, 0, packed, length));
            assertNull(Lzf.decompress(out, 0, packed, length + 1), "wrong expected length is an error");
        }
        assertTrue(compressed > 150, "most inputs of a small alphabet compress: " + compressed);
        byte[] repetitive = ascii("abc".repeat(1000));
        byte[] out = new byte[repetitive.length];
        int packed = lzf.compress(repetitive, 0, repetitive.length, out, out.length);
        assertTrue(packed > 0 && packed < 100, "long runs compress well: " + packed);
        byte[] noiseThenRuns = new byte[3200];
        random.nextBytes(noiseThenRuns);
        System.arraycopy(repetitive, 0, noiseThenRuns, 200, 3000);
        packed = lzf.compress(noiseThenRuns, 0, noiseThenRuns.length, out, out.length);
        assertTrue(packed > 0 && packed < 400, "matches after a stretch of noise are still found: " + packed);
        assertArrayEquals(noiseThenRuns, Lzf.decompress(out, 0, packed, noiseThenRuns.length));
        assertNull(Lzf.decompress(new byte[] {(byte) 0xE0, 5}, 0, 2, 10), "a reference before the start is an error");
    }

    private static List<String> elements(PackedReader reader) throws RdbException {
        List<String> out = new ArrayList<>();
        while (reader.next()) {
            out.add(new String(reader.array, reader.offset, reader.length, StandardCharsets.US_ASCII));
        }
        return out;
    }

    @Test
    void snapshotOutputsStopSearchingDataThatDoesNotCompressButStillCompressWhatDoes() throws RdbException {
        Random random = new Random(5);
        List<byte[]> strings = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] noise = new byte[64];
            random.nextBytes(noise);
            strings.add(noise);
        }
        for (int i = 0; i < 100; i++) {
            strings.add(ascii("value-" + i + "-" + "abc".repeat(20)));
        }
        RdbOutput adaptive = new RdbOutput(64, true).adaptiveCompression();
        RdbOutput always = new RdbOutput(64, true);
        int[] adaptiveCompressed = new int[strings.size()];
        for (int i = 0; i < strings.size(); i++) {
            int before = adaptive.size();
            adaptive.writeString(strings.get(i));
            adaptiveCompressed[i] = adaptive.array()[before] == (byte) ((Rdb.ENCVAL << 6) | Rdb.ENC_LZF) ? 1 : 0;
            always.writeString(strings.get(i));
        }
        RdbInput in = new RdbInput(adaptive.array(), adaptive.size());
        for (byte[] string : strings) {
            assertArrayEquals(string, in.readString(), "what was written plainly or compressed reads back");
        }
        // After the noise, the first compressible strings may be skipped while the output samples,
        // but it compresses again within one sampling period, and from then on every one.
        int firstCompressed = 200;
        while (firstCompressed < strings.size() && adaptiveCompressed[firstCompressed] == 0) {
            firstCompressed++;
        }
        assertTrue(firstCompressed < 200 + 32, "compresses again within one sampling period: " + firstCompressed);
        for (int i = firstCompressed; i < strings.size(); i++) {
            assertEquals(1, adaptiveCompressed[i], "string " + i + " compresses once one did");
        }
        assertTrue(firstCompressed > 200, "sampling skipped the first compressible string after the noise");
        // Without adaptiveCompression (DUMP's output) every string is tried, as Redis does.
        assertTrue(always.size() < adaptive.size(), "DUMP's kind of output compressed the strings sampling skipped");
    }

    @Test
    void listpackWriterIsReadBackWithEveryIntegerWidth() throws RdbException {
        ListpackWriter writer = new ListpackWriter();
        writer.begin();
        List<String> values = List.of("0", "127", "128", "-1", "-4096", "4095", "4096", "-32768", "32767", "8388607",
                "-8388608", "2147483647", "-2147483648", "9223372036854775807", "-9223372036854775808", "", "x",
                "a".repeat(63), "b".repeat(64), "c".repeat(4095), "d".repeat(4096), "01", "+1", "1.5");
        for (String value : values) {
            byte[] bytes = ascii(value);
            writer.addString(bytes, 0, bytes.length);
        }
        int length = writer.finish();
        byte[] blob = Arrays.copyOf(writer.array(), length);
        assertEquals(values, elements(new PackedReader(PackedReader.Kind.LISTPACK, blob, 0)));
    }

    @Test
    void readsZiplistIntsetAndZipmapBlobs() throws RdbException {
        // A ziplist as Redis 6 writes one: "ab", 7 (immediate), 300 (int16), -2 (int8 via 0xFE), int24, int32, int64.
        RdbOutput zl = new RdbOutput(64, false);
        zl.writeLittleEndian(0, 4);
        zl.writeLittleEndian(0, 4);
        zl.writeLittleEndian(7, 2);
        int[] entries = {0};
        zl.writeByte(0); zl.writeByte(2); zl.write(ascii("ab"), 0, 2);
        zl.writeByte(4); zl.writeByte(0xF1 + 7);
        zl.writeByte(2); zl.writeByte(0xC0); zl.writeLittleEndian(300, 2);
        zl.writeByte(3); zl.writeByte(0xFE); zl.writeByte(-2);
        zl.writeByte(2); zl.writeByte(0xF0); zl.writeLittleEndian(-100000, 3);
        zl.writeByte(4); zl.writeByte(0xD0); zl.writeLittleEndian(70000, 4);
        zl.writeByte(5); zl.writeByte(0xE0); zl.writeLittleEndian(1L << 40, 8);
        zl.writeByte(0xFF);
        byte[] blob = Arrays.copyOf(zl.array(), zl.size());
        blob[0] = (byte) blob.length;
        assertEquals(List.of("ab", "7", "300", "-2", "-100000", "70000", Long.toString(1L << 40)),
                elements(new PackedReader(PackedReader.Kind.ZIPLIST, blob, 0)));
        assertEquals(0, entries[0]);

        RdbOutput is = new RdbOutput(32, false);
        is.writeLittleEndian(4, 4);
        is.writeLittleEndian(3, 4);
        is.writeLittleEndian(-5, 4);
        is.writeLittleEndian(1, 4);
        is.writeLittleEndian(100000, 4);
        assertArrayEquals(new long[] {-5, 1, 100000}, PackedReader.intset(Arrays.copyOf(is.array(), is.size()), 0));

        // zipmap: 2 pairs, "f" -> "v" (with 1 free byte) and "g" -> "ww".
        byte[] zipmap = {2, 1, 'f', 1, 1, 'v', 0, 1, 'g', 2, 0, 'w', 'w', (byte) 0xFF};
        assertEquals(List.of("f", "v", "g", "ww"), elements(new PackedReader(PackedReader.Kind.ZIPMAP, zipmap, 0)));
    }

    private static Object readValue(int type, RdbOutput payload) throws RdbException {
        return ValueReader.read(new RdbInput(payload.array(), payload.size()), type, LIMITS);
    }

    @Test
    void readsOldEncodingsIntoTheRightTypes() throws RdbException {
        RdbOutput hash = new RdbOutput(64, true);
        byte[] zipmap = {1, 1, 'f', 1, 0, 'v', (byte) 0xFF};
        hash.writeString(zipmap, 0, zipmap.length);
        HashValue h = (HashValue) readValue(Rdb.TYPE_HASH_ZIPMAP, hash);
        assertEquals(1, h.size());

        RdbOutput list = new RdbOutput(64, true);
        list.writeLength(3);
        list.writeString(ascii("a"));
        list.writeString(ascii("12"));
        list.writeString(ascii("c".repeat(100)));
        ListValue l = (ListValue) readValue(Rdb.TYPE_LIST, list);
        assertEquals(3, l.size());
        assertArrayEquals(ascii("c".repeat(100)), l.get(2));

        RdbOutput zset = new RdbOutput(64, true);
        zset.writeLength(2);
        zset.writeString(ascii("m"));
        zset.writeByte(3);
        zset.write(ascii("1.5"), 0, 3);
        zset.writeString(ascii("n"));
        zset.writeByte(254);
        ZSetValue z = (ZSetValue) readValue(Rdb.TYPE_ZSET, zset);
        assertEquals(Double.POSITIVE_INFINITY, z.score(ascii("n"), 0, 1));
        assertEquals(1.5, z.score(ascii("m"), 0, 1));
        assertTrue(z.packed(), "small sorted sets become listpacks on load, as in Redis");

        RdbOutput set = new RdbOutput(64, true);
        set.writeLength(2);
        set.writeString(ascii("1"));
        set.writeString(ascii("2"));
        assertTrue(((SetValue) readValue(Rdb.TYPE_SET, set)).isIntset());

        RdbOutput duplicate = new RdbOutput(64, true);
        duplicate.writeLength(2);
        duplicate.writeString(ascii("x"));
        duplicate.writeString(ascii("x"));
        assertThrows(RdbException.class, () -> readValue(Rdb.TYPE_SET, duplicate));
    }

    private static byte[] file(boolean checksum) {
        RdbOutput out = new RdbOutput(64, true);
        out.write(ascii("REDIS0010"), 0, 9);
        out.writeByte(Rdb.OPCODE_AUX);
        out.writeString("redis-ver");
        out.writeString("7.0.15");
        out.writeByte(Rdb.OPCODE_SELECTDB);
        out.writeLength(0);
        for (int i = 0; i < 50; i++) {
            out.writeByte(Rdb.OPCODE_EXPIRETIME_MS);
            out.writeLittleEndian(4_000_000_000_000L, 8);
            out.writeByte(Rdb.TYPE_STRING);
            out.writeString("key" + i);
            out.writeString("value-" + "x".repeat(i));
        }
        out.writeByte(Rdb.OPCODE_EOF);
        long crc = checksum ? Crc64.of(out.array(), 0, out.size()) : 0;
        out.writeLittleEndian(crc, 8);
        return out.take();
    }

    private static int parse(byte[] bytes) throws RdbException {
        int[] keys = {0};
        RdbParser.parse(new RdbInput(new ByteArrayInputStream(bytes)), LIMITS, 16, true, 0,
                (db, key, value, expireAt, idle, freq) -> {
                    assertEquals(4_000_000_000_000L, expireAt);
                    keys[0]++;
                });
        return keys[0];
    }

    @Test
    void parsesWholeFilesAndReportsWhereOthersBreak() throws RdbException {
        assertEquals(50, parse(file(true)));
        assertEquals(50, parse(file(false)), "a zero checksum means the writer did not compute one");
        byte[] good = file(true);
        RdbException truncated = assertThrows(RdbException.class, () -> parse(Arrays.copyOf(good, good.length - 100)));
        assertTrue(truncated.getMessage().contains("unexpected end of file"), truncated.getMessage());
        assertTrue(truncated.offset() <= good.length - 100 && truncated.offset() > good.length - 200,
                "offset of the cut-off item: " + truncated.offset());
        byte[] flipped = good.clone();
        flipped[indexOf(flipped, ascii("7.0.15"))] ^= 1;
        RdbException corrupt = assertThrows(RdbException.class, () -> parse(flipped));
        assertTrue(corrupt.getMessage().contains("checksum"), corrupt.getMessage());
        byte[] badType = good.clone();
        int firstKey = indexOf(badType, ascii("key0")) - 2;
        badType[firstKey] = 77;
        RdbException unknown = assertThrows(RdbException.class, () -> parse(badType));
        assertEquals(firstKey, unknown.offset(), unknown.getMessage());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
