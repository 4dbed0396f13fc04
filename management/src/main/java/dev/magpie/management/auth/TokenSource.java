package dev.magpie.management.auth;

import dev.magpie.management.ManagementSettings;
import dev.magpie.management.ManagementStartupException;
import dev.magpie.management.store.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Decides which bearer tokens the plane accepts: configured ones and the environment's; with none, a
 * random token generated once and kept in the data directory, so the plane is never open to anyone
 * and a restart does not invalidate what clients were given.
 */
public final class TokenSource {

    public static final String GENERATED_TOKEN_FILE = "management-token";

    private TokenSource() {
    }

    public record Tokens(List<String> accepted, Path generatedFile) {
    }

    public static Tokens resolve(ManagementSettings settings, Map<String, String> environment) {
        List<String> tokens = new ArrayList<>(settings.tokens());
        if (settings.tokensFromEnvironment()) {
            String fromEnvironment = environment.get(ManagementSettings.TOKEN_ENVIRONMENT_VARIABLE);
            if (fromEnvironment != null) {
                for (String token : fromEnvironment.split("[,\\s]+")) {
                    if (!token.isEmpty()) tokens.add(token);
                }
            }
        }
        if (!tokens.isEmpty()) {
            return new Tokens(List.copyOf(tokens), null);
        }
        AtomicFile file = new AtomicFile(settings.dataDir().resolve(GENERATED_TOKEN_FILE));
        try {
            String token = file.read().map(bytes -> new String(bytes, StandardCharsets.UTF_8).trim()).orElse("");
            if (token.isEmpty()) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                token = HexFormat.of().formatHex(random);
                file.write((token + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return new Tokens(List.of(token), file.path());
        } catch (IOException e) {
            throw new ManagementStartupException("No management token is configured and none could be generated in "
                    + file.path().toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
