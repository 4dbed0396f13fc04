package dev.magpie.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helper: runs the parser over byte streams and collects what it produced as plain strings. */
final class Parsing {
    /** Commands (each a list of arguments, one char per byte), the protocol error if any, and bytes left unread. */
    record Result(List<List<String>> commands, String error, int unread) {
    }

    private Parsing() {
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Parses {@code raw} in one read, with room for any number of commands. */
    static Result parse(String raw) {
        return parse(new RequestParser(), bytes(raw));
    }

    static Result parse(RequestParser parser, byte[] raw) {
        ByteBuf in = Unpooled.wrappedBuffer(raw);
        CommandBatch batch = new CommandBatch();
        List<List<String>> commands = new ArrayList<>();
        String error = null;
        // Keep parsing while progress is made, as the connection does after each batch.
        while (true) {
            batch.clear();
            int before = in.readerIndex();
            parser.parse(in, batch, Integer.MAX_VALUE);
            commands.addAll(commands(batch));
            if (batch.protocolError() != null) {
                error = batch.protocolError();
                break;
            }
            if (batch.commandCount() == 0 && in.readerIndex() == before) {
                break;
            }
        }
        return new Result(commands, error, in.readableBytes());
    }

    /**
     * Feeds {@code raw} to one parser in the given pieces, as separate reads into a cumulation
     * buffer, and collects every command decoded along the way.
     */
    static Result parseInPieces(byte[] raw, int... cuts) {
        RequestParser parser = new RequestParser();
        ByteBuf cumulation = Unpooled.buffer();
        CommandBatch batch = new CommandBatch();
        List<List<String>> commands = new ArrayList<>();
        String error = null;
        int from = 0;
        for (int i = 0; i <= cuts.length && error == null; i++) {
            int to = i < cuts.length ? cuts[i] : raw.length;
            cumulation.writeBytes(raw, from, to - from);
            from = to;
            while (error == null) {
                batch.clear();
                int before = cumulation.readerIndex();
                parser.parse(cumulation, batch, Integer.MAX_VALUE);
                commands.addAll(commands(batch));
                error = batch.protocolError();
                if (batch.commandCount() == 0 && cumulation.readerIndex() == before) {
                    break;
                }
            }
            cumulation.discardReadBytes();
        }
        return new Result(commands, error, cumulation.readableBytes());
    }

    /**
     * The batch's commands; every command the batch holds verbatim is checked to be the RESP
     * Redis writes for its arguments, so each parser test also checks that promise.
     */
    static List<List<String>> commands(CommandBatch batch) {
        List<List<String>> commands = new ArrayList<>();
        for (int c = 0; c < batch.commandCount(); c++) {
            List<String> args = new ArrayList<>();
            for (int a = batch.firstArg(c); a < batch.firstArg(c) + batch.argc(c); a++) {
                args.add(new String(batch.data(), batch.argOffset(a), batch.argLength(a), StandardCharsets.ISO_8859_1));
            }
            if (batch.verbatimStart(c) >= 0) {
                String verbatim = new String(batch.data(), batch.verbatimStart(c), batch.verbatimLength(c),
                        StandardCharsets.ISO_8859_1);
                if (!verbatim.equals(resp(args))) {
                    throw new AssertionError("command " + c + " is kept as " + verbatim + ", not as " + resp(args));
                }
            }
            commands.add(args);
        }
        return commands;
    }

    /** A command as Redis writes it: a multibulk of bulk strings. */
    static String resp(List<String> args) {
        StringBuilder text = new StringBuilder("*").append(args.size()).append("\r\n");
        for (String arg : args) {
            text.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
        }
        return text.toString();
    }

    /** Which of the batch's commands are held verbatim. */
    static List<Boolean> verbatim(CommandBatch batch) {
        List<Boolean> kept = new ArrayList<>();
        for (int c = 0; c < batch.commandCount(); c++) {
            kept.add(batch.verbatimStart(c) >= 0);
        }
        return kept;
    }
}
