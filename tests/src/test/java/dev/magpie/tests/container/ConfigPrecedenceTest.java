package dev.magpie.tests.container;

import dev.magpie.server.Main;
import dev.magpie.server.config.ConfigException;
import dev.magpie.server.config.ConfigLoader;
import dev.magpie.server.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented precedence, lowest first: built-in defaults, MAGPIE_* environment variables (where the
 * image keeps its own defaults), the redis.conf, then --flags (arguments after the image name).
 */
class ConfigPrecedenceTest {

    @TempDir
    Path dir;

    @Test
    void environmentThenFileThenFlags() throws IOException {
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, "maxmemory 32mb\nhz 20\n");
        Settings settings = ConfigLoader.load(new String[] {conf.toString(), "--hz", "25"},
                Map.of("MAGPIE_MAXMEMORY", "16mb", "MAGPIE_HZ", "15", "MAGPIE_TIMEOUT", "7", "MAGPIE_BIND", "* -::*"));
        assertEquals(32L * 1024 * 1024, settings.integer("maxmemory"), "the file overrides the environment");
        assertEquals(25L, settings.integer("hz"), "a flag overrides the file");
        assertEquals(7L, settings.integer("timeout"), "the environment applies where nothing overrides it");
        assertEquals("* -::*", settings.text("bind"));
        assertEquals(10L, new Settings().integer("hz"), "untouched settings keep their defaults");
    }

    @Test
    void aBadEnvironmentVariableIsNamedInTheError() {
        String message = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[0], Map.of("MAGPIE_PORT", "not-a-port"))).getMessage();
        assertTrue(message.contains("environment variable MAGPIE_PORT"), message);
        assertTrue(message.contains("MAGPIE_PORT=not-a-port"), message);
    }

    @Test
    void theImagesDefaultConfigFileIsReadOnlyWhenPresentAndNoneIsNamed() throws IOException {
        Path mounted = dir.resolve("redis.conf");
        String[] flags = {"--maxmemory", "1gb"};
        assertArrayEquals(flags, Main.withDefaultConfigFile(flags, mounted.toString()), "absent: nothing to read");
        Files.writeString(mounted, "maxmemory 1mb\n");
        assertArrayEquals(new String[] {mounted.toString(), "--maxmemory", "1gb"},
                Main.withDefaultConfigFile(flags, mounted.toString()));
        String[] named = {"/elsewhere/redis.conf", "--hz", "20"};
        assertArrayEquals(named, Main.withDefaultConfigFile(named, mounted.toString()), "a named file wins");
        assertArrayEquals(flags, Main.withDefaultConfigFile(flags, null), "outside the image: no default");
        Files.createDirectory(dir.resolve("conf.d"));
        assertArrayEquals(flags, Main.withDefaultConfigFile(flags, dir.resolve("conf.d").toString()),
                "a directory mounted there is not a config file");
    }
}
