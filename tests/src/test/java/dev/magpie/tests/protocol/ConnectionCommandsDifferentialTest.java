package dev.magpie.tests.protocol;

import dev.magpie.tests.support.Differential;
import dev.magpie.tests.support.Normalizers;
import dev.magpie.tests.support.OracleAndMagpie;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PING, ECHO, SELECT, QUIT, HELLO, RESET, unknown commands and arity errors, compared byte for
 * byte with redis-server in RESP2 and RESP3. Only HELLO's server, version and client id fields
 * are hidden.
 */
class ConnectionCommandsDifferentialTest {
    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie();
    private Differential both;

    @BeforeEach
    void connect() {
        both = Differential.connect(servers.magpie(), servers.redis());
    }

    @AfterEach
    void disconnect() {
        both.close();
    }

    @Test
    void ping() {
        both.assertSame("PING");
        both.assertSame("PING", "hello world");
        both.assertSame("PING", "");
        both.assertSame("PING", "a", "b");
        both.assertSame("ping");
        both.assertSame("pInG", "x");
    }

    @Test
    void echo() {
        both.assertSame("ECHO", "hello");
        both.assertSame("ECHO", "");
        both.assertSame("ECHO", "line\r\nbreak");
        both.assertSame("ECHO");
        both.assertSame("ECHO", "a", "b");
    }

    @Test
    void select() {
        both.assertSame("SELECT", "0");
        both.assertSame("SELECT", "15");
        both.assertSame("SET", "in-db-15", "x");
        both.assertSame("SELECT", "16");
        both.assertSame("SELECT", "-1");
        both.assertSame("SELECT", "x");
        both.assertSame("SELECT", "1.5");
        both.assertSame("SELECT", "99999999999999999999");
        both.assertSame("SELECT", " 1");
        both.assertSame("SELECT");
        both.assertSame("SELECT", "1", "2");
        both.assertSame("GET", "in-db-15");
        both.assertSame("SELECT", "0");
        both.assertSame("GET", "in-db-15");
        both.assertSame("SELECT", "15");
        both.assertSame("DEL", "in-db-15");
    }

    @Test
    void quitRepliesOkAndCloses() {
        both.assertSameUntilClosed(dev.magpie.tests.support.Resp.bytes("PING\r\nQUIT\r\nPING\r\n"), 3000);
    }

    @Test
    void quitWithArgumentsStillQuits() {
        both.assertSameUntilClosed(dev.magpie.tests.support.Resp.command("QUIT", "now"), 3000);
    }

    @Test
    void helloSwitchesProtocols() {
        both.assertSame(Normalizers.hello(), "HELLO");
        both.assertSame(Normalizers.hello(), "HELLO", "3");
        both.assertSame("GET", "missing");
        both.assertSame("PING");
        both.assertSame("ECHO", "x");
        both.assertSame("SELECT", "99");
        both.assertSame(Normalizers.hello(), "HELLO", "2");
        both.assertSame("GET", "missing");
        both.assertSame(Normalizers.hello(), "HELLO", "3", "SETNAME", "conn-a");
        both.assertSame("CLIENT", "GETNAME");
    }

    @Test
    void helloRejectsBadArguments() {
        both.assertSame("HELLO", "1");
        both.assertSame("HELLO", "4");
        both.assertSame("HELLO", "x");
        both.assertSame("HELLO", "-3");
        both.assertSame("HELLO", "3", "FOO");
        both.assertSame("HELLO", "3", "AUTH");
        both.assertSame("HELLO", "3", "AUTH", "default");
        both.assertSame("HELLO", "3", "SETNAME");
        both.assertSame("HELLO", "3", "SETNAME", "has space");
        both.assertSame("GET", "missing"); // still RESP2 after the failures
        // Without requirepass the default user takes any password.
        both.assertSame(Normalizers.hello(), "HELLO", "3", "AUTH", "default", "anything");
        both.assertSame("GET", "missing");
    }

    @Test
    void resetRestoresTheDefaults() {
        both.assertSame(Normalizers.hello(), "HELLO", "3");
        both.assertSame("SELECT", "4");
        both.assertSame("CLIENT", "SETNAME", "before-reset");
        both.assertSame("RESET");
        both.assertSame("GET", "missing");
        both.assertSame("CLIENT", "GETNAME");
        both.assertSame("SET", "reset-db-check", "1");
        both.assertSame("SELECT", "4");
        both.assertSame("EXISTS", "reset-db-check");
        both.assertSame("SELECT", "0");
        both.assertSame("DEL", "reset-db-check");
        both.assertSame("RESET", "extra");
    }

    @Test
    void unknownCommands() {
        both.assertSame("NOSUCHCOMMAND");
        both.assertSame("nosuchcommand", "a", "b c", "");
        both.assertSame("FOO", "x".repeat(200));
        both.assertSame("FOO", "a".repeat(60), "b".repeat(60), "c".repeat(60));
        both.assertSame("FOO", "line\r\nbreak");
        both.assertSame("x".repeat(200));
        both.assertSame("");
        both.assertSameRaw("foo bar\r\n", 1);
    }

    @Test
    void wrongArity() {
        both.assertSame("GET");
        both.assertSame("GET", "a", "b");
        both.assertSame("SET", "k");
        both.assertSame("get");
        both.assertSame("PING", "a", "b", "c");
        both.assertSame("CLIENT");
        both.assertSame("CONFIG");
        both.assertSame("CONFIG", "GET");
        both.assertSame("CONFIG", "NOSUCH");
        both.assertSame("COMMAND", "NOSUCH");
    }

    @Test
    void resp3RepliesForCommonReplies() {
        both.assertSame(Normalizers.hello(), "HELLO", "3");
        both.assertSame("SET", "r3", "1");
        both.assertSame("GET", "r3");
        both.assertSame("GET", "nothing");
        both.assertSame("INCR", "r3");
        both.assertSame("EXISTS", "r3", "nothing");
        both.assertSame("DEL", "r3");
        both.assertSame("NOSUCH");
    }
}
