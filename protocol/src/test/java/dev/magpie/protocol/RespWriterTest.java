package dev.magpie.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Every reply form in RESP2 and RESP3, as Redis 7.0 writes it (the RESP3 forms checked against DEBUG PROTOCOL). */
class RespWriterTest {

    private static String write(int protocol, Consumer<RespWriter> reply) {
        RespWriter writer = new RespWriter(Unpooled.buffer(16));
        writer.protocol(protocol);
        reply.accept(writer);
        return writer.buffer().toString(StandardCharsets.ISO_8859_1);
    }

    private static void both(String resp2, String resp3, Consumer<RespWriter> reply) {
        assertEquals(resp2, write(2, reply), "RESP2");
        assertEquals(resp3, write(3, reply), "RESP3");
    }

    @Test
    void simpleAndErrorRepliesAreTheSameInBoth() {
        both("+OK\r\n", "+OK\r\n", RespWriter::ok);
        both("+PONG\r\n", "+PONG\r\n", w -> w.simple("PONG"));
        both("-ERR boom\r\n", "-ERR boom\r\n", w -> w.error("ERR boom"));
    }

    @Test
    void errorsStayOnOneLine() {
        both("-ERR a b  c\r\n", "-ERR a b  c\r\n", w -> w.error("ERR a\nb\r\nc"));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 9999, 10000, -1, 123456789, Long.MAX_VALUE, Long.MIN_VALUE})
    void integers(long value) {
        both(":" + value + "\r\n", ":" + value + "\r\n", w -> w.integer(value));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 7, -7, 1234567890123L, Long.MAX_VALUE, Long.MIN_VALUE})
    void bulkLong(long value) {
        String digits = Long.toString(value);
        both("$" + digits.length() + "\r\n" + digits + "\r\n", "$" + digits.length() + "\r\n" + digits + "\r\n",
                w -> w.bulkLong(value));
    }

    @Test
    void bulkStrings() {
        both("$0\r\n\r\n", "$0\r\n\r\n", w -> w.bulk(new byte[0]));
        both("$5\r\nhello\r\n", "$5\r\nhello\r\n", w -> w.bulk("hello"));
        both("$2\r\nll\r\n", "$2\r\nll\r\n", w -> w.bulk("hello".getBytes(StandardCharsets.US_ASCII), 2, 2));
        String big = "x".repeat(5000);
        both("$5000\r\n" + big + "\r\n", "$5000\r\n" + big + "\r\n", w -> w.bulk(big));
        // Text is one byte per char: what came in as argument bytes goes out unchanged.
        both("$2\r\n\u00c3\u00a9\r\n", "$2\r\n\u00c3\u00a9\r\n", w -> w.bulk("\u00c3\u00a9"));
        both("$1\r\n\u00ff\r\n", "$1\r\n\u00ff\r\n", w -> w.bulk("\u00ff"));
    }

    @Test
    void bulkWrittenInParts() {
        both("$6\r\nabcdef\r\n", "$6\r\nabcdef\r\n", w -> {
            w.bulkHeader(6);
            w.raw("abc".getBytes(StandardCharsets.US_ASCII));
            w.raw("xdefx".getBytes(StandardCharsets.US_ASCII), 1, 3);
            w.bulkEnd();
        });
        both("$100000\r\n", "$100000\r\n", w -> w.bulkHeader(100_000));
    }

    @Test
    void bulkFromOffHeapMemoryIntoHeapAndDirectBuffers() {
        byte[] value = "off-heap value".getBytes(StandardCharsets.US_ASCII);
        long address = PlatformDependent.allocateMemory(value.length);
        try {
            for (int i = 0; i < value.length; i++) {
                PlatformDependent.putByte(address + i, value[i]);
            }
            for (ByteBuf target : new ByteBuf[] {Unpooled.buffer(4), Unpooled.directBuffer(4),
                    ByteBufAllocator.DEFAULT.compositeBuffer()}) {
                RespWriter writer = new RespWriter(target);
                writer.bulkFromAddress(address, value.length);
                assertEquals("$14\r\noff-heap value\r\n", target.toString(StandardCharsets.ISO_8859_1));
                target.release();
            }
        } finally {
            PlatformDependent.freeMemory(address);
        }
    }

    @Test
    void nulls() {
        both("$-1\r\n", "_\r\n", RespWriter::nullBulk);
        both("*-1\r\n", "_\r\n", RespWriter::nullArray);
    }

    @Test
    void arrays() {
        both("*0\r\n", "*0\r\n", w -> w.arrayHeader(0));
        both("*0\r\n", "*0\r\n", RespWriter::emptyArray);
        both("*3\r\n:0\r\n:1\r\n:2\r\n", "*3\r\n:0\r\n:1\r\n:2\r\n", w -> {
            w.arrayHeader(3);
            w.integer(0);
            w.integer(1);
            w.integer(2);
        });
        both("*2\r\n*1\r\n$1\r\na\r\n*0\r\n", "*2\r\n*1\r\n$1\r\na\r\n*0\r\n", w -> {
            w.arrayHeader(2);
            w.arrayHeader(1);
            w.bulk("a");
            w.arrayHeader(0);
        });
    }

    @Test
    void mapIsAFlatArrayInResp2() {
        // DEBUG PROTOCOL map: RESP3 "%3 :0 #f :1 #t :2 #f", RESP2 "*6 :0 :0 :1 :1 :2 :0"
        both("*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n", "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n", w -> {
            w.mapHeader(3);
            for (int i = 0; i < 3; i++) {
                w.integer(i);
                w.bool(i == 1);
            }
        });
        both("*0\r\n", "%0\r\n", w -> w.mapHeader(0));
    }

    @Test
    void setIsAnArrayInResp2() {
        both("*3\r\n:0\r\n:1\r\n:2\r\n", "~3\r\n:0\r\n:1\r\n:2\r\n", w -> {
            w.setHeader(3);
            w.integer(0);
            w.integer(1);
            w.integer(2);
        });
        both("*0\r\n", "~0\r\n", w -> w.setHeader(0));
    }

    @Test
    void pushIsAnArrayInResp2() {
        both("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", w -> {
            w.pushHeader(3);
            w.bulk("message");
            w.bulk("ch");
            w.bulk("hi");
        });
    }

    @Test
    void attributesExistOnlyInResp3() {
        both("$1\r\nv\r\n", "|1\r\n$1\r\nk\r\n:1\r\n$1\r\nv\r\n", w -> {
            if (w.attributeHeader(1)) {
                w.bulk("k");
                w.integer(1);
            }
            w.bulk("v");
        });
    }

    @Test
    void doubleIsABulkStringInResp2() {
        both("$5\r\n3.141\r\n", ",3.141\r\n", w -> w.doubleValue("3.141"));
        both("$3\r\ninf\r\n", ",inf\r\n", w -> w.doubleValue("inf"));
        both("$4\r\n-inf\r\n", ",-inf\r\n", w -> w.doubleValue("-inf"));
        both("$1\r\n3\r\n", ",3\r\n", w -> w.doubleValue("3"));
    }

    @Test
    void boolIsAnIntegerInResp2() {
        both(":1\r\n", "#t\r\n", w -> w.bool(true));
        both(":0\r\n", "#f\r\n", w -> w.bool(false));
    }

    @Test
    void bigNumberIsABulkStringInResp2() {
        String digits = "1234567999999999999999999999999999999";
        both("$37\r\n" + digits + "\r\n", "(" + digits + "\r\n", w -> w.bigNumber(digits));
        both("$3\r\n-12\r\n", "(-12\r\n", w -> w.bigNumber("-12"));
    }

    @Test
    void verbatimIsAPlainBulkStringInResp2() {
        both("$25\r\nThis is a verbatim\nstring\r\n", "=29\r\ntxt:This is a verbatim\nstring\r\n",
                w -> w.verbatim("txt", "This is a verbatim\nstring"));
        both("$2\r\n\u00c3\u00a9\r\n", "=6\r\nmkd:\u00c3\u00a9\r\n", w -> w.verbatim("mkd", "\u00c3\u00a9"));
    }

    @Test
    void protocolSwitchesAndSwapHandsTheBufferOver() {
        RespWriter writer = new RespWriter(Unpooled.buffer());
        assertEquals(2, writer.protocol());
        writer.nullBulk();
        writer.protocol(3);
        assertEquals(true, writer.resp3());
        writer.nullBulk();
        assertEquals(8, writer.size());
        ByteBuf next = Unpooled.buffer();
        ByteBuf filled = writer.swap(next);
        assertEquals("$-1\r\n_\r\n", filled.toString(StandardCharsets.ISO_8859_1));
        assertSame(next, writer.buffer());
        assertEquals(0, writer.size());
    }
}
