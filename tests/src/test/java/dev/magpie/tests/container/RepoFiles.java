package dev.magpie.tests.container;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the source tree the deployment tests check, found from the tests module's directory. */
final class RepoFiles {
    private RepoFiles() {
    }

    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy")) && Files.isRegularFile(dir.resolve("server/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no source tree with deploy/ above " + here);
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }
}
