package dev.magpie.tests.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A socket that speaks RESP byte for byte and interprets nothing: it sends commands (as arrays of
 * bulk strings) or arbitrary raw bytes, and reads back exactly one complete reply at a time as the
 * bytes the server wrote. The reader knows the framing of every RESP2 and RESP3 type (simple
 * strings, errors, integers, bulk and verbatim strings, blob errors, null, double, boolean, big
 * number, arrays, sets, maps, pushes, nested to any depth, attributes in front of a reply), so it
 * never reads into the next reply. Every read has a timeout (default 5 s); I/O failures are
 * thrown as {@link UncheckedIOException} naming what was received so far.
 */
public final class RawRespClient implements AutoCloseable {
    private static final int DEFAULT_TIMEOUT_MS = 5_000;
    private static final int MAX_LINE = 1 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String peer;
    /** The bytes of the reply being read, kept whole for the caller. */
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();

    private RawRespClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
        this.peer = socket.getRemoteSocketAddress().toString();
    }

    public static RawRespClient connect(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), DEFAULT_TIMEOUT_MS);
        socket.setSoTimeout(DEFAULT_TIMEOUT_MS);
        return new RawRespClient(socket);
    }

    /** Changes the read timeout for later reads. */
    public RawRespClient timeoutMillis(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    // ---- sending ----

    public RawRespClient send(String... args) {
        return sendRaw(Resp.command(args));
    }

    public RawRespClient send(byte[]... args) {
        return sendRaw(Resp.command(args));
    }

    public RawRespClient sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to " + peer + " failed", e);
        }
        return this;
    }

    /** Sends {@code text} one char per byte; see {@link Resp#bytes(String)}. */
    public RawRespClient sendRaw(String text) {
        return sendRaw(Resp.bytes(text));
    }

    // ---- receiving ----

    /** Sends a command and returns its one reply. */
    public byte[] call(String... args) {
        return send(args).readReply();
    }

    /** Sends a command and returns its reply as text (one char per byte), e.g. {@code "+OK\r\n"}. */
    public String callText(String... args) {
        return Resp.latin1(call(args));
    }

    /** Reads exactly one complete reply (an attribute, if any, together with the reply it annotates). */
    public byte[] readReply() {
        byte[] reply = readReplyOrNull();
        if (reply == null) {
            throw new UncheckedIOException(new EOFException(peer + " closed the connection before replying"));
        }
        return reply;
    }

    /** Reads one reply as text (one char per byte). */
    public String readText() {
        return Resp.latin1(readReply());
    }

    /** Reads {@code count} replies, in order. */
    public List<byte[]> readReplies(int count) {
        List<byte[]> replies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            replies.add(readReply());
        }
        return replies;
    }

    /** One reply, or null when the peer closed (or reset) the connection before its first byte. */
    public byte[] readReplyOrNull() {
        current.reset();
        try {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            current.write(first);
            readValue(first);
            return current.toByteArray();
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException("no complete reply from " + peer + " within " + timeout()
                    + " ms; received so far: " + Resp.escape(current.toByteArray()), e);
        } catch (SocketException e) {
            if (current.size() == 0) {
                return null; // reset by peer: the connection is gone, as with a clean close
            }
            throw new UncheckedIOException("connection to " + peer + " failed mid-reply after "
                    + Resp.escape(current.toByteArray()), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading from " + peer + " failed after "
                    + Resp.escape(current.toByteArray()), e);
        }
    }

    /**
     * True when the peer closes the connection within {@code millis} without sending anything more;
     * false when it is still open then. Bytes arriving instead are an error (a reply nobody expected).
     */
    public boolean closedByPeerWithin(int millis) {
        int saved = timeout();
        timeoutMillis(millis);
        try {
            int b = in.read();
            if (b < 0) {
                return true;
            }
            byte[] rest = in.readNBytes(in.available());
            byte[] all = new byte[rest.length + 1];
            all[0] = (byte) b;
            System.arraycopy(rest, 0, all, 1, rest.length);
            throw new AssertionError("expected " + peer + " to close the connection, but it sent " + Resp.escape(all));
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!socket.isClosed()) {
                timeoutMillis(saved);
            }
        }
    }

    private int timeout() {
        try {
            return socket.getSoTimeout();
        } catch (SocketException e) {
            return -1;
        }
    }

    private void readValue(int type) throws IOException {
        String line = readLine();
        switch (type) {
            case '+', '-', ':', ',', '(', '_', '#' -> {
                // the line is the whole value
            }
            case '$', '!', '=' -> {
                if (line.equals("?")) {
                    readStreamedString();
                } else {
                    long length = parseLength(type, line);
                    if (length >= 0) {
                        readExactly(length + 2);
                    }
                }
            }
            case '*', '~', '>' -> readElements(type, line, 1);
            case '%' -> readElements(type, line, 2);
            case '|' -> {
                readElements(type, line, 2);
                readValue(readByte()); // an attribute precedes the value it describes
            }
            case '.' -> {
                // end of a streamed aggregate; the caller stops there
            }
            default -> throw new IOException("not a RESP type byte: " + Resp.escape(new byte[] {(byte) type})
                    + " (reply so far " + Resp.escape(current.toByteArray()) + ")");
        }
    }

    private void readElements(int type, String line, int perEntry) throws IOException {
        if (line.equals("?")) {
            while (true) {
                int next = readByte();
                if (next == '.') {
                    readLine();
                    return;
                }
                readValue(next);
            }
        }
        long count = parseLength(type, line);
        for (long i = 0; i < count * perEntry; i++) {
            readValue(readByte());
        }
    }

    private void readStreamedString() throws IOException {
        while (true) {
            int marker = readByte();
            if (marker != ';') {
                throw new IOException("expected ';' in a streamed string, got " + Resp.escape(new byte[] {(byte) marker}));
            }
            long length = parseLength(';', readLine());
            if (length == 0) {
                return;
            }
            readExactly(length + 2);
        }
    }

    private long parseLength(int type, String line) throws IOException {
        try {
            return Long.parseLong(line);
        } catch (NumberFormatException e) {
            throw new IOException("bad length for RESP type '" + (char) type + "': " + Resp.escape(Resp.bytes(line)));
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException(peer + " closed the connection mid-reply after " + Resp.escape(current.toByteArray()));
        }
        current.write(b);
        return b;
    }

    /** Reads up to CRLF (which is consumed and recorded) and returns the line without it. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = readByte();
            if (b == '\r') {
                int next = readByte();
                if (next == '\n') {
                    return line.toString();
                }
                line.append('\r').append((char) next);
            } else {
                line.append((char) b);
            }
            if (line.length() > MAX_LINE) {
                throw new IOException("reply line longer than " + MAX_LINE + " bytes");
            }
        }
    }

    private void readExactly(long count) throws IOException {
        byte[] chunk = new byte[(int) Math.min(count, 64 * 1024)];
        long left = count;
        while (left > 0) {
            int n = in.read(chunk, 0, (int) Math.min(left, chunk.length));
            if (n < 0) {
                throw new EOFException(peer + " closed the connection mid-reply after " + Resp.escape(current.toByteArray()));
            }
            current.write(chunk, 0, n);
            left -= n;
        }
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket: nothing to recover
        }
    }

    @Override
    public String toString() {
        return "RawRespClient[" + peer + "]";
    }

}
