package dev.magpie.management.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magpie.management.arm.ApiRequest;
import dev.magpie.management.arm.ApiResponse;
import dev.magpie.management.arm.ArmApi;
import dev.magpie.management.arm.ArmErrors;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns Netty requests into {@link ApiRequest}s and {@link ApiResponse}s back into bytes, adding the
 * headers every ARM response carries. It never waits: the API answers with a future, and the response
 * is written whenever that completes, from whatever thread completes it.
 */
@ChannelHandler.Sharable
final class ArmHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final System.Logger LOG = System.getLogger(ArmHttpHandler.class.getName());
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ArmApi api;
    private final String scheme;
    private final String publicBaseUrl;
    private volatile String fallbackBaseUrl;

    ArmHttpHandler(ArmApi api, boolean tls, String publicBaseUrl) {
        this.api = api;
        this.scheme = tls ? "https" : "http";
        this.publicBaseUrl = publicBaseUrl == null ? null : publicBaseUrl.replaceAll("/+$", "");
    }

    /** Known only once the port is bound; used for the rare request without a Host header. */
    void fallbackAuthority(String authority) {
        fallbackBaseUrl = scheme + "://" + authority;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpHeaders headers = request.headers().copy();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        ApiRequest apiRequest;
        try {
            apiRequest = toApiRequest(request, headers);
        } catch (IllegalArgumentException e) {
            write(ctx, headers, keepAlive, ArmErrors.error(400, "InvalidRequestUri", "The request URI is malformed."));
            return;
        }
        api.handle(apiRequest).whenComplete((response, error) -> {
            if (error != null) {
                LOG.log(System.Logger.Level.ERROR, "Request " + request.method() + " failed", error);
                response = ArmErrors.error(500, "InternalServerError", "The management service failed to process the request.");
            }
            write(ctx, headers, keepAlive, response);
        });
    }

    private ApiRequest toApiRequest(FullHttpRequest request, HttpHeaders headers) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        List<String> segments = new ArrayList<>();
        for (String raw : uri.rawPath().split("/")) {
            if (!raw.isEmpty()) {
                segments.add(QueryStringDecoder.decodeComponent(raw));
            }
        }
        Map<String, List<String>> query = uri.parameters();
        return new ApiRequest(request.method().name(), uri.path(), segments, query, headers::get,
                ByteBufUtil.getBytes(request.content()), baseUrl(headers));
    }

    /** ARM's headers point at the host the client called, so they work through any name or forwarding. */
    private String baseUrl(HttpHeaders headers) {
        if (publicBaseUrl != null) {
            return publicBaseUrl;
        }
        String host = headers.get(HttpHeaderNames.HOST);
        return host == null || host.isBlank() || host.contains("/") ? fallbackBaseUrl : scheme + "://" + host;
    }

    static void write(ChannelHandlerContext ctx, HttpHeaders requestHeaders, boolean keepAlive, ApiResponse response) {
        byte[] body;
        try {
            body = response.body() == null ? new byte[0] : MAPPER.writeValueAsBytes(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON trees always serialize", e);
        }
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(body));
        HttpHeaders out = http.headers();
        response.headers().forEach(out::set);
        if (body.length > 0) {
            out.set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        }
        out.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        out.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        out.set("x-ms-request-id", UUID.randomUUID().toString());
        String correlation = requestHeaders.get("x-ms-correlation-request-id");
        if (correlation != null) {
            out.set("x-ms-correlation-request-id", correlation);
        }
        String clientRequestId = requestHeaders.get("x-ms-client-request-id");
        if (clientRequestId != null && "true".equalsIgnoreCase(requestHeaders.get("x-ms-return-client-request-id"))) {
            out.set("x-ms-client-request-id", clientRequestId);
        }
        if (!keepAlive) {
            out.set(HttpHeaderNames.CONNECTION, "close");
        }
        var written = ctx.writeAndFlush(http);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "Closing a management connection after an error: " + cause);
        ctx.close();
    }
}
