package dev.magpie.server.engine;

import dev.magpie.server.command.CommandFlag;
import dev.magpie.server.command.CommandSpec;

/** CLIENT PAUSE: until when, and whether it holds back all commands or only writes. */
public final class Pause {
    private long endMillis;
    private boolean writesOnly;

    /** A new pause replaces the current one, as in Redis 7. */
    public void pause(long untilMillis, boolean writesOnly) {
        this.endMillis = untilMillis;
        this.writesOnly = writesOnly;
    }

    public void unpause() {
        endMillis = 0;
    }

    public boolean active(long nowMillis) {
        return endMillis > nowMillis;
    }

    public long endMillis() {
        return endMillis;
    }

    /** Whether the pause holds back only writes (WRITE) rather than every command (ALL). */
    public boolean writesOnly() {
        return writesOnly;
    }

    boolean blocks(CommandSpec spec, long nowMillis) {
        if (!active(nowMillis)) {
            return false;
        }
        if (!writesOnly) {
            return true;
        }
        return spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.MAY_REPLICATE);
    }
}
