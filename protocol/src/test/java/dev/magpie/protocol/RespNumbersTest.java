package dev.magpie.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis's string2ll: exactly the canonical decimal form of a 64-bit integer, nothing else. */
class RespNumbersTest {

    private static long parse(String text) {
        byte[] bytes = ("##" + text + "##").getBytes(StandardCharsets.US_ASCII);
        return RespNumbers.parseLong(bytes, 2, text.length());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, -1, 10, 9223372036854775807L, -9223372036854775807L, 1000000000000000000L})
    void canonicalIntegersParse(long value) {
        assertEquals(value, parse(Long.toString(value)));
        assertEquals(Long.toString(value).length(), RespNumbers.decimalLength(value));
    }

    @Test
    void theSmallestLongIsRecognisedSeparately() {
        assertEquals(Long.MIN_VALUE, parse("-9223372036854775808"));
        byte[] text = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);
        assertTrue(RespNumbers.isMinValue(text, 0, text.length));
        assertEquals(20, RespNumbers.decimalLength(Long.MIN_VALUE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+1", "01", "-0", "00", " 1", "1 ", "1.0", "1e3", "0x10", "9223372036854775808",
            "-9223372036854775809", "99999999999999999999", "9999999999999999999", "123456789012345678901"})
    void everythingElseIsInvalid(String text) {
        assertEquals(RespNumbers.INVALID, parse(text), text);
    }
}
