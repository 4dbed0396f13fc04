package dev.magpie.bench;

import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.Keyspace;
import dev.magpie.server.keyspace.OffHeap;
import dev.magpie.server.persistence.KeyspaceSnapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The engine's share of an RDB save or AOF rewrite of string keys: a whole snapshot walk over 1M
 * keys with 64-byte values, each entry copied back to back into a 64 KB block, as the walk hands
 * runs of strings to the writer thread. Reported per key. The entries lie where they were
 * allocated, in insertion order, and the walk visits them in bucket order, so nearly every key
 * is a cache miss: what the walk costs is mostly how well it overlaps those misses.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SnapshotWalkBenchmark {
    private static final int KEYS = 1_000_000;
    private static final long BLOCK_BYTES = 64 * 1024;

    private Engine engine;
    private Path dir;
    private long block;
    private long used;

    @Setup
    public void setUp() throws IOException {
        dir = BenchEngines.scratchDir();
        engine = BenchEngines.start(dir, "no");
        Keyspace keyspace = engine.database(0).keyspace();
        for (int i = 0; i < KEYS; i++) {
            byte[] key = String.format("key:%012d", i).getBytes(StandardCharsets.US_ASCII);
            long entry = keyspace.add(key, 0, key.length, 64);
            OffHeap.setMemory(Entry.valueAddress(entry), 64, (byte) 'v');
        }
        block = OffHeap.allocate(BLOCK_BYTES);
    }

    @TearDown
    public void tearDown() throws IOException {
        OffHeap.free(block, BLOCK_BYTES);
        BenchEngines.stop(engine, dir);
    }

    @Benchmark
    @OperationsPerInvocation(KEYS)
    public long walkCopyingEveryKey() {
        KeyspaceSnapshot snapshot = KeyspaceSnapshot.start(engine, this::copy);
        snapshot.finish();
        return snapshot.visited();
    }

    /** The same walk handing each entry to a sink that only reads its address: what the copy adds. */
    @Benchmark
    @OperationsPerInvocation(KEYS)
    public long walkOnly() {
        KeyspaceSnapshot snapshot = KeyspaceSnapshot.start(engine, (database, keyspace, entry) -> used += entry);
        snapshot.finish();
        return snapshot.visited();
    }

    private void copy(int database, Keyspace keyspace, long entry) {
        long size = Entry.size(entry);
        long slot = (size + 7) & ~7L;
        if (used + slot > BLOCK_BYTES) {
            used = 0;
        }
        OffHeap.copy(entry, block + used, size);
        used += slot;
    }
}
