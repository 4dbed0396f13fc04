package dev.magpie.server.persistence;

import dev.magpie.server.Log;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.keyspace.Database;
import dev.magpie.server.keyspace.ObjectTable;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * DEBUG RELOAD: saves the dataset, empties it and loads the file back, all on the engine thread
 * as Redis does (the server answers nobody meanwhile; it is a test and diagnosis tool). MERGE
 * lets a key of the file replace one already present; without it such a key is an error.
 */
final class RdbReload {
    static final String LOAD_FAILED = "ERR Error trying to load the RDB dump, check server logs.";

    private RdbReload() {
    }

    /** Loads {@code path} into the live databases; null when done, else the error to reply. */
    static String load(Engine engine, Path path, boolean merge) {
        long now = System.currentTimeMillis();
        int databases = engine.databases().length;
        try (InputStream stream = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            RdbParser.parse(new RdbInput(stream), Limits.of(engine.settings()), databases,
                    engine.settings().bool("rdbchecksum"), 0, (db, key, value, expireAt, idle, freq) -> {
                        if (expireAt >= 0 && expireAt < now) {
                            ObjectTable.free(value);
                            return;
                        }
                        Database database = engine.database(db);
                        long present = database.keyspace().find(key, 0, key.length);
                        if (present != 0) {
                            if (!merge) {
                                throw new RdbException("duplicated key '" + RdbParser.printable(key) + "' in db " + db, -1);
                            }
                            database.delete(present);
                        }
                        long entry = RdbLoader.insert(database, key, value);
                        if (expireAt >= 0) {
                            entry = database.keyspace().expireAt(entry, expireAt);
                        }
                        RdbLoader.applyAccess(entry, idle, freq);
                    });
        } catch (RdbException e) {
            Log.warning("Bad RDB file " + path + " at offset " + e.offset() + ": " + e.getMessage());
            return LOAD_FAILED;
        } catch (IOException | RuntimeException e) {
            Log.warning("Can't load RDB file " + path + ": " + e);
            return LOAD_FAILED;
        }
        Log.warning("DB reloaded by DEBUG RELOAD");
        return null;
    }
}
