package dev.magpie.server.persistence;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A minimal RESP client for the AOF tests: sends a command, reads one reply as text. */
final class AofTestClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    AofTestClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** The reply in a compact text form: +OK, :1, $value, (nil), *[a, b], -ERR ... */
    String call(String... args) throws IOException {
        StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return read();
    }

    /** Sends all commands in one write, then reads their replies, in order. */
    List<String> pipeline(List<String[]> commands) throws IOException {
        StringBuilder request = new StringBuilder();
        for (String[] args : commands) {
            request.append('*').append(args.length).append("\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
            }
        }
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        List<String> replies = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            replies.add(read());
        }
        return replies;
    }

    /** Sends {@code request} as it is (an inline command, odd line ends) and reads one reply. */
    String send(String request) throws IOException {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return read();
    }

    private String read() throws IOException {
        int type = in.read();
        String line = line();
        switch (type) {
            case '+', '-', ':' -> {
                return (char) type + line;
            }
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return "(nil)";
                }
                byte[] data = in.readNBytes(length + 2);
                return "$" + new String(data, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return "(nil)";
                }
                StringBuilder all = new StringBuilder("*[");
                for (int i = 0; i < count; i++) {
                    all.append(i == 0 ? "" : ", ").append(read());
                }
                return all.append(']').toString();
            }
            default -> throw new IOException("unexpected reply type " + type);
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            line.append((char) b);
        }
        in.read();
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
