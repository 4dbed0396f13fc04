package dev.magpie.bench;

import dev.magpie.server.command.CommandTable;
import dev.magpie.server.commands.CommandFamilies;
import dev.magpie.server.config.ConfigLoader;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.engine.EngineThread;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** An engine for benchmarks: no network, tasks run inline on the benchmark's thread. */
public final class BenchEngines {
    private BenchEngines() {
    }

    /** A scratch directory, in /dev/shm when there is one so file writes cost no disk. */
    public static Path scratchDir() throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) ? Files.createTempDirectory(shm, "magpie-jmh") : Files.createTempDirectory("magpie-jmh");
    }

    /** An engine over {@code dir} with every command registered and its AOF (if on) started. */
    public static Engine start(Path dir, String appendonly) throws IOException {
        CommandTable table = new CommandTable();
        Engine engine = new Engine(ConfigLoader.load(new String[] {"--port", "0", "--dir", dir.toString(),
                "--appendonly", appendonly, "--appendfsync", "no", "--auto-aof-rewrite-percentage", "0"}, Map.of()), table);
        CommandFamilies.registerAll(engine, table);
        engine.thread(new EngineThread() {
            @Override
            public void execute(Runnable task) {
                task.run();
            }

            @Override
            public boolean inEngineThread() {
                return true;
            }

            @Override
            public void schedule(Runnable task, long delayMillis) {
            }
        });
        engine.aof().startup();
        return engine;
    }

    public static void stop(Engine engine, Path dir) throws IOException {
        engine.aof().close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
