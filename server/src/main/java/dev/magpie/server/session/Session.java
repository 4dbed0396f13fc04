package dev.magpie.server.session;

import dev.magpie.protocol.CommandBatch;
import dev.magpie.protocol.RespWriter;
import dev.magpie.server.keyspace.Database;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One client connection's state on the engine side: selected database, protocol version,
 * authentication, name and the reply buffer its commands write into. Created by the I/O
 * layer, then touched only by the engine thread (the few fields the I/O layer reads are volatile).
 */
public final class Session {
    private static final int INITIAL_REPLY_CAPACITY = 1024;

    private final long id;
    private final Connection connection;
    private final ByteBufAllocator allocator;
    private final RespWriter out;
    private final long createdAtMillis;

    private Database database;
    private volatile boolean authenticated;
    private String name;
    private String libraryName;
    private String libraryVersion;
    private ReplyMode replyMode = ReplyMode.ON;
    private boolean noEvict;
    private boolean noTouch;
    private boolean monitor;
    private boolean closing;
    private boolean closed;
    private boolean flushPending;
    private long lastInteractionMillis;
    private String lastCommand = "NULL";
    private int lastCommandArgc;

    /** The batch being executed and the next command in it (a paused or blocked batch resumes there). */
    private CommandBatch batch;
    private int nextCommand;
    private long blockedUntilMillis;
    private Object blockedOn;

    public Session(long id, Connection connection, ByteBufAllocator allocator, long nowMillis) {
        this.id = id;
        this.connection = connection;
        this.allocator = allocator;
        this.out = new RespWriter(allocator.directBuffer(INITIAL_REPLY_CAPACITY));
        this.createdAtMillis = nowMillis;
        this.lastInteractionMillis = nowMillis;
    }

    public long id() {
        return id;
    }

    public Connection connection() {
        return connection;
    }

    public RespWriter out() {
        return out;
    }

    public Database database() {
        return database;
    }

    public void database(Database database) {
        this.database = database;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void authenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    public String name() {
        return name;
    }

    public void name(String name) {
        this.name = name;
    }

    public String libraryName() {
        return libraryName;
    }

    public void libraryName(String libraryName) {
        this.libraryName = libraryName;
    }

    public String libraryVersion() {
        return libraryVersion;
    }

    public void libraryVersion(String libraryVersion) {
        this.libraryVersion = libraryVersion;
    }

    public ReplyMode replyMode() {
        return replyMode;
    }

    public void replyMode(ReplyMode replyMode) {
        this.replyMode = replyMode;
    }

    public boolean noEvict() {
        return noEvict;
    }

    public void noEvict(boolean noEvict) {
        this.noEvict = noEvict;
    }

    public boolean noTouch() {
        return noTouch;
    }

    public void noTouch(boolean noTouch) {
        this.noTouch = noTouch;
    }

    public boolean monitor() {
        return monitor;
    }

    public void monitor(boolean monitor) {
        this.monitor = monitor;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    public long lastInteractionMillis() {
        return lastInteractionMillis;
    }

    public void lastInteractionMillis(long millis) {
        this.lastInteractionMillis = millis;
    }

    public String lastCommand() {
        return lastCommand;
    }

    public void lastCommand(String fullName, int argc) {
        this.lastCommand = fullName;
        this.lastCommandArgc = argc;
    }

    public int lastCommandArgc() {
        return lastCommandArgc;
    }

    /** Replies already written are sent, then the connection closes (QUIT, protocol errors, CLIENT KILL). */
    public void closeAfterReply() {
        closing = true;
    }

    public boolean closing() {
        return closing;
    }

    public boolean closed() {
        return closed;
    }

    public void markClosed() {
        closed = true;
    }

    public boolean flushPending() {
        return flushPending;
    }

    public void flushPending(boolean pending) {
        this.flushPending = pending;
    }

    public CommandBatch batch() {
        return batch;
    }

    public int nextCommand() {
        return nextCommand;
    }

    public void batch(CommandBatch batch, int nextCommand) {
        this.batch = batch;
        this.nextCommand = nextCommand;
    }

    public void nextCommand(int nextCommand) {
        this.nextCommand = nextCommand;
    }

    /** What this session waits for while its batch is parked (a pause, a blocking pop); null when running. */
    public Object blockedOn() {
        return blockedOn;
    }

    public long blockedUntilMillis() {
        return blockedUntilMillis;
    }

    public void block(Object reason, long untilMillis) {
        this.blockedOn = reason;
        this.blockedUntilMillis = untilMillis;
    }

    public void unblock() {
        this.blockedOn = null;
        this.blockedUntilMillis = 0;
    }

    public boolean blocked() {
        return blockedOn != null;
    }

    /** Sends what the replies so far hold, continuing in a fresh buffer. */
    public void flush() {
        flushPending = false;
        if (closed || out.size() == 0) {
            return;
        }
        ByteBuf filled = out.swap(allocator.directBuffer(INITIAL_REPLY_CAPACITY));
        if (replyGate != null && replyGate.hold(this, filled)) {
            return;
        }
        connection.send(filled);
    }

    /**
     * Decides whether a filled reply buffer may be sent now: the AOF's group commit under
     * {@code appendfsync always} keeps replies until the fsync that covers them (it then sends them, in order).
     */
    public interface ReplyGate {
        /** True when the gate took {@code replies} (ownership passes) to send later. */
        boolean hold(Session session, ByteBuf replies);
    }

    private ReplyGate replyGate;

    public void replyGate(ReplyGate gate) {
        this.replyGate = gate;
    }

    /** Frees the reply buffer; the session is gone. */
    public void release() {
        out.buffer().release();
    }
}
