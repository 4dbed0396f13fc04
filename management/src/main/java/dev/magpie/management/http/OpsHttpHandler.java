package dev.magpie.management.http;

import dev.magpie.management.ops.OpsEndpoints;
import dev.magpie.management.ops.TextResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;

/**
 * Answers /healthz, /readyz and /metrics in plain text, ahead of the ARM handler, which gets every
 * other request untouched.
 */
@ChannelHandler.Sharable
final class OpsHttpHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(OpsHttpHandler.class.getName());

    private final OpsEndpoints endpoints;

    OpsHttpHandler(OpsEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String path;
        try {
            path = new QueryStringDecoder(request.uri()).path();
        } catch (IllegalArgumentException e) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!OpsEndpoints.serves(path)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String method = request.method().name();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        request.release();
        endpoints.handle(method, path, authorization).whenComplete((response, error) -> {
            if (error != null) {
                LOG.log(System.Logger.Level.ERROR, "Request " + method + " " + path + " failed", error);
                response = new TextResponse(500, "text/plain; charset=utf-8", "internal error\n", java.util.Map.of());
            }
            write(ctx, keepAlive, method.equals("HEAD"), response);
        });
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, boolean head, TextResponse response) {
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        HttpHeaders out = http.headers();
        response.headers().forEach(out::set);
        out.set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        out.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        out.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        if (!keepAlive) {
            out.set(HttpHeaderNames.CONNECTION, "close");
        }
        var written = ctx.writeAndFlush(http);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
