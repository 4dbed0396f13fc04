package dev.magpie.server.command;

import java.util.List;

/**
 * Where a command's keys sit among its arguments, as Redis 7 describes it in COMMAND INFO: how to
 * find the first key (at a fixed index, or after a keyword) and how many follow (a range, or a
 * count read from an argument), plus the access flags ("RO access", "OW update", "RM delete").
 */
public final class KeySpec {
    private final List<String> flags;
    private final int index;
    private final String keyword;
    private final int startFrom;
    private final boolean keyNum;
    private final int lastKey;
    private final int keyStep;
    private final int limit;
    private final int keyNumIndex;
    private final int firstKey;

    private KeySpec(String flags, int index, String keyword, int startFrom, boolean keyNum,
                    int lastKey, int keyStep, int limit, int keyNumIndex, int firstKey) {
        this.flags = List.of(flags.trim().isEmpty() ? new String[0] : flags.trim().split("\\s+"));
        this.index = index;
        this.keyword = keyword;
        this.startFrom = startFrom;
        this.keyNum = keyNum;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        this.limit = limit;
        this.keyNumIndex = keyNumIndex;
        this.firstKey = firstKey;
    }

    /** Keys from argument {@code index} to {@code lastKey} (relative to it; negative counts from the end). */
    public static KeySpec range(String flags, int index, int lastKey, int keyStep, int limit) {
        return new KeySpec(flags, index, null, 0, false, lastKey, keyStep, limit, 0, 0);
    }

    /** Keys after {@code keyword} (searched from {@code startFrom}), to {@code lastKey} relative to it. */
    public static KeySpec keywordRange(String flags, String keyword, int startFrom, int lastKey, int keyStep, int limit) {
        return new KeySpec(flags, 0, keyword, startFrom, false, lastKey, keyStep, limit, 0, 0);
    }

    /** A key count at {@code index + keyNumIndex}, the keys from {@code index + firstKey} every {@code keyStep}. */
    public static KeySpec keyNum(String flags, int index, int keyNumIndex, int firstKey, int keyStep) {
        return new KeySpec(flags, index, null, 0, true, 0, keyStep, 0, keyNumIndex, firstKey);
    }

    public List<String> flags() {
        return flags;
    }

    public boolean byKeyword() {
        return keyword != null;
    }

    public int index() {
        return index;
    }

    public String keyword() {
        return keyword;
    }

    public int startFrom() {
        return startFrom;
    }

    public boolean byKeyNum() {
        return keyNum;
    }

    public int lastKey() {
        return lastKey;
    }

    public int keyStep() {
        return keyStep;
    }

    public int limit() {
        return limit;
    }

    public int keyNumIndex() {
        return keyNumIndex;
    }

    public int firstKey() {
        return firstKey;
    }
}
