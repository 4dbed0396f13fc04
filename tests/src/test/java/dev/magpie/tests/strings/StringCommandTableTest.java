package dev.magpie.tests.strings;

import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.KeySpec;
import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.OracleAndMagpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.ReplyDecoder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every string command's declaration in Magpie's command table matches what redis-server's
 * COMMAND INFO and COMMAND DOCS report: arity, flags, legacy key positions, ACL categories,
 * tips, key specs, group and the version it appeared in.
 */
class StringCommandTableTest {
    @RegisterExtension
    static final OracleAndMagpie servers = new OracleAndMagpie();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"get", "set", "setnx", "setex", "psetex", "getset", "getdel", "getex", "mget", "mset",
        "msetnx", "append", "strlen", "incr", "decr", "incrby", "decrby", "incrbyfloat", "getrange", "setrange",
        "substr", "lcs"})
    void declarationMatchesRedis(String name) {
        List<?> info;
        Object docs;
        try (RawRespClient client = servers.redis().connect()) {
            info = (List<?>) ((List<?>) ReplyDecoder.decodeFlat(client.call("COMMAND", "INFO", name))).get(0);
            docs = ((List<?>) ReplyDecoder.decodeFlat(client.call("COMMAND", "DOCS", name))).get(1);
        }
        CommandSpec spec = servers.magpie().server().engine().commands().find(name);
        assertNotNull(spec, name + " is not in Magpie's command table");
        assertEquals(info.get(1), (long) spec.arity(), name + " arity");
        assertEquals(new TreeSet<>((List<?>) info.get(2)), new TreeSet<>(spec.flagLabels()), name + " flags");
        assertEquals(List.of(info.get(3), info.get(4), info.get(5)),
                List.of((long) spec.firstKey(), (long) spec.lastKey(), (long) spec.keyStep()), name + " key positions");
        List<String> categories = new ArrayList<>();
        spec.aclCategories().forEach(category -> categories.add("@" + category));
        assertEquals(new TreeSet<>((List<?>) info.get(6)), new TreeSet<>(categories), name + " ACL categories");
        assertEquals(info.get(7), spec.tips(), name + " tips");
        assertKeySpecs(name, (List<?>) info.get(8), spec.keySpecs());
        assertEquals(ReplyDecoder.field(docs, "group"), spec.group(), name + " group");
        assertEquals(ReplyDecoder.field(docs, "since"), spec.since(), name + " since");
        assertFalse(spec.summary().isBlank(), name + " has a summary");
        assertFalse(spec.complexity().isBlank(), name + " has a complexity");
    }

    private static void assertKeySpecs(String name, List<?> expected, List<KeySpec> actual) {
        assertEquals(expected.size(), actual.size(), name + " number of key specs");
        for (int i = 0; i < expected.size(); i++) {
            Object redisSpec = expected.get(i);
            KeySpec ours = actual.get(i);
            assertEquals(ReplyDecoder.field(redisSpec, "flags"), ours.flags(), name + " key spec flags");
            Object begin = ReplyDecoder.field(redisSpec, "begin_search");
            assertEquals("index", ReplyDecoder.field(begin, "type"));
            assertEquals(ReplyDecoder.field(ReplyDecoder.field(begin, "spec"), "index"), (long) ours.index(),
                    name + " key spec index");
            Object find = ReplyDecoder.field(redisSpec, "find_keys");
            assertEquals("range", ReplyDecoder.field(find, "type"));
            Object range = ReplyDecoder.field(find, "spec");
            assertEquals(List.of(ReplyDecoder.field(range, "lastkey"), ReplyDecoder.field(range, "keystep"),
                            ReplyDecoder.field(range, "limit")),
                    List.of((long) ours.lastKey(), (long) ours.keyStep(), (long) ours.limit()), name + " key spec range");
        }
    }
}
