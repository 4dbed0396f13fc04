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
    private final Map<String, Setting> byAlias = new LinkedHashMap<>();
    private String configFile;

    public Settings() {
        SettingKind port = SettingKind.integer(0, 65535);
        SettingKind intMax = SettingKind.integer(0, Integer.MAX_VALUE);
        SettingKind longMax = SettingKind.integer(0, Long.MAX_VALUE);
        SettingKind bytes = SettingKind.memory(0, Long.MAX_VALUE);
        SettingKind yesNo = SettingKind.BOOLEAN;
        SettingKind text = SettingKind.STRING;
        SettingKind noYesLocal = SettingKind.oneOf("no", "yes", "local");

        // Network and clients.
        add("port", port, "6379", false, "TCP port to listen on (0: pick a free one, tests only)");
        add("bind", text, "127.0.0.1 -::1", false, "addresses to listen on; a leading '-' means skip it if unavailable");
        add("protected-mode", yesNo, "yes", true, "without requirepass, accept loopback clients only");
        add("requirepass", text, "", true, "password of the default user; new connections must AUTH");
        add("timeout", intMax, "0", true, "close clients idle for this many seconds (0: never)");
        add("tcp-keepalive", intMax, "300", true, "TCP keepalive on client sockets (0: off)");
        add("tcp-backlog", intMax, "511", false, "listen backlog");
        add("maxclients", SettingKind.integer(1, 4294967295L), "10000", true, "most clients connected at once");
        add("io-threads", SettingKind.integer(1, 128), "1", false,
                "1: the engine runs inside the one I/O loop; more: I/O loops hand batches to a separate engine thread");
        add("io-poll-micros", SettingKind.integer(0, 1_000_000), "50", false,
                "with io-threads 1: while clients keep the loop busy, how long it polls for requests after each pass before it sleeps (0: sleep at once)");
        add("proto-max-bulk-len", SettingKind.memory(1024 * 1024, Long.MAX_VALUE), "512mb", true,
                "largest bulk string a request may carry");
        add("client-query-buffer-limit", SettingKind.memory(1024 * 1024, Long.MAX_VALUE), "1gb", true,
                "largest unparsed input buffered per client");
        // Keyspace and memory.
        add("databases", SettingKind.integer(1, Integer.MAX_VALUE), "16", false, "number of databases (SELECT 0..n-1)");
        add("hz", SettingKind.clampedInteger(0, Integer.MAX_VALUE, 1, 500), "10", true,
                "background task frequency (active expiry, rehashing), clamped to 1..500");
        add("maxmemory", bytes, "0", true, "memory limit in bytes, with units (0: none)");
        add("maxmemory-policy", SettingKind.oneOf("volatile-lru", "volatile-lfu", "volatile-random",
                "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"), "noeviction", true,
                "what to evict at maxmemory");
        add("maxmemory-samples", SettingKind.integer(1, Integer.MAX_VALUE), "5", true, "keys sampled per eviction");
        add("maxmemory-eviction-tenacity", SettingKind.integer(0, 100), "10", true, "eviction effort per command");
        add("maxmemory-clients", bytes, "0", true, "memory limit for client buffers (0: none)");
        add("active-expire-effort", SettingKind.integer(1, 10), "1", true, "effort of the active expiry cycle");
        add("activerehashing", yesNo, "yes", true, "rehash the key index incrementally in the background");
        add("lazyfree-lazy-eviction", yesNo, "no", true, "free evicted values off the engine thread");
        add("lazyfree-lazy-expire", yesNo, "no", true, "free expired values off the engine thread");
        add("lazyfree-lazy-server-del", yesNo, "no", true, "free values deleted implicitly off the engine thread");
        add("lazyfree-lazy-user-del", yesNo, "no", true, "make DEL behave like UNLINK");
        add("lazyfree-lazy-user-flush", yesNo, "no", true, "make FLUSHDB/FLUSHALL without a mode ASYNC");
        add("lfu-log-factor", intMax, "10", true, "LFU counter logarithm factor");
        add("lfu-decay-time", intMax, "1", true, "minutes for the LFU counter to decay");
        add("notify-keyspace-events", SettingKind.KEYSPACE_EVENTS, "", true, "keyspace event classes to publish");
        // Encodings of small collections.
        add("list-max-listpack-size", SettingKind.integer(Integer.MIN_VALUE, Integer.MAX_VALUE), "-2", true,
                "list node size (negative: bytes class, positive: entries)", "list-max-ziplist-size");
        add("list-compress-depth", intMax, "0", true, "list nodes left uncompressed at each end");
        add("hash-max-listpack-entries", longMax, "512", true, "hash entries kept in a listpack",
                "hash-max-ziplist-entries");
        add("hash-max-listpack-value", bytes, "64", true, "largest hash field or value kept in a listpack",
                "hash-max-ziplist-value");
        add("set-max-intset-entries", longMax, "512", true, "integer set members kept in an intset");
        add("set-max-listpack-entries", longMax, "128", true, "set members kept in a listpack");
        add("set-max-listpack-value", bytes, "64", true, "largest set member kept in a listpack");
        add("zset-max-listpack-entries", longMax, "128", true, "sorted set members kept in a listpack",
                "zset-max-ziplist-entries");
        add("zset-max-listpack-value", bytes, "64", true, "largest sorted set member kept in a listpack",
                "zset-max-ziplist-value");
        add("hll-sparse-max-bytes", bytes, "3000", true, "HyperLogLog sparse representation size beyond which it turns dense");
        // Introspection.
        add("slowlog-log-slower-than", SettingKind.integer(-1, Long.MAX_VALUE), "10000", true,
                "log commands slower than this many microseconds (-1: off, 0: all)");
        add("slowlog-max-len", longMax, "128", true, "entries kept in the slow log");
        add("latency-monitor-threshold", longMax, "0", true, "record events of at least this many milliseconds (0: off)");
        add("loglevel", SettingKind.oneOf("debug", "verbose", "notice", "warning"), "notice", true, "log verbosity");
        add("logfile", text, "", false, "log file (empty: standard output)");
        add("enable-debug-command", noYesLocal, "no", false, "allow DEBUG (yes, no, or local: loopback clients only)");
        add("enable-protected-configs", noYesLocal, "no", false,
                "allow CONFIG SET of protected settings (dir, dbfilename)");
        // Process.
        add("daemonize", yesNo, "no", false, "accepted for compatibility; Magpie always runs in the foreground");
        add("supervised", SettingKind.oneOf("upstart", "systemd", "auto", "no"), "no", false, "accepted for compatibility");
        add("pidfile", text, "", false, "write the process id to this file");
        // Persistence (accepted and reported; snapshots and the append-only file are not written yet).
        add("dir", text, ".", true, true, "working directory for persistence files");
        add("dbfilename", text, "dump.rdb", true, true, "snapshot file name");
        add("save", SettingKind.SAVE, "", true, "snapshot rules as \"seconds changes\" pairs (empty: none)");
        add("stop-writes-on-bgsave-error", yesNo, "yes", true, "refuse writes after a failed snapshot");
        add("rdbcompression", yesNo, "yes", true, "compress snapshots");
        add("rdbchecksum", yesNo, "yes", true, "checksum snapshots");
        add("appendonly", yesNo, "no", true, "append-only file");
        add("appendfilename", text, "appendonly.aof", false, "append-only file name");
        add("appendfsync", SettingKind.oneOf("everysec", "always", "no"), "everysec", true, "append-only file fsync policy");
        add("appenddirname", text, "appendonlydir", false, "directory (inside dir) of the append-only files");
        add("aof-use-rdb-preamble", yesNo, "yes", true, "write AOF base files as RDB (.base.rdb) rather than commands (.base.aof)");
        add("aof-load-truncated", yesNo, "yes", true, "load an AOF whose last command was cut short, dropping it");
        add("auto-aof-rewrite-percentage", intMax, "100", true, "rewrite the AOF when it grew this much since the last rewrite (0: never)");
        add("auto-aof-rewrite-min-size", bytes, "64mb", true, "smallest AOF size that triggers an automatic rewrite");
        add("no-appendfsync-on-rewrite", yesNo, "no", true, "accepted for compatibility");
        add("aof-rewrite-incremental-fsync", yesNo, "yes", true, "accepted for compatibility");
        // Replication and cluster (a standalone master only).
        add("replica-read-only", yesNo, "yes", true, "accepted for compatibility", "slave-read-only");
        add("replica-serve-stale-data", yesNo, "yes", true, "accepted for compatibility", "slave-serve-stale-data");
        add("cluster-enabled", yesNo, "no", false, "always no: Magpie runs standalone");
        add("busy-reply-threshold", longMax, "5000", true, "accepted for compatibility (no scripts yet)", "lua-time-limit");
        // The management plane started beside the key server.
        add("management", yesNo, "yes", false, "start the management REST plane in the same process");
        add("management-port", port, "8443", false, "HTTPS port of the management plane (0: no plane beside the key server)");
        add("management-bind", text, "127.0.0.1", false, "address of the management plane");
        add("management-token", text, "", false, "bearer token the management plane accepts");
        add("management-results-dir", text, "", false,
                "the plane's store: operation results, keys, generated token and certificate (empty: <dir>/magpie-management)",
                "management-data-dir");
        add("management-tls-cert-file", text, "", false, "PEM certificate of the management plane (empty: self-signed)",
                "management-cert");
        add("management-tls-key-file", text, "", false, "PEM PKCS#8 private key of the management plane", "management-key");
        add("management-plain-http", yesNo, "no", false, "serve the management plane over plain HTTP (loopback only)");
        add("management-caches-file", text, "", false, "caches the plane manages besides this server (properties file)");
        add("management-subscription", text, "00000000-0000-0000-0000-000000000000", false, "subscription id of the local cache");
        add("management-resource-group", text, "magpie", false, "resource group of the local cache");
        add("management-location", text, "local", false, "location of the local cache");
        add("management-operation-timeout", intMax, "300", false, "seconds before a management operation ends Failed");
        add("management-connect-timeout", intMax, "5", false, "seconds to wait for a cache connection");
        add("management-result-retention", intMax, "86400", false, "seconds operation results stay retrievable");
        add("management-retry-after", intMax, "1", false, "Retry-After seconds the plane suggests while polling");
        add("management-max-queued-operations", intMax, "64", false, "operations queued per cache before 429");
        add("management-max-body-bytes", intMax, "65536", false, "larger management request bodies get 413");
        add("management-public-url", text, "", false, "base URL used in Location headers (empty: derived)");
    }

    private void add(String name, SettingKind kind, String defaultValue, boolean mutable, String description,
                     String... aliases) {
        add(name, kind, defaultValue, mutable, false, description, aliases);
    }

    private void add(String name, SettingKind kind, String defaultValue, boolean mutable, boolean protectedConfig,
                     String description, String... aliases) {
        Setting setting = new Setting(name, List.of(aliases), kind, defaultValue, mutable, protectedConfig, description);
        byName.put(name, setting);
        for (String alias : aliases) {
            byAlias.put(alias, setting);
        }
    }

    public Setting find(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        Setting setting = byName.get(lower);
        return setting != null ? setting : byAlias.get(lower);
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
