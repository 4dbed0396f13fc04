package dev.magpie.bench;

import dev.magpie.server.keyspace.Keyspace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Index lookups over 1M off-heap keys: a hit and a miss, the core of every read. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KeyspaceBenchmark {
    private static final int KEYS = 1_000_000;
    private final Keyspace keyspace = new Keyspace();
    private byte[][] present;
    private byte[][] absent;
    private int next;

    @Setup
    public void setUp() {
        present = new byte[4096][];
        absent = new byte[4096][];
        for (int i = 0; i < KEYS; i++) {
            byte[] key = String.format("key:%012d", i).getBytes(StandardCharsets.US_ASCII);
            keyspace.add(key, 0, key.length, 64);
        }
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < present.length; i++) {
            present[i] = String.format("key:%012d", random.nextInt(KEYS)).getBytes(StandardCharsets.US_ASCII);
            absent[i] = String.format("nop:%012d", random.nextInt(KEYS)).getBytes(StandardCharsets.US_ASCII);
        }
    }

    @Benchmark
    public long findHit() {
        byte[] key = present[next++ & 4095];
        return keyspace.find(key, 0, key.length);
    }

    @Benchmark
    public long findMiss() {
        byte[] key = absent[next++ & 4095];
        return keyspace.find(key, 0, key.length);
    }
}
