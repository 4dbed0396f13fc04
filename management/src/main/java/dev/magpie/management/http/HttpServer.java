package dev.magpie.management.http;

import dev.magpie.management.arm.ArmApi;
import dev.magpie.management.ops.OpsEndpoints;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** The plane's Netty HTTP(S) listener: TLS, HTTP/1.1, bounded bodies, the health and metrics paths, then the ARM handler. */
public final class HttpServer implements AutoCloseable {

    private static final int IDLE_SECONDS = 120;

    private final EventLoopGroup loops;
    private final Channel channel;

    private HttpServer(EventLoopGroup loops, Channel channel) {
        this.loops = loops;
        this.channel = channel;
    }

    /** Binds and returns once the port is open; {@code tls} null means plain HTTP. */
    public static HttpServer start(String bindAddress, int port, SslContext tls, int maxBodyBytes,
                                   ArmApi api, OpsEndpoints ops, String publicBaseUrl) throws InterruptedException {
        // Management traffic is light: one loop accepts and serves, leaving the cores to the key server.
        EventLoopGroup loops = new NioEventLoopGroup(1, new DefaultThreadFactory("magpie-management-http", true));
        try {
            ArmHttpHandler handler = new ArmHttpHandler(api, tls != null, publicBaseUrl);
            OpsHttpHandler opsHandler = new OpsHttpHandler(ops);
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(loops)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ChannelPipeline pipeline = ch.pipeline();
                            if (tls != null) {
                                pipeline.addLast(tls.newHandler(ch.alloc()));
                            }
                            pipeline.addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS) {
                                @Override
                                protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx,
                                                           io.netty.handler.timeout.IdleStateEvent evt) {
                                    ctx.close();
                                }
                            });
                            pipeline.addLast(new HttpServerCodec());
                            pipeline.addLast(new HttpServerExpectContinueHandler());
                            pipeline.addLast(new BodyLimit(maxBodyBytes));
                            pipeline.addLast(opsHandler);
                            pipeline.addLast(handler);
                        }
                    });
            Channel channel = bootstrap.bind(new InetSocketAddress(bindAddress, port)).sync().channel();
            InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
            String host = bound.getAddress().isAnyLocalAddress() ? "localhost" : bound.getHostString();
            handler.fallbackAuthority(authority(host, bound.getPort()));
            return new HttpServer(loops, channel);
        } catch (InterruptedException | RuntimeException e) {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static String authority(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
