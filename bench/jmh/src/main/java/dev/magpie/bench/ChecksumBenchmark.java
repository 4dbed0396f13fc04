package dev.magpie.bench;

import dev.magpie.server.persistence.Crc64;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * CRC-64 over the piece sizes the snapshot writers hand to a file (64 KB) and a DUMP payload's
 * (100 bytes): every RDB save, AOF rewrite and load checksums each byte once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChecksumBenchmark {
    @Param({"100", "65536"})
    public int bytes;
    private byte[] data;

    @Setup
    public void setUp() {
        data = new byte[bytes];
        new Random(11).nextBytes(data);
    }

    @Benchmark
    public long crc64() {
        return Crc64.of(data, 0, data.length);
    }
}
