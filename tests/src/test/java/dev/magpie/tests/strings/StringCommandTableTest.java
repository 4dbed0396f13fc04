package dev.magpie.tests.strings;

import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.KeySpec;
import dev.magpie.tests.support.Magpie;
import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.RedisOracle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
    private static RedisOracle redis;
    private static Magpie magpie;

    @BeforeAll
    static void start() {
        redis = RedisOracle.start();
        magpie = Magpie.start();
    }

    @AfterAll
    static void stop() {
        if (magpie != null) {
            magpie.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"get", "set", "setnx", "setex", "psetex", "getset", "getdel", "getex", "mget", "mset",
        "msetnx", "append", "strlen", "incr", "decr", "incrby", "decrby", "incrbyfloat", "getrange", "setrange",
        "substr", "lcs"})
    void declarationMatchesRedis(String name) {
        List<?> info;
        Object docs;
        try (RawRespClient client = redis.connect()) {
            info = (List<?>) ((List<?>) RespTree.parse(client.call("COMMAND", "INFO", name))).get(0);
            docs = ((List<?>) RespTree.parse(client.call("COMMAND", "DOCS", name))).get(1);
        }
        CommandSpec spec = magpie.server().engine().commands().find(name);
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
        assertEquals(RespTree.field(docs, "group"), spec.group(), name + " group");
        assertEquals(RespTree.field(docs, "since"), spec.since(), name + " since");
        assertFalse(spec.summary().isBlank(), name + " has a summary");
        assertFalse(spec.complexity().isBlank(), name + " has a complexity");
    }

    private static void assertKeySpecs(String name, List<?> expected, List<KeySpec> actual) {
        assertEquals(expected.size(), actual.size(), name + " number of key specs");
        for (int i = 0; i < expected.size(); i++) {
            Object redisSpec = expected.get(i);
            KeySpec ours = actual.get(i);
            assertEquals(RespTree.field(redisSpec, "flags"), ours.flags(), name + " key spec flags");
            Object begin = RespTree.field(redisSpec, "begin_search");
            assertEquals("index", RespTree.field(begin, "type"));
            assertEquals(RespTree.field(RespTree.field(begin, "spec"), "index"), (long) ours.index(),
                    name + " key spec index");
            Object find = RespTree.field(redisSpec, "find_keys");
            assertEquals("range", RespTree.field(find, "type"));
            Object range = RespTree.field(find, "spec");
            assertEquals(List.of(RespTree.field(range, "lastkey"), RespTree.field(range, "keystep"),
                            RespTree.field(range, "limit")),
                    List.of((long) ours.lastKey(), (long) ours.keyStep(), (long) ours.limit()), name + " key spec range");
        }
    }
}
