package dev.magpie.server.persistence;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.session.Session;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH pw] [AUTH2 user pw] [KEYS k...]:
 * DUMP on this side, RESTORE on the target, DEL here for each key the target accepted (unless COPY).
 *
 * <p>Like Redis's, this MIGRATE is synchronous: the engine waits for the target, bounded by the
 * timeout for connecting and for each read. Doing the I/O on another thread would free the engine
 * meanwhile, but a MIGRATE must delete exactly the keys the target accepted and no write may come
 * in between (Redis gives the same atomicity by blocking); keep the timeout small. No connection
 * is cached between calls.
 */
public final class Migration {
    private final Engine engine;

    public Migration(Engine engine) {
        this.engine = engine;
    }

    public void run(Session session, Arguments args) {
        boolean copy = false;
        boolean replace = false;
        String user = null;
        String password = null;
        int firstKey = 3;
        int keyCount = 1;
        for (int i = 6; i < args.count(); i++) {
            boolean more = i + 1 < args.count();
            if (args.is(i, "copy")) {
                copy = true;
            } else if (args.is(i, "replace")) {
                replace = true;
            } else if (args.is(i, "auth") && more) {
                password = args.string(++i);
            } else if (args.is(i, "auth2") && i + 2 < args.count()) {
                user = args.string(++i);
                password = args.string(++i);
            } else if (args.is(i, "keys")) {
                if (args.length(3) != 0) {
                    engine.error(session, "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");
                    return;
                }
                firstKey = i + 1;
                keyCount = args.count() - i - 1;
                break;
            } else {
                engine.error(session, Errors.SYNTAX);
                return;
            }
        }
        long timeout = args.parseLong(5);
        if (!args.parsedOk()) {
            engine.error(session, Errors.NOT_INTEGER);
            return;
        }
        long targetDb = args.parseLong(4);
        if (!args.parsedOk() || targetDb < Integer.MIN_VALUE || targetDb > Integer.MAX_VALUE) {
            engine.error(session, Errors.NOT_INTEGER);
            return;
        }
        if (timeout <= 0) {
            timeout = 1000;
        }
        Database db = session.database();
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        List<Long> ttls = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int k = 0; k < keyCount; k++) {
            byte[] key = args.bytes(firstKey + k);
            long entry = db.lookupRead(key, 0, key.length, !session.noTouch());
            if (entry == 0) {
                continue;
            }
            long ttl = 0;
            long expireAt = Entry.expireAt(entry);
            if (expireAt >= 0) {
                ttl = expireAt - now;
                if (ttl < 0) {
                    continue;
                }
                ttl = Math.max(ttl, 1);
            }
            keys.add(key);
            payloads.add(engine.persistence().payloads().dump(db.keyspace(), entry));
            ttls.add(ttl);
        }
        if (keys.isEmpty()) {
            session.out().simple("NOKEY");
            return;
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        int expectedReplies = 0;
        if (password != null) {
            if (user != null) {
                command(request, "AUTH".getBytes(), user.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
            } else {
                command(request, "AUTH".getBytes(), password.getBytes(StandardCharsets.UTF_8));
            }
            expectedReplies++;
        }
        command(request, "SELECT".getBytes(), Long.toString(targetDb).getBytes());
        expectedReplies++;
        for (int i = 0; i < keys.size(); i++) {
            byte[] ttl = Long.toString(ttls.get(i)).getBytes();
            if (replace) {
                command(request, "RESTORE".getBytes(), keys.get(i), ttl, payloads.get(i), "REPLACE".getBytes());
            } else {
                command(request, "RESTORE".getBytes(), keys.get(i), ttl, payloads.get(i));
            }
        }
        String host = args.string(1);
        int port;
        try {
            port = Integer.parseInt(args.string(2));
        } catch (NumberFormatException e) {
            port = -1;
        }
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(timeout, Integer.MAX_VALUE));
        } catch (IOException | IllegalArgumentException e) {
            closeQuietly(socket);
            // Redis connects without blocking, so a refused connection surfaces when it writes.
            engine.error(session, e instanceof java.net.SocketTimeoutException
                    ? "IOERR error or timeout connecting to the client"
                    : "IOERR error or timeout writing to target instance");
            return;
        }
        String targetError = null;
        boolean[] accepted = new boolean[keys.size()];
        try (socket) {
            socket.setSoTimeout((int) Math.min(timeout, Integer.MAX_VALUE));
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < expectedReplies; i++) {
                String reply = readLine(in);
                if (reply.startsWith("-")) {
                    engine.error(session, "ERR Target instance replied with error: " + reply.substring(1));
                    return;
                }
            }
            for (int i = 0; i < keys.size(); i++) {
                String reply = readLine(in);
                if (reply.startsWith("-")) {
                    targetError = reply.substring(1);
                } else {
                    accepted[i] = true;
                }
            }
        } catch (IOException e) {
            engine.error(session, "IOERR error or timeout reading to target instance");
            return;
        }
        if (!copy) {
            for (int i = 0; i < keys.size(); i++) {
                if (accepted[i]) {
                    long entry = db.lookupWrite(keys.get(i), 0, keys.get(i).length);
                    if (entry != 0) {
                        db.delete(entry);
                    }
                }
            }
        }
        if (targetError != null) {
            engine.error(session, "ERR Target instance replied with error: " + targetError);
        } else {
            session.out().ok();
        }
    }

    private static void command(ByteArrayOutputStream out, byte[]... parts) {
        out.writeBytes(("*" + parts.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] part : parts) {
            out.writeBytes(("$" + part.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(part);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
    }

    /** One status or error reply line (AUTH, SELECT and RESTORE answer nothing else). */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            line.append((char) b);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
