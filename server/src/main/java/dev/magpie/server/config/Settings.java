package dev.magpie.server.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every setting the server supports, with Redis's names and defaults. Startup fills it from
 * a redis.conf-style file, then environment variables, then command-line flags; CONFIG reads
 * and changes it at run time (engine thread).
 */
public final class Settings {
    private final Map<String, Setting> byName = new LinkedHashMap<>();
    private String configFile;

    public Settings() {
        SettingKind port = SettingKind.integer(0, 65535);
        SettingKind positive = SettingKind.integer(0, Long.MAX_VALUE);
        SettingKind anyInt = SettingKind.integer(Long.MIN_VALUE, Long.MAX_VALUE);
        SettingKind bytes = SettingKind.memory(0, Long.MAX_VALUE);
        SettingKind yesNo = SettingKind.BOOLEAN;
        SettingKind text = SettingKind.STRING;

        add("port", port, "6379", false);
        add("bind", text, "127.0.0.1 -::1", false);
        add("protected-mode", yesNo, "yes", true);
        add("requirepass", text, "", true);
        add("databases", SettingKind.integer(1, Integer.MAX_VALUE), "16", false);
        add("io-threads", SettingKind.integer(1, 128), "1", false);
        add("hz", SettingKind.integer(1, 500), "10", true);
        add("timeout", positive, "0", true);
        add("tcp-keepalive", positive, "300", true);
        add("tcp-backlog", positive, "511", false);
        add("maxclients", SettingKind.integer(1, Integer.MAX_VALUE), "10000", true);
        add("maxmemory", bytes, "0", true);
        add("maxmemory-policy", SettingKind.oneOf("volatile-lru", "volatile-lfu", "volatile-random",
                "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"), "noeviction", true);
        add("maxmemory-samples", SettingKind.integer(1, 64), "5", true);
        add("proto-max-bulk-len", SettingKind.memory(1024 * 1024, Long.MAX_VALUE), "536870912", true);
        add("client-query-buffer-limit", SettingKind.memory(1024 * 1024, Long.MAX_VALUE), "1073741824", true);
        add("slowlog-log-slower-than", anyInt, "10000", true);
        add("slowlog-max-len", positive, "128", true);
        add("latency-monitor-threshold", positive, "0", true);
        add("loglevel", SettingKind.oneOf("debug", "verbose", "notice", "warning", "nothing"), "notice", true);
        add("logfile", text, "", false);
        add("daemonize", yesNo, "no", false);
        add("supervised", SettingKind.oneOf("upstart", "systemd", "auto", "no"), "no", false);
        add("pidfile", text, "", false);
        add("dir", text, ".", true);
        add("dbfilename", text, "dump.rdb", true);
        add("save", text, "", true);
        add("appendonly", yesNo, "no", true);
        add("appendfilename", text, "appendonly.aof", false);
        add("appendfsync", SettingKind.oneOf("always", "everysec", "no"), "everysec", true);
        add("lazyfree-lazy-eviction", yesNo, "no", true);
        add("lazyfree-lazy-expire", yesNo, "no", true);
        add("lazyfree-lazy-server-del", yesNo, "no", true);
        add("lazyfree-lazy-user-del", yesNo, "no", true);
        add("lazyfree-lazy-user-flush", yesNo, "no", true);
        add("active-expire-effort", SettingKind.integer(1, 10), "1", true);
        add("activerehashing", yesNo, "yes", true);
        add("lfu-log-factor", positive, "10", true);
        add("lfu-decay-time", positive, "1", true);
        add("enable-debug-command", SettingKind.oneOf("no", "yes", "local"), "no", false);
        add("list-max-listpack-size", anyInt, "-2", true);
        add("list-compress-depth", positive, "0", true);
        add("hash-max-listpack-entries", positive, "128", true);
        add("hash-max-listpack-value", positive, "64", true);
        add("set-max-intset-entries", positive, "512", true);
        add("set-max-listpack-entries", positive, "128", true);
        add("set-max-listpack-value", positive, "64", true);
        add("zset-max-listpack-entries", positive, "128", true);
        add("zset-max-listpack-value", positive, "64", true);
        add("notify-keyspace-events", text, "", true);
        add("management", yesNo, "yes", false);
        add("management-port", port, "8443", false);
        add("management-bind", text, "127.0.0.1", false);
        add("management-token", text, "", false);
        add("management-data-dir", text, "", false);
        add("management-cert", text, "", false);
        add("management-key", text, "", false);
    }

    private void add(String name, SettingKind kind, String defaultValue, boolean mutable, String... aliases) {
        byName.put(name, new Setting(name, List.of(aliases), kind, defaultValue, mutable));
    }

    public Setting find(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        Setting setting = byName.get(lower);
        if (setting != null) {
            return setting;
        }
        for (Setting candidate : byName.values()) {
            if (candidate.aliases().contains(lower)) {
                return candidate;
            }
        }
        return null;
    }

    public Collection<Setting> all() {
        return byName.values();
    }

    public long integer(String name) {
        return (Long) find(name).value();
    }

    public boolean bool(String name) {
        return (Boolean) find(name).value();
    }

    public String text(String name) {
        return find(name).text();
    }

    public void listen(String name, Setting.SettingListener listener) {
        find(name).listen(listener);
    }

    public String configFile() {
        return configFile;
    }

    void configFile(String path) {
        this.configFile = path;
    }

    /** Names in the order they were declared (for CONFIG REWRITE and docs). */
    public List<String> names() {
        return new ArrayList<>(byName.keySet());
    }
}
