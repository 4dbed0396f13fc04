package dev.magpie.management.ops;

import dev.magpie.management.caches.CacheDescriptor;
import dev.magpie.management.operations.OperationStats;

import java.util.Map;

/**
 * The metrics of one scrape: every family declared up front, then each cache's samples, taken from
 * what the cache answered to INFO all and MEMORY STATS, then the plane's own operation counts.
 */
final class CacheMetrics {

    private CacheMetrics() {
    }

    static PrometheusText declare() {
        return new PrometheusText()
                .gauge("magpie_cache_up", "1 when the cache answered this scrape, 0 when it could not be reached")
                .gauge("magpie_uptime_seconds", "Seconds since the cache started")
                .counter("magpie_commands_processed_total", "Commands the cache has executed")
                .counter("magpie_command_calls_total", "Calls per command (INFO commandstats)")
                .counter("magpie_command_failed_calls_total", "Calls per command that answered an error")
                .counter("magpie_command_rejected_calls_total", "Calls per command refused before running (arity, auth, OOM, ...)")
                .counter("magpie_command_duration_seconds_total", "Time spent executing each command")
                .gauge("magpie_connected_clients", "Client connections open now")
                .gauge("magpie_blocked_clients", "Clients waiting in a blocking command")
                .gauge("magpie_keyspace_keys", "Keys per database")
                .gauge("magpie_keyspace_expiring_keys", "Keys with a time to live, per database")
                .gauge("magpie_memory_used_bytes", "Memory the cache reports as used (INFO used_memory)")
                .gauge("magpie_memory_offheap_bytes", "Native memory held by the keyspace's entries (Magpie only)")
                .gauge("magpie_memory_heap_used_bytes", "Java heap in use, which holds the key index (Magpie only)")
                .gauge("magpie_memory_rss_bytes", "Resident set size of the cache process")
                .gauge("magpie_memory_max_bytes", "The maxmemory limit (0: none)")
                .counter("magpie_evicted_keys_total", "Keys evicted to stay under maxmemory")
                .counter("magpie_expired_keys_total", "Keys removed because their time to live ran out")
                .counter("magpie_keyspace_hits_total", "Key lookups that found the key")
                .counter("magpie_keyspace_misses_total", "Key lookups that did not")
                .counter("magpie_engine_cpu_seconds_total", "CPU time of the cache's main (engine) thread")
                .gauge("magpie_engine_loop_utilization", "Share of wall time the engine thread was busy (0..1), "
                        + "since the previous scrape of this plane, or since start on the first")
                .gauge("magpie_management_operations_queued", "Management operations accepted and not yet ended (waiting or running)")
                .counter("magpie_management_operations_submitted_total", "Management operations accepted")
                .counter("magpie_management_operations_rejected_total", "Management operations refused because the cache's queue was full")
                .counter("magpie_management_operations_succeeded_total", "Management operations that ended Succeeded")
                .counter("magpie_management_operations_failed_total", "Management operations that ended Failed");
    }

    static void down(PrometheusText out, CacheDescriptor cache) {
        out.sample("magpie_cache_up", 0, labels(cache));
    }

    static void cache(PrometheusText out, CacheDescriptor cache, InfoText info, Map<String, Object> memory,
                      double loopUtilization) {
        String[] labels = labels(cache);
        out.sample("magpie_cache_up", 1, labels);
        optional(out, "magpie_uptime_seconds", info.number("uptime_in_seconds"), labels);
        optional(out, "magpie_commands_processed_total", info.number("total_commands_processed"), labels);
        info.commands().forEach((command, stats) -> {
            String[] withCommand = with(labels, "command", command);
            optional(out, "magpie_command_calls_total", InfoText.parse(stats.get("calls")), withCommand);
            optional(out, "magpie_command_failed_calls_total", InfoText.parse(stats.get("failed_calls")), withCommand);
            optional(out, "magpie_command_rejected_calls_total", InfoText.parse(stats.get("rejected_calls")), withCommand);
            optional(out, "magpie_command_duration_seconds_total", InfoText.parse(stats.get("usec")) / 1e6, withCommand);
        });
        optional(out, "magpie_connected_clients", info.number("connected_clients"), labels);
        optional(out, "magpie_blocked_clients", info.number("blocked_clients"), labels);
        info.databases().forEach((db, stats) -> {
            String[] withDb = with(labels, "db", db);
            optional(out, "magpie_keyspace_keys", InfoText.parse(stats.get("keys")), withDb);
            optional(out, "magpie_keyspace_expiring_keys", InfoText.parse(stats.get("expires")), withDb);
        });
        optional(out, "magpie_memory_used_bytes", info.number("used_memory"), labels);
        if (memory.get("java.heap.used") instanceof Long heap) {
            // Only Magpie reports a Java heap; its dataset.bytes is then exactly the entries' native memory.
            out.sample("magpie_memory_heap_used_bytes", heap, labels);
            if (memory.get("dataset.bytes") instanceof Long offHeap) {
                out.sample("magpie_memory_offheap_bytes", offHeap, labels);
            }
        }
        optional(out, "magpie_memory_rss_bytes", info.number("used_memory_rss"), labels);
        optional(out, "magpie_memory_max_bytes", info.number("maxmemory"), labels);
        optional(out, "magpie_evicted_keys_total", info.number("evicted_keys"), labels);
        optional(out, "magpie_expired_keys_total", info.number("expired_keys"), labels);
        optional(out, "magpie_keyspace_hits_total", info.number("keyspace_hits"), labels);
        optional(out, "magpie_keyspace_misses_total", info.number("keyspace_misses"), labels);
        optional(out, "magpie_engine_cpu_seconds_total", engineCpuSeconds(info), labels);
        optional(out, "magpie_engine_loop_utilization", loopUtilization, labels);
    }

    static void operations(PrometheusText out, OperationStats stats) {
        stats.snapshot().forEach((kind, counts) -> {
            String[] labels = {"operation", kind.label()};
            out.sample("magpie_management_operations_queued", counts.inFlight(), labels);
            out.sample("magpie_management_operations_submitted_total", counts.submitted(), labels);
            out.sample("magpie_management_operations_rejected_total", counts.rejected(), labels);
            out.sample("magpie_management_operations_succeeded_total", counts.succeeded(), labels);
            out.sample("magpie_management_operations_failed_total", counts.failed(), labels);
        });
    }

    /** The main thread's system plus user CPU seconds, which for Magpie is the engine's thread. */
    static double engineCpuSeconds(InfoText info) {
        return info.number("used_cpu_sys_main_thread") + info.number("used_cpu_user_main_thread");
    }

    private static void optional(PrometheusText out, String name, double value, String... labels) {
        if (!Double.isNaN(value)) {
            out.sample(name, value, labels);
        }
    }

    private static String[] labels(CacheDescriptor cache) {
        return new String[] {"cache", cache.name(), "resource_group", cache.resourceGroup()};
    }

    private static String[] with(String[] labels, String name, String value) {
        String[] more = java.util.Arrays.copyOf(labels, labels.length + 2);
        more[labels.length] = name;
        more[labels.length + 1] = value;
        return more;
    }
}
