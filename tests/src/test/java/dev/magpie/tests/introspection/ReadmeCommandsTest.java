package dev.magpie.tests.introspection;

import dev.magpie.server.docs.CommandReference;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's command list must be what the command table generates. The expected text is
 * also written to {@code server/target/commands.md}, ready to paste between the markers.
 */
class ReadmeCommandsTest {
    static final String BEGIN = "<!-- commands:begin -->";
    static final String END = "<!-- commands:end -->";

    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        return dir == null ? Path.of("").toAbsolutePath().getParent() : dir;
    }

    @Test
    void readmeListsTheCommandsOfTheTable() throws IOException {
        String generated = CommandReference.markdown();
        Path root = root();
        Path target = root.resolve("server").resolve("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("commands.md"), generated, StandardCharsets.UTF_8);

        Path readme = root.resolve("README.md");
        assertTrue(Files.exists(readme), "README.md not found above " + Path.of("").toAbsolutePath());
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "README.md needs the markers " + BEGIN + " and " + END
                + " around the command list; paste server/target/commands.md between them");
        String current = text.substring(begin + BEGIN.length(), end).strip();
        assertEquals(generated.strip(), current, "README.md's command list is stale: replace the text between "
                + BEGIN + " and " + END + " with server/target/commands.md (or the output of"
                + " java -cp server/target/magpie-server.jar dev.magpie.server.docs.CommandReference)");
    }

    @Test
    void everyCommandAppearsWithItsGroupHeading() {
        String generated = CommandReference.markdown();
        assertTrue(generated.contains("### Server"), generated);
        assertTrue(generated.contains("| `CONFIG GET` | -3 | 2.0.0 |"), generated);
        assertTrue(generated.contains("| `INFO` | -1 | 1.0.0 |"), generated);
        assertTrue(generated.contains("| `COMMAND GETKEYS` | -4 | 2.8.13 |"), generated);
        assertTrue(generated.contains("| `GET` | 2 | 1.0.0 |"), generated);
    }
}
