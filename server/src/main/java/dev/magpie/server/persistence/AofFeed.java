package dev.magpie.server.persistence;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.Entry;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns executed write commands into the AOF stream, on the engine thread, as Redis propagates
 * them: a SELECT whenever the database changes, and the rewrites that make a replay
 * deterministic whenever it happens: relative and second-based expire times become absolute
 * milliseconds (PEXPIREAT, SET ... PXAT), an expire time already past becomes DEL, INCRBYFLOAT
 * becomes SET of its result with KEEPTTL (HINCRBYFLOAT an HSET), SPOP the SREM of what it
 * popped, and blocking pops their non-blocking forms. Reply-dependent rewrites read the reply
 * the command just wrote.
 */
final class AofFeed {
    private static final byte[] SELECT = bytes("SELECT");
    private static final byte[] SET = bytes("SET");
    private static final byte[] PXAT = bytes("PXAT");
    private static final byte[] KEEPTTL = bytes("KEEPTTL");
    private static final byte[] PEXPIREAT = bytes("PEXPIREAT");
    private static final byte[] PERSIST = bytes("PERSIST");
    private static final byte[] DEL = bytes("DEL");
    private static final byte[] HSET = bytes("HSET");
    private static final byte[] SREM = bytes("SREM");
    private static final byte[] ABSTTL = bytes("ABSTTL");

    /** What the feed appends go to: the AOF buffer handed to the writer, or a test's buffer. */
    private final AofBuffer out;
    private int selectedDb = -1;
    private long appendedBytes;
    private final AofReplyReader reply = new AofReplyReader();

    AofFeed(AofBuffer out) {
        this.out = out;
    }

    AofBuffer buffer() {
        return out;
    }

    /** The next command starts a new file: it must say which database it is for. */
    void forgetSelectedDb() {
        selectedDb = -1;
    }

    // ---- entry points --------------------------------------------------------------------------

    /**
     * Appends the command that just ran in database {@code db}; {@code name} is its lower-case
     * name, its reply starts at {@code replyStart} in {@code replies}.
     */
    void command(Database db, String name, Arguments args, ByteBuf replies, int replyStart, long now) {
        int before = out.length();
        switch (name) {
            case "set" -> set(db, args, now);
            case "setex" -> setWithExpire(db, args, 1, 3, args.parseLong(2) * 1000 + now);
            case "psetex" -> setWithExpire(db, args, 1, 3, args.parseLong(2) + now);
            case "getex" -> getex(db, args, replies, replyStart);
            case "expire", "pexpire", "expireat", "pexpireat" -> expire(db, args, replies, replyStart);
            case "incrbyfloat" -> replacedByResult(db, args, replies, replyStart, false);
            case "hincrbyfloat" -> replacedByResult(db, args, replies, replyStart, true);
            case "spop" -> spop(db, args, replies, replyStart);
            case "blpop", "brpop", "bzpopmin", "bzpopmax" -> blockingPop(db, name, replies, replyStart);
            case "blmove" -> shifted(db, "LMOVE", args, 1, args.count() - 1);
            case "brpoplpush" -> shifted(db, "RPOPLPUSH", args, 1, args.count() - 1);
            case "blmpop" -> shifted(db, "LMPOP", args, 2, args.count());
            case "bzmpop" -> shifted(db, "ZMPOP", args, 2, args.count());
            case "restore" -> restore(db, args);
            default -> verbatim(db, args);
        }
        appendedBytes += out.length() - before;
    }

    /** A key removed by expiry or eviction: replicas and the AOF learn of it as a DEL. */
    void deleted(Database db, long entry) {
        int before = out.length();
        select(db.index());
        out.arrayHeader(2);
        out.bulk(DEL);
        out.bulkFromAddress(Entry.keyAddress(entry), Entry.keyLength(entry));
        appendedBytes += out.length() - before;
    }

    /** Bytes appended since the feed was created. */
    long appendedBytes() {
        return appendedBytes;
    }

    /** Counts bytes the caller appended to the buffer directly. */
    void counted(long bytes) {
        appendedBytes += bytes;
    }

    // ---- rewrites -------------------------------------------------------------------------------

    private void verbatim(Database db, Arguments args) {
        select(db.index());
        out.command(args);
    }

    /** SET key value [options]: EX/PX/EXAT become PXAT with the time the key now carries. */
    private void set(Database db, Arguments args, long now) {
        int timeAt = -1;
        long when = -1;
        for (int i = 3; i < args.count() - 1; i++) {
            if (args.is(i, "EX") || args.is(i, "PX") || args.is(i, "EXAT")) {
                timeAt = i;
                long n = args.parseLong(i + 1);
                when = args.is(i, "EX") ? now + n * 1000 : args.is(i, "PX") ? now + n : n * 1000;
                break;
            }
        }
        if (timeAt < 0) {
            verbatim(db, args);
            return;
        }
        when = storedExpire(db, args, 1, when);
        select(db.index());
        out.arrayHeader(args.count());
        for (int i = 0; i < args.count(); i++) {
            if (i == timeAt) {
                out.bulk(PXAT);
            } else if (i == timeAt + 1) {
                out.bulk(when);
            } else {
                out.bulk(args.data(), args.offset(i), args.length(i));
            }
        }
    }

    /** SETEX / PSETEX key time value: SET key value PXAT when. */
    private void setWithExpire(Database db, Arguments args, int keyAt, int valueAt, long computed) {
        long when = storedExpire(db, args, keyAt, computed);
        select(db.index());
        out.arrayHeader(5);
        out.bulk(SET);
        out.bulk(args.data(), args.offset(keyAt), args.length(keyAt));
        out.bulk(args.data(), args.offset(valueAt), args.length(valueAt));
        out.bulk(PXAT);
        out.bulk(when);
    }

    private void getex(Database db, Arguments args, ByteBuf replies, int replyStart) {
        if (args.count() < 3 || reply.isNull(replies, replyStart)) {
            return; // no option changes nothing; a missing key neither
        }
        if (args.is(2, "PERSIST")) {
            keyCommand(db, PERSIST, args, 1);
            return;
        }
        expireOrDelete(db, args, 1);
    }

    private void expire(Database db, Arguments args, ByteBuf replies, int replyStart) {
        if (reply.integer(replies, replyStart) != 1) {
            return; // not applied: nothing changed
        }
        expireOrDelete(db, args, 1);
    }

    /** PEXPIREAT with the time the key now carries, or DEL when the key is gone (its time had passed). */
    private void expireOrDelete(Database db, Arguments args, int keyAt) {
        long entry = db.keyspace().find(args.data(), args.offset(keyAt), args.length(keyAt));
        if (entry == 0 || Entry.expireAt(entry) < 0) {
            keyCommand(db, DEL, args, keyAt);
            return;
        }
        select(db.index());
        out.arrayHeader(3);
        out.bulk(PEXPIREAT);
        out.bulk(args.data(), args.offset(keyAt), args.length(keyAt));
        out.bulk(Entry.expireAt(entry));
    }

    /** INCRBYFLOAT key n: SET key result KEEPTTL; HINCRBYFLOAT key field n: HSET key field result. */
    private void replacedByResult(Database db, Arguments args, ByteBuf replies, int replyStart, boolean hash) {
        byte[] result = reply.bulk(replies, replyStart);
        if (result == null) {
            return;
        }
        select(db.index());
        out.arrayHeader(hash ? 4 : 4);
        out.bulk(hash ? HSET : SET);
        out.bulk(args.data(), args.offset(1), args.length(1));
        if (hash) {
            out.bulk(args.data(), args.offset(2), args.length(2));
            out.bulk(result);
        } else {
            out.bulk(result);
            out.bulk(KEEPTTL);
        }
    }

    /** SPOP key [count]: SREM key of the members it returned. */
    private void spop(Database db, Arguments args, ByteBuf replies, int replyStart) {
        List<byte[]> members = reply.elements(replies, replyStart);
        if (members.isEmpty()) {
            return;
        }
        select(db.index());
        out.arrayHeader(2 + members.size());
        out.bulk(SREM);
        out.bulk(args.data(), args.offset(1), args.length(1));
        for (byte[] member : members) {
            out.bulk(member);
        }
    }

    /** BLPOP and friends served: the non-blocking pop of the key that served them (named in the reply). */
    private void blockingPop(Database db, String name, ByteBuf replies, int replyStart) {
        List<byte[]> served = reply.elements(replies, replyStart);
        if (served.isEmpty()) {
            return;
        }
        select(db.index());
        out.arrayHeader(2);
        out.bulk(name.substring(1).toUpperCase(java.util.Locale.ROOT));
        out.bulk(served.get(0));
    }

    /** {@code command} followed by args[from..to). */
    private void shifted(Database db, String command, Arguments args, int from, int to) {
        select(db.index());
        out.arrayHeader(1 + to - from);
        out.bulk(command);
        for (int i = from; i < to; i++) {
            out.bulk(args.data(), args.offset(i), args.length(i));
        }
    }

    /** RESTORE key ttl payload [...]: a relative ttl becomes the absolute one the key carries, with ABSTTL. */
    private void restore(Database db, Arguments args) {
        boolean absolute = false;
        for (int i = 4; i < args.count(); i++) {
            absolute |= args.is(i, "ABSTTL");
        }
        long entry = db.keyspace().find(args.data(), args.offset(1), args.length(1));
        if (absolute || entry == 0 || Entry.expireAt(entry) < 0) {
            verbatim(db, args);
            return;
        }
        select(db.index());
        out.arrayHeader(args.count() + 1);
        for (int i = 0; i < args.count(); i++) {
            if (i == 2) {
                out.bulk(Entry.expireAt(entry));
            } else {
                out.bulk(args.data(), args.offset(i), args.length(i));
            }
        }
        out.bulk(ABSTTL);
    }

    private void keyCommand(Database db, byte[] command, Arguments args, int keyAt) {
        select(db.index());
        out.arrayHeader(2);
        out.bulk(command);
        out.bulk(args.data(), args.offset(keyAt), args.length(keyAt));
    }

    /** The expire time the key carries after the command, else the one computed from the arguments. */
    private static long storedExpire(Database db, Arguments args, int keyAt, long computed) {
        long entry = db.keyspace().find(args.data(), args.offset(keyAt), args.length(keyAt));
        return entry != 0 && Entry.expireAt(entry) >= 0 ? Entry.expireAt(entry) : computed;
    }

    private void select(int db) {
        if (db == selectedDb) {
            return;
        }
        selectedDb = db;
        out.arrayHeader(2);
        out.bulk(SELECT);
        out.bulk(db);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** For tests: the commands in a RESP stream, as strings. */
    static List<List<String>> decode(byte[] stream) {
        List<List<String>> commands = new ArrayList<>();
        AofScanner scanner = new AofScanner();
        int at = 0;
        while (at < stream.length) {
            int end = scanner.scan(stream, at, stream.length);
            if (end < 0) {
                throw new IllegalArgumentException("bad stream at " + at);
            }
            List<String> words = new ArrayList<>();
            for (int i = 0; i < scanner.argc(); i++) {
                words.add(new String(stream, scanner.argOffset(i), scanner.argLength(i), StandardCharsets.ISO_8859_1));
            }
            commands.add(words);
            at = end;
        }
        return commands;
    }
}
