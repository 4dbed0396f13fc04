package dev.magpie.tests.protocol;

import dev.magpie.tests.support.Differential;
import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RedisOracle;
import dev.magpie.tests.support.Resp;
import org.junit.jupiter.api.Test;

/**
 * Differences from redis-server that the differential tests once found: raw bytes in error texts
 * and the wording of HELLO's NOAUTH error. Kept as regression tests.
 */
class ByteExactErrorsTest {

    @Test
    void protocolErrorQuotesTheRawByte() {
        try (RedisOracle redis = RedisOracle.start(); Magpie magpie = Magpie.start();
             Differential both = Differential.connect(magpie, redis)) {
            both.assertSameUntilClosed(Resp.bytes("*1\r\n\u00ff\r\n"), 3000);
        }
    }

    @Test
    void unknownCommandQuotesTheRawBytes() {
        try (RedisOracle redis = RedisOracle.start(); Magpie magpie = Magpie.start();
             Differential both = Differential.connect(magpie, redis)) {
            both.assertSame(new byte[] {(byte) 0xff, (byte) 0xfe}, Resp.bytes("arg"));
        }
    }

    @Test
    void helloBeforeAuthNoauthText() {
        try (RedisOracle redis = RedisOracle.start("--requirepass", "pw"); Magpie magpie = Magpie.start("--requirepass", "pw");
             Differential both = Differential.connect(magpie, redis)) {
            both.assertSame("HELLO", "3");
        }
    }
}
