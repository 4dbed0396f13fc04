package dev.magpie.tests.introspection;

import dev.magpie.tests.support.Differential;
import dev.magpie.tests.support.Normalizers;
import dev.magpie.tests.support.OracleAndMagpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.ReplyDecoder;
import dev.magpie.tests.support.Resp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** INFO against a real redis-server: the same sections, field names in the same order, the same framing. */
class InfoDifferentialTest {
    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie("--enable-debug-command", "yes");

    /** Section name -> field names, from INFO text. */
    static Map<String, List<String>> sections(String text) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : text.split("\r\n", -1)) {
            if (line.startsWith("# ")) {
                current = new ArrayList<>();
                sections.put(line.substring(2), current);
            } else if (!line.isEmpty()) {
                current.add(line.substring(0, line.indexOf(':')));
            }
        }
        return sections;
    }

    private static String text(RawRespClient client, String... command) {
        return (String) ReplyDecoder.decode(client.call(command));
    }

    @Test
    void sectionsAndFieldsFollowRedis() {
        try (RawRespClient m = servers.magpie().connect(); RawRespClient r = servers.redis().connect()) {
            for (String[] request : new String[][] {{"INFO"}, {"INFO", "everything"}, {"INFO", "all"},
                {"INFO", "default"}, {"INFO", "keyspace", "SERVER"}, {"INFO", "commandstats", "cpu"}}) {
                String ours = text(m, request);
                String theirs = text(r, request);
                assertTrue(ours.endsWith("\r\n") && !ours.replace("\r\n", "").contains("\n"), "CRLF lines only");
                Map<String, List<String>> our = sections(ours);
                Map<String, List<String>> their = sections(theirs);
                assertEquals(List.copyOf(their.keySet()), List.copyOf(our.keySet()), String.join(" ", request));
                for (Map.Entry<String, List<String>> section : their.entrySet()) {
                    List<String> expected = section.getValue().stream()
                            .filter(f -> !f.startsWith("cmdstat_") && !f.startsWith("errorstat_")
                                    && !f.startsWith("latency_percentiles_") && !f.matches("db\\d+"))
                            .toList();
                    List<String> actual = new ArrayList<>(our.get(section.getKey()));
                    actual.retainAll(expected);
                    assertEquals(expected, actual, "fields of # " + section.getKey() + " in the order Redis prints them");
                }
            }
        }
    }

    @Test
    void framingMatchesByteForByte() {
        try (Differential both = Differential.connect(servers.magpie(), servers.redis())) {
            both.assertSame("FLUSHALL");
            both.assertSame("INFO", "cluster");
            both.assertSame("INFO", "Cluster", "keyspace");
            both.assertSame("INFO", "nosuch");
            both.assertSame("INFO", "modules");
            both.assertSame("SET", "k", "v");
            both.assertSame("SELECT", "3");
            both.assertSame("SET", "a", "1");
            both.assertSame("SET", "b", "1");
            both.assertSame("SELECT", "0");
            both.assertSame("INFO", "keyspace");
            both.assertSame("CONFIG", "RESETSTAT");
            both.assertSame("NOSUCHCOMMAND");
            both.assertSame("GET");
            both.assertSame("CONFIG", "SET", "hz", "x");
            both.assertSame("INFO", "errorstats");
            // Redis lists commands in hash order: compare the lines, not their order.
            both.magpie().send("INFO", "commandstats");
            both.redis().send("INFO", "commandstats");
            assertEquals(statLines(both.redis().readReply()), statLines(both.magpie().readReply()));
            both.assertSame(Normalizers.hello(), "HELLO", "3");
            both.assertSame("INFO", "cluster");
            both.assertSame("INFO", "nosuch");
            both.assertSame("INFO", "errorstats", "keyspace");
            both.assertSame("FLUSHALL");
        }
    }

    private static java.util.Set<String> statLines(byte[] reply) {
        String text = ((String) ReplyDecoder.decode(reply)).replaceAll("usec=\\d+,usec_per_call=[\\d.]+", "usec=N");
        return new java.util.TreeSet<>(List.of(text.split("\r\n")));
    }

    @Test
    void valuesReflectTheServer() {
        try (RawRespClient m = servers.magpie().connect()) {
            m.call("CONFIG", "SET", "hz", "50");
            m.call("CONFIG", "SET", "maxmemory", "100mb");
            String info = text(m, "INFO", "server", "memory", "stats", "clients", "replication", "persistence");
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : info.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && !line.startsWith("#")) {
                    fields.put(line.substring(0, colon), line.substring(colon + 1));
                }
            }
            assertEquals("7.0.15", fields.get("redis_version"));
            assertEquals("standalone", fields.get("redis_mode"));
            assertEquals(String.valueOf(servers.magpie().port()), fields.get("tcp_port"));
            assertEquals(String.valueOf(ProcessHandle.current().pid()), fields.get("process_id"));
            assertTrue(fields.get("run_id").matches("[0-9a-f]{40}"), fields.get("run_id"));
            assertEquals("50", fields.get("hz"));
            assertEquals("104857600", fields.get("maxmemory"));
            assertEquals("100.00M", fields.get("maxmemory_human"));
            assertEquals("master", fields.get("role"));
            assertEquals("0", fields.get("loading"));
            assertEquals("ok", fields.get("rdb_last_bgsave_status"));
            assertTrue(Long.parseLong(fields.get("used_memory")) > 0);
            assertTrue(Long.parseLong(fields.get("used_memory_rss")) > 0);
            assertTrue(fields.get("used_memory_human").matches("\\d+(\\.\\d\\d[KMGTP])?B?"), fields.get("used_memory_human"));
            assertTrue(Long.parseLong(fields.get("connected_clients")) >= 1);
            assertTrue(Long.parseLong(fields.get("total_commands_processed")) >= 2);
            m.call("CONFIG", "SET", "hz", "10", "maxmemory", "0");
        }
    }

    @Test
    void replyIsBulkInResp2AndVerbatimInResp3() {
        try (RawRespClient m = servers.magpie().connect()) {
            String resp2 = Resp.latin1(m.call("INFO", "cluster"));
            assertEquals("$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n", resp2);
            m.call("HELLO", "3");
            String resp3 = Resp.latin1(m.call("INFO", "cluster"));
            assertEquals("=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n", resp3);
        }
    }
}
