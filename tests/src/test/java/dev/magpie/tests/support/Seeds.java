package dev.magpie.tests.support;

/** The seeds of a randomized differential test: fixed ones plus fresh ones, or the one a rerun asks for. */
public final class Seeds {
    private Seeds() {
    }

    /**
     * The seed given in system property {@code property} alone (to rerun a reported failure, e.g.
     * {@code -Dmagpie.lists.seed=42}), otherwise {@code defaults}.
     */
    public static long[] chosenOr(String property, long... defaults) {
        String chosen = System.getProperty(property);
        if (chosen != null && !chosen.isBlank()) {
            return new long[] {Long.parseLong(chosen.trim())};
        }
        return defaults;
    }
}
