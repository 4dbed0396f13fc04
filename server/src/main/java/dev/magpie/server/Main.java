package dev.magpie.server;

import dev.magpie.server.config.ConfigException;
import dev.magpie.server.config.ConfigLoader;
import dev.magpie.server.config.Settings;
import dev.magpie.management.ManagementPlane;
import io.netty.util.ResourceLeakDetector;
import sun.misc.Signal;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar magpie-server.jar [redis.conf] [--name value ...]}: starts the key server.
 * Settings come from {@code MAGPIE_*} environment variables, then the redis.conf, then the flags,
 * each overriding the one before (see {@link ConfigLoader}).
 */
public final class Main {
    /**
     * System property naming a redis.conf to read when the command line names none, if it exists.
     * The container image sets it to /etc/magpie/redis.conf: an image without a shell cannot be
     * given a wrapper script, and mounting the file there should be all it takes.
     */
    public static final String DEFAULT_CONFIG_PROPERTY = "magpie.config-file";

    /** Netty's own switch for its buffer leak detector; when set, it is obeyed. */
    static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";

    private Main() {
    }

    /**
     * Netty samples one buffer allocation in 128 for leak tracking by default, and each sample
     * captures a stack trace and wraps the buffer in another class. On the engine's path that cost
     * about 5% of the CPU per request, and the wrapper's appearance at the start of a benchmark
     * run made the JIT throw away and recompile its hottest methods. The server run from its jar
     * turns the sampling off unless the property asks for a level; in-process tests keep Netty's
     * default, so a leak still shows there.
     */
    static ResourceLeakDetector.Level withoutLeakSampling(String requestedLevel) {
        if (requestedLevel == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        return ResourceLeakDetector.getLevel();
    }

    public static void main(String[] args) throws Exception {
        withoutLeakSampling(System.getProperty(LEAK_DETECTION_PROPERTY));
        Settings settings;
        try {
            settings = ConfigLoader.load(withDefaultConfigFile(args, System.getProperty(DEFAULT_CONFIG_PROPERTY)),
                    System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        Log.notice("oO0OoO0OoO0Oo Magpie is starting oO0OoO0OoO0Oo");
        Log.notice("Magpie version=" + Version.VERSION + ", redis_version=" + Version.REDIS_COMPATIBLE
                + ", pid=" + Log.pid() + ", just started");
        if (settings.configFile() == null) {
            Log.warning("Warning: no config file specified, using the default config. In order to specify a config"
                    + " file use java -jar magpie-server.jar /path/to/redis.conf");
        } else {
            Log.notice("Configuration loaded");
        }
        MagpieServer server;
        try {
            server = MagpieServer.start(settings);
        } catch (IllegalStateException e) {
            Log.warning(e.getMessage());
            System.exit(1);
            return;
        }
        // Handling TERM and INT ourselves (instead of a JVM shutdown hook) lets the process exit 0
        // after a clean stop, as redis-server does, which container runtimes report as success.
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), received -> {
                Log.notice("Received SIG" + received.getName() + " scheduling shutdown...");
                new Thread(server::close, "magpie-shutdown").start();
            });
        }
        ManagementPlane plane;
        try {
            plane = ManagementLauncher.start(settings, server.port());
        } catch (RuntimeException e) {
            Log.warning("Could not start the management plane: " + e.getMessage());
            server.close();
            System.exit(1);
            return;
        }
        if (plane != null) {
            server.onClose(plane::close);
        }
        Log.notice("Running mode=standalone, port=" + server.port() + ".");
        Log.notice("Server initialized");
        Log.notice("Ready to accept connections tcp");
        server.awaitStop();
        System.exit(server.exitCode());
    }

    /** {@code args} with {@code defaultFile} put first when no config file is named and that file exists. */
    public static String[] withDefaultConfigFile(String[] args, String defaultFile) {
        boolean named = args.length > 0 && !args[0].startsWith("--");
        if (named || defaultFile == null || defaultFile.isEmpty() || !Files.isRegularFile(Path.of(defaultFile))) {
            return args;
        }
        String[] withFile = new String[args.length + 1];
        withFile[0] = defaultFile;
        System.arraycopy(args, 0, withFile, 1, args.length);
        return withFile;
    }
}
