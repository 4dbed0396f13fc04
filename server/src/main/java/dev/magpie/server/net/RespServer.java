package dev.magpie.server.net;

import dev.magpie.server.engine.AgentEngineThread;
import dev.magpie.server.engine.Cron;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.engine.EngineThread;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.SingleThreadEventExecutor;

import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The RESP listener and its thread layout. With {@code io-threads 1} one event loop accepts,
 * reads, runs the engine and writes (Redis's own layout), flushing replies once per pass of the
 * loop ({@link PassFlushes}) and, while clients keep it busy, polling briefly before it sleeps
 * ({@link SpinBeforeSleep}); with more, that many I/O loops feed an engine agent on its own thread.
 */
public final class RespServer implements AutoCloseable {
    private final Engine engine;
    private final Cron cron;
    private final EventLoopGroup group;
    private final List<Channel> listeners = new ArrayList<>();
    private final AgentEngineThread agent;
    private final EngineGate gate;
    private final PassFlushes flushes;

    public RespServer(Engine engine) {
        this.engine = engine;
        this.cron = new Cron(engine);
        int ioThreads = (int) engine.settings().integer("io-threads");
        DefaultThreadFactory threads = new DefaultThreadFactory("magpie-io", false);
        // Separate I/O loops would poll on cores the engine thread needs: only the single loop polls.
        long pollMicros = ioThreads == 1 ? engine.settings().integer("io-poll-micros") : 0;
        SpinBeforeSleep spin = new SpinBeforeSleep(TimeUnit.MICROSECONDS.toNanos(pollMicros),
                engine.persistence()::writingInBackground);
        this.group = Epoll.isAvailable()
                ? new EpollEventLoopGroup(ioThreads, threads, spin)
                : new NioEventLoopGroup(ioThreads, threads, SelectorProvider.provider(), spin);
        if (ioThreads == 1) {
            EventLoop loop = group.next();
            SingleThreadEventExecutor executor = (SingleThreadEventExecutor) loop;
            spin.watchTasks(() -> executor.pendingTasks() > 0);
            this.agent = null;
            this.flushes = new PassFlushes(loop);
            engine.thread(new EngineThread() {
                @Override
                public void execute(Runnable task) {
                    loop.execute(task);
                }

                @Override
                public boolean inEngineThread() {
                    return loop.inEventLoop();
                }

                @Override
                public void schedule(Runnable task, long delayMillis) {
                    loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
                }
            });
            this.gate = new EngineGate() {
                @Override
                public boolean inline() {
                    return true;
                }

                @Override
                public boolean offer(Runnable task) {
                    task.run();
                    return true;
                }

                @Override
                public void run(Runnable task) {
                    task.run();
                }
            };
            scheduleCron(loop);
        } else {
            this.flushes = null;
            this.agent = new AgentEngineThread(engine, cron);
            engine.thread(agent);
            this.gate = new EngineGate() {
                @Override
                public boolean inline() {
                    return false;
                }

                @Override
                public boolean offer(Runnable task) {
                    return agent.offer(task);
                }

                @Override
                public void run(Runnable task) {
                    agent.execute(task);
                }
            };
            agent.start();
        }
    }

    private void scheduleCron(EventLoop loop) {
        loop.schedule(() -> {
            try {
                cron.run(System.currentTimeMillis());
            } finally {
                if (!group.isShuttingDown()) {
                    scheduleCron(loop);
                }
            }
        }, cron.periodMillis(), TimeUnit.MILLISECONDS);
    }

    /** Binds every address of the {@code bind} setting; a leading '-' marks an optional one. */
    public void bind(String bindSetting, int port) throws InterruptedException {
        Class<? extends ServerChannel> channelType = Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, (int) engine.settings().integer("tcp-backlog"))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, engine.settings().integer("tcp-keepalive") > 0)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new ClientHandler(engine, gate, flushes));
                    }
                });
        for (String address : bindSetting.trim().split("\\s+")) {
            boolean optional = address.startsWith("-");
            String host = optional ? address.substring(1) : address;
            if (host.equals("*")) {
                host = "0.0.0.0";
            } else if (host.equals("::*")) {
                host = "::";
            }
            try {
                listeners.add(bootstrap.bind(new InetSocketAddress(host, port)).sync().channel());
            } catch (Exception e) {
                if (!optional) {
                    throw new IllegalStateException("Could not create server TCP listening socket " + host + ":" + port
                            + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) listeners.get(0).localAddress()).getPort();
    }

    @Override
    public void close() {
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (agent != null) {
            agent.close();
        }
    }
}
