package dev.magpie.server.commands;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.CommandSpec;
import dev.magpie.server.command.CommandTable;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.Keyspace;
import dev.magpie.server.keyspace.OffHeap;
import dev.magpie.server.session.Session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static dev.magpie.server.command.CommandFlag.LOADING;
import static dev.magpie.server.command.CommandFlag.READONLY;
import static dev.magpie.server.command.CommandFlag.STALE;

/**
 * MEMORY USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE, HELP. Figures are Magpie's own: the native
 * bytes of the entries, the index arrays, and the JVM heap, not an allocator's.
 */
final class MemoryCommand {
    private static final String[] HELP = {
        "DOCTOR",
        "    Answer a short report on the server's memory use.",
        "MALLOC-STATS",
        "    Answer the allocator's statistics, where it has any.",
        "PURGE",
        "    Ask the allocator to give unused memory back to the system.",
        "STATS",
        "    Answer the server's memory use, item by item.",
        "USAGE <key> [SAMPLES <count>]",
        "    Answer the bytes <key> and its value take, index share included.",
    };

    private final Engine engine;
    private long peakAllocated;

    MemoryCommand(Engine engine) {
        this.engine = engine;
    }

    void register(CommandTable table) {
        CommandSpec memory = CommandSpec.command("memory").arity(-2).acl("slow").group("server").since("4.0.0")
                .summary("Reports on the server's memory use.").complexity("Depends on subcommand.");
        memory.subcommand("usage").arity(-3).flags(READONLY).keys(2, 2, 1).acl("read slow")
                .summary("Returns the bytes a key and its value take.")
                .complexity("O(N) where N is the number of samples.").implementation(this::usage)
                .done()
                .subcommand("stats").arity(2).acl("slow")
                .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                .summary("Returns the server's memory use, item by item.").complexity("O(1)")
                .implementation(this::stats)
                .done()
                .subcommand("doctor").arity(2).acl("slow")
                .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                .summary("Returns a short report on memory problems.").complexity("O(1)").implementation(this::doctor)
                .done()
                .subcommand("malloc-stats").arity(2).acl("slow")
                .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                .summary("Returns the allocator's statistics.")
                .complexity("Depends on how much memory is allocated, could be slow").implementation(this::mallocStats)
                .done()
                .subcommand("purge").arity(2).acl("slow")
                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                .summary("Asks the allocator to release unused memory.")
                .complexity("Depends on how much memory is allocated, could be slow").implementation(this::purge)
                .done()
                .subcommand("help").arity(2).flags(LOADING, STALE).acl("slow")
                .summary("Lists the MEMORY subcommands.").complexity("O(1)").implementation(this::help);
        table.register(memory);
    }

    private void usage(Session session, Arguments args) {
        for (int i = 3; i < args.count(); i++) {
            if (args.is(i, "samples") && i + 1 < args.count()) {
                long samples = args.parseLong(i + 1);
                if (!args.parsedOk()) {
                    engine.error(session, Errors.NOT_INTEGER);
                    return;
                }
                if (samples < 0) {
                    engine.error(session, Errors.SYNTAX);
                    return;
                }
                i++;
            } else {
                engine.error(session, Errors.SYNTAX);
                return;
            }
        }
        Database db = session.database();
        long entry = db.lookup(args.data(), args.offset(2), args.length(2));
        if (entry == 0) {
            session.out().nullBulk();
            return;
        }
        session.out().integer(entryBytes(db.keyspace(), entry) + dev.magpie.server.types.Values.valueMemory(db, entry));
    }

    /** The entry's own native bytes plus its share of the bucket array and, with a TTL, its expiry-set slot. */
    static long entryBytes(Keyspace keyspace, long entry) {
        long keys = Math.max(1, keyspace.size());
        long bucketShare = (keyspace.buckets() * Long.BYTES + keys - 1) / keys;
        return Entry.size(entry) + bucketShare + (Entry.hasExpire(entry) ? Long.BYTES : 0);
    }

    private long indexBytes() {
        long total = 0;
        for (Database database : engine.databases()) {
            total += database.keyspace().indexBytes();
        }
        return total;
    }

    private static long heapUsed() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** Resident set size from /proc, or 0 where there is none. */
    private static long residentBytes() {
        try {
            String[] fields = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(fields[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private void stats(Session session, Arguments args) {
        long dataset = OffHeap.allocatedBytes();
        long index = indexBytes();
        long heap = heapUsed();
        long total = dataset + index + heap;
        peakAllocated = Math.max(peakAllocated, total);
        long keys = 0;
        int nonEmpty = 0;
        for (Database database : engine.databases()) {
            keys += database.size();
            if (database.size() > 0) {
                nonEmpty++;
            }
        }
        long overhead = index + heap;
        long rss = residentBytes();
        RespWriter out = session.out();
        out.mapHeader(19L + nonEmpty);
        field(out, "peak.allocated", peakAllocated);
        field(out, "total.allocated", total);
        field(out, "startup.allocated", 0);
        field(out, "replication.backlog", 0);
        field(out, "clients.slaves", 0);
        field(out, "clients.normal", clientBuffers());
        field(out, "aof.buffer", 0);
        field(out, "lua.caches", 0);
        field(out, "functions.caches", 0);
        for (Database database : engine.databases()) {
            if (database.size() == 0) {
                continue;
            }
            out.bulk("db." + database.index());
            out.mapHeader(2);
            field(out, "overhead.hashtable.main", database.keyspace().indexBytes());
            field(out, "overhead.hashtable.expires", 0);
        }
        field(out, "overhead.total", overhead);
        field(out, "keys.count", keys);
        field(out, "keys.bytes-per-key", keys == 0 ? 0 : (dataset + index) / keys);
        field(out, "dataset.bytes", dataset);
        ratio(out, "dataset.percentage", total == 0 ? 0 : 100.0 * dataset / total);
        ratio(out, "peak.percentage", peakAllocated == 0 ? 0 : 100.0 * total / peakAllocated);
        field(out, "java.heap.used", heap);
        field(out, "rss", rss);
        ratio(out, "fragmentation", total == 0 ? 0 : (double) rss / total);
        field(out, "fragmentation.bytes", rss - total);
    }

    private long clientBuffers() {
        long bytes = 0;
        for (Session session : engine.clients().all()) {
            bytes += session.out().buffer().capacity();
        }
        return bytes;
    }

    private static void field(RespWriter out, String name, long value) {
        out.bulk(name);
        out.integer(value);
    }

    private static void ratio(RespWriter out, String name, double value) {
        out.bulk(name);
        out.doubleValue(String.format(Locale.ROOT, "%.17g", value).replaceFirst("\\.?0+$", ""));
    }

    private void doctor(Session session, Arguments args) {
        long dataset = OffHeap.allocatedBytes();
        long index = indexBytes();
        long heap = heapUsed();
        String report = String.format(Locale.ROOT, "Memory use: %d bytes of keys and values off the heap, %d bytes of"
                + " index, %d bytes of Java heap. No problems detected.%n", dataset, index, heap);
        session.out().verbatim("txt", report);
    }

    private void mallocStats(Session session, Arguments args) {
        session.out().verbatim("txt", "Stats not supported for the current allocator");
    }

    private void purge(Session session, Arguments args) {
        session.out().ok();
    }

    private void help(Session session, Arguments args) {
        AdminReplies.help(session.out(), "MEMORY", HELP);
    }
}
