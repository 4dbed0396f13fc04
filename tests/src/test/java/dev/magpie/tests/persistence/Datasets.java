package dev.magpie.tests.persistence;

import dev.magpie.tests.support.RawRespClient;
import dev.magpie.tests.support.Resp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * A dataset touching every type and encoding RDB files carry, and a normalized description of a
 * server's whole keyspace (every key, its type, content and expire time) to compare two servers.
 */
final class Datasets {
    private Datasets() {
    }

    /** Commands that build the dataset; the same seed gives the same commands. */
    static List<String[]> commands(long seed) {
        Random random = new Random(seed);
        List<String[]> out = new ArrayList<>();
        long far = 4_000_000_000_000L;
        for (int db : new int[] {0, 2}) {
            out.add(new String[] {"SELECT", Integer.toString(db)});
            for (int i = 0; i < 40; i++) {
                String key = "str:" + i;
                String value = switch (i % 6) {
                    case 0 -> Integer.toString(random.nextInt(200) - 100);
                    case 1 -> Long.toString(random.nextLong());
                    case 2 -> "text-" + random.nextInt(1000);
                    case 3 -> "abc".repeat(20 + random.nextInt(100));
                    case 4 -> "";
                    default -> randomText(random, 50 + random.nextInt(2000));
                };
                out.add(new String[] {"SET", key, value});
                if (i % 4 == 0) {
                    out.add(new String[] {"PEXPIREAT", key, Long.toString(far + i)});
                }
            }
            for (int size : new int[] {1, 5, 100, 1000}) {
                List<String> push = new ArrayList<>(List.of("RPUSH", "list:" + size));
                for (int i = 0; i < size; i++) {
                    push.add(i % 3 == 0 ? Integer.toString(i * 37 - 500) : "e" + i + "x".repeat(i % 50));
                }
                out.add(push.toArray(String[]::new));
                List<String> hash = new ArrayList<>(List.of("HSET", "hash:" + size));
                for (int i = 0; i < size; i++) {
                    hash.add("f" + i);
                    hash.add(i % 2 == 0 ? Integer.toString(i) : "v" + randomText(random, 1 + random.nextInt(30)));
                }
                out.add(hash.toArray(String[]::new));
                List<String> ints = new ArrayList<>(List.of("SADD", "intset:" + size));
                List<String> words = new ArrayList<>(List.of("SADD", "set:" + size));
                for (int i = 0; i < size; i++) {
                    ints.add(Long.toString(i % 2 == 0 ? i : -((long) i << 33)));
                    words.add("m" + i);
                }
                out.add(ints.toArray(String[]::new));
                out.add(words.toArray(String[]::new));
                List<String> zset = new ArrayList<>(List.of("ZADD", "zset:" + size));
                for (int i = 0; i < size; i++) {
                    double score = switch (i % 4) {
                        case 0 -> i;
                        case 1 -> random.nextDouble() * 1e6 - 5e5;
                        case 2 -> -i / 3.0;
                        default -> 1e300 * (random.nextBoolean() ? 1 : -1);
                    };
                    zset.add(Double.toString(score));
                    zset.add("z" + i);
                }
                out.add(zset.toArray(String[]::new));
            }
            out.add(new String[] {"HSET", "hash:longvalue", "f", "v".repeat(100)});
            out.add(new String[] {"ZADD", "zset:longmember", "1", "m".repeat(100), "-inf", "low", "+inf", "high"});
            out.add(new String[] {"PEXPIREAT", "list:100", Long.toString(far)});
            out.add(new String[] {"PEXPIREAT", "zset:1000", Long.toString(far + 5)});
        }
        return out;
    }

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(random.nextBoolean() ? 3 : 26)));
        }
        return text.toString();
    }

    static void load(RawRespClient client, List<String[]> commands) {
        for (byte[] reply : send(client, commands)) {
            if (reply[0] == '-') {
                throw new AssertionError("setup command failed: " + Resp.latin1(reply));
            }
        }
        client.call("SELECT", "0");
    }

    /** Sends the commands in one write and returns their replies, in order. */
    static List<byte[]> send(RawRespClient client, List<String[]> commands) {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (String[] command : commands) {
            batch.writeBytes(Resp.command(command));
        }
        client.sendRaw(batch.toByteArray());
        return client.readReplies(commands.size());
    }

    /** A field of INFO persistence. */
    static String persistenceField(RawRespClient client, String name) {
        for (String line : Resp.latin1(client.call("INFO", "persistence")).split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no INFO field " + name);
    }

    /** Keys {@code prefix0 .. prefix(count-1)} with values {@code value-<i>}, sent 10,000 SETs per write. */
    static void fill(RawRespClient client, String prefix, int count) {
        int batch = 10_000;
        for (int from = 0; from < count; from += batch) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int to = Math.min(count, from + batch);
            for (int i = from; i < to; i++) {
                out.writeBytes(Resp.command("SET", prefix + i, "value-" + i));
            }
            client.sendRaw(out.toByteArray());
            client.readReplies(to - from);
        }
    }

    /**
     * Every key of databases 0..3: "db/key" -> type, normalized content and expire time. Each
     * round of questions goes out as one pipelined batch per database, so a keyspace of tens of
     * thousands of keys is described in a few round trips.
     */
    static TreeMap<String, String> describe(RawRespClient client) {
        TreeMap<String, String> keys = new TreeMap<>();
        for (int db = 0; db < 4; db++) {
            client.call("SELECT", Integer.toString(db));
            List<String> names = strings(client.call("KEYS", "*"));
            List<String> types = new ArrayList<>();
            List<String[]> typeQuestions = new ArrayList<>();
            for (String key : names) {
                typeQuestions.add(new String[] {"TYPE", key});
            }
            for (byte[] reply : sendInBatches(client, typeQuestions)) {
                types.add(Resp.latin1(reply).trim());
            }
            List<String[]> questions = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String key = names.get(i);
                questions.add(switch (types.get(i)) {
                    case "+string" -> new String[] {"GET", key};
                    case "+list" -> new String[] {"LRANGE", key, "0", "-1"};
                    case "+hash" -> new String[] {"HGETALL", key};
                    case "+set" -> new String[] {"SMEMBERS", key};
                    case "+zset" -> new String[] {"ZRANGE", key, "0", "-1", "WITHSCORES"};
                    default -> throw new AssertionError("unexpected type " + types.get(i) + " of " + key);
                });
                questions.add(new String[] {"PEXPIRETIME", key});
            }
            List<byte[]> answers = sendInBatches(client, questions);
            for (int i = 0; i < names.size(); i++) {
                byte[] value = answers.get(2 * i);
                String content = switch (types.get(i)) {
                    case "+string" -> Resp.latin1(value);
                    case "+hash" -> sortedPairs(strings(value));
                    case "+set" -> new java.util.TreeSet<>(strings(value)).toString();
                    default -> strings(value).toString();
                };
                keys.put(db + "/" + names.get(i), types.get(i) + " " + content + " expireat="
                        + Resp.latin1(answers.get(2 * i + 1)).trim());
            }
        }
        client.call("SELECT", "0");
        return keys;
    }

    /** {@link #send} in writes of 1,000 commands. */
    private static List<byte[]> sendInBatches(RawRespClient client, List<String[]> commands) {
        List<byte[]> replies = new ArrayList<>(commands.size());
        for (int from = 0; from < commands.size(); from += 1_000) {
            replies.addAll(send(client, commands.subList(from, Math.min(commands.size(), from + 1_000))));
        }
        return replies;
    }

    private static String sortedPairs(List<String> flat) {
        TreeMap<String, String> pairs = new TreeMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            pairs.put(flat.get(i), flat.get(i + 1));
        }
        return pairs.toString();
    }

    /** The bulk strings of a RESP2 array reply of bulk strings. */
    static List<String> strings(byte[] reply) {
        String text = Resp.latin1(reply);
        List<String> out = new ArrayList<>();
        if (text.charAt(0) != '*') {
            throw new AssertionError("not an array: " + Resp.escape(reply, 200));
        }
        int at = text.indexOf("\r\n") + 2;
        int count = Integer.parseInt(text.substring(1, at - 2));
        for (int i = 0; i < count; i++) {
            int lineEnd = text.indexOf("\r\n", at);
            int length = Integer.parseInt(text.substring(at + 1, lineEnd));
            out.add(text.substring(lineEnd + 2, lineEnd + 2 + length));
            at = lineEnd + 2 + length + 2;
        }
        return out;
    }
}
