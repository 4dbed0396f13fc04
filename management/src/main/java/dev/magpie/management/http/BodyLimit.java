package dev.magpie.management.http;

import dev.magpie.management.arm.ArmErrors;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Aggregates request bodies up to a limit; a larger one is refused with 413 in ARM's error shape, and
 * the connection closed, since the rest of the body is still on its way.
 */
final class BodyLimit extends HttpObjectAggregator {

    private final int maxBytes;

    BodyLimit(int maxBytes) {
        super(maxBytes);
        this.maxBytes = maxBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (oversized instanceof HttpRequest request) {
            ArmHttpHandler.write(ctx, request.headers(), false, ArmErrors.error(413, "RequestEntityTooLarge",
                    "The request body is larger than the limit of " + maxBytes + " bytes."));
        } else {
            ctx.close();
        }
    }
}
