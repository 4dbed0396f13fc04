package dev.magpie.tests.admin;

import dev.magpie.tests.support.Differential;
import dev.magpie.tests.support.Normalizers;
import dev.magpie.tests.support.OracleAndMagpie;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

/**
 * The admin commands' deterministic replies compared byte for byte with a real redis-server:
 * errors, DBSIZE, FLUSH*, SWAPDB, CLIENT names/ids/reply modes, SLOWLOG LEN/RESET, DEBUG errors.
 */
class AdminDifferentialTest {
    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie("--enable-debug-command", "yes");

    private static void assertAllSame(Differential both, List<List<String>> commands) {
        for (List<String> command : commands) {
            both.assertSame(command.toArray(String[]::new));
        }
    }

    @Test
    void clientErrorsAndSimpleReplies() {
        try (Differential both = Differential.connect(servers.magpie(), servers.redis())) {
            assertAllSame(both, List.of(
                    List.of("CLIENT"), List.of("CLIENT", "FOO"), List.of("CLIENT", "ID", "x"),
                    List.of("CLIENT", "GETNAME"), List.of("CLIENT", "SETNAME", "a b"), List.of("CLIENT", "SETNAME", "\u00e9"),
                    List.of("CLIENT", "SETNAME", "foo", "bar"), List.of("CLIENT", "SETNAME", "conn-1"),
                    List.of("CLIENT", "GETNAME"), List.of("CLIENT", "SETNAME", ""), List.of("CLIENT", "GETNAME"),
                    List.of("CLIENT", "LIST", "TYPE", "foo"), List.of("CLIENT", "LIST", "TYPE", "normal", "x"),
                    List.of("CLIENT", "LIST", "TYPE"), List.of("CLIENT", "LIST", "ID"), List.of("CLIENT", "LIST", "ID", "abc"),
                    List.of("CLIENT", "LIST", "ID", "0"), List.of("CLIENT", "LIST", "foo"),
                    List.of("CLIENT", "LIST", "TYPE", "pubsub"), List.of("CLIENT", "LIST", "TYPE", "master"),
                    List.of("CLIENT", "KILL"), List.of("CLIENT", "KILL", "10.9.8.7:6"), List.of("CLIENT", "KILL", "ID", "0"),
                    List.of("CLIENT", "KILL", "ID", "abc"), List.of("CLIENT", "KILL", "ID", "99999"),
                    List.of("CLIENT", "KILL", "TYPE", "bogus"), List.of("CLIENT", "KILL", "USER", "nobody"),
                    List.of("CLIENT", "KILL", "USER", "default", "ID", "99999"),
                    List.of("CLIENT", "KILL", "SKIPME", "maybe"), List.of("CLIENT", "KILL", "SKIPME", "no", "ID", "99999"),
                    List.of("CLIENT", "KILL", "BOGUS", "x"), List.of("CLIENT", "KILL", "ID", "1", "TYPE"),
                    List.of("CLIENT", "KILL", "a", "b", "c"), List.of("CLIENT", "KILL", "TYPE", "master", "ID", "5"),
                    List.of("CLIENT", "PAUSE"), List.of("CLIENT", "PAUSE", "abc"), List.of("CLIENT", "PAUSE", "-1"),
                    List.of("CLIENT", "PAUSE", "10", "foo"), List.of("CLIENT", "PAUSE", "100", "foo", "bar"),
                    List.of("CLIENT", "PAUSE", "abc", "foo"), List.of("CLIENT", "PAUSE", "99999999999999999999"),
                    List.of("CLIENT", "UNPAUSE", "x"), List.of("CLIENT", "UNPAUSE"),
                    List.of("CLIENT", "UNBLOCK"), List.of("CLIENT", "UNBLOCK", "abc"), List.of("CLIENT", "UNBLOCK", "1", "foo"),
                    List.of("CLIENT", "UNBLOCK", "abc", "foo"), List.of("CLIENT", "UNBLOCK", "99999", "TIMEOUT"),
                    List.of("CLIENT", "UNBLOCK", "99999", "error"), List.of("CLIENT", "UNBLOCK", "1", "timeout", "x"),
                    List.of("CLIENT", "REPLY"), List.of("CLIENT", "REPLY", "maybe"), List.of("CLIENT", "REPLY", "on", "x"),
                    List.of("CLIENT", "NO-EVICT"), List.of("CLIENT", "NO-EVICT", "maybe"), List.of("CLIENT", "NO-EVICT", "ON"),
                    List.of("CLIENT", "NO-EVICT", "off"), List.of("CLIENT", "GETREDIR"), List.of("CLIENT", "GETREDIR", "x"),
                    List.of("CLIENT", "TRACKINGINFO"), List.of("CLIENT", "INFO", "x")));
            both.assertSame(Normalizers.regex(":\\d+", ":<id>"), "CLIENT", "ID");
        }
    }

    @Test
    void clientReplyModes() {
        try (Differential both = Differential.connect(servers.magpie(), servers.redis())) {
            // OFF silences everything up to ON; SKIP silences exactly the next command, even a rejected one;
            // SKIP while OFF changes nothing; a skipped CLIENT REPLY ON is answered, as Redis answers it.
            both.assertSameRaw(raw("CLIENT REPLY OFF", "SET k 1", "NOSUCH", "CLIENT REPLY SKIP", "GET k",
                    "CLIENT REPLY ON", "GET k"), 2);
            both.assertSameRaw(raw("CLIENT REPLY SKIP", "NOSUCH", "ECHO a"), 1);
            both.assertSameRaw(raw("CLIENT REPLY SKIP", "GET", "ECHO b"), 1);
            both.assertSameRaw(raw("CLIENT REPLY SKIP", "CLIENT REPLY ON", "ECHO c"), 2);
            both.assertSameRaw(raw("CLIENT REPLY SKIP", "CLIENT REPLY OFF", "ECHO d", "CLIENT REPLY ON"), 1);
            both.assertSameRaw(raw("CLIENT REPLY SKIP", "CLIENT REPLY SKIP", "ECHO e", "ECHO f"), 1);
        }
    }

    /** Inline commands, one per line: both servers decode them alike. */
    private static String raw(String... lines) {
        return String.join("\r\n", lines) + "\r\n";
    }

    @Test
    void resp3ShapesOfClientReplies() {
        try (Differential both = Differential.connect(servers.magpie(), servers.redis())) {
            both.assertSame(Normalizers.hello(), "HELLO", "3");
            assertAllSame(both, List.of(List.of("CLIENT", "GETNAME"), List.of("CLIENT", "TRACKINGINFO"),
                    List.of("CLIENT", "LIST", "TYPE", "pubsub"), List.of("MEMORY", "USAGE", "nokey"),
                    List.of("SLOWLOG", "GET", "0"), List.of("LATENCY", "LATEST"), List.of("TIME", "x")));
        }
    }

    @Test
    void keyspaceServerCommands() {
        try (Differential both = Differential.connect(servers.magpie(), servers.redis())) {
            assertAllSame(both, List.of(
                    List.of("FLUSHALL"), List.of("DBSIZE"), List.of("DBSIZE", "x"),
                    List.of("SET", "a", "1"), List.of("SET", "b", "2"), List.of("DBSIZE"),
                    List.of("FLUSHDB", "x"), List.of("FLUSHDB", "async", "x"), List.of("FLUSHALL", "foo"),
                    List.of("SWAPDB"), List.of("SWAPDB", "0"), List.of("SWAPDB", "a", "1"), List.of("SWAPDB", "0", "b"),
                    List.of("SWAPDB", "1.5", "0"), List.of("SWAPDB", "-1", "0"), List.of("SWAPDB", "0", "16"),
                    List.of("SWAPDB", "99999999999", "0"), List.of("SWAPDB", "0", "0"), List.of("SWAPDB", "0", "1"),
                    List.of("DBSIZE"), List.of("SELECT", "1"), List.of("DBSIZE"), List.of("GET", "a"),
                    List.of("FLUSHDB", "ASYNC"), List.of("DBSIZE"), List.of("SELECT", "0"), List.of("SET", "c", "3"),
                    List.of("SELECT", "2"), List.of("SET", "d", "4"), List.of("FLUSHALL", "SYNC"), List.of("DBSIZE"),
                    List.of("SELECT", "0"), List.of("DBSIZE"), List.of("SET", "e", "5"), List.of("FLUSHDB", "sync"),
                    List.of("DBSIZE"), List.of("SET", "f", "6"), List.of("FLUSHALL", "async"), List.of("DBSIZE"),
                    List.of("TIME", "x"), List.of("LASTSAVE", "x"), List.of("MONITOR", "x"),
                    List.of("SHUTDOWN", "foo"), List.of("SHUTDOWN", "ABORT"), List.of("SHUTDOWN", "SAVE", "NOSAVE"),
                    List.of("SHUTDOWN", "NOW", "FORCE", "ABORT"),
                    List.of("MEMORY"), List.of("MEMORY", "FOO"), List.of("MEMORY", "USAGE"),
                    List.of("MEMORY", "USAGE", "nokey"), List.of("SET", "k", "v"), List.of("MEMORY", "USAGE", "k", "SAMPLES"),
                    List.of("MEMORY", "USAGE", "k", "SAMPLES", "x"), List.of("MEMORY", "USAGE", "k", "SAMPLES", "-1"),
                    List.of("MEMORY", "USAGE", "k", "foo", "5"), List.of("MEMORY", "STATS", "x"),
                    List.of("MEMORY", "DOCTOR", "x"), List.of("MEMORY", "PURGE")));
            both.assertSame(Normalizers.regex("\\$\\d+\r\n\\d+\r\n", "<n>"), "TIME");
            both.assertSame(Normalizers.regex(":\\d+", ":<n>"), "LASTSAVE");
        }
    }

    @Test
    void slowlogLatencyAndDebugReplies() {
        try (Differential both = Differential.connect(servers.magpie(), servers.redis())) {
            // A cold JVM may run a first command slowly; only the shape of the log is compared here.
            both.assertSame("CONFIG", "SET", "slowlog-log-slower-than", "1000000");
            assertAllSame(both, List.of(
                    List.of("SLOWLOG"), List.of("SLOWLOG", "FOO"), List.of("SLOWLOG", "RESET"), List.of("SLOWLOG", "LEN"),
                    List.of("SLOWLOG", "GET"), List.of("SLOWLOG", "GET", "abc"), List.of("SLOWLOG", "GET", "-2"),
                    List.of("SLOWLOG", "GET", "0"), List.of("SLOWLOG", "GET", "-1"), List.of("SLOWLOG", "GET", "1", "2"),
                    List.of("SLOWLOG", "LEN", "x"), List.of("SLOWLOG", "RESET", "x"), List.of("SLOWLOG", "HELP", "x"),
                    List.of("LATENCY"), List.of("LATENCY", "FOO"), List.of("LATENCY", "LATEST"),
                    List.of("LATENCY", "LATEST", "x"), List.of("LATENCY", "HISTORY"), List.of("LATENCY", "HISTORY", "command"),
                    List.of("LATENCY", "RESET"), List.of("LATENCY", "RESET", "a", "b"),
                    List.of("DEBUG"), List.of("DEBUG", "foo"), List.of("DEBUG", "JMAP"), List.of("DEBUG", "SLEEP"),
                    List.of("DEBUG", "SLEEP", "0"), List.of("DEBUG", "SLEEP", "abc"), List.of("DEBUG", "SLEEP", "-1"),
                    List.of("DEBUG", "SLEEP", "0", "1"), List.of("DEBUG", "SET-ACTIVE-EXPIRE"),
                    List.of("DEBUG", "SET-ACTIVE-EXPIRE", "1"), List.of("DEBUG", "OBJECT"),
                    List.of("DEBUG", "OBJECT", "nokey"), List.of("DEBUG", "OBJECT", "k", "extra")));
            both.assertSame(Normalizers.regex("at:0x[0-9a-f]+|lru:\\d+|lru_seconds_idle:\\d+", "<x>"), "SET", "dbg", "hello");
            both.assertSame(Normalizers.regex("at:0x[0-9a-f]+|lru:\\d+|lru_seconds_idle:\\d+", "<x>"),
                    "DEBUG", "OBJECT", "dbg");
            both.assertSame("SET", "dbgint", "4242");
            both.assertSame(Normalizers.regex("at:0x[0-9a-f]+|lru:\\d+|lru_seconds_idle:\\d+", "<x>"),
                    "DEBUG", "OBJECT", "dbgint");
        }
    }
}
