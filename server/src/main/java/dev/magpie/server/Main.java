package dev.magpie.server;

import dev.magpie.server.config.ConfigException;
import dev.magpie.server.config.ConfigLoader;
import dev.magpie.server.config.Settings;

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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Log.notice("Received SIGTERM scheduling shutdown...");
            server.close();
        }, "magpie-sigterm"));
        Log.notice("Running mode=standalone, port=" + server.port() + ".");
        Log.notice("Server initialized");
        Log.notice("Ready to accept connections tcp");
        server.awaitStop();
        System.exit(0);
    }
}
