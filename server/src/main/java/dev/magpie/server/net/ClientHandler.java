package dev.magpie.server.net;

import dev.magpie.protocol.CommandBatch;
import dev.magpie.protocol.RequestParser;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.session.Connection;
import dev.magpie.server.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.unix.UnixChannel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One client connection on its I/O loop: accumulates bytes, decodes every complete command of
 * a read into one batch, hands the batch to the engine and reads no further until the engine
 * has answered it. That one batch in flight per connection is the back-pressure.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter implements Connection {
    private static final int MAX_COMMANDS_PER_BATCH = 1024;
    private static final int BATCH_BYTES_KEPT = 1 << 20;
    /** A reply this large goes out at once: the client can start on it while the pass goes on. */
    private static final int FLUSH_NOW_BYTES = 64 * 1024;
    private static final byte[] DENIED = ("-DENIED Magpie is running in protected mode because protected mode is"
            + " enabled and no password is set for the default user. In this mode connections are only accepted"
            + " from the loopback interface. To connect from other hosts, set a password (requirepass) or turn"
            + " protected mode off with 'CONFIG SET protected-mode no' from the loopback interface.\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final Engine engine;
    private final EngineGate gate;
    /** Where replies wait for the end of the loop's pass; null when the engine runs on its own thread. */
    private final PassFlushes flushes;
    private boolean flushQueued;
    private final RequestParser parser = new RequestParser();
    private final CommandBatch batch = new CommandBatch();
    private final Runnable submitBatch = this::submitToEngine;
    private ChannelHandlerContext ctx;
    private Channel channel;
    private Session session;
    private ByteBuf cumulation;
    private boolean inFlight;
    private boolean decoding;
    private String remoteAddress;
    private String localAddress;

    ClientHandler(Engine engine, EngineGate gate, PassFlushes flushes) {
        this.engine = engine;
        this.gate = gate;
        this.flushes = flushes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
        this.remoteAddress = format(channel.remoteAddress());
        this.localAddress = format(channel.localAddress());
        if (refusedByProtectedMode()) {
            channel.writeAndFlush(Unpooled.wrappedBuffer(DENIED)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        session = new Session(engine.clients().nextId(), this, channel.alloc(), System.currentTimeMillis());
        // Known before the engine registers the session: the first read may be parsed before that (io-threads > 1).
        session.authenticated(!engine.defaultUser().requiresAuth());
        Session created = session;
        gate.run(() -> engine.register(created));
    }

    private boolean refusedByProtectedMode() {
        if (!engine.settings().bool("protected-mode") || engine.defaultUser().hasPasswords()) {
            return false;
        }
        SocketAddress remote = channel.remoteAddress();
        return remote instanceof InetSocketAddress inet && !inet.getAddress().isLoopbackAddress();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (session == null) {
            in.release();
            return;
        }
        if (cumulation == null) {
            cumulation = in;
        } else {
            if (cumulation.writableBytes() < in.readableBytes()) {
                ByteBuf grown = ctx.alloc().directBuffer(Math.max(cumulation.readableBytes() + in.readableBytes(),
                        cumulation.capacity() * 2));
                grown.writeBytes(cumulation);
                cumulation.release();
                cumulation = grown;
            }
            cumulation.writeBytes(in);
            in.release();
        }
        decode();
    }

    /** Decodes and submits batches until the engine holds one or the buffer has no complete command. */
    private void decode() {
        if (decoding) {
            return;
        }
        decoding = true;
        try {
            while (!inFlight && cumulation != null && session != null) {
                batch.clear();
                // One huge request must not pin its buffer for the rest of a long-lived connection.
                batch.shrinkIfLarger(BATCH_BYTES_KEPT);
                parser.authenticated(session.authenticated());
                parser.maxBulkLength(engine.maxBulkLength());
                parser.parse(cumulation, batch, MAX_COMMANDS_PER_BATCH);
                if (!cumulation.isReadable()) {
                    cumulation.release();
                    cumulation = null;
                } else if (cumulation.readerIndex() > 0 && cumulation.readerIndex() > cumulation.capacity() / 2) {
                    cumulation.discardReadBytes();
                }
                if (batch.isEmpty()) {
                    checkQueryBufferLimit();
                    return;
                }
                inFlight = true;
                if (gate.inline()) {
                    engine.submit(session, batch);
                    if (inFlight) {
                        // The batch is parked (a pause or a blocking command): stop reading until it ends.
                        channel.config().setAutoRead(false);
                    }
                } else {
                    channel.config().setAutoRead(false);
                    submitToEngine();
                }
            }
        } finally {
            decoding = false;
        }
    }

    private void submitToEngine() {
        Session target = session;
        if (target == null) {
            return;
        }
        if (!gate.offer(() -> engine.submit(target, batch))) {
            channel.eventLoop().schedule(submitBatch, 100, TimeUnit.MICROSECONDS);
        }
    }

    private void checkQueryBufferLimit() {
        if (cumulation != null && cumulation.readableBytes() > engine.settings().integer("client-query-buffer-limit")) {
            channel.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        Session gone = session;
        session = null;
        if (gone != null) {
            gate.run(() -> engine.unregister(gone));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    // ---- Connection, called on the engine thread ------------------------------------------

    @Override
    public void send(ByteBuf replies) {
        if (flushes == null || replies.readableBytes() >= FLUSH_NOW_BYTES || !channel.eventLoop().inEventLoop()) {
            channel.writeAndFlush(replies, channel.voidPromise());
            return;
        }
        channel.write(replies, channel.voidPromise());
        if (!flushQueued) {
            flushQueued = true;
            flushes.add(this);
        }
    }

    /** The end of the event loop's pass: what {@link #send} wrote goes out. */
    void flushNow() {
        flushQueued = false;
        channel.flush();
    }

    @Override
    public void batchDone() {
        if (gate.inline()) {
            inFlight = false;
            if (!decoding) {
                channel.config().setAutoRead(true);
                decode();
            }
            return;
        }
        channel.eventLoop().execute(() -> {
            inFlight = false;
            decode();
            if (!inFlight) {
                channel.config().setAutoRead(true);
            }
        });
    }

    @Override
    public void close() {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String localAddress() {
        return localAddress;
    }

    @Override
    public int fd() {
        return channel instanceof UnixChannel unix ? unix.fd().intValue() : -1;
    }

    private static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress().getHostAddress();
            int zone = host.indexOf('%');
            if (zone >= 0) {
                host = host.substring(0, zone);
            }
            return host + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
