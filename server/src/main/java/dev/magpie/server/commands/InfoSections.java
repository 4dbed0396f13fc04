package dev.magpie.server.commands;

import dev.magpie.server.Log;
import dev.magpie.server.Version;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.config.Settings;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.engine.Stats;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.Keyspace;
import dev.magpie.server.keyspace.OffHeap;
import dev.magpie.server.session.Session;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/** The text of each INFO section; fields and their order follow Redis 7.0. */
final class InfoSections {
    private final Engine engine;
    private final String runId = randomHex();
    private final String replicationId = randomHex();
    private final long startupMemory;
    private long peakMemory;

    InfoSections(Engine engine) {
        this.engine = engine;
        this.startupMemory = usedMemory();
        this.peakMemory = startupMemory;
    }

    void append(String section, Session session, StringBuilder out) {
        switch (section) {
            case "server" -> server(session, out);
            case "clients" -> clients(out);
            case "memory" -> memory(out);
            case "persistence" -> persistence(out);
            case "stats" -> stats(out);
            case "replication" -> replication(out);
            case "cpu" -> cpu(out);
            case "modules" -> out.append("# Modules\r\n");
            case "commandstats" -> commandStats(out);
            case "errorstats" -> errorStats(out);
            case "latencystats" -> out.append("# Latencystats\r\n");
            case "cluster" -> out.append("# Cluster\r\n").append("cluster_enabled:0\r\n");
            case "keyspace" -> keyspace(out);
            default -> throw new IllegalArgumentException(section);
        }
    }

    private static void field(StringBuilder out, String name, Object value) {
        out.append(name).append(':').append(value).append("\r\n");
    }

    private void server(Session session, StringBuilder out) {
        Settings settings = engine.settings();
        long now = System.currentTimeMillis();
        long uptime = (now - engine.stats().startedAtMillis) / 1000;
        out.append("# Server\r\n");
        field(out, "redis_version", Version.REDIS_COMPATIBLE);
        field(out, "redis_git_sha1", "00000000");
        field(out, "redis_git_dirty", 0);
        field(out, "redis_build_id", Integer.toHexString(Version.VERSION.hashCode()));
        field(out, "redis_mode", "standalone");
        field(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + machine());
        field(out, "arch_bits", "64".equals(System.getProperty("sun.arch.data.model", "64")) ? 64 : 32);
        field(out, "monotonic_clock", "POSIX clock_gettime");
        field(out, "multiplexing_api", isLinux() ? "epoll" : "nio");
        field(out, "atomicvar_api", "java");
        field(out, "gcc_version", "0.0.0");
        field(out, "process_id", Log.pid());
        field(out, "process_supervised", "no");
        field(out, "run_id", runId);
        field(out, "tcp_port", tcpPort(session));
        java.time.Instant instant = java.time.Instant.now();
        field(out, "server_time_usec", instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000);
        field(out, "uptime_in_seconds", uptime);
        field(out, "uptime_in_days", uptime / 86400);
        field(out, "hz", settings.integer("hz"));
        field(out, "configured_hz", settings.integer("hz"));
        field(out, "lru_clock", (now / 1000) & ((1 << 24) - 1));
        field(out, "executable", ProcessHandle.current().info().command().orElse(""));
        field(out, "config_file", settings.configFile() == null ? "" : settings.configFile());
        field(out, "io_threads_active", settings.integer("io-threads") > 1 ? 1 : 0);
        field(out, "magpie_version", Version.VERSION);
    }

    /** The port clients reach us on: the configured one, or the one picked when configured as 0. */
    private int tcpPort(Session session) {
        long configured = engine.settings().integer("port");
        String local = session.connection().localAddress();
        if (configured == 0 && local != null && local.lastIndexOf(':') > 0) {
            try {
                return Integer.parseInt(local.substring(local.lastIndexOf(':') + 1));
            } catch (NumberFormatException ignored) {
                return 0;
            }
        }
        return (int) configured;
    }

    private void clients(StringBuilder out) {
        int blocked = 0;
        for (Session session : engine.clients().all()) {
            if (session.blocked()) {
                blocked++;
            }
        }
        out.append("# Clients\r\n");
        field(out, "connected_clients", engine.clients().count());
        field(out, "cluster_connections", 0);
        field(out, "maxclients", engine.settings().integer("maxclients"));
        field(out, "client_recent_max_input_buffer", 0);
        field(out, "client_recent_max_output_buffer", 0);
        field(out, "blocked_clients", blocked);
        field(out, "tracking_clients", 0);
        field(out, "clients_in_timeout_table", 0);
    }

    /** Entries off the heap plus the live Java heap (which holds the key index). */
    static long usedMemory() {
        Runtime runtime = Runtime.getRuntime();
        return OffHeap.allocatedBytes() + runtime.totalMemory() - runtime.freeMemory();
    }

    private void memory(StringBuilder out) {
        long used = usedMemory();
        peakMemory = Math.max(peakMemory, used);
        long rss = MemoryProbe.residentBytes();
        long overhead = Math.min(used, startupMemory);
        long dataset = used - overhead;
        long maxmemory = engine.settings().integer("maxmemory");
        long systemMemory = MemoryProbe.systemBytes();
        out.append("# Memory\r\n");
        field(out, "used_memory", used);
        field(out, "used_memory_human", human(used));
        field(out, "used_memory_rss", rss);
        field(out, "used_memory_rss_human", human(rss));
        field(out, "used_memory_peak", peakMemory);
        field(out, "used_memory_peak_human", human(peakMemory));
        field(out, "used_memory_peak_perc", percent(used, peakMemory));
        field(out, "used_memory_overhead", overhead);
        field(out, "used_memory_startup", startupMemory);
        field(out, "used_memory_dataset", dataset);
        field(out, "used_memory_dataset_perc", percent(dataset, Math.max(1, used - startupMemory)));
        field(out, "allocator_allocated", used);
        field(out, "allocator_active", used);
        field(out, "allocator_resident", rss);
        field(out, "total_system_memory", systemMemory);
        field(out, "total_system_memory_human", human(systemMemory));
        field(out, "used_memory_lua", 0);
        field(out, "used_memory_vm_eval", 0);
        field(out, "used_memory_lua_human", human(0));
        field(out, "used_memory_scripts_eval", 0);
        field(out, "number_of_cached_scripts", 0);
        field(out, "number_of_functions", 0);
        field(out, "number_of_libraries", 0);
        field(out, "used_memory_vm_functions", 0);
        field(out, "used_memory_vm_total", 0);
        field(out, "used_memory_vm_total_human", human(0));
        field(out, "used_memory_functions", 0);
        field(out, "used_memory_scripts", 0);
        field(out, "used_memory_scripts_human", human(0));
        field(out, "maxmemory", maxmemory);
        field(out, "maxmemory_human", human(maxmemory));
        field(out, "maxmemory_policy", engine.settings().text("maxmemory-policy"));
        field(out, "allocator_frag_ratio", "1.00");
        field(out, "allocator_frag_bytes", 0);
        field(out, "allocator_rss_ratio", ratio(rss, used));
        field(out, "allocator_rss_bytes", rss - used);
        field(out, "rss_overhead_ratio", "1.00");
        field(out, "rss_overhead_bytes", 0);
        field(out, "mem_fragmentation_ratio", ratio(rss, used));
        field(out, "mem_fragmentation_bytes", rss - used);
        field(out, "mem_not_counted_for_evict", 0);
        field(out, "mem_replication_backlog", 0);
        field(out, "mem_total_replication_buffers", 0);
        field(out, "mem_clients_slaves", 0);
        field(out, "mem_clients_normal", 0);
        field(out, "mem_cluster_links", 0);
        field(out, "mem_aof_buffer", 0);
        field(out, "mem_allocator", "libc");
        field(out, "active_defrag_running", 0);
        field(out, "lazyfree_pending_objects", engine.lazyFree().pendingObjects());
        field(out, "lazyfreed_objects", engine.lazyFree().freedObjects());
    }

    private void persistence(StringBuilder out) {
        boolean aof = engine.settings().bool("appendonly");
        out.append("# Persistence\r\n");
        engine.persistence().info((name, value) -> field(out, name, value));
        field(out, "aof_enabled", aof ? 1 : 0);
        dev.magpie.server.persistence.Aof file = engine.aof();
        field(out, "aof_rewrite_in_progress", file.rewriteInProgress() ? 1 : 0);
        field(out, "aof_rewrite_scheduled", file.rewriteScheduled() ? 1 : 0);
        field(out, "aof_last_rewrite_time_sec", file.lastRewriteSeconds());
        field(out, "aof_current_rewrite_time_sec", file.currentRewriteSeconds());
        field(out, "aof_last_bgrewrite_status", file.lastBgrewriteStatus());
        field(out, "aof_rewrites", file.rewrites());
        field(out, "aof_rewrites_consecutive_failures", file.consecutiveFailures());
        field(out, "aof_last_write_status", file.lastWriteStatus());
        field(out, "aof_last_cow_size", 0);
        field(out, "module_fork_in_progress", 0);
        field(out, "module_fork_last_cow_size", 0);
        if (aof) {
            file.appendEnabledInfo(out);
        }
    }

    private void stats(StringBuilder out) {
        Stats stats = engine.stats();
        out.append("# Stats\r\n");
        field(out, "total_connections_received", stats.totalConnections);
        field(out, "total_commands_processed", stats.commandsProcessed);
        field(out, "instantaneous_ops_per_sec", stats.instantaneousOpsPerSecond());
        field(out, "total_net_input_bytes", stats.netInputBytes);
        field(out, "total_net_output_bytes", stats.netOutputBytes);
        field(out, "total_net_repl_input_bytes", 0);
        field(out, "total_net_repl_output_bytes", 0);
        field(out, "instantaneous_input_kbps", "0.00");
        field(out, "instantaneous_output_kbps", "0.00");
        field(out, "instantaneous_input_repl_kbps", "0.00");
        field(out, "instantaneous_output_repl_kbps", "0.00");
        field(out, "rejected_connections", stats.rejectedConnections);
        field(out, "sync_full", 0);
        field(out, "sync_partial_ok", 0);
        field(out, "sync_partial_err", 0);
        field(out, "expired_keys", stats.expiredKeys);
        field(out, "expired_stale_perc", "0.00");
        field(out, "expired_time_cap_reached_count", stats.slowExpireCycles);
        field(out, "expire_cycle_cpu_milliseconds", stats.expireCycleCpuMillis);
        field(out, "evicted_keys", stats.evictedKeys);
        field(out, "evicted_clients", 0);
        field(out, "total_eviction_exceeded_time", 0);
        field(out, "current_eviction_exceeded_time", 0);
        field(out, "keyspace_hits", stats.keyspaceHits);
        field(out, "keyspace_misses", stats.keyspaceMisses);
        field(out, "pubsub_channels", 0);
        field(out, "pubsub_patterns", 0);
        field(out, "pubsubshard_channels", 0);
        field(out, "latest_fork_usec", 0);
        field(out, "total_forks", 0);
        field(out, "migrate_cached_sockets", 0);
        field(out, "slave_expires_tracked_keys", 0);
        field(out, "active_defrag_hits", 0);
        field(out, "active_defrag_misses", 0);
        field(out, "active_defrag_key_hits", 0);
        field(out, "active_defrag_key_misses", 0);
        field(out, "total_active_defrag_time", 0);
        field(out, "current_active_defrag_time", 0);
        field(out, "tracking_total_keys", 0);
        field(out, "tracking_total_items", 0);
        field(out, "tracking_total_prefixes", 0);
        field(out, "unexpected_error_replies", stats.unexpectedErrorReplies);
        field(out, "total_error_replies", stats.totalErrorReplies);
        field(out, "dump_payload_sanitizations", 0);
        field(out, "total_reads_processed", 0);
        field(out, "total_writes_processed", 0);
        field(out, "io_threaded_reads_processed", 0);
        field(out, "io_threaded_writes_processed", 0);
        field(out, "reply_buffer_shrinks", 0);
        field(out, "reply_buffer_expands", 0);
    }

    private void replication(StringBuilder out) {
        out.append("# Replication\r\n");
        field(out, "role", "master");
        field(out, "connected_slaves", 0);
        field(out, "master_failover_state", "no-failover");
        field(out, "master_replid", replicationId);
        field(out, "master_replid2", "0000000000000000000000000000000000000000");
        field(out, "master_repl_offset", 0);
        field(out, "second_repl_offset", -1);
        field(out, "repl_backlog_active", 0);
        field(out, "repl_backlog_size", 1048576);
        field(out, "repl_backlog_first_byte_offset", 0);
        field(out, "repl_backlog_histlen", 0);
    }

    private void cpu(StringBuilder out) {
        long[] process = MemoryProbe.processCpuMicros();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long threadTotal = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() / 1000 : 0;
        long threadUser = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadUserTime() / 1000 : 0;
        out.append("# CPU\r\n");
        field(out, "used_cpu_sys", seconds(process[0]));
        field(out, "used_cpu_user", seconds(process[1]));
        field(out, "used_cpu_sys_children", "0.000000");
        field(out, "used_cpu_user_children", "0.000000");
        field(out, "used_cpu_sys_main_thread", seconds(Math.max(0, threadTotal - threadUser)));
        field(out, "used_cpu_user_main_thread", seconds(threadUser));
    }

    private void commandStats(StringBuilder out) {
        out.append("# Commandstats\r\n");
        for (CommandSpec spec : engine.commands().allWithSubcommands()) {
            if (spec.calls == 0 && spec.failedCalls == 0 && spec.rejectedCalls == 0) {
                continue;
            }
            double perCall = spec.calls == 0 ? 0 : (double) spec.microseconds / spec.calls;
            out.append("cmdstat_").append(spec.fullName()).append(":calls=").append(spec.calls)
                    .append(",usec=").append(spec.microseconds)
                    .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f", perCall))
                    .append(",rejected_calls=").append(spec.rejectedCalls)
                    .append(",failed_calls=").append(spec.failedCalls).append("\r\n");
        }
    }

    private void errorStats(StringBuilder out) {
        out.append("# Errorstats\r\n");
        for (Map.Entry<String, Long> error : engine.stats().errorsByCode.entrySet()) {
            out.append("errorstat_").append(error.getKey()).append(":count=").append(error.getValue()).append("\r\n");
        }
    }

    private void keyspace(StringBuilder out) {
        out.append("# Keyspace\r\n");
        for (Database database : engine.databases()) {
            Keyspace keyspace = database.keyspace();
            long keys = keyspace.size();
            if (keys == 0) {
                continue;
            }
            out.append("db").append(database.index()).append(":keys=").append(keys)
                    .append(",expires=").append(keyspace.expiringCount())
                    .append(",avg_ttl=").append(averageTtl(keyspace)).append("\r\n");
        }
    }

    /** Like Redis, an estimate: the mean remaining TTL of a sample of keys that have one. */
    private static long averageTtl(Keyspace keyspace) {
        if (keyspace.expiringCount() == 0) {
            return 0;
        }
        long now = System.currentTimeMillis();
        long sum = 0;
        int counted = 0;
        for (int i = 0; i < 32; i++) {
            long entry = keyspace.randomExpiring();
            if (entry != 0) {
                long ttl = Entry.expireAt(entry) - now;
                if (ttl > 0) {
                    sum += ttl;
                    counted++;
                }
            }
        }
        return counted == 0 ? 0 : sum / counted;
    }

    /** Redis's bytesToHuman: "967.39K", "0B". */
    static String human(long bytes) {
        double n = bytes;
        if (bytes < 1024) {
            return bytes + "B";
        }
        String[] units = {"K", "M", "G", "T", "P"};
        int unit = -1;
        while (n >= 1024 && unit < units.length - 1) {
            n /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f%s", n, units[unit]);
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.2f%%", whole == 0 ? 0.0 : part * 100.0 / whole);
    }

    private static String ratio(long a, long b) {
        return String.format(Locale.ROOT, "%.2f", b == 0 ? 0.0 : (double) a / b);
    }

    private static String seconds(long micros) {
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    private static String machine() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") ? "x86_64" : arch;
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    private static String randomHex() {
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
