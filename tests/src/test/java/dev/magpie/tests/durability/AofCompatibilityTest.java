package dev.magpie.tests.durability;

import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.RedisOracle;
import dev.magpie.tests.support.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The multi-part AOF directory moves both ways between Magpie and a real Redis 7.0: a base
 * (written by BGREWRITEAOF, as an RDB preamble or as commands) plus an incremental file, for
 * every type, with expire times and the commands whose replay needs rewriting (INCRBYFLOAT,
 * SPOP, relative expires).
 */
class AofCompatibilityTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    void magpieAofLoadsInRedis(String preamble) throws Exception {
        Path magpieDir = Files.createDirectories(dir.resolve("magpie"));
        TreeMap<String, String> expected;
        try (Magpie magpie = Magpie.start("--dir", magpieDir.toString(), "--appendonly", "yes",
                "--appendfsync", "always", "--aof-use-rdb-preamble", preamble); RawRespClient client = magpie.connect()) {
            run(client, dataset(1));
            rewriteAndWait(client);
            run(client, dataset(2)); // after the rewrite: into the new incremental file
            expected = describe(client);
        }
        assertTrue(expected.size() > 40, "keys: " + expected.size());
        assertBase(magpieDir, 2, preamble);
        try (RedisOracle redis = RedisOracle.start("--dir", magpieDir.toString(), "--appendonly", "yes");
             RawRespClient client = redis.connect()) {
            assertEquals(expected, describe(client), "Magpie's AOF loaded in Redis");
        }
    }

    /** The base written when the AOF is first enabled: at startup, then by CONFIG SET appendonly yes. */
    @Test
    void firstBasesLoadInRedis() throws Exception {
        Path atStartup = Files.createDirectories(dir.resolve("startup"));
        Path switchedOn = Files.createDirectories(dir.resolve("switched"));
        Map<Path, TreeMap<String, String>> expected = new LinkedHashMap<>();
        try (Magpie magpie = Magpie.start("--dir", atStartup.toString(), "--appendonly", "yes");
             RawRespClient client = magpie.connect()) {
            run(client, dataset(3));
            expected.put(atStartup, describe(client));
        }
        assertBase(atStartup, 1, "yes");
        try (Magpie magpie = Magpie.start("--dir", switchedOn.toString(), "--appendonly", "no");
             RawRespClient client = magpie.connect()) {
            run(client, dataset(3));
            String before = field(client, "aof_rewrites");
            assertEquals("+OK", client.callText("CONFIG", "SET", "appendonly", "yes").trim());
            awaitRewrite(client, before);
            run(client, dataset(4));
            expected.put(switchedOn, describe(client));
        }
        assertBase(switchedOn, 1, "yes");
        for (Map.Entry<Path, TreeMap<String, String>> written : expected.entrySet()) {
            try (RedisOracle redis = RedisOracle.start("--dir", written.getKey().toString(), "--appendonly", "yes");
                 RawRespClient client = redis.connect()) {
                assertEquals(written.getValue(), describe(client),
                        "Magpie's AOF in " + written.getKey().getFileName() + " loaded in Redis");
            }
        }
    }

    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    void redisAofLoadsInMagpie(String preamble) throws Exception {
        TreeMap<String, String> expected;
        Path copy = Files.createDirectories(dir.resolve("fromredis"));
        try (RedisOracle redis = RedisOracle.start("--appendonly", "yes", "--aof-use-rdb-preamble", preamble,
                "--appendfsync", "always"); RawRespClient client = redis.connect()) {
            run(client, dataset(1));
            rewriteAndWait(client);
            run(client, dataset(2));
            expected = describe(client);
            Path redisDir = Path.of(strings(client.call("CONFIG", "GET", "dir")).get(1)).resolve("appendonlydir");
            Path target = Files.createDirectories(copy.resolve("appendonlydir"));
            try (Stream<Path> files = Files.list(redisDir)) {
                for (Path file : files.toList()) {
                    Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        assertBase(copy, 2, preamble);
        // Magpie's own preamble setting does not matter for loading: the file says what it is.
        try (Magpie magpie = Magpie.start("--dir", copy.toString(), "--appendonly", "yes",
                "--aof-use-rdb-preamble", preamble.equals("yes") ? "no" : "yes");
             RawRespClient client = magpie.connect()) {
            assertTrue(magpie.server().engine().persistence().awaitLoaded(30_000),
                    "load did not finish: " + magpie.server().engine().aof().loadFailure());
            assertEquals(expected, describe(client), "Redis's AOF loaded in Magpie");
        }
    }

    /** The manifest names base {@code seq} in the form the preamble setting asks for, and the file is that form. */
    private static void assertBase(Path dataDir, int seq, String preamble) throws IOException {
        Path aofDir = dataDir.resolve("appendonlydir");
        String name = "appendonly.aof." + seq + ".base." + (preamble.equals("yes") ? "rdb" : "aof");
        String manifest = Files.readString(aofDir.resolve("appendonly.aof.manifest"));
        assertTrue(manifest.startsWith("file " + name + " seq " + seq + " type b\n"), manifest);
        byte[] bytes = Files.readAllBytes(aofDir.resolve(name));
        String head = new String(bytes, 0, Math.min(5, bytes.length), StandardCharsets.ISO_8859_1);
        if (preamble.equals("yes")) {
            assertEquals("REDIS", head, name);
        } else {
            assertTrue(bytes.length == 0 || head.startsWith("*"), name + " starts with " + head);
        }
    }

    private static void rewriteAndWait(RawRespClient client) throws InterruptedException {
        String before = field(client, "aof_rewrites");
        assertTrue(client.callText("BGREWRITEAOF").startsWith("+Background append only file rewriting"));
        awaitRewrite(client, before);
    }

    private static void awaitRewrite(RawRespClient client, String before) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (!field(client, "aof_rewrites").equals(before) && field(client, "aof_rewrite_in_progress").equals("0")) {
                assertEquals("ok", field(client, "aof_last_bgrewrite_status"));
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the rewrite did not finish");
    }

    private static String field(RawRespClient client, String name) {
        for (String line : Resp.latin1(client.call("INFO", "persistence")).split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1);
            }
        }
        return "";
    }

    /** Every type in two databases, small and large encodings, expire times and rewritten commands. */
    private static List<String[]> dataset(long seed) {
        Random random = new Random(seed);
        List<String[]> out = new ArrayList<>();
        String p = "r" + seed + ":";
        for (int db : new int[] {0, 3}) {
            out.add(new String[] {"SELECT", Integer.toString(db)});
            for (int i = 0; i < 10; i++) {
                out.add(new String[] {"SET", p + "s" + i, i % 2 == 0 ? Integer.toString(random.nextInt()) : "t".repeat(i * 7)});
            }
            out.add(new String[] {"SET", p + "ex", "v", "EX", "100000"});
            out.add(new String[] {"EXPIRE", p + "s1", "500000"});
            out.add(new String[] {"PEXPIREAT", p + "s2", "4000000000000"});
            out.add(new String[] {"INCRBYFLOAT", p + "float", "3.25"});
            out.add(new String[] {"INCR", p + "s0"});
            for (int size : new int[] {3, 300}) {
                List<String> list = new ArrayList<>(List.of("RPUSH", p + "list" + size));
                List<String> hash = new ArrayList<>(List.of("HSET", p + "hash" + size));
                List<String> ints = new ArrayList<>(List.of("SADD", p + "ints" + size));
                List<String> set = new ArrayList<>(List.of("SADD", p + "set" + size));
                List<String> zset = new ArrayList<>(List.of("ZADD", p + "zset" + size));
                for (int i = 0; i < size; i++) {
                    list.add("e" + i);
                    hash.add("f" + i);
                    hash.add("v" + random.nextInt(1000));
                    ints.add(Integer.toString(i * 3 - 7));
                    set.add("m" + i);
                    zset.add(Double.toString(random.nextDouble() * 100 - 50));
                    zset.add("z" + i);
                }
                out.add(list.toArray(String[]::new));
                out.add(hash.toArray(String[]::new));
                out.add(ints.toArray(String[]::new));
                out.add(set.toArray(String[]::new));
                out.add(zset.toArray(String[]::new));
            }
            out.add(new String[] {"SPOP", p + "set300", "5"});
            out.add(new String[] {"LPOP", p + "list300"});
            out.add(new String[] {"HINCRBYFLOAT", p + "hash3", "num", "1.5"});
            out.add(new String[] {"ZINCRBY", p + "zset3", "2", "z1"});
            out.add(new String[] {"HDEL", p + "hash300", "f7"});
        }
        out.add(new String[] {"SELECT", "0"});
        return out;
    }

    private static void run(RawRespClient client, List<String[]> commands) {
        for (String[] command : commands) {
            byte[] reply = client.call(command);
            if (reply[0] == '-') {
                throw new AssertionError(String.join(" ", command) + " failed: " + Resp.latin1(reply));
            }
        }
    }

    /** Every key of databases 0..3: "db/key" -> type, normalized content and expire time. */
    private static TreeMap<String, String> describe(RawRespClient client) {
        TreeMap<String, String> keys = new TreeMap<>();
        for (int db = 0; db < 4; db++) {
            client.call("SELECT", Integer.toString(db));
            for (String key : strings(client.call("KEYS", "*"))) {
                String type = Resp.latin1(client.call("TYPE", key)).trim();
                String content = switch (type) {
                    case "+string" -> Resp.latin1(client.call("GET", key));
                    case "+list" -> strings(client.call("LRANGE", key, "0", "-1")).toString();
                    case "+hash" -> new TreeSet<>(pairs(strings(client.call("HGETALL", key)))).toString();
                    case "+set" -> new TreeSet<>(strings(client.call("SMEMBERS", key))).toString();
                    case "+zset" -> strings(client.call("ZRANGE", key, "0", "-1", "WITHSCORES")).toString();
                    default -> throw new AssertionError("unexpected type " + type);
                };
                keys.put(db + "/" + key, type + " " + content + " expireat="
                        + Resp.latin1(client.call("PEXPIRETIME", key)).trim());
            }
        }
        client.call("SELECT", "0");
        return keys;
    }

    private static List<String> pairs(List<String> flat) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            pairs.add(flat.get(i) + "=" + flat.get(i + 1));
        }
        return pairs;
    }

    private static List<String> strings(byte[] reply) {
        List<String> out = new ArrayList<>();
        String text = Resp.latin1(reply);
        int at = text.indexOf("\r\n") + 2;
        while (at < text.length()) {
            int end = text.indexOf("\r\n", at);
            int length = Integer.parseInt(text.substring(at + 1, end));
            out.add(text.substring(end + 2, end + 2 + length));
            at = end + 2 + length + 2;
        }
        return out;
    }
}
