package dev.magpie.server.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AofManifestTest {
    private static final String PREFIX = "appendonly.aof";

    @Test
    void formatsLinesExactlyAsRedis() {
        AofManifest m = AofManifest.empty(PREFIX).withNewBase(true, null).withNewIncr();
        assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
                m.format());
    }

    @Test
    void parsesWhatRedisWritesAndRoundTrips() {
        String text = "file appendonly.aof.2.base.aof seq 2 type b\n"
                + "file appendonly.aof.1.base.aof seq 1 type h\n"
                + "file appendonly.aof.3.incr.aof seq 3 type i\n"
                + "file appendonly.aof.4.incr.aof seq 4 type i\n";
        AofManifest m = AofManifest.parse(PREFIX, text);
        assertEquals("appendonly.aof.2.base.aof", m.base().name());
        assertEquals(List.of("appendonly.aof.1.base.aof"), m.historyNames());
        assertEquals(2, m.incrs().size());
        assertEquals(text, m.format());
        // Sequence numbers continue from the highest seen.
        assertEquals("appendonly.aof.5.incr.aof", m.withNewIncr().lastIncr().name());
        assertEquals("appendonly.aof.3.base.rdb", m.nextBaseName(true));
    }

    @Test
    void ignoresCommentsBlankLinesAndUnknownKeys() {
        AofManifest m = AofManifest.parse(PREFIX, "# comment\n\nfile a.aof seq 1 type i extra 7\n");
        assertEquals("a.aof", m.lastIncr().name());
        assertNull(m.base());
    }

    @Test
    void quotesNamesWithBlanksAndReadsThemBack() {
        AofManifest m = AofManifest.parse(PREFIX, "file \"my file\\x41.aof\" seq 1 type b\n");
        assertEquals("my fileA.aof", m.base().name());
        assertEquals("file \"my fileA.aof\" seq 1 type b\n", m.format());
    }

    @Test
    void rejectsWhatRedisRejects() {
        assertEquals("Invalid AOF manifest file format", reason("file a seq 1\n"));
        assertEquals("Invalid AOF manifest file format", reason("file a seq 1 type x\n"));
        assertEquals("Invalid AOF manifest file format", reason("file a seq zero type i\n"));
        assertEquals("Found duplicate base file information", reason("file a seq 1 type b\nfile b seq 2 type b\n"));
        assertEquals("Found a non-monotonic sequence number", reason("file a seq 2 type i\nfile b seq 2 type i\n"));
        assertEquals("Found an empty AOF manifest", reason("# nothing\n"));
        assertEquals("The AOF manifest file contains too long line", reason("file " + "x".repeat(1100) + " seq 1 type i\n"));
    }

    private static String reason(String text) {
        return assertThrows(IllegalArgumentException.class, () -> AofManifest.parse(PREFIX, text)).getMessage();
    }

    @Test
    void newBaseTurnsOlderFilesIntoHistory() {
        AofManifest m = AofManifest.empty(PREFIX).withNewBase(false, null).withNewIncr().withNewIncr();
        AofManifest.FileInfo kept = m.lastIncr();
        AofManifest rewritten = m.withNewBase(false, kept);
        assertEquals("appendonly.aof.2.base.aof", rewritten.base().name());
        assertEquals(List.of("appendonly.aof.1.base.aof", "appendonly.aof.1.incr.aof"), rewritten.historyNames());
        assertEquals(List.of(kept), rewritten.incrs());
        assertEquals("file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
                rewritten.withoutHistory().format());
    }

    @Test
    void persistsAtomically(@TempDir Path dir) throws Exception {
        AofManifest m = AofManifest.empty(PREFIX).withNewIncr();
        m.persist(dir);
        assertTrue(Files.exists(dir.resolve("appendonly.aof.manifest")));
        assertTrue(Files.notExists(dir.resolve("temp-appendonly.aof.manifest")));
        assertEquals(m.format(), AofManifest.load(dir, PREFIX).format());
        assertNull(AofManifest.load(dir, "other.aof"));
    }
}
