package dev.magpie.tests.keys;

import dev.magpie.tests.support.Differential;
import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.Normalizers;
import dev.magpie.tests.support.RedisOracle;
import org.junit.jupiter.api.Test;

/**
 * OBJECT under the eviction policies that change its answers, each against a redis-server
 * started with the same policy: FREQ only under an LFU policy, IDLETIME only outside one, and no
 * shared integers (REFCOUNT 1) when an LRU/LFU policy with a memory limit needs per-key data.
 */
class ObjectPolicyTest {
    @Test
    void lfuPolicyAnswersFreqAndRefusesIdletime() {
        String[] flags = {"--maxmemory-policy", "allkeys-lfu"};
        try (RedisOracle redis = RedisOracle.start(flags);
             Magpie magpie = Magpie.start(flags);
             Differential both = Differential.connect(magpie, redis)) {
            both.assertSame("SET", "k", "hello");
            both.assertSame("OBJECT", "IDLETIME", "k");
            both.assertSame("OBJECT", "FREQ", "nokey");
            both.assertSame("OBJECT", "IDLETIME", "nokey");
            // A new object starts at 5 (COPY makes one); the first access always counts, later ones
            // with probability 1/(10 (counter - 5) + 1); EXISTS and OBJECT do not touch.
            both.assertSame("COPY", "k", "copy");
            both.assertSame("OBJECT", "FREQ", "copy");
            both.assertSame("EXISTS", "copy");
            both.assertSame("OBJECT", "FREQ", "copy");
            both.assertSame("GET", "copy");
            both.assertSame("OBJECT", "FREQ", "copy");
            both.assertSame("TOUCH", "copy");
            both.assertSame(Normalizers.regex("^:[67]\r\n$", ":<6 or 7>"), "OBJECT", "FREQ", "copy");
            both.assertSame("SET", "n", "7");
            both.assertSame("OBJECT", "REFCOUNT", "n");
        }
    }

    @Test
    void lruPolicyWithALimitStopsSharingIntegers() {
        String[] flags = {"--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru"};
        try (RedisOracle redis = RedisOracle.start(flags);
             Magpie magpie = Magpie.start(flags);
             Differential both = Differential.connect(magpie, redis)) {
            both.assertSame("SET", "n", "7");
            both.assertSame("OBJECT", "REFCOUNT", "n");
            both.assertSame("OBJECT", "ENCODING", "n");
            both.assertSame("OBJECT", "FREQ", "n");
            both.assertSame(Normalizers.regex("^:[0-9]\r\n$", ":<seconds>"), "OBJECT", "IDLETIME", "n");
        }
    }
}
