package dev.magpie.server.commands;

/** Redis's rule for client names: no spaces, newlines or other special characters. */
final class ClientNames {
    static final String INVALID = "ERR Client names cannot contain spaces, newlines or special characters.";

    private ClientNames() {
    }

    static boolean valid(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '!' || c > '~') {
                return false;
            }
        }
        return true;
    }
}
