package dev.magpie.tests.persistence;

import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BGSAVE's point-in-time view under concurrent writes, loading at startup, and saving at shutdown. */
class SnapshotLifecycleTest {
    @TempDir
    Path dir;

    private static long integer(String reply) {
        return Long.parseLong(reply.trim().substring(1));
    }

    private static Magpie startLoaded(Path dir, String... flags) throws InterruptedException {
        String[] all = new String[flags.length + 2];
        all[0] = "--dir";
        all[1] = dir.toString();
        System.arraycopy(flags, 0, all, 2, flags.length);
        Magpie magpie = Magpie.start(all);
        assertTrue(magpie.server().engine().persistence().awaitLoaded(30_000), "load did not finish");
        return magpie;
    }

    @Test
    void bgsaveIsAPointInTimeViewWhileWritersAndReadersRun() throws Exception {
        int fillers = 200_000;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong pairs = new AtomicLong();
        long counterAfterBgsave;
        try (Magpie magpie = startLoaded(dir, "--save", ""); RawRespClient admin = magpie.connect()) {
            Datasets.fill(admin, "filler:", fillers);
            admin.call("SET", "counter", "0");
            admin.call("RPUSH", "list", "start");
            Thread writer = new Thread(() -> {
                try (RawRespClient client = magpie.connect()) {
                    for (long i = 1; !stop.get(); i++) {
                        // Lockstep: counter, list length, deleted fillers and new keys all move together.
                        client.call("INCR", "counter");
                        client.call("RPUSH", "list", "e" + i);
                        client.call("DEL", "filler:" + i);
                        client.call("SET", "new:" + i, "x");
                        pairs.set(i);
                    }
                }
            });
            // Fast reads of keys the walk has not reached leave them to the walk; the writes that
            // follow must still record the values they had when BGSAVE started.
            Thread reader = new Thread(() -> {
                try (RawRespClient client = magpie.connect()) {
                    for (long i = 1; !stop.get(); i++) {
                        client.call("GET", "counter");
                        client.call("MGET", "filler:" + (i % fillers), "filler:" + (i * 7 % fillers));
                        client.call("EXISTS", "new:" + i);
                        client.call("LLEN", "list");
                    }
                }
            });
            writer.start();
            reader.start();
            while (pairs.get() < 200) {
                Thread.sleep(1);
            }
            assertEquals("+Background saving started", admin.callText("BGSAVE").trim());
            counterAfterBgsave = Long.parseLong(admin.callText("GET", "counter").split("\r\n")[1]);
            assertEquals("ERR Background save already in progress", admin.callText("BGSAVE").trim().substring(1));
            long deadline = System.currentTimeMillis() + 30_000;
            while (!"0".equals(Datasets.persistenceField(admin, "rdb_bgsave_in_progress")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            stop.set(true);
            writer.join();
            reader.join();
            assertEquals("ok", Datasets.persistenceField(admin, "rdb_last_bgsave_status"));
            assertTrue(pairs.get() > counterAfterBgsave, "writes went on during the snapshot");
        }
        try (Magpie loaded = startLoaded(dir, "--save", ""); RawRespClient client = loaded.connect()) {
            long counter = Long.parseLong(client.callText("GET", "counter").split("\r\n")[1]);
            long listLength = integer(client.callText("LLEN", "list")) - 1;
            long newKeys = Datasets.strings(client.call("KEYS", "new:*")).size();
            long fillersLeft = Datasets.strings(client.call("KEYS", "filler:*")).size();
            assertTrue(counter > 0 && counter <= counterAfterBgsave,
                    "the snapshot holds the counter as of BGSAVE: " + counter + " <= " + counterAfterBgsave);
            assertTrue(counter - listLength >= 0 && counter - listLength <= 1, counter + " vs list " + listLength);
            assertTrue(listLength - (fillers - fillersLeft) >= 0 && listLength - (fillers - fillersLeft) <= 1,
                    "list " + listLength + " vs deleted fillers " + (fillers - fillersLeft));
            assertTrue(fillers - fillersLeft - newKeys >= 0 && fillers - fillersLeft - newKeys <= 1,
                    "deleted fillers " + (fillers - fillersLeft) + " vs new keys " + newKeys);
        }
    }

    /** Starts a server on {@code dir}, whose file must not load: it must stop with exit code 1. */
    private static void assertLoadingStopsTheServer(Path dir) throws InterruptedException {
        Magpie magpie = Magpie.start("--dir", dir.toString());
        try {
            Thread waiter = new Thread(() -> {
                try {
                    magpie.server().awaitStop();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            });
            waiter.start();
            waiter.join(10_000);
            assertFalse(waiter.isAlive(), "the server stopped");
            assertEquals(1, magpie.server().exitCode());
        } finally {
            magpie.close();
        }
    }

    @Test
    void clientsGetLoadingWhileABigFileLoads() throws Exception {
        try (Magpie magpie = startLoaded(dir, "--save", ""); RawRespClient client = magpie.connect()) {
            Datasets.fill(client, "k", 3000);
            client.call("SAVE");
        }
        System.setProperty("magpie.key-load-delay-micros", "500");
        try (Magpie magpie = Magpie.start("--dir", dir.toString()); RawRespClient client = magpie.connect()) {
            System.clearProperty("magpie.key-load-delay-micros");
            assertEquals("-LOADING Redis is loading the dataset in memory", client.callText("PING").trim());
            assertEquals("1", Datasets.persistenceField(client, "loading"), "INFO answers while loading");
            assertTrue(magpie.server().engine().persistence().awaitLoaded(30_000));
            assertEquals(":3000", client.callText("DBSIZE").trim());
            assertEquals("3000", Datasets.persistenceField(client, "rdb_last_load_keys_loaded"));
        } finally {
            System.clearProperty("magpie.key-load-delay-micros");
        }
    }

    @Test
    void aTruncatedFileStopsTheServerInsteadOfServingPartOfIt() throws Exception {
        try (Magpie magpie = startLoaded(dir, "--save", ""); RawRespClient client = magpie.connect()) {
            Datasets.fill(client, "k", 2000);
            client.call("SAVE");
        }
        Path file = dir.resolve("dump.rdb");
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertLoadingStopsTheServer(dir);
    }

    @Test
    void loadedStringsKeepTheirEncodingAndExpiryAndKeysPastTheirTimeAreLeftOut() throws Exception {
        try (Magpie magpie = startLoaded(dir, "--save", ""); RawRespClient client = magpie.connect()) {
            client.call("SET", "gone", "v", "PX", "150");
            client.call("SET", "soon", "v", "PX", "1500");
            client.call("SET", "counter", "-12345");
            client.call("SET", "short", "x".repeat(44));
            client.call("SET", "long", "y".repeat(45));
            client.call("SAVE");
        }
        Thread.sleep(300);
        try (Magpie magpie = startLoaded(dir, "--save", ""); RawRespClient client = magpie.connect()) {
            assertEquals("1", Datasets.persistenceField(client, "rdb_last_load_keys_expired"));
            assertEquals("4", Datasets.persistenceField(client, "rdb_last_load_keys_loaded"));
            assertEquals(":0", client.callText("EXISTS", "gone").trim());
            assertEquals("$3\r\nint", client.callText("OBJECT", "ENCODING", "counter").trim());
            assertEquals(":-12344", client.callText("INCR", "counter").trim());
            assertEquals("$6\r\nembstr", client.callText("OBJECT", "ENCODING", "short").trim());
            assertEquals("$3\r\nraw", client.callText("OBJECT", "ENCODING", "long").trim());
            assertEquals(":-1", client.callText("PTTL", "long").trim());
            long ttl = integer(client.callText("PTTL", "soon"));
            assertTrue(ttl > 0 && ttl <= 1200, "the TTL is kept: " + ttl);
            // Never touched again: the active expiry cycle must find it among the expiring keys.
            long deadline = System.currentTimeMillis() + 10_000;
            while (integer(client.callText("DBSIZE")) != 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(":3", client.callText("DBSIZE").trim());
        }
    }

    @Test
    void aFileWithAKeyTwiceStopsTheServer() throws Exception {
        try (Magpie magpie = startLoaded(dir, "--save", "", "--rdbchecksum", "no");
             RawRespClient client = magpie.connect()) {
            client.call("SET", "twinA", "first");
            client.call("SET", "twinB", "other");
            client.call("SAVE");
        }
        Path file = dir.resolve("dump.rdb");
        String bytes = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(bytes.contains("twinB"), "the key is stored as written");
        Files.write(file, bytes.replace("twinB", "twinA").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertLoadingStopsTheServer(dir);
    }

    @Test
    void shutdownSavesWhenAskedOrConfiguredAndNosaveDoesNot() throws Exception {
        Path file = dir.resolve("dump.rdb");
        try (Magpie magpie = startLoaded(dir, "--save", ""); RawRespClient client = magpie.connect()) {
            client.call("SET", "a", "1");
            client.send("SHUTDOWN", "SAVE");
            assertTrue(client.closedByPeerWithin(5000));
        }
        assertTrue(Files.exists(file), "SHUTDOWN SAVE wrote the file");
        try (Magpie magpie = startLoaded(dir, "--save", "3600 1"); RawRespClient client = magpie.connect()) {
            assertEquals("$1\r\n1\r\n", client.callText("GET", "a"));
            client.call("SET", "b", "2");
            client.send("SHUTDOWN", "NOSAVE");
            assertTrue(client.closedByPeerWithin(5000));
        }
        try (Magpie magpie = startLoaded(dir, "--save", "3600 1"); RawRespClient client = magpie.connect()) {
            assertEquals("$-1\r\n", client.callText("GET", "b"), "NOSAVE kept the old file");
            client.call("SET", "c", "3");
            assertEquals("1", Datasets.persistenceField(client, "rdb_changes_since_last_save"));
        }
        // Closing the server (a stop signal) saved because a save point is configured.
        try (Magpie magpie = startLoaded(dir, "--save", ""); RawRespClient client = magpie.connect()) {
            assertEquals("$1\r\n3\r\n", client.callText("GET", "c"));
            long lastSave = integer(client.callText("LASTSAVE"));
            assertTrue(Math.abs(lastSave - System.currentTimeMillis() / 1000) < 5);
        }
    }
}
