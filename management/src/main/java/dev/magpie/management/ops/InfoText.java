package dev.magpie.management.ops;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An INFO reply taken apart: the plain {@code name:value} fields, and the {@code a=1,b=2} lists of
 * the commandstats ({@code cmdstat_get:calls=...}) and keyspace ({@code db0:keys=...}) lines.
 */
final class InfoText {

    private final Map<String, String> fields = new HashMap<>();
    private final Map<String, Map<String, String>> commands = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> databases = new LinkedHashMap<>();

    InfoText(String text) {
        for (String raw : text.split("\r?\n")) {
            String line = raw.trim();
            int colon = line.indexOf(':');
            if (line.isEmpty() || line.startsWith("#") || colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1);
            if (name.startsWith("cmdstat_")) {
                commands.put(name.substring("cmdstat_".length()), pairs(value));
            } else if (name.matches("db\\d+") && value.contains("=")) {
                databases.put(name.substring(2), pairs(value));
            } else {
                fields.put(name, value);
            }
        }
    }

    private static Map<String, String> pairs(String value) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : value.split(",")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                pairs.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return pairs;
    }

    /** The field as a number, or NaN when it is absent or not a number. */
    double number(String name) {
        return parse(fields.get(name));
    }

    boolean has(String name) {
        return fields.containsKey(name);
    }

    /** Per command (Redis's names, subcommands as {@code client|list}): calls, usec, failed_calls, ... */
    Map<String, Map<String, String>> commands() {
        return commands;
    }

    /** Per database index: keys, expires, avg_ttl. */
    Map<String, Map<String, String>> databases() {
        return databases;
    }

    static double parse(String value) {
        if (value == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
