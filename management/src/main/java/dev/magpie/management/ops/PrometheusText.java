package dev.magpie.management.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the Prometheus text exposition format (version 0.0.4): each metric family once, with its HELP
 * and TYPE lines, then its samples, whatever order the samples were added in.
 */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private record Family(String type, String help, List<String> samples) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    PrometheusText counter(String name, String help) {
        families.putIfAbsent(name, new Family("counter", help, new ArrayList<>()));
        return this;
    }

    PrometheusText gauge(String name, String help) {
        families.putIfAbsent(name, new Family("gauge", help, new ArrayList<>()));
        return this;
    }

    /** Adds a sample of a declared family; {@code labels} alternate names and values. */
    void sample(String name, double value, String... labels) {
        Family family = families.get(name);
        if (family == null) {
            throw new IllegalArgumentException("undeclared metric " + name);
        }
        StringBuilder line = new StringBuilder(name);
        if (labels.length > 0) {
            line.append('{');
            for (int i = 0; i + 1 < labels.length; i += 2) {
                if (i > 0) {
                    line.append(',');
                }
                line.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
            }
            line.append('}');
        }
        family.samples().add(line.append(' ').append(number(value)).toString());
    }

    String render() {
        StringBuilder out = new StringBuilder();
        families.forEach((name, family) -> {
            if (family.samples().isEmpty()) {
                return;
            }
            out.append("# HELP ").append(name).append(' ').append(family.help()).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(family.type()).append('\n');
            family.samples().forEach(sample -> out.append(sample).append('\n'));
        });
        return out.toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%s", value);
    }
}
