package dev.magpie.server.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The "default" user's passwords. {@code requirepass} sets exactly one; ACL SETUSER can hold
 * several at once, which is how the management plane rotates a cache's two access keys: logins
 * with a removed password fail, connections already authenticated stay so.
 */
public final class DefaultUser {
    private final Set<String> passwords = new LinkedHashSet<>();
    private boolean enabled = true;
    /** Read by I/O threads when a connection opens (protected mode, parser limits); written by the engine. */
    private volatile boolean requiresAuth;
    private volatile boolean hasPasswords;

    private void changed() {
        hasPasswords = !passwords.isEmpty();
        requiresAuth = hasPasswords || !enabled;
    }

    /** Replaces every password with {@code password}, or with none when it is empty (requirepass). */
    public void requirePass(String password) {
        passwords.clear();
        if (!password.isEmpty()) {
            passwords.add(password);
        }
        changed();
    }

    public boolean requiresAuth() {
        return requiresAuth;
    }

    public boolean hasPasswords() {
        return hasPasswords;
    }

    public boolean accepts(String password) {
        return enabled && (passwords.isEmpty() || passwords.contains(password));
    }

    public void addPassword(String password) {
        passwords.add(password);
        changed();
    }

    public boolean removePassword(String password) {
        boolean removed = passwords.remove(password);
        changed();
        return removed;
    }

    public void resetPasswords() {
        passwords.clear();
        changed();
    }

    public void enabled(boolean enabled) {
        this.enabled = enabled;
        changed();
    }

    public boolean enabled() {
        return enabled;
    }

    /** The user as ACL LIST describes it: passwords as SHA-256 hashes, never in clear. */
    public String describe() {
        StringBuilder rule = new StringBuilder("user default ").append(enabled ? "on" : "off");
        if (passwords.isEmpty()) {
            rule.append(" nopass");
        }
        for (String password : passwords) {
            rule.append(" #").append(sha256(password));
        }
        return rule.append(" ~* &* +@all").toString();
    }

    static String sha256(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte b : digest) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
