package dev.magpie.server.persistence;

import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Keyspace;

/**
 * Encodes the keys of a rewrite into the bytes of a base file, in one of the two forms Redis 7
 * writes: an RDB file ({@code aof-use-rdb-preamble yes}: the RDB version 10 that BGSAVE writes,
 * with the aux field {@code aof-base 1}) or the commands that rebuild each key ({@code no}).
 * The bytes gathered so far are taken out in chunks for a thread that writes them. A
 * {@link KeyspaceSnapshot.Sink}: engine thread only.
 */
abstract class AofBaseEncoder implements KeyspaceSnapshot.Sink {
    /** The form {@code aof-use-rdb-preamble} asks for, with the dataset as it is now. */
    static AofBaseEncoder of(Engine engine, boolean rdb, long nowMillis) {
        return rdb ? new Rdb(engine) : new Commands(nowMillis);
    }

    /** Whether this is an RDB base (a {@code .base.rdb} file, with a trailing checksum). */
    abstract boolean rdb();

    /** Writes what precedes the keys. */
    abstract void begin();

    /** Writes what follows the keys (the RDB's EOF opcode; its checksum is the file's to add). */
    abstract void end();

    /** Bytes encoded and not yet taken. */
    abstract int pending();

    /** Lets a writer thread serialize string keys and large values (RDB form only; the command form encodes all here). */
    void defer(RdbSerializer.Deferral deferral) {
    }

    /** The bytes encoded so far, leaving the encoder empty. */
    abstract byte[] take();

    /** Puts {@code marker} in the stream between keys of {@code database} (RDB form with a deferral only). */
    void mark(int database, DeferredKeys marker) {
        throw new UnsupportedOperationException("only an RDB base is divided into segments");
    }

    private static final class Rdb extends AofBaseEncoder {
        private final Engine engine;
        private final RdbSerializer serializer;

        Rdb(Engine engine) {
            this.engine = engine;
            this.serializer = new RdbSerializer(engine,
                    new RdbOutput(1 << 16, engine.settings().bool("rdbcompression")).adaptiveCompression());
        }

        @Override
        boolean rdb() {
            return true;
        }

        @Override
        void begin() {
            serializer.header(engine, true);
        }

        @Override
        void defer(RdbSerializer.Deferral deferral) {
            serializer.defer(deferral);
        }

        @Override
        public void entry(int database, Keyspace keyspace, long entry) {
            serializer.entry(database, keyspace, entry);
        }

        @Override
        void mark(int database, DeferredKeys marker) {
            serializer.mark(database, marker);
        }

        @Override
        void end() {
            serializer.footer();
        }

        @Override
        int pending() {
            return serializer.output().size();
        }

        @Override
        byte[] take() {
            return serializer.output().take();
        }
    }

    private static final class Commands extends AofBaseEncoder {
        private final AofKeyWriter keys;

        Commands(long nowMillis) {
            this.keys = new AofKeyWriter(new AofBuffer(1 << 16), nowMillis);
        }

        @Override
        boolean rdb() {
            return false;
        }

        @Override
        void begin() {
        }

        @Override
        public void entry(int database, Keyspace keyspace, long entry) {
            keys.entry(database, keyspace, entry);
        }

        @Override
        void end() {
        }

        @Override
        int pending() {
            return keys.buffer().length();
        }

        @Override
        byte[] take() {
            byte[] bytes = keys.buffer().toByteArray();
            keys.buffer().clear();
            return bytes;
        }
    }
}
