package dev.magpie.server.docs;

import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.commands.CommandFamilies;
import dev.magpie.server.config.Setting;
import dev.magpie.server.config.Settings;
import dev.magpie.server.engine.Engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The README's list of supported commands, generated from the command table so it cannot go
 * stale: {@code java -cp server/target/magpie-server.jar dev.magpie.server.docs.CommandReference}
 * prints the Markdown that belongs between the {@code <!-- commands:begin -->} and
 * {@code <!-- commands:end -->} markers.
 */
public final class CommandReference {
    /** Redis's command groups in the order its documentation lists them, with readable titles. */
    private static final Map<String, String> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("connection", "Connection");
        GROUPS.put("string", "Strings");
        GROUPS.put("generic", "Keys");
        GROUPS.put("list", "Lists");
        GROUPS.put("set", "Sets");
        GROUPS.put("sorted-set", "Sorted sets");
        GROUPS.put("hash", "Hashes");
        GROUPS.put("bitmap", "Bitmaps");
        GROUPS.put("hyperloglog", "HyperLogLog");
        GROUPS.put("geo", "Geospatial");
        GROUPS.put("stream", "Streams");
        GROUPS.put("pubsub", "Pub/Sub");
        GROUPS.put("transactions", "Transactions");
        GROUPS.put("scripting", "Scripting");
        GROUPS.put("server", "Server");
        GROUPS.put("cluster", "Cluster");
    }

    private CommandReference() {
    }

    /** Prints the command list; with the argument {@code settings}, the table of configuration settings instead. */
    public static void main(String[] args) {
        System.out.print(args.length > 0 && args[0].equals("settings") ? settingsMarkdown() : markdown());
    }

    /** The README's table of settings: name, default as CONFIG GET prints it, whether CONFIG SET may change it, meaning. */
    public static String settingsMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append("| Setting | Default | CONFIG SET | Meaning |\n");
        out.append("| --- | --- | --- | --- |\n");
        for (Setting setting : new Settings().all()) {
            String name = setting.name();
            if (!setting.aliases().isEmpty()) {
                name += " (alias " + String.join(", ", setting.aliases()) + ")";
            }
            String value = setting.defaultText();
            out.append("| `").append(name).append("` | ").append(value.isEmpty() ? "\"\"" : "`" + value + "`")
                    .append(" | ").append(setting.mutable() ? (setting.protectedConfig() ? "protected" : "yes") : "no")
                    .append(" | ").append(cell(setting.description())).append(" |\n");
        }
        return out.toString();
    }

    /** The Markdown for the commands of a freshly built table (default settings). */
    public static String markdown() {
        Settings settings = new Settings();
        CommandTable table = new CommandTable();
        Engine engine = new Engine(settings, table);
        try {
            CommandFamilies.registerAll(engine, table);
            return markdown(table);
        } finally {
            engine.lazyFree().close();
        }
    }

    public static String markdown(CommandTable table) {
        Map<String, List<CommandSpec>> byGroup = new TreeMap<>();
        int subcommands = 0;
        for (CommandSpec spec : table.all()) {
            byGroup.computeIfAbsent(spec.group(), g -> new ArrayList<>()).add(spec);
            subcommands += spec.subcommands().size();
        }
        List<String> groups = new ArrayList<>();
        for (String known : GROUPS.keySet()) {
            if (byGroup.containsKey(known)) {
                groups.add(known);
            }
        }
        for (String other : byGroup.keySet()) {
            if (!groups.contains(other)) {
                groups.add(other);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(table.size()).append(" commands and ").append(subcommands)
                .append(" subcommands, generated from the command table")
                .append(" (`java -cp server/target/magpie-server.jar dev.magpie.server.docs.CommandReference`).")
                .append(" Arity counts the command name; a negative arity -N means at least N arguments.\n");
        for (String group : groups) {
            out.append('\n').append("### ").append(GROUPS.getOrDefault(group, group)).append('\n').append('\n');
            out.append("| Command | Arity | Since | Summary |\n");
            out.append("| --- | --- | --- | --- |\n");
            for (CommandSpec spec : byGroup.get(group)) {
                row(out, spec);
                for (CommandSpec sub : spec.subcommands().values()) {
                    row(out, sub);
                }
            }
        }
        return out.toString();
    }

    private static void row(StringBuilder out, CommandSpec spec) {
        String name = spec.parent() == null ? spec.name().toUpperCase(Locale.ROOT)
                : spec.parent().name().toUpperCase(Locale.ROOT) + " " + spec.name().toUpperCase(Locale.ROOT);
        out.append("| `").append(name).append("` | ").append(spec.arity()).append(" | ").append(spec.since())
                .append(" | ").append(cell(spec.summary())).append(" |\n");
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
