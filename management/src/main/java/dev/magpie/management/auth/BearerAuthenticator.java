package dev.magpie.management.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Checks {@code Authorization: Bearer <token>} against the accepted tokens. Tokens are compared as
 * SHA-256 digests with {@link MessageDigest#isEqual}, so neither a token's content nor its length
 * leaks through response timing; every accepted token is compared, match or not.
 */
public final class BearerAuthenticator {

    public enum Verdict { ACCEPTED, MISSING, INVALID }

    private final List<byte[]> acceptedDigests;

    public BearerAuthenticator(List<String> tokens) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("at least one token is required");
        }
        this.acceptedDigests = tokens.stream().map(BearerAuthenticator::digest).toList();
    }

    public Verdict check(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Verdict.MISSING;
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Verdict.INVALID;
        }
        byte[] presented = digest(value.substring(7).trim());
        boolean matched = false;
        for (byte[] accepted : acceptedDigests) {
            matched |= MessageDigest.isEqual(accepted, presented);
        }
        return matched ? Verdict.ACCEPTED : Verdict.INVALID;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
