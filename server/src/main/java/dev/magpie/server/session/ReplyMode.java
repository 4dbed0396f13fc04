package dev.magpie.server.session;

/** CLIENT REPLY: whether the server answers this client. */
public enum ReplyMode {
    ON, OFF, SKIP_NEXT, SKIP_THIS
}
