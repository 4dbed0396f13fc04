package dev.magpie.tests.introspection;

import dev.magpie.tests.support.Differential;
import dev.magpie.tests.support.Normalizers;
import dev.magpie.tests.support.OracleAndMagpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.ReplyDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** CONFIG GET/SET/RESETSTAT/REWRITE/HELP against a real redis-server: same replies, byte for byte. */
class ConfigDifferentialTest {
    /** Settings both servers have, started the same way, so their values must agree. */
    static final List<String> SHARED = List.of("hz", "timeout", "tcp-keepalive", "tcp-backlog", "maxclients",
            "maxmemory", "maxmemory-policy", "maxmemory-samples", "maxmemory-eviction-tenacity", "maxmemory-clients",
            "proto-max-bulk-len", "client-query-buffer-limit", "slowlog-log-slower-than", "slowlog-max-len",
            "latency-monitor-threshold", "databases", "io-threads", "appendonly", "appendfsync", "appendfilename",
            "lazyfree-lazy-eviction", "lazyfree-lazy-expire", "lazyfree-lazy-server-del", "lazyfree-lazy-user-del",
            "lazyfree-lazy-user-flush", "active-expire-effort", "activerehashing", "lfu-log-factor", "lfu-decay-time",
            "list-max-listpack-size", "list-compress-depth", "hash-max-listpack-entries", "hash-max-listpack-value",
            "set-max-intset-entries", "zset-max-listpack-entries", "zset-max-listpack-value",
            "notify-keyspace-events", "protected-mode", "requirepass", "save", "dbfilename", "stop-writes-on-bgsave-error",
            "rdbcompression", "rdbchecksum", "replica-read-only", "replica-serve-stale-data", "cluster-enabled",
            "busy-reply-threshold", "enable-protected-configs", "supervised", "daemonize",
            "hash-max-ziplist-entries", "zset-max-ziplist-value", "list-max-ziplist-size", "slave-read-only",
            "lua-time-limit");

    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie("--enable-debug-command", "yes");

    @Test
    void sharedSettingsHaveTheSameValues() {
        try (Differential both = Differential.connect(servers.magpie(), servers.redis())) {
            for (String name : SHARED) {
                both.assertSame("CONFIG", "GET", name);
            }
            both.assertSame("CONFIG", "GET", "HZ");
            both.assertSame("CONFIG", "GET", "hz", "HZ");
            both.assertSame("CONFIG", "GET", "no-such-setting");
            both.assertSame("CONFIG", "GET", "h?");
            both.assertSame("CONFIG", "GET", "lazyfree-lazy-[e]xpire");
            both.assertSame("CONFIG", "GET");
        }
    }

    @Test
    void patternsMatchTheSameNames() {
        try (RawRespClient m = servers.magpie().connect(); RawRespClient r = servers.redis().connect()) {
            Map<Object, Object> two = ReplyDecoder.pairs(ReplyDecoder.decode(m.call("CONFIG", "GET", "maxmemory-p*", "*-samples")));
            assertEquals(ReplyDecoder.pairs(ReplyDecoder.decode(r.call("CONFIG", "GET", "maxmemory-p*", "*-samples"))), two);
            for (String pattern : List.of("*max-*-entries", "lazyfree*", "*ziplist*", "slowlog-*", "*MEMORY*")) {
                Map<Object, Object> ours = ReplyDecoder.pairs(ReplyDecoder.decode(m.call("CONFIG", "GET", pattern)));
                Map<Object, Object> theirs = ReplyDecoder.pairs(ReplyDecoder.decode(r.call("CONFIG", "GET", pattern)));
                // Redis may know more settings; every one Magpie reports must be Redis's, with Redis's value.
                for (Map.Entry<Object, Object> entry : ours.entrySet()) {
                    if (!entry.getKey().toString().startsWith("set-max-listpack")) {
                        assertEquals(theirs.get(entry.getKey()), entry.getValue(), pattern + " -> " + entry.getKey());
                    }
                }
                for (Object name : theirs.keySet()) {
                    if (SHARED.contains(name.toString())) {
                        assertEquals(theirs.get(name), ours.get(name), pattern + " should find " + name);
                    }
                }
            }
        }
    }

    @Test
    void setAcceptsAndRejectsLikeRedis() {
        try (Differential both = Differential.connect(servers.magpie(), servers.redis())) {
            String[][] requests = {
                {"CONFIG", "SET", "foo", "1"},
                {"CONFIG", "SET", "hz", "abc"},
                {"CONFIG", "SET", "hz", "+5"},
                {"CONFIG", "SET", "hz", "1", "hz", "2"},
                {"CONFIG", "SET", "HZ", "5", "hz", "6"},
                {"CONFIG", "SET", "maxmemory", "1", "MAXMEMORY", "2"},
                {"CONFIG", "SET", "hash-max-ziplist-entries", "1", "hash-max-listpack-entries", "2"},
                {"CONFIG", "SET", "hz", "1", "maxmemory", "abc"},
                {"CONFIG", "SET", "hz", "abc", "foo", "1"},
                {"CONFIG", "SET", "databases", "5"},
                {"CONFIG", "SET", "hz", "abc", "databases", "1"},
                {"CONFIG", "SET", "databases", "1", "io-threads", "2"},
                {"CONFIG", "SET", "databases", "1", "foo", "1"},
                {"CONFIG", "SET", "hz", "1", "hz", "2", "databases", "1"},
                {"CONFIG", "SET", "daemonize", "yes"},
                {"CONFIG", "SET", "dir", "/tmp"},
                {"CONFIG", "SET", "dbfilename", "x.rdb"},
                {"CONFIG", "SET", "hz", "1", "2"},
                {"CONFIG", "SET", "hz"},
                {"CONFIG", "SET", "maxmemory-policy", "foo"},
                {"CONFIG", "SET", "appendfsync", "sometimes"},
                {"CONFIG", "SET", "activerehashing", "maybe"},
                {"CONFIG", "SET", "maxmemory", "10xb"},
                {"CONFIG", "SET", "maxmemory", "-1"},
                {"CONFIG", "SET", "timeout", "-1"},
                {"CONFIG", "SET", "maxclients", "0"},
                {"CONFIG", "SET", "slowlog-log-slower-than", "-5"},
                {"CONFIG", "SET", "proto-max-bulk-len", "10"},
                {"CONFIG", "SET", "active-expire-effort", "11"},
                {"CONFIG", "SET", "save", "10"},
                {"CONFIG", "SET", "save", "abc def"},
                {"CONFIG", "SET", "notify-keyspace-events", "Q"},
                {"CONFIG", "SET", "hz", "0"},
                {"CONFIG", "GET", "hz"},
                {"CONFIG", "SET", "hz", "600"},
                {"CONFIG", "GET", "hz"},
                {"CONFIG", "SET", "hz", "10", "maxmemory", "1mb", "maxmemory-policy", "ALLKEYS-LRU"},
                {"CONFIG", "GET", "maxmemory"},
                {"CONFIG", "GET", "maxmemory-policy"},
                {"CONFIG", "SET", "maxmemory", "2GB"},
                {"CONFIG", "GET", "maxmemory"},
                {"CONFIG", "SET", "maxmemory", "3k"},
                {"CONFIG", "GET", "maxmemory"},
                {"CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction"},
                {"CONFIG", "SET", "notify-keyspace-events", "KEA"},
                {"CONFIG", "GET", "notify-keyspace-events"},
                {"CONFIG", "SET", "notify-keyspace-events", "Ex$lm"},
                {"CONFIG", "GET", "notify-keyspace-events"},
                {"CONFIG", "SET", "notify-keyspace-events", ""},
                {"CONFIG", "SET", "save", "3600 1 300 100"},
                {"CONFIG", "GET", "save"},
                {"CONFIG", "SET", "save", ""},
                {"CONFIG", "SET", "slave-read-only", "no"},
                {"CONFIG", "GET", "replica-read-only"},
                {"CONFIG", "SET", "replica-read-only", "yes"},
                {"CONFIG", "SET", "appendonly", "no", "timeout", "0"},
                {"CONFIG", "SET", "slowlog-max-len", "64", "slowlog-log-slower-than", "-1"},
                // A pattern's matches come in Redis's hash-table order, which is not part of its contract.
                {"CONFIG", "GET", "slowlog-max-len"},
                {"CONFIG", "GET", "slowlog-log-slower-than"},
                {"CONFIG", "SET", "slowlog-max-len", "128", "slowlog-log-slower-than", "10000"},
                // Atomic: a bad value later in the list leaves the earlier ones unchanged.
                {"CONFIG", "SET", "timeout", "77", "maxmemory-samples", "0"},
                {"CONFIG", "GET", "timeout"},
                {"CONFIG", "HELP"},
                {"CONFIG", "help", "extra"},
                {"CONFIG", "foo"},
                {"CONFIG"},
                {"CONFIG", "REWRITE"},
                {"CONFIG", "RESETSTAT", "now"},
            };
            for (String[] request : requests) {
                both.assertSame(request);
            }
        }
    }

    @Test
    void resp3RepliesAreMaps() {
        try (Differential both = Differential.connect(servers.magpie(), servers.redis())) {
            both.assertSame(Normalizers.hello(), "HELLO", "3");
            both.assertSame("CONFIG", "GET", "maxmemory");
            both.assertSame("CONFIG", "GET", "nothing-matches-*");
            both.assertSame("CONFIG", "HELP");
        }
    }

    @Test
    void requirepassTakesEffectForNewConnections() {
        try (Differential both = Differential.connect(servers.magpie(), servers.redis())) {
            both.assertSame("CONFIG", "SET", "requirepass", "s3cret");
            both.assertSame("PING");
            try (Differential fresh = Differential.connect(servers.magpie(), servers.redis())) {
                fresh.assertSame("PING");
                fresh.assertSame("AUTH", "wrong");
                fresh.assertSame("AUTH", "s3cret");
                fresh.assertSame("PING");
                fresh.assertSame("CONFIG", "SET", "requirepass", "");
            }
            try (Differential after = Differential.connect(servers.magpie(), servers.redis())) {
                after.assertSame("PING");
            }
        }
    }
}
