package dev.magpie.server.commands;

import dev.magpie.server.util.GlobPattern;

/** Glob patterns over setting and command names (CONFIG GET, COMMAND LIST FILTERBY PATTERN). */
final class IntrospectionGlob {
    private IntrospectionGlob() {
    }

    /** True when the pattern uses any glob syntax; CONFIG GET looks plain names up directly. */
    static boolean isPattern(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    static boolean matches(String pattern, String text, boolean noCase) {
        return GlobPattern.matches(pattern, text, noCase);
    }
}
