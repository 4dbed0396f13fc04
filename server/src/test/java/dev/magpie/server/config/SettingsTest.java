package dev.magpie.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {
    @TempDir
    Path dir;

    private static String reason(Runnable action) {
        return assertThrows(IllegalArgumentException.class, action::run).getMessage();
    }

    @Test
    void memoryValuesTakeRedisUnits() {
        Settings settings = new Settings();
        Setting maxmemory = settings.find("maxmemory");
        maxmemory.set("1kb");
        assertEquals(1024L, maxmemory.value());
        maxmemory.set("1k");
        assertEquals(1000L, maxmemory.value());
        maxmemory.set("2GB");
        assertEquals(2L * 1024 * 1024 * 1024, maxmemory.value());
        maxmemory.set("3m");
        assertEquals("3000000", maxmemory.text());
        assertEquals("argument must be a memory value", reason(() -> maxmemory.set("10xb")));
        assertEquals("argument must be a memory value", reason(() -> maxmemory.set("-1")));
        assertEquals("argument must be a memory value", reason(() -> maxmemory.set("")));
        assertEquals("536870912", settings.text("proto-max-bulk-len"));
        assertEquals("argument must be between 1048576 and 9223372036854775807 inclusive",
                reason(() -> settings.find("proto-max-bulk-len").set("10")));
    }

    @Test
    void integersAreStrictAndBounded() {
        Settings settings = new Settings();
        Setting timeout = settings.find("timeout");
        assertEquals("argument couldn't be parsed into an integer", reason(() -> timeout.set("abc")));
        assertEquals("argument couldn't be parsed into an integer", reason(() -> timeout.set("+5")));
        assertEquals("argument couldn't be parsed into an integer", reason(() -> timeout.set("05")));
        assertEquals("argument couldn't be parsed into an integer", reason(() -> timeout.set(" 5")));
        assertEquals("argument must be between 0 and 2147483647 inclusive", reason(() -> timeout.set("-1")));
        assertEquals("argument must be between -1 and 9223372036854775807 inclusive",
                reason(() -> settings.find("slowlog-log-slower-than").set("-2")));
        timeout.set("30");
        assertEquals(30L, settings.integer("timeout"));
    }

    @Test
    void hzIsClampedLikeRedis() {
        Setting hz = new Settings().find("hz");
        hz.set("0");
        assertEquals("1", hz.text());
        hz.set("600");
        assertEquals("500", hz.text());
        hz.set("100");
        assertEquals("100", hz.text());
    }

    @Test
    void booleansAndEnums() {
        Settings settings = new Settings();
        Setting appendonly = settings.find("appendonly");
        appendonly.set("YES");
        assertTrue(settings.bool("appendonly"));
        assertEquals("yes", appendonly.text());
        assertEquals("argument must be 'yes' or 'no'", reason(() -> appendonly.set("maybe")));
        Setting policy = settings.find("maxmemory-policy");
        policy.set("AllKeys-LRU");
        assertEquals("allkeys-lru", policy.text());
        assertEquals("argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, "
                + "volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction", reason(() -> policy.set("lru")));
        assertEquals("argument(s) must be one of the following: everysec, always, no",
                reason(() -> settings.find("appendfsync").set("sometimes")));
    }

    @Test
    void saveAndKeyspaceEventsAreValidatedAndNormalised() {
        Settings settings = new Settings();
        Setting save = settings.find("save");
        save.set("3600 1  300 100");
        assertEquals("3600 1 300 100", save.text());
        save.set("");
        assertEquals("", save.text());
        assertEquals("Invalid save parameters", reason(() -> save.set("10")));
        assertEquals("Invalid save parameters", reason(() -> save.set("a b")));
        Setting events = settings.find("notify-keyspace-events");
        events.set("KEA");
        assertEquals("AKE", events.text());
        events.set("Ex$");
        assertEquals("$xE", events.text());
        assertEquals("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.", reason(() -> events.set("Q")));
    }

    @Test
    void aliasesFindTheSameSetting() {
        Settings settings = new Settings();
        assertSame(settings.find("hash-max-listpack-entries"), settings.find("HASH-MAX-ZIPLIST-ENTRIES"));
        assertSame(settings.find("replica-read-only"), settings.find("slave-read-only"));
        assertNull(settings.find("no-such-setting"));
    }

    @Test
    void listenersSeeChangesAndCanRejectThem() {
        Setting hz = new Settings().find("hz");
        int[] seen = new int[1];
        hz.listen(s -> seen[0]++);
        hz.listen(s -> {
            if ((Long) s.value() == 42) {
                throw new IllegalArgumentException("not that one");
            }
        });
        hz.set("20");
        assertEquals("not that one", reason(() -> hz.set("42")));
        assertEquals("20", hz.text());
        assertTrue(seen[0] >= 2);
    }

    @Test
    void configFileFlagsAndEnvironmentApplyInOrder() throws IOException {
        Path file = dir.resolve("redis.conf");
        Files.writeString(file, "# a comment\n\nport 7000\nmaxmemory 1mb\nsave 900 1\nsave 300 10\n"
                + "requirepass \"with space\"\nhash-max-ziplist-entries 64\n");
        Settings settings = ConfigLoader.load(new String[] {file.toString(), "--port", "7001", "--hz", "20"},
                Map.of("MAGPIE_HZ", "15", "MAGPIE_TIMEOUT", "9"));
        assertEquals(7001L, settings.integer("port"));
        assertEquals(1048576L, settings.integer("maxmemory"));
        assertEquals("900 1 300 10", settings.text("save"));
        assertEquals("with space", settings.text("requirepass"));
        assertEquals(64L, settings.integer("hash-max-listpack-entries"));
        assertEquals(20L, settings.integer("hz"), "a flag overrides the environment");
        assertEquals(9L, settings.integer("timeout"));
        assertEquals(file.toAbsolutePath().toString(), settings.configFile());
    }

    @Test
    void configFileErrorsNameTheLine() throws IOException {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "port 7000\n# fine so far\nhz abc\n");
        String message = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[] {file.toString()}, Map.of())).getMessage();
        assertTrue(message.contains("*** FATAL CONFIG FILE ERROR"), message);
        assertTrue(message.contains("Reading the configuration file, at line 3\n>>> 'hz abc'\n"
                + "argument couldn't be parsed into an integer"), message);

        Files.writeString(file, "port 7000\nno-such-directive 1\n");
        message = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[] {file.toString()}, Map.of())).getMessage();
        assertTrue(message.contains("at line 2\n>>> 'no-such-directive 1'\nBad directive or wrong number of arguments"),
                message);

        Files.writeString(file, "requirepass \"unbalanced\n");
        message = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[] {file.toString()}, Map.of())).getMessage();
        assertTrue(message.contains("at line 1") && message.contains("Unbalanced quotes in configuration line"), message);

        message = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[] {"--maxmemory", "lots"}, Map.of())).getMessage();
        assertTrue(message.contains("Reading the command line") && message.contains("argument must be a memory value"),
                message);
    }

    @Test
    void missingConfigFileIsFatal() {
        String message = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[] {dir.resolve("absent.conf").toString()}, Map.of())).getMessage();
        assertTrue(message.startsWith("Fatal error, can't open config file '"), message);
    }

    @Test
    void rewriteKeepsCommentsAndUnknownLinesAndAppendsChanges() throws IOException {
        Path file = dir.resolve("redis.conf");
        List<String> original = List.of("# Magpie test config", "port 7000", "", "# memory", "maxmemory 1mb",
                "maxmemory 2mb", "slave-read-only yes", "save 900 1", "hz 10");
        Files.write(file, original, StandardCharsets.UTF_8);
        Settings settings = ConfigLoader.load(new String[] {file.toString()}, Map.of());
        settings.find("maxmemory").set("5mb");
        settings.find("hz").set("25");
        settings.find("requirepass").set("s3 cret");
        settings.find("save").set("3600 1 60 1000");
        settings.find("replica-read-only").set("no");
        ConfigRewrite.rewrite(settings);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(List.of("# Magpie test config", "port 7000", "", "# memory", "maxmemory 5242880",
                "replica-read-only no", "save 3600 1", "hz 25", ConfigRewrite.SIGNATURE,
                "requirepass \"s3 cret\"", "save 60 1000"), lines);
        // The rewritten file loads back to the same values, and a second rewrite changes nothing.
        Settings reloaded = ConfigLoader.load(new String[] {file.toString()}, Map.of());
        for (Setting setting : settings.all()) {
            assertEquals(setting.text(), reloaded.find(setting.name()).text(), setting.name());
        }
        ConfigRewrite.rewrite(reloaded);
        assertEquals(lines, Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    @Test
    void rewriteNeedsAConfigFile() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigRewrite.rewrite(new Settings()));
        assertEquals("The server is running without a config file", e.getMessage());
    }

    @Test
    void everySettingHasADescriptionAndItsDefaultParses() {
        for (Setting setting : new Settings().all()) {
            assertFalse(setting.description().isEmpty(), setting.name());
            assertEquals(setting.defaultText(), setting.text(), setting.name());
        }
    }
}
