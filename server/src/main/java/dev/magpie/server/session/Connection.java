package dev.magpie.server.session;

import io.netty.buffer.ByteBuf;

/** What the engine needs of a client's network connection; implemented by the I/O layer. */
public interface Connection {
    /** Sends a filled reply buffer (ownership passes) and flushes it. */
    void send(ByteBuf replies);

    /** The batch handed to the engine is finished: the connection may read and decode again. */
    void batchDone();

    /** Closes the connection once what was sent has been written. */
    void close();

    String remoteAddress();

    String localAddress();

    int fd();
}
