package dev.magpie.server.persistence;

import dev.magpie.server.MagpieServer;
import dev.magpie.server.config.ConfigLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts in-process servers with the AOF in a test's directory. */
final class AofServers {
    private AofServers() {
    }

    static MagpieServer start(Path dir, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", "0", "--loglevel", "warning",
                "--management", "no", "--appendonly", "yes", "--dir", dir.toString()));
        args.addAll(List.of(flags));
        return MagpieServer.start(ConfigLoader.load(args.toArray(String[]::new), Map.of()));
    }

    static Path incr(Path dir) throws Exception {
        AofManifest m = AofManifest.load(dir.resolve("appendonlydir"), "appendonly.aof");
        return dir.resolve("appendonlydir").resolve(m.lastIncr().name());
    }

    static List<List<String>> commands(Path file) throws Exception {
        return AofFeed.decode(Files.readAllBytes(file));
    }
}
