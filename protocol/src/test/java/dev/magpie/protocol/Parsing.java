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

    static List<List<String>> commands(CommandBatch batch) {
        List<List<String>> commands = new ArrayList<>();
        for (int c = 0; c < batch.commandCount(); c++) {
            List<String> args = new ArrayList<>();
            for (int a = batch.firstArg(c); a < batch.firstArg(c) + batch.argc(c); a++) {
                args.add(new String(batch.data(), batch.argOffset(a), batch.argLength(a), StandardCharsets.ISO_8859_1));
            }
            commands.add(args);
        }
        return commands;
    }
}
