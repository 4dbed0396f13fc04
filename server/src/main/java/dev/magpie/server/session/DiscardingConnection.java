package dev.magpie.server.session;

import io.netty.buffer.ByteBuf;

/** A connection whose replies go nowhere: the AOF loader's client, and the engine benchmarks'. */
public final class DiscardingConnection implements Connection {
    @Override
    public void send(ByteBuf replies) {
        replies.release();
    }

    @Override
    public void batchDone() {
    }

    @Override
    public void close() {
    }

    @Override
    public String remoteAddress() {
        return "";
    }

    @Override
    public String localAddress() {
        return "";
    }

    @Override
    public int fd() {
        return -1;
    }
}
