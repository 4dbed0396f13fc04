package dev.magpie.tests.keys;

import dev.magpie.tests.support.Differential;
import dev.magpie.tests.support.Normalizers;
import dev.magpie.tests.support.OracleAndMagpie;
import dev.magpie.tests.support.ReplyDecoder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Hand-picked corners of the key and expiry commands, each sent to redis-server and Magpie and
 * compared byte for byte: argument errors in Redis's order, same-key rules, strtoul cursors,
 * option conflicts, overflow, the null replies of RESP3, OBJECT's texts.
 */
class KeyEdgeCasesTest {
    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie("--enable-debug-command", "yes");
    private Differential both;

    @BeforeEach
    void connect() {
        both = Differential.connect(servers.magpie(), servers.redis());
        both.assertSame("FLUSHALL");
    }

    @org.junit.jupiter.api.AfterEach
    void disconnect() {
        both.close();
    }

    private void same(String... command) {
        both.assertSame(command);
    }

    /** The same array of names from both, in any order (KEYS lists keys in hash-table order). */
    private void sameSet(String... command) {
        Object expected = ReplyDecoder.decodeFlat(both.redis().call(command));
        Object actual = ReplyDecoder.decodeFlat(both.magpie().call(command));
        if (expected instanceof List<?> e && actual instanceof List<?> a) {
            expected = e.stream().map(String::valueOf).sorted().toList();
            actual = a.stream().map(String::valueOf).sorted().toList();
        }
        assertEquals(String.valueOf(expected), String.valueOf(actual), () -> String.join(" ", command));
    }

    @Test
    void scanCursorsParseAsStrtoulDoes() {
        same("SET", "a", "1");
        // A one-key database, so a valid cursor 0 returns the whole table in one call.
        for (String cursor : List.of("", "0", "+0", "-0", "00", "0 ", " 0", "\t0", "0x1", "abc", "-", "+", "--1",
                "18446744073709551616", "99999999999999999999", "-18446744073709551616", "1.0", "0\u0000x")) {
            same("SCAN", cursor);
        }
        // A huge valid cursor ends the iteration; which bucket it names depends on the hash.
        both.assertSame(Normalizers.regex("\\*[01]\r\n(\\$1\r\na\r\n)?$", "<keys>"), "SCAN", "18446744073709551615");
        both.assertSame(Normalizers.regex("\\*[01]\r\n(\\$1\r\na\r\n)?$", "<keys>"), "SCAN", "-1");
    }

    @Test
    void scanOptionErrorsInRedisOrder() {
        same("SET", "a", "1");
        same("SCAN", "0", "COUNT", "0");
        same("SCAN", "0", "COUNT", "-1");
        same("SCAN", "0", "COUNT", "x");
        same("SCAN", "0", "COUNT", "x", "BOGUS");
        same("SCAN", "0", "BOGUS", "x", "COUNT", "x");
        same("SCAN", "0", "MATCH");
        same("SCAN", "0", "TYPE");
        same("SCAN", "0", "count", "9223372036854775807");
        same("SCAN", "0", "match", "a", "count", "5", "match", "b");
        same("SCAN", "0", "TYPE", "STRING");
        same("SCAN", "0", "TYPE", "bogus");
        same("SCAN", "x", "COUNT", "0");
    }

    @Test
    void keysMatchesGlobsAndSkipsNothingLive() {
        for (String key : List.of("", "a", "a*b", "h?llo", "hello", "[x]", "ab\\c", "\u00e9t\u00e9")) {
            same("SET", key, "v");
        }
        for (String pattern : List.of("*", "**", "a*", "h?llo", "h\\?llo", "\\[x]", "[[]x]", "ab\\\\c", "?", "",
                "*\u00e9", "[a-]", "[^a]*")) {
            sameSet("KEYS", pattern);
        }
    }

    @Test
    void renameRules() {
        same("RENAME", "nokey", "b");
        same("RENAME", "nokey", "nokey");
        same("RENAMENX", "nokey", "nokey");
        same("SET", "a", "1", "PX", "100000000");
        same("RENAME", "a", "a");
        same("RENAMENX", "a", "a");
        same("SET", "b", "2");
        same("RENAMENX", "a", "b");
        same("RENAME", "a", "b");
        same("GET", "b");
        same("EXISTS", "a", "b", "b");
        both.assertSame(Normalizers.regex(":\\d+", ":<ttl>"), "PTTL", "b");
        same("RENAME", "b", "c");
        same("RENAMENX", "c", "d");
        same("MGET", "a", "b", "c", "d");
    }

    @Test
    void copyAndMoveRules() {
        same("SET", "a", "hello");
        same("COPY", "a", "a");
        same("COPY", "a", "a", "DB", "0");
        same("COPY", "a", "b", "DB", "x");
        same("COPY", "a", "b", "DB", "16");
        same("COPY", "a", "b", "DB", "-1");
        same("COPY", "a", "b", "DB", "2147483648");
        same("COPY", "a", "b", "DB");
        same("COPY", "a", "b", "foo");
        same("COPY", "nokey", "a", "DB", "17");
        same("COPY", "nokey", "x");
        same("COPY", "a", "a", "DB", "1");
        same("COPY", "a", "a", "DB", "1");
        same("COPY", "a", "a", "DB", "1", "REPLACE");
        same("COPY", "a", "b", "REPLACE", "REPLACE", "DB", "1", "DB", "2");
        same("MOVE", "a", "x");
        same("MOVE", "a", "99");
        same("MOVE", "a", "0");
        same("MOVE", "a", "-1");
        same("MOVE", "a", "2147483648");
        same("MOVE", "nokey", "1");
        same("MOVE", "a", "1");
        same("SET", "m", "42", "EX", "100000");
        same("MOVE", "m", "3");
        same("EXISTS", "m");
        same("SELECT", "3");
        same("GET", "m");
        same("TTL", "m");
        same("OBJECT", "ENCODING", "m");
        same("SELECT", "2");
        same("GET", "b");
        same("SELECT", "0");
    }

    @Test
    void expireOptionsOverflowAndPastTimes() {
        same("SET", "a", "1");
        same("EXPIRE", "a", "1", "foo");
        same("EXPIRE", "a", "abc", "nx", "xx");
        same("EXPIRE", "a", "abc");
        same("EXPIRE", "a", "1", "nx", "xx");
        same("EXPIRE", "a", "1", "gt", "lt");
        same("EXPIRE", "a", "1", "nx", "gt");
        same("EXPIRE", "a", "1", "XX", "XX");
        same("EXPIRE", "a", "9223372036854775807");
        same("EXPIRE", "a", "-9223372036854775808");
        same("EXPIRE", "a", "92233720368547758");
        same("PEXPIRE", "a", "9223372036854775807");
        same("EXPIREAT", "a", "9223372036854775808");
        same("TTL", "a");
        same("EXPIRE", "a", "100000", "XX");
        same("EXPIRE", "a", "100000", "GT");
        same("EXPIRE", "a", "100000", "NX");
        same("PEXPIREAT", "a", "9223372036854775807");
        same("EXPIRETIME", "a");
        same("PEXPIRETIME", "a");
        same("EXPIRE", "a", "1", "xx", "gt");
        same("EXPIREAT", "a", "9000000000", "LT");
        same("EXPIRETIME", "a");
        same("PEXPIREAT", "a", "9000000000000", "GT");
        same("PEXPIREAT", "a", "9000000000000", "LT");
        same("EXPIRE", "a", "-1", "GT");
        same("PERSIST", "a");
        same("PERSIST", "a");
        same("TTL", "a");
        same("EXPIRE", "a", "0", "GT");
        same("EXPIRE", "a", "-1", "LT");
        same("EXISTS", "a");
        same("SET", "b", "1");
        same("PEXPIREAT", "b", "1");
        same("TTL", "b");
        same("EXPIRE", "nokey", "100");
        same("TTL", "nokey");
        same("PERSIST", "nokey");
    }

    @Test
    void typesExistsTouchDelUnlink() {
        same("MSET", "a", "1", "b", "hello", "c", "x".repeat(100));
        same("TYPE", "a");
        same("TYPE", "nokey");
        same("EXISTS", "a", "a", "nokey", "b");
        same("TOUCH", "a", "a", "nokey");
        same("DEL", "a", "a", "nokey");
        same("UNLINK", "b", "c", "b");
        same("EXISTS", "a", "b", "c");
        same("RANDOMKEY");
    }

    @Test
    void objectSubcommands() {
        same("SET", "int", "123");
        same("SET", "shared", "9999");
        same("SET", "unshared", "10000");
        same("SET", "negative", "-1");
        same("SET", "embstr", "hello");
        same("SET", "raw", "y".repeat(45));
        for (String key : List.of("int", "shared", "unshared", "negative", "embstr", "raw", "nokey")) {
            same("OBJECT", "ENCODING", key);
            same("OBJECT", "REFCOUNT", key);
            same("OBJECT", "FREQ", key);
        }
        same("OBJECT", "HELP");
        same("OBJECT", "help");
        same("OBJECT", "HELP", "x");
        same("OBJECT", "foo");
        same("OBJECT", "foo", "bar");
        same("OBJECT");
        same("OBJECT", "ENCODING");
        same("OBJECT", "ENCODING", "a", "b");
        same("OBJECT", "IDLETIME", "nokey");
        both.assertSame(Normalizers.regex("^:[0-9]\r\n$", ":<seconds>"), "OBJECT", "IDLETIME", "int");
    }

    @Test
    void resp3NullsAndArrays() {
        both.assertSame(Normalizers.hello(), "HELLO", "3");
        same("RANDOMKEY");
        same("OBJECT", "ENCODING", "nokey");
        same("OBJECT", "FREQ", "nokey");
        same("KEYS", "*");
        same("SCAN", "0");
        same("SET", "a", "1");
        same("SCAN", "0", "MATCH", "a");
        same("RANDOMKEY");
        same("OBJECT", "HELP");
    }

    @Test
    void expiredKeysAreInvisibleToEveryReader() throws InterruptedException {
        same("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        try {
            same("SET", "live", "1");
            for (int i = 0; i < 50; i++) {
                same("SET", "gone" + i, "x", "PX", "1");
            }
            Thread.sleep(20);
            same("DBSIZE");
            same("KEYS", "*");
            same("EXISTS", "gone1", "live");
            same("TTL", "gone2");
            same("TYPE", "gone3");
            same("OBJECT", "ENCODING", "gone4");
            same("RENAME", "gone5", "x");
            same("COPY", "gone6", "x");
            same("MOVE", "gone7", "1");
            same("EXPIRE", "gone8", "100");
            same("PERSIST", "gone9");
            same("DEL", "gone10", "live");
            same("SET", "live", "1");
            for (int i = 0; i < 20; i++) {
                same("RANDOMKEY");
            }
            same("SCAN", "0", "COUNT", "1000");
            same("DBSIZE");
        } finally {
            same("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
    }

    @Test
    void commandInfoDescribesTheseCommandsAsRedisDoes() {
        for (String command : List.of("del", "unlink", "exists", "type", "keys", "scan", "randomkey", "rename",
                "renamenx", "copy", "move", "touch", "expire", "pexpire", "expireat", "pexpireat", "ttl", "pttl",
                "expiretime", "pexpiretime", "persist", "object|encoding", "object|freq", "object|help",
                "object|idletime", "object|refcount")) {
            same("COMMAND", "INFO", command);
        }
        // OBJECT's own entry lists its subcommands in the order of a seeded hash table, random per
        // redis-server process, so only its length can be compared byte for byte.
        both.assertSame(Normalizers.regex("(?s)\\*5\r\n\\*10\r\n.*", "<5 subcommands>"), "COMMAND", "INFO", "object");
    }

    @Test
    void lazyUserDelAndLazyExpireStillDeleteAtOnce() {
        same("CONFIG", "SET", "lazyfree-lazy-user-del", "yes");
        same("CONFIG", "SET", "lazyfree-lazy-expire", "yes");
        try {
            same("MSET", "a", "1", "b", "2");
            same("DEL", "a");
            same("EXPIRE", "b", "-1");
            same("DBSIZE");
        } finally {
            same("CONFIG", "SET", "lazyfree-lazy-user-del", "no");
            same("CONFIG", "SET", "lazyfree-lazy-expire", "no");
        }
    }
}
