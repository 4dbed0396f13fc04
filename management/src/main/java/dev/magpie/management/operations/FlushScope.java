package dev.magpie.management.operations;

/**
 * What a flush removes. Azure's flush is {@link #everything()}; the prefix form is Magpie's extension.
 *
 * @param prefix    null for every key of every database
 * @param recursive with a prefix: also the keys below it in the ':'-separated hierarchy
 * @param database  with a prefix: the database to scan
 */
public record FlushScope(String prefix, boolean recursive, int database) {

    private static final FlushScope EVERYTHING = new FlushScope(null, false, 0);

    public static FlushScope everything() {
        return EVERYTHING;
    }

    public boolean isEverything() {
        return prefix == null;
    }
}
