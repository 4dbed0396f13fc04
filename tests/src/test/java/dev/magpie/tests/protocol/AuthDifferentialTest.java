package dev.magpie.tests.protocol;

import dev.magpie.tests.support.Differential;
import dev.magpie.tests.support.Normalizers;
import dev.magpie.tests.support.OracleAndMagpie;
import dev.magpie.tests.support.Resp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;

/** Both servers started with {@code --requirepass}: what an unauthenticated client may and may not do. */
class AuthDifferentialTest {
    private static final String PASSWORD = "s3cret pass";
    @RegisterExtension
    static final OracleAndMagpie servers = OracleAndMagpie.bothWith("--requirepass", PASSWORD);
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
    void commandsBeforeAuthAreRefused() {
        both.assertSame("PING");
        both.assertSame("GET", "k");
        both.assertSame("SELECT", "1");
        both.assertSame("NOSUCHCOMMAND");
        both.assertSame("ECHO");
    }

    @Test
    void wrongPasswordsAndArity() {
        both.assertSame("AUTH", "wrong");
        both.assertSame("AUTH", "default", "wrong");
        both.assertSame("AUTH", "nobody", PASSWORD);
        both.assertSame("AUTH");
        both.assertSame("AUTH", "a", "b", "c");
        both.assertSame("PING");
    }

    @Test
    void authWithPasswordOnly() {
        both.assertSame("AUTH", PASSWORD);
        both.assertSame("PING");
        both.assertSame("AUTH", PASSWORD);
    }

    @Test
    void authWithDefaultUser() {
        both.assertSame("AUTH", "default", PASSWORD);
        both.assertSame("PING");
    }

    @Test
    void helloWithAuth() {
        both.assertSame("HELLO", "3", "AUTH", "default", "wrong");
        both.assertSame(Normalizers.hello(), "HELLO", "3", "AUTH", "default", PASSWORD);
        both.assertSame("GET", "missing");
        both.assertSame(Normalizers.hello(), "HELLO", "2");
    }

    @Test
    void quitAndResetWorkBeforeAuth() {
        both.assertSame("AUTH", PASSWORD);
        both.assertSame("RESET");
        both.assertSame("PING"); // RESET logs the connection out again
        both.assertSameUntilClosed(Resp.bytes("QUIT\r\n"), 3000);
    }

    @Test
    void unauthenticatedMultibulkLimit() {
        both.assertSameUntilClosed(Resp.bytes("*11\r\n"), 3000);
    }

    @Test
    void unauthenticatedBulkLimit() {
        both.assertSameUntilClosed(Resp.bytes("*1\r\n$16385\r\n"), 3000);
    }

    @Test
    void theLimitsAreInclusive() {
        both.assertSame("ECHO", "x".repeat(16384));
        ByteArrayOutputStream ten = new ByteArrayOutputStream();
        ten.writeBytes(Resp.command("AUTH", "a", "b", "c", "d", "e", "f", "g", "h", "i"));
        both.assertSameRaw(Normalizers.none(), ten.toByteArray(), 1);
    }

    @Test
    void authInTheSameWriteLiftsTheLimitsForTheNextCommand() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(Resp.command("AUTH", PASSWORD));
        String[] mset = new String[21];
        mset[0] = "MSET";
        for (int i = 1; i < mset.length; i += 2) {
            mset[i] = "auth-pipe-" + i;
            mset[i + 1] = "v";
        }
        stream.writeBytes(Resp.command(mset));
        stream.writeBytes(Resp.command("ECHO", "y".repeat(20_000)));
        stream.writeBytes(Resp.command("DEL", "auth-pipe-1", "auth-pipe-3", "auth-pipe-5", "auth-pipe-7", "auth-pipe-9",
                "auth-pipe-11", "auth-pipe-13", "auth-pipe-15", "auth-pipe-17", "auth-pipe-19"));
        both.assertSameRaw(Normalizers.none(), stream.toByteArray(), 4);
    }

    @Test
    void otherConnectionsStayUnauthenticated() {
        both.assertSame("AUTH", PASSWORD);
        try (Differential other = Differential.connect(servers.magpie(), servers.redis())) {
            other.assertSame("PING");
        }
    }
}
