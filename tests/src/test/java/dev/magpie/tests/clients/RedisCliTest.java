package dev.magpie.tests.clients;

import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.OracleAndMagpie;
import dev.magpie.tests.support.Resp;
import dev.magpie.tests.support.Subprocess;
import dev.magpie.tests.support.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * redis-cli as a subprocess against Magpie: one-shot commands, its human-readable output compared
 * with what it prints for redis-server, commands read from stdin, and --pipe mass insertion.
 */
class RedisCliTest {
    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie();
    private static Path cli;

    @BeforeAll
    static void findCli() {
        cli = Tools.redisCli();
    }

    private static Subprocess.Result cli(int port, byte[] stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(cli.toString(), "-h", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        return Subprocess.run(command, stdin, 60);
    }

    private static String magpieCli(String... args) {
        Subprocess.Result result = cli(servers.magpie().port(), null, args);
        assertEquals(0, result.exitCode(), result::toString);
        return result.out();
    }

    @Test
    void oneShotCommands() {
        assertEquals("PONG\n", magpieCli("PING"));
        assertEquals("OK\n", magpieCli("SET", "cli:k", "hello world"));
        assertEquals("hello world\n", magpieCli("GET", "cli:k"));
        assertEquals("\n", magpieCli("GET", "cli:missing"), "raw mode prints nil as an empty line");
        assertEquals("1\n", magpieCli("DEL", "cli:k"));
        assertEquals("-n 3 -x\n", magpieCli("ECHO", "-n 3 -x"));
    }

    @Test
    void humanReadableOutputMatchesRedis() {
        String[][] commands = {
                {"SET", "cli:h", "v"}, {"GET", "cli:h"}, {"GET", "cli:nothing"}, {"INCR", "cli:n"}, {"INCRBY", "cli:n", "-5"},
                {"MGET", "cli:h", "cli:nothing", "cli:n"}, {"EXPIRE", "cli:h", "100"}, {"TTL", "cli:nothing"},
                {"INCR", "cli:h"}, {"NOSUCHCOMMAND", "x"}, {"GET"}, {"ECHO", "multi\nline"}, {"PING"}, {"SELECT", "99"},
                {"DEL", "cli:h", "cli:n", "cli:nothing"}, {"EXISTS", "cli:h"},
        };
        for (String[] command : commands) {
            List<String> args = new ArrayList<>(List.of("--no-raw"));
            args.addAll(List.of(command));
            Subprocess.Result expected = cli(servers.redis().port(), null, args.toArray(String[]::new));
            Subprocess.Result actual = cli(servers.magpie().port(), null, args.toArray(String[]::new));
            assertEquals(expected.out(), actual.out(), () -> "redis-cli --no-raw " + Resp.describe(command));
            assertEquals(expected.exitCode(), actual.exitCode(), () -> "exit code of " + Resp.describe(command));
        }
    }

    @Test
    void commandsFromStdin() {
        byte[] script = "SET cli:in \"a b\"\nGET cli:in\nAPPEND cli:in '!'\nGET cli:in\nDEL cli:in\n"
                .getBytes(StandardCharsets.UTF_8);
        Subprocess.Result magpieRun = cli(servers.magpie().port(), script);
        Subprocess.Result redisRun = cli(servers.redis().port(), script);
        assertEquals("OK\na b\n4\na b!\n1\n", magpieRun.out(), magpieRun::toString);
        assertEquals(redisRun.out(), magpieRun.out());
    }

    @Test
    void pipeMassInsertion() {
        int count = 10_000;
        ByteArrayOutputStream protocol = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            protocol.writeBytes(Resp.command("SET", "mass:" + i, "value-" + i));
        }
        try (Magpie fresh = Magpie.start()) {
            List<String> command = List.of(cli.toString(), "-h", "127.0.0.1", "-p", String.valueOf(fresh.port()), "--pipe");
            Subprocess.Result result = Subprocess.run(command, protocol.toByteArray(), 60);
            assertEquals(0, result.exitCode(), result::toString);
            assertTrue(result.out().contains("errors: 0, replies: " + count), result::toString);
            try (var client = fresh.connect()) {
                assertEquals(":" + count + "\r\n", client.callText("DBSIZE"));
                assertEquals("$10\r\nvalue-9999\r\n", client.callText("GET", "mass:9999"));
            }
        }
    }

    @Test
    void pipeReportsErrors() {
        byte[] protocol = Resp.bytes("SET mass-err:a 1\r\nINCR mass-err:a\r\nNOSUCH\r\nSET mass-err:b\r\nDEL mass-err:a\r\n");
        Subprocess.Result magpieRun = Subprocess.run(List.of(cli.toString(), "-p", String.valueOf(servers.magpie().port()), "--pipe"),
                protocol, 60);
        Subprocess.Result redisRun = Subprocess.run(List.of(cli.toString(), "-p", String.valueOf(servers.redis().port()), "--pipe"),
                protocol, 60);
        assertTrue(magpieRun.out().contains("errors: 2, replies: 5"), magpieRun::toString);
        assertEquals(redisRun.out(), magpieRun.out());
    }
}
