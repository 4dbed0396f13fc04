package dev.magpie.server;

import dev.magpie.server.config.ConfigException;
import dev.magpie.server.config.ConfigLoader;
import dev.magpie.server.config.Settings;
import dev.magpie.management.ManagementPlane;
import sun.misc.Signal;

/** {@code java -jar magpie-server.jar [redis.conf] [--name value ...]}: starts the key server. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = ConfigLoader.load(args, System.getenv());
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
        System.exit(0);
    }
}
