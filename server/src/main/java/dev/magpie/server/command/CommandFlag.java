package dev.magpie.server.command;

/** Redis's command flags, as COMMAND INFO reports them. */
public enum CommandFlag {
    WRITE("write"), READONLY("readonly"), DENYOOM("denyoom"), ADMIN("admin"), PUBSUB("pubsub"),
    NOSCRIPT("noscript"), BLOCKING("blocking"), LOADING("loading"), STALE("stale"),
    SKIP_MONITOR("skip_monitor"), SKIP_SLOWLOG("skip_slowlog"), FAST("fast"), NO_AUTH("no_auth"),
    MAY_REPLICATE("may_replicate"), NO_MANDATORY_KEYS("no_mandatory_keys"), NO_MULTI("no_multi"),
    MOVABLEKEYS("movablekeys"), ALLOW_BUSY("allow_busy"), NO_ASYNC_LOADING("no_async_loading");

    private final String label;

    CommandFlag(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public int bit() {
        return 1 << ordinal();
    }
}
