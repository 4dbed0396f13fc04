package dev.magpie.bench;

import dev.magpie.protocol.CommandBatch;
import dev.magpie.protocol.RequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The request parser alone: one read of the 16 pipelined requests {@link EngineBenchmark} runs
 * (a 16-byte key, a 64-byte value for SET), from a direct buffer as the I/O loop reads into.
 * Reported per batch; divide by 16 for a command.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ParserBenchmark {
    @Param({"GET", "SET"})
    public String command;

    private final RequestParser parser = new RequestParser();
    private final CommandBatch batch = new CommandBatch();
    private ByteBuf wire;

    @Setup
    public void setUp() {
        ByteBuf requests = EngineBenchmark.requestsFor(command, 0, "x".repeat(64).getBytes(StandardCharsets.US_ASCII));
        wire = PooledByteBufAllocator.DEFAULT.directBuffer(requests.readableBytes());
        wire.writeBytes(requests);
    }

    @TearDown
    public void tearDown() {
        wire.release();
    }

    @Benchmark
    public int batchOf16() {
        wire.readerIndex(0);
        batch.clear();
        parser.parse(wire, batch, Integer.MAX_VALUE);
        return batch.commandCount();
    }
}
