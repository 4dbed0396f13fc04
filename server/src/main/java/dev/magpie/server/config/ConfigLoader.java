package dev.magpie.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the settings from, in increasing precedence: {@code MAGPIE_*} environment variables,
 * an optional redis.conf-syntax file named by the first argument, then {@code --name value} flags.
 * The environment comes first so a container image can carry its defaults as variables and a
 * mounted redis.conf or arguments after the image name still override them. A bad line stops
 * startup with a message naming it.
 */
public final class ConfigLoader {
    public static final String ENV_PREFIX = "MAGPIE_";

    private ConfigLoader() {
    }

    public static Settings load(String[] args, Map<String, String> environment) {
        Settings settings = new Settings();
        for (Setting setting : settings.all()) {
            String variable = ENV_PREFIX + setting.name().toUpperCase(Locale.ROOT).replace('-', '_');
            String value = environment.get(variable);
            if (value != null) {
                try {
                    applyDirective(settings, setting.name(), List.of(value), variable + "=" + value, "environment variable " + variable);
                } catch (ConfigException e) {
                    throw new ConfigException(fatal("environment variable " + variable, 0, variable + "=" + value, e.getMessage()));
                }
            }
        }
        int first = 0;
        if (args.length > 0 && !args[0].startsWith("--")) {
            String file = args[0];
            first = 1;
            Path path = Path.of(file);
            List<String> lines;
            try {
                lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException("Fatal error, can't open config file '" + file + "': " + e.getMessage());
            }
            applyLines(settings, lines, "the configuration file");
            settings.configFile(path.toAbsolutePath().toString());
        }
        List<String> flagLines = new ArrayList<>();
        StringBuilder current = null;
        for (int i = first; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--") && arg.length() > 2) {
                if (current != null) {
                    flagLines.add(current.toString());
                }
                current = new StringBuilder(arg.substring(2));
            } else if (current == null) {
                throw new ConfigException(fatal("the command line", 0, arg, "Invalid argument, expected --name value"));
            } else {
                current.append(' ').append(quote(arg));
            }
        }
        if (current != null) {
            flagLines.add(current.toString());
        }
        applyLines(settings, flagLines, "the command line");
        return settings;
    }

    private static String quote(String arg) {
        if (arg.isEmpty() || arg.chars().anyMatch(c -> c == ' ' || c == '"' || c == '\'' || c == '\\')) {
            return "\"" + arg.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return arg;
    }

    static void applyLines(Settings settings, List<String> lines, String source) {
        boolean saveSeen = false;
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> words = ConfigSyntax.split(line);
            if (words == null) {
                throw new ConfigException(fatal(source, number, line, "Unbalanced quotes in configuration line"));
            }
            String name = words.get(0).toLowerCase(Locale.ROOT);
            List<String> values = words.subList(1, words.size());
            if (name.equals("save") && saveSeen && !values.isEmpty()) {
                Setting save = settings.find("save");
                String joined = String.join(" ", values);
                values = List.of(save.text().isEmpty() ? joined : save.text() + " " + joined);
            }
            if (name.equals("save")) {
                saveSeen = true;
            }
            try {
                applyDirective(settings, name, values, line, source);
            } catch (ConfigException e) {
                throw new ConfigException(fatal(source, number, line, e.getMessage()));
            }
        }
    }

    private static void applyDirective(Settings settings, String name, List<String> values, String line, String source) {
        Setting setting = settings.find(name);
        if (setting == null || values.isEmpty()) {
            throw new ConfigException("Bad directive or wrong number of arguments");
        }
        if (values.size() > 1 && !name.equals("bind") && !name.equals("save")) {
            throw new ConfigException("wrong number of arguments");
        }
        try {
            setting.set(String.join(" ", values));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static String fatal(String source, int line, String text, String reason) {
        return "\n*** FATAL CONFIG FILE ERROR (Magpie " + dev.magpie.server.Version.VERSION + ") ***\n"
                + "Reading " + source + (line > 0 ? ", at line " + line : "") + "\n"
                + ">>> '" + text + "'\n" + reason;
    }
}
