package dev.magpie.tests.persistence;

import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.RedisOracle;
import dev.magpie.tests.support.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RDB files and DUMP payloads move both ways between Magpie and a real Redis 7.0 with identical
 * contents: every key, type, value and expire time, across every encoding.
 */
class RdbCompatibilityTest {
    @TempDir
    Path dir;

    private static Magpie startMagpie(Path dir) throws InterruptedException {
        Magpie magpie = Magpie.start("--dir", dir.toString(), "--save", "");
        assertTrue(magpie.server().engine().persistence().awaitLoaded(30_000), "load did not finish");
        return magpie;
    }

    @Test
    void magpieFilesLoadInRedisAndRedisFilesLoadInMagpie() throws Exception {
        List<String[]> commands = Datasets.commands(42);
        Path magpieDir = Files.createDirectories(dir.resolve("magpie"));
        TreeMap<String, String> magpieKeys;
        try (Magpie magpie = startMagpie(magpieDir); RawRespClient client = magpie.connect()) {
            Datasets.load(client, commands);
            magpieKeys = Datasets.describe(client);
            assertEquals("+OK", client.callText("SAVE").trim());
        }
        assertTrue(magpieKeys.size() > 50, "the dataset has keys: " + magpieKeys.size());
        TreeMap<String, String> redisKeys;
        try (RedisOracle redis = RedisOracle.start("--dir", magpieDir.toString(), "--dbfilename", "dump.rdb");
             RawRespClient client = redis.connect()) {
            assertEquals(magpieKeys, Datasets.describe(client), "Magpie's file loaded in Redis");
            client.call("FLUSHALL");
            Datasets.load(client, commands);
            // Small thresholds make Redis write many quicklist nodes and the plain encodings too.
            redisKeys = Datasets.describe(client);
            assertEquals("+OK", client.callText("SAVE").trim());
            Path redisDir = Files.createDirectories(dir.resolve("redis"));
            Files.copy(Path.of(Datasets.strings(client.call("CONFIG", "GET", "dir")).get(1)).resolve("dump.rdb"),
                    redisDir.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
            try (Magpie magpie = startMagpie(redisDir); RawRespClient fromRedis = magpie.connect()) {
                assertEquals(redisKeys, Datasets.describe(fromRedis), "Redis's file loaded in Magpie");
                String info = fromRedis.callText("INFO", "persistence");
                assertTrue(info.contains("rdb_last_load_keys_loaded:" + redisKeys.size()), info);
            }
        }
        assertEquals(magpieKeys, redisKeys, "both servers built the same dataset");
    }

    @Test
    void smallNodeAndEncodingThresholdsRoundTrip() throws Exception {
        List<String[]> commands = Datasets.commands(7);
        String[] small = {"--list-max-listpack-size", "3", "--hash-max-listpack-entries", "4",
            "--zset-max-listpack-entries", "4", "--set-max-intset-entries", "4"};
        try (RedisOracle redis = RedisOracle.start(small); RawRespClient client = redis.connect()) {
            Datasets.load(client, commands);
            TreeMap<String, String> expected = Datasets.describe(client);
            client.call("SAVE");
            Path redisDir = Files.createDirectories(dir.resolve("small"));
            String oracleDir = Datasets.strings(client.call("CONFIG", "GET", "dir")).get(1);
            Files.copy(Path.of(oracleDir).resolve("dump.rdb"), redisDir.resolve("dump.rdb"));
            try (Magpie magpie = startMagpie(redisDir); RawRespClient loaded = magpie.connect()) {
                assertEquals(expected, Datasets.describe(loaded));
                assertEquals("+OK", loaded.callText("SAVE").trim());
            }
            client.call("CONFIG", "SET", "dir", redisDir.toString());
            client.call("DEBUG", "RELOAD", "NOSAVE");
            assertEquals(expected, Datasets.describe(client), "Redis reloads Magpie's rewrite of its file");
        }
    }

    @Test
    void dumpPayloadsRestoreBothWays() throws Exception {
        List<String[]> commands = Datasets.commands(3);
        try (Magpie magpie = startMagpie(dir); RedisOracle redis = RedisOracle.start();
             RawRespClient m = magpie.connect(); RawRespClient r = redis.connect()) {
            Datasets.load(m, commands);
            Datasets.load(r, commands);
            TreeMap<String, String> expected = Datasets.describe(r);
            int moved = 0;
            for (String dbKey : expected.keySet()) {
                String db = dbKey.substring(0, dbKey.indexOf('/'));
                String key = dbKey.substring(dbKey.indexOf('/') + 1);
                m.call("SELECT", db);
                r.call("SELECT", db);
                byte[] fromRedis = bulk(r.call("DUMP", key));
                byte[] fromMagpie = bulk(m.call("DUMP", key));
                assertEquals("+OK\r\n", Resp.latin1(m.send("RESTORE".getBytes(), ("r:" + key).getBytes(), "0".getBytes(), fromRedis).readReply()));
                assertEquals("+OK\r\n", Resp.latin1(r.send("RESTORE".getBytes(), ("m:" + key).getBytes(), "0".getBytes(), fromMagpie).readReply()));
                moved++;
            }
            TreeMap<String, String> inMagpie = prefixed(Datasets.describe(m), "r:");
            TreeMap<String, String> inRedis = prefixed(Datasets.describe(r), "m:");
            assertEquals(withoutExpiry(expected), inMagpie, "Redis payloads restored in Magpie");
            assertEquals(withoutExpiry(expected), inRedis, "Magpie payloads restored in Redis");
            assertTrue(moved > 50);
            byte[] good = bulk(m.call("DUMP", "str:2"));
            good[good.length - 1] ^= 1;
            String bad = Resp.latin1(m.send("RESTORE".getBytes(), "x".getBytes(), "0".getBytes(), good).readReply()).trim();
            assertEquals(Resp.latin1(r.send("RESTORE".getBytes(), "x".getBytes(), "0".getBytes(), good).readReply()).trim(), bad);
            assertEquals("-ERR DUMP payload version or checksum are wrong", bad);
        }
    }

    private static byte[] bulk(byte[] reply) {
        String text = Resp.latin1(reply);
        int start = text.indexOf("\r\n") + 2;
        int length = Integer.parseInt(text.substring(1, start - 2));
        return java.util.Arrays.copyOfRange(reply, start, start + length);
    }

    private static TreeMap<String, String> prefixed(TreeMap<String, String> keys, String prefix) {
        TreeMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String db = e.getKey().substring(0, e.getKey().indexOf('/') + 1);
            String key = e.getKey().substring(db.length());
            if (key.startsWith(prefix)) {
                out.put(db + key.substring(prefix.length()), e.getValue().replaceAll(" expireat=.*$", ""));
            }
        }
        return out;
    }

    private static TreeMap<String, String> withoutExpiry(TreeMap<String, String> keys) {
        TreeMap<String, String> out = new TreeMap<>();
        keys.forEach((k, v) -> out.put(k, v.replaceAll(" expireat=.*$", "")));
        return out;
    }
}
