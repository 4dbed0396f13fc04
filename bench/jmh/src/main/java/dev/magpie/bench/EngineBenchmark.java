package dev.magpie.bench;

import dev.magpie.protocol.CommandBatch;
import dev.magpie.protocol.RequestParser;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.session.DiscardingConnection;
import dev.magpie.server.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The engine's hot path without the network: parse a pipelined batch of GET or SET requests
 * over 1M keys, execute it and write the replies, as one I/O read would. Reported per command.
 * With {@code appendonly=yes} the engine also feeds the AOF (in /dev/shm when there is one, with
 * {@code appendfsync no}), whose writer thread runs beside the benchmark's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {
    private static final int KEYS = 1_000_000;
    private static final int PIPELINE = 16;

    @Param({"GET", "SET"})
    public String command;

    @Param({"no"})
    public String appendonly;

    private Engine engine;
    private Session session;
    private final RequestParser parser = new RequestParser();
    private final CommandBatch batch = new CommandBatch();
    private ByteBuf[] requests;
    private int next;
    private Path dir;

    @Setup
    public void setUp() throws IOException {
        dir = BenchEngines.scratchDir();
        engine = BenchEngines.start(dir, appendonly);
        session = new Session(1, new DiscardingConnection(), PooledByteBufAllocator.DEFAULT, System.currentTimeMillis());
        engine.register(session);
        byte[] value = "v".repeat(64).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < KEYS; i += PIPELINE) {
            run(requestsFor("SET", i, value));
        }
        requests = new ByteBuf[1024];
        java.util.Random random = new java.util.Random(42);
        for (int r = 0; r < requests.length; r++) {
            requests[r] = requestsFor(command, random.nextInt(KEYS - PIPELINE), value);
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        BenchEngines.stop(engine, dir);
    }

    /** {@link #PIPELINE} GET or SET requests of keys {@code key:<12 digits>} from {@code firstKey}, as redis-benchmark sends them. */
    static ByteBuf requestsFor(String name, int firstKey, byte[] value) {
        ByteBuf wire = Unpooled.buffer();
        for (int i = 0; i < PIPELINE; i++) {
            byte[] key = String.format("key:%012d", firstKey + i).getBytes(StandardCharsets.US_ASCII);
            boolean set = name.equals("SET");
            wire.writeBytes(("*" + (set ? 3 : 2) + "\r\n$" + name.length() + "\r\n" + name + "\r\n$" + key.length + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            wire.writeBytes(key).writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            if (set) {
                wire.writeBytes(("$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII)).writeBytes(value)
                        .writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        return wire;
    }

    private void run(ByteBuf wire) {
        batch.clear();
        parser.parse(wire, batch, Integer.MAX_VALUE);
        engine.submit(session, batch);
    }

    /** One pipelined batch of 16 commands; divide by 16 for the cost per command. */
    @Benchmark
    public void batchOf16() {
        ByteBuf wire = requests[next++ & (requests.length - 1)];
        wire.readerIndex(0);
        run(wire);
    }
}
