package dev.magpie.server.keyspace;

/** What a database reports to, and asks of, the engine around it. */
public interface KeyspaceEvents {
    long now();

    int lruClock();

    boolean expiryEnabled();

    void hit();

    void miss();

    void expired(Database database, long entry);

    /** An entry is about to be freed: release anything it references outside its own memory. */
    void freeing(long entry);
}
