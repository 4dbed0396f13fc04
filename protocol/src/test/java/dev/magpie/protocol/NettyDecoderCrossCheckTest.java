package dev.magpie.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Decodes the same random multibulk request streams with Netty's netty-codec-redis decoder and
 * with {@link RequestParser}, delivered in random read sizes, and requires identical argument
 * vectors in the same order: two independent implementations of RESP agreeing on every command.
 */
class NettyDecoderCrossCheckTest {

    @Test
    void randomRequestStreamsDecodeToTheSameCommands() {
        Random random = new Random(20261121L);
        for (int round = 0; round < 200; round++) {
            List<List<byte[]>> commands = randomCommands(random);
            byte[] wire = encode(commands);
            assertEquals(render(commands), render(decodeWithNetty(wire)), "netty-codec-redis, round " + round);
            assertEquals(render(commands), render(decodeWithParser(wire, random)), "RequestParser, round " + round);
        }
    }

    private static List<List<byte[]>> randomCommands(Random random) {
        List<List<byte[]>> commands = new ArrayList<>();
        int count = 1 + random.nextInt(20);
        for (int c = 0; c < count; c++) {
            List<byte[]> args = new ArrayList<>();
            int argc = 1 + random.nextInt(6);
            for (int a = 0; a < argc; a++) {
                byte[] arg = new byte[random.nextInt(4) == 0 ? random.nextInt(3000) : random.nextInt(12)];
                random.nextBytes(arg);
                args.add(arg);
            }
            commands.add(args);
        }
        return commands;
    }

    private static byte[] encode(List<List<byte[]>> commands) {
        ByteBuf out = Unpooled.buffer();
        for (List<byte[]> args : commands) {
            out.writeBytes(("*" + args.size() + "\r\n").getBytes());
            for (byte[] arg : args) {
                out.writeBytes(("$" + arg.length + "\r\n").getBytes());
                out.writeBytes(arg);
                out.writeBytes("\r\n".getBytes());
            }
        }
        return ByteBufUtil.getBytes(out);
    }

    private static List<List<byte[]>> decodeWithNetty(byte[] wire) {
        EmbeddedChannel channel = new EmbeddedChannel(new RedisDecoder(), new RedisBulkStringAggregator(),
                new RedisArrayAggregator());
        channel.writeInbound(Unpooled.wrappedBuffer(wire));
        List<List<byte[]>> commands = new ArrayList<>();
        RedisMessage message;
        while ((message = channel.readInbound()) != null) {
            List<byte[]> args = new ArrayList<>();
            for (RedisMessage child : ((ArrayRedisMessage) message).children()) {
                args.add(ByteBufUtil.getBytes(((FullBulkStringRedisMessage) child).content()));
            }
            commands.add(args);
            io.netty.util.ReferenceCountUtil.release(message);
        }
        channel.finishAndReleaseAll();
        return commands;
    }

    private static List<List<byte[]>> decodeWithParser(byte[] wire, Random random) {
        RequestParser parser = new RequestParser();
        CommandBatch batch = new CommandBatch();
        ByteBuf cumulation = Unpooled.buffer();
        List<List<byte[]>> commands = new ArrayList<>();
        int position = 0;
        while (position < wire.length) {
            int chunk = Math.min(wire.length - position, 1 + random.nextInt(700));
            cumulation.writeBytes(wire, position, chunk);
            position += chunk;
            batch.clear();
            parser.parse(cumulation, batch, Integer.MAX_VALUE);
            for (int c = 0; c < batch.commandCount(); c++) {
                List<byte[]> args = new ArrayList<>();
                for (int a = 0; a < batch.argc(c); a++) {
                    int arg = batch.firstArg(c) + a;
                    args.add(Arrays.copyOfRange(batch.data(), batch.argOffset(arg), batch.argOffset(arg) + batch.argLength(arg)));
                }
                commands.add(args);
            }
            cumulation.discardReadBytes();
        }
        return commands;
    }

    private static List<String> render(List<List<byte[]>> commands) {
        List<String> rendered = new ArrayList<>();
        for (List<byte[]> args : commands) {
            StringBuilder line = new StringBuilder();
            for (byte[] arg : args) {
                line.append(Arrays.toString(arg)).append(' ');
            }
            rendered.add(line.toString());
        }
        return rendered;
    }
}
