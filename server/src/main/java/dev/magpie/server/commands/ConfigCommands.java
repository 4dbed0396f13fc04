package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.Log;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.config.ConfigException;
import dev.magpie.server.config.ConfigRewrite;
import dev.magpie.server.config.Setting;
import dev.magpie.server.config.Settings;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.session.Session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.magpie.server.command.CommandFlag.ADMIN;
import static dev.magpie.server.command.CommandFlag.LOADING;
import static dev.magpie.server.command.CommandFlag.NOSCRIPT;
import static dev.magpie.server.command.CommandFlag.STALE;

/** CONFIG GET, SET, RESETSTAT, REWRITE, HELP. */
public final class ConfigCommands extends CommandFamily {
    private static final String[] HELP = {
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        "HELP",
        "    Prints this help.",
    };

    public ConfigCommands(Engine engine) {
        super(engine);
    }

    @Override
    public void register(CommandTable table) {
        CommandSpec config = command("config").arity(-2).acl("slow").group("server").since("2.0.0")
                .summary("Reads and changes the server's configuration at run time.")
                .complexity("Depends on subcommand.");
        config.subcommand("get").arity(-3).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl("admin slow dangerous")
                .summary("Returns the settings matching glob patterns, with their values.")
                .complexity("O(N) where N is the number of settings matched").implementation(this::get)
                .done()
                .subcommand("set").arity(-4).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl("admin slow dangerous")
                .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                .summary("Changes one or more settings, all or none.")
                .complexity("O(N) where N is the number of settings given").implementation(this::set)
                .done()
                .subcommand("resetstat").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl("admin slow dangerous")
                .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                .summary("Zeroes the statistics INFO reports.").complexity("O(1)").implementation(this::resetStat)
                .done()
                .subcommand("rewrite").arity(2).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl("admin slow dangerous")
                .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                .summary("Writes the running settings back into the configuration file.").complexity("O(1)")
                .implementation(this::rewrite)
                .done()
                .subcommand("help").arity(2).flags(LOADING, STALE).acl("slow").since("5.0.0")
                .summary("Lists the CONFIG subcommands.").complexity("O(1)").implementation(this::help);
        table.register(config);
        // Settings other parts of the server read once rather than on every use.
        engine.settings().listen("loglevel", setting -> Log.level(setting.text()));
    }

    private void get(Session session, Arguments args) {
        Settings settings = engine.settings();
        // Lower-cased name -> (name as shown, value); the first spelling of a name wins.
        Map<String, String[]> found = new LinkedHashMap<>();
        for (int i = 2; i < args.count(); i++) {
            String pattern = args.string(i);
            if (!IntrospectionGlob.isPattern(pattern)) {
                Setting setting = settings.find(pattern);
                if (setting != null) {
                    found.putIfAbsent(pattern.toLowerCase(Locale.ROOT), new String[] {pattern, setting.text()});
                }
                continue;
            }
            for (Setting setting : settings.all()) {
                addIfMatches(found, pattern, setting.name(), setting);
                for (String alias : setting.aliases()) {
                    addIfMatches(found, pattern, alias, setting);
                }
            }
        }
        RespWriter out = session.out();
        out.mapHeader(found.size());
        for (String[] pair : found.values()) {
            out.bulk(pair[0]);
            out.bulk(pair[1]);
        }
    }

    private static void addIfMatches(Map<String, String[]> found, String pattern, String name, Setting setting) {
        if (IntrospectionGlob.matches(pattern, name, true)) {
            found.putIfAbsent(name, new String[] {name, setting.text()});
        }
    }

    private void set(Session session, Arguments args) {
        if (args.count() % 2 != 0) {
            syntaxError(session);
            return;
        }
        Settings settings = engine.settings();
        int pairs = (args.count() - 2) / 2;
        List<Setting> targets = new ArrayList<>(pairs);
        // Redis compares the names as given: an alias and its setting's own name may both appear.
        List<String> names = new ArrayList<>(pairs);
        for (int i = 0; i < pairs; i++) {
            String name = args.string(2 + i * 2);
            Setting setting = settings.find(name);
            if (setting == null) {
                error(session, "ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'");
                return;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            String failure = !setting.mutable() ? "can't set immutable config"
                    : setting.protectedConfig() && !protectedAllowed(session) ? "can't set protected config"
                    : names.contains(lower) ? "duplicate parameter" : null;
            if (failure != null) {
                setFailed(session, name, failure);
                return;
            }
            names.add(lower);
            targets.add(setting);
        }
        Object[] parsed = new Object[pairs];
        for (int i = 0; i < pairs; i++) {
            try {
                parsed[i] = targets.get(i).parse(args.string(3 + i * 2));
            } catch (IllegalArgumentException e) {
                setFailed(session, args.string(2 + i * 2), e.getMessage());
                return;
            }
        }
        Object[] previous = new Object[pairs];
        for (int i = 0; i < pairs; i++) {
            Setting setting = targets.get(i);
            previous[i] = setting.value();
            try {
                setting.apply(parsed[i]);
            } catch (IllegalArgumentException e) {
                for (int j = i - 1; j >= 0; j--) {
                    targets.get(j).restore(previous[j]);
                }
                setFailed(session, args.string(2 + i * 2), e.getMessage());
                return;
            }
        }
        session.out().ok();
    }

    private void setFailed(Session session, String name, String reason) {
        error(session, "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason);
    }

    /** enable-protected-configs: "yes" everywhere, "local" for loopback clients only. */
    private boolean protectedAllowed(Session session) {
        String mode = engine.settings().text("enable-protected-configs");
        if (mode.equals("yes")) {
            return true;
        }
        return mode.equals("local") && isLocal(session.connection().remoteAddress());
    }

    static boolean isLocal(String address) {
        return address == null || address.startsWith("127.") || address.startsWith("::1:")
                || address.startsWith("0:0:0:0:0:0:0:1:") || address.startsWith("/");
    }

    private void resetStat(Session session, Arguments args) {
        engine.stats().reset();
        for (CommandSpec spec : engine.commands().allWithSubcommands()) {
            spec.calls = 0;
            spec.microseconds = 0;
            spec.rejectedCalls = 0;
            spec.failedCalls = 0;
        }
        session.out().ok();
    }

    private void rewrite(Session session, Arguments args) {
        if (engine.settings().configFile() == null) {
            error(session, "ERR The server is running without a config file");
            return;
        }
        try {
            ConfigRewrite.rewrite(engine.settings());
        } catch (IOException | ConfigException e) {
            Log.warning("CONFIG REWRITE failed: " + e.getMessage());
            error(session, "ERR Rewriting config file: " + e.getMessage());
            return;
        }
        Log.notice("CONFIG REWRITE executed with success.");
        session.out().ok();
    }

    private void help(Session session, Arguments args) {
        RespWriter out = session.out();
        out.arrayHeader(HELP.length);
        for (String line : HELP) {
            out.simple(line);
        }
    }
}
