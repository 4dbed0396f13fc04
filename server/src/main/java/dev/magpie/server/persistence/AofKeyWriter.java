package dev.magpie.server.persistence;

import dev.magpie.server.commands.ScoreFormat;
import dev.magpie.server.keyspace.Entry;
import dev.magpie.server.keyspace.Keyspace;
import dev.magpie.server.types.HashValue;
import dev.magpie.server.types.HashView;
import dev.magpie.server.types.ListCursor;
import dev.magpie.server.types.ListValue;
import dev.magpie.server.types.SetMember;
import dev.magpie.server.types.SetValue;
import dev.magpie.server.types.ZSetValue;

import java.nio.charset.StandardCharsets;

/**
 * Writes keys as the commands that rebuild them, as Redis's AOF rewrite does (an AOF-format base
 * file): SET, RPUSH, SADD, HMSET and ZADD with at most 64 items per command, then PEXPIREAT for a
 * key with a time to live, with a SELECT whenever the database changes. Keys already expired are
 * left out. A {@link KeyspaceSnapshot.Sink}: engine thread only.
 */
final class AofKeyWriter implements KeyspaceSnapshot.Sink {
    private static final int ITEMS_PER_COMMAND = 64;
    private static final byte[] SELECT = ascii("SELECT");
    private static final byte[] SET = ascii("SET");
    private static final byte[] RPUSH = ascii("RPUSH");
    private static final byte[] SADD = ascii("SADD");
    private static final byte[] HMSET = ascii("HMSET");
    private static final byte[] ZADD = ascii("ZADD");
    private static final byte[] PEXPIREAT = ascii("PEXPIREAT");

    private final AofBuffer out;
    private final long now;
    private final HashView hashView = new HashView();
    private final SetMember setMember = new SetMember();
    private int currentDb = -1;
    private long keys;

    AofKeyWriter(AofBuffer out, long nowMillis) {
        this.out = out;
        this.now = nowMillis;
    }

    AofBuffer buffer() {
        return out;
    }

    long keys() {
        return keys;
    }

    @Override
    public void entry(int database, Keyspace keyspace, long entry) {
        long expireAt = Entry.expireAt(entry);
        if (expireAt >= 0 && expireAt < now) {
            return;
        }
        if (database != currentDb) {
            out.arrayHeader(2);
            out.bulk(SELECT);
            out.bulk(database);
            currentDb = database;
        }
        keys++;
        long keyAddress = Entry.keyAddress(entry);
        int keyLength = Entry.keyLength(entry);
        byte type = Entry.type(entry);
        if (type == Entry.TYPE_STRING) {
            out.arrayHeader(3);
            out.bulk(SET);
            out.bulkFromAddress(keyAddress, keyLength);
            if (Entry.encoding(entry) == Entry.ENCODING_INT) {
                out.bulk(Entry.intValue(entry));
            } else {
                out.bulkFromAddress(Entry.valueAddress(entry), Entry.valueLength(entry));
            }
        } else {
            Object value = keyspace.objects().get(Entry.objectHandle(entry));
            if (value instanceof ListValue list) {
                list(list, keyAddress, keyLength);
            } else if (value instanceof SetValue set) {
                set(set, keyAddress, keyLength);
            } else if (value instanceof HashValue hash) {
                hash(hash, keyAddress, keyLength);
            } else if (value instanceof ZSetValue zset) {
                zset(zset, keyAddress, keyLength);
            } else {
                throw new IllegalStateException("cannot rewrite a value of type " + value);
            }
        }
        if (expireAt >= 0) {
            out.arrayHeader(3);
            out.bulk(PEXPIREAT);
            out.bulkFromAddress(keyAddress, keyLength);
            out.bulk(expireAt);
        }
    }

    private void header(byte[] command, long remaining, int perItem, long keyAddress, int keyLength) {
        int items = (int) Math.min(ITEMS_PER_COMMAND, remaining);
        out.arrayHeader(2 + items * perItem);
        out.bulk(command);
        out.bulkFromAddress(keyAddress, keyLength);
    }

    private void list(ListValue list, long keyAddress, int keyLength) {
        long remaining = list.size();
        int inCommand = 0;
        ListCursor cursor = list.cursor(false);
        while (cursor.next()) {
            if (inCommand == 0) {
                header(RPUSH, remaining, 1, keyAddress, keyLength);
            }
            out.bulk(cursor.element());
            remaining--;
            inCommand = (inCommand + 1) % ITEMS_PER_COMMAND;
        }
    }

    private void set(SetValue set, long keyAddress, int keyLength) {
        long remaining = set.size();
        int inCommand = 0;
        for (int p = set.first(); p >= 0; p = set.next(p)) {
            if (inCommand == 0) {
                header(SADD, remaining, 1, keyAddress, keyLength);
            }
            set.load(p, setMember);
            out.bulk(setMember.array, setMember.offset, setMember.length);
            remaining--;
            inCommand = (inCommand + 1) % ITEMS_PER_COMMAND;
        }
    }

    private void hash(HashValue hash, long keyAddress, int keyLength) {
        long remaining = hash.size();
        int inCommand = 0;
        for (int p = hash.first(); p >= 0; p = hash.next(p)) {
            if (inCommand == 0) {
                header(HMSET, remaining, 2, keyAddress, keyLength);
            }
            hash.load(p, hashView);
            out.bulk(hashView.array, hashView.fieldOffset, hashView.fieldLength);
            out.bulk(hashView.array, hashView.valueOffset, hashView.valueLength);
            remaining--;
            inCommand = (inCommand + 1) % ITEMS_PER_COMMAND;
        }
    }

    private void zset(ZSetValue zset, long keyAddress, int keyLength) {
        long remaining = zset.size();
        if (remaining == 0) {
            return;
        }
        int inCommand = 0;
        ZSetValue.Cursor cursor = zset.cursor().seek(0);
        do {
            if (inCommand == 0) {
                header(ZADD, remaining, 2, keyAddress, keyLength);
            }
            out.bulk(ScoreFormat.format(cursor.score()));
            out.bulk(cursor.memberArray(), cursor.memberOffset(), cursor.memberLength());
            remaining--;
            inCommand = (inCommand + 1) % ITEMS_PER_COMMAND;
        } while (remaining > 0 && cursor.next());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
