package dev.magpie.server.persistence;

import dev.magpie.server.MagpieServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loading an AOF while the port is open: LOADING for clients meanwhile, every key afterwards; an
 * RDB preamble however its file is named; a bad preamble or a missing base stops the server.
 */
class AofLoadingTest {
    private static final String LOADING = "-LOADING Redis is loading the dataset in memory";

    @TempDir
    Path dir;

    /** 1000 keys and a list in the base (an RDB preamble), then 1000 INCRs in the incremental file. */
    private void build() throws Exception {
        MagpieServer first = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(first.port())) {
            for (int from = 0; from < 1000; from += 100) {
                List<String> mset = new ArrayList<>(List.of("MSET"));
                for (int i = from; i < from + 100; i++) {
                    mset.add("key:" + i);
                    mset.add("value-" + i);
                }
                assertEquals("+OK", c.call(mset.toArray(String[]::new)));
            }
            assertEquals(":3", c.call("RPUSH", "list", "a", "b", "c"));
            assertEquals(":1", c.call("PEXPIRE", "list", "100000000"));
            assertEquals("+Background append only file rewriting started", c.call("BGREWRITEAOF"));
            AofServers.awaitFirstRewrite(c);
            for (int i = 0; i < 1000; i++) {
                c.call("INCR", "counter");
            }
        } finally {
            first.close();
        }
    }

    private Path aofDir() {
        return dir.resolve("appendonlydir");
    }

    @Test
    void clientsGetLoadingWhileTheAofLoadsThenEveryKey() throws Exception {
        build();
        assertTrue(Files.exists(aofDir().resolve("appendonly.aof.2.base.rdb")));
        System.setProperty("magpie.key-load-delay-micros", "400");
        MagpieServer server;
        try {
            server = AofServers.launch(dir);
        } finally {
            System.clearProperty("magpie.key-load-delay-micros");
        }
        try (AofTestClient c = new AofTestClient(server.port())) {
            assertEquals(LOADING, c.call("PING"));
            assertEquals(LOADING, c.call("GET", "counter"));
            assertEquals(LOADING, c.call("SET", "during", "load"));
            String info = c.call("INFO", "persistence");
            assertTrue(info.contains("loading:1\r\n"), info);
            long total = Files.size(aofDir().resolve("appendonly.aof.2.base.rdb"))
                    + Files.size(aofDir().resolve("appendonly.aof.2.incr.aof"));
            assertTrue(info.contains("loading_total_bytes:" + total + "\r\n"), info);
            assertTrue(info.contains("loading_loaded_perc:"), info);
            assertTrue(server.engine().persistence().awaitLoaded(30_000), "load did not finish");
            assertEquals(":1002", c.call("DBSIZE"));
            assertEquals("$1000", c.call("GET", "counter"));
            assertEquals("$value-999", c.call("GET", "key:999"));
            assertEquals("*[$a, $b, $c]", c.call("LRANGE", "list", "0", "-1"));
            assertTrue(Long.parseLong(c.call("PTTL", "list").substring(1)) > 99_000_000L);
            info = c.call("INFO", "persistence");
            assertTrue(info.contains("loading:0\r\n") && !info.contains("loading_total_bytes"), info);
            assertTrue(info.contains("rdb_last_load_keys_loaded:1001\r\n"), info);
            assertTrue(info.contains("rdb_changes_since_last_save:1000\r\n"), info);
            // Writes are appended again once loaded.
            assertEquals("+OK", c.call("SET", "after", "load"));
        } finally {
            server.close();
        }
        MagpieServer again = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(again.port())) {
            assertEquals("$load", c.call("GET", "after"));
            assertEquals(":1003", c.call("DBSIZE"));
        } finally {
            again.close();
        }
    }

    /** A preamble in a base named .aof, followed by commands: how Redis 7 takes over an older single AOF. */
    @Test
    void aPreambleLoadsWhateverTheFileIsNamedAndItsTailToo() throws Exception {
        build();
        byte[] rdb = Files.readAllBytes(aofDir().resolve("appendonly.aof.2.base.rdb"));
        ByteArrayOutputStream base = new ByteArrayOutputStream();
        base.writeBytes(rdb);
        base.writeBytes("*3\r\n$3\r\nSET\r\n$4\r\ntail\r\n$3\r\nyes\r\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(aofDir().resolve("appendonly.aof.2.base.aof"), base.toByteArray());
        Files.delete(aofDir().resolve("appendonly.aof.2.base.rdb"));
        Files.writeString(aofDir().resolve("appendonly.aof.manifest"),
                "file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
        MagpieServer server = AofServers.start(dir);
        try (AofTestClient c = new AofTestClient(server.port())) {
            assertEquals("$yes", c.call("GET", "tail"));
            assertEquals("$1000", c.call("GET", "counter"));
            assertEquals(":1003", c.call("DBSIZE"));
        } finally {
            server.close();
        }
    }

    @Test
    void aCorruptPreambleStopsTheServer() throws Exception {
        build();
        Path base = aofDir().resolve("appendonly.aof.2.base.rdb");
        byte[] bytes = Files.readAllBytes(base);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(base, bytes);
        String failure = AofServers.startFailing(dir);
        assertTrue(failure.startsWith("Bad RDB preamble in the append only file appendonly.aof.2.base.rdb"), failure);
        assertTrue(failure.contains("offset"), failure);
    }

    @Test
    void aMissingBaseStopsTheServer() throws Exception {
        build();
        Files.delete(aofDir().resolve("appendonly.aof.2.base.rdb"));
        assertEquals("The AOF file appendonly.aof.2.base.rdb doesn't exist", AofServers.startFailing(dir));
    }
}
