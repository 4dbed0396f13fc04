package dev.magpie.server;

import dev.magpie.management.ManagementPlane;
import dev.magpie.management.ManagementSettings;
import dev.magpie.server.config.Setting;
import dev.magpie.server.config.Settings;

import java.nio.file.Path;

/**
 * Starts the management plane beside the key server, registering this server as the cache
 * named "local". The plane only ever reaches the server over RESP, like any other cache.
 */
final class ManagementLauncher {
    private ManagementLauncher() {
    }

    /** The running plane, or null when the {@code management} setting is off. */
    static ManagementPlane start(Settings settings, int serverPort) {
        if (!settings.bool("management") || settings.integer("management-port") == 0) {
            return null;
        }
        ManagementSettings plane = new ManagementSettings();
        for (Setting setting : settings.all()) {
            String name = setting.name();
            if (name.startsWith("management-") && !setting.text().isEmpty()) {
                plane.apply(name, setting.text());
            }
        }
        if (settings.text("management-results-dir").isEmpty()) {
            plane.dataDir(Path.of(settings.text("dir")).resolve("magpie-management").toAbsolutePath().normalize());
        }
        if (settings.text("management-caches-file").isEmpty()) {
            String password = settings.text("requirepass");
            plane.registerLocalCache("127.0.0.1", serverPort, password.isEmpty() ? null : password);
        }
        ManagementPlane running = ManagementPlane.start(plane);
        Log.notice("Management plane listening on " + running.baseUrl()
                + running.certificateFile().map(cert -> " (certificate " + cert + ")").orElse(""));
        return running;
    }
}
