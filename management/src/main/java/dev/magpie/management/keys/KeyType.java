package dev.magpie.management.keys;

import java.util.Optional;

/** Which of a cache's two access keys a regenerateKey call replaces. */
public enum KeyType {
    PRIMARY("Primary"),
    SECONDARY("Secondary");

    private final String armName;

    KeyType(String armName) {
        this.armName = armName;
    }

    public String armName() {
        return armName;
    }

    /** ARM enum values are matched case-insensitively. */
    public static Optional<KeyType> parse(String value) {
        for (KeyType type : values()) {
            if (type.armName.equalsIgnoreCase(value)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
