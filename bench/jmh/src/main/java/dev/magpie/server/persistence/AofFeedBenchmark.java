package dev.magpie.server.persistence;

import dev.magpie.bench.BenchEngines;
import dev.magpie.protocol.CommandBatch;
import dev.magpie.protocol.RequestParser;
import dev.magpie.server.command.Arguments;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import io.netty.buffer.ByteBuf;
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
 * What appending one executed write command to the AOF stream costs the engine, per command:
 * the whole feed ({@code append}: a SET of a 16-byte key and a 64-byte value, or an LPUSH of
 * that value), the buffer's part alone ({@code bufferOnly}), and as a floor one 100-byte bulk
 * string ({@code copyOnly}). In package {@code persistence} because the feed is package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class AofFeedBenchmark {
    @Param({"set", "lpush"})
    public String command;

    private final AofBuffer buffer = new AofBuffer(AofWriter.BUFFER_SIZE);
    private final AofFeed feed = new AofFeed(buffer);
    private final Arguments args = new Arguments();
    private final CommandBatch batch = new CommandBatch();
    private final byte[] hundredBytes = new byte[100];
    private Path dir;
    private Engine engine;
    private Database db;

    @Setup
    public void setUp() throws IOException {
        dir = BenchEngines.scratchDir();
        engine = BenchEngines.start(dir, "no");
        db = engine.database(0);
        String key = command.equals("set") ? "key:000000123456" : "mylist";
        String request = "*3\r\n$" + command.length() + "\r\n" + command.toUpperCase() + "\r\n$" + key.length() + "\r\n"
                + key + "\r\n$64\r\n" + "x".repeat(64) + "\r\n";
        ByteBuf wire = Unpooled.wrappedBuffer(request.getBytes(StandardCharsets.US_ASCII));
        new RequestParser().parse(wire, batch, 1);
        args.wrap(batch, 0);
    }

    @TearDown
    public void tearDown() throws IOException {
        BenchEngines.stop(engine, dir);
    }

    @Benchmark
    public int append() {
        if (buffer.length() > AofWriter.BUFFER_SIZE * 3 / 4) {
            buffer.clear();
        }
        feed.command(db, command, args, null, 0, 0);
        return buffer.length();
    }

    @Benchmark
    public int bufferOnly() {
        if (buffer.length() > AofWriter.BUFFER_SIZE * 3 / 4) {
            buffer.clear();
        }
        buffer.command(args);
        return buffer.length();
    }

    @Benchmark
    public int copyOnly() {
        if (buffer.length() > AofWriter.BUFFER_SIZE * 3 / 4) {
            buffer.clear();
        }
        buffer.bulk(hundredBytes);
        return buffer.length();
    }
}
