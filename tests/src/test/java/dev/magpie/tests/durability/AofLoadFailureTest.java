package dev.magpie.tests.durability;

import dev.magpie.tests.support.RawRespClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A corrupt AOF stops the server process with exit code 1 and the file and offset in its log. */
class AofLoadFailureTest {
    @TempDir
    Path dir;

    @Test
    void corruptionInTheMiddleExitsWithTheFileAndOffset() throws Exception {
        try (MagpieProcess magpie = MagpieProcess.start(dir, "--appendonly", "yes")) {
            try (RawRespClient client = magpie.connect()) {
                for (int i = 0; i < 50; i++) {
                    client.call("SET", "key:" + i, "value");
                }
            }
            assertEquals(0, magpie.terminate());
        }
        Path incr = dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof");
        byte[] bytes = Files.readAllBytes(incr);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int corruptAt = text.indexOf("*3\r\n$3\r\nSET\r\n$6\r\nkey:25\r\n");
        assertTrue(corruptAt > 0, text);
        bytes[corruptAt] = '?';
        Files.write(incr, bytes);
        IOException stopped = assertThrows(IOException.class, () -> MagpieProcess.start(dir, "--appendonly", "yes"));
        String log = stopped.getMessage();
        assertTrue(log.startsWith("Magpie exited with 1"), log);
        assertTrue(log.contains("Bad file format reading the append only file appendonly.aof.1.incr.aof at offset "
                + corruptAt), log);
    }
}
