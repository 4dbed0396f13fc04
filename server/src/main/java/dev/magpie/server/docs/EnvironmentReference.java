package dev.magpie.server.docs;

import dev.magpie.server.config.ConfigLoader;
import dev.magpie.server.config.Setting;
import dev.magpie.server.config.Settings;

import java.util.Locale;

/**
 * The table of environment variables, one per setting, generated from the settings table so it cannot
 * go stale (a test compares it with the container section of the documentation):
 * {@code java -cp server/target/magpie-server.jar dev.magpie.server.docs.EnvironmentReference}.
 */
public final class EnvironmentReference {
    private EnvironmentReference() {
    }

    public static void main(String[] args) {
        System.out.print(markdown());
    }

    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| Variable | Setting | Default | Meaning |\n");
        out.append("| --- | --- | --- | --- |\n");
        for (Setting setting : new Settings().all()) {
            String value = setting.defaultText();
            out.append("| `").append(variable(setting.name())).append("` | `").append(setting.name()).append("` | ")
                    .append(value.isEmpty() ? "\"\"" : "`" + value + "`").append(" | ")
                    .append(setting.description().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }

    /** The variable that sets {@code setting}: its name upper-cased, with '-' as '_', after the prefix. */
    public static String variable(String setting) {
        return ConfigLoader.ENV_PREFIX + setting.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
