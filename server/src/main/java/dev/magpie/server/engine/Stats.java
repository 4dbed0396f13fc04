package dev.magpie.server.engine;

import java.util.Map;
import java.util.TreeMap;

/** The counters INFO stats reports; engine thread only, except where noted. */
public final class Stats {
    public long startedAtMillis = System.currentTimeMillis();
    public long totalConnections;
    public long rejectedConnections;
    public long commandsProcessed;
    public long keyspaceHits;
    public long keyspaceMisses;
    public long expiredKeys;
    public long expiredStaleSamples;
    public long evictedKeys;
    public long totalErrorReplies;
    public long unexpectedErrorReplies;
    public long netInputBytes;
    public long netOutputBytes;
    public long expireCycleCpuMillis;
    public long slowExpireCycles;
    public long lazyfreedObjects;
    public volatile long lazyfreePendingObjects;
    /** Error replies by their first word ("ERR", "WRONGTYPE"), for INFO errorstats. */
    public final Map<String, Long> errorsByCode = new TreeMap<>();

    /** Samples for instantaneous_ops_per_sec, taken by the cron. */
    private final long[] opsSamples = new long[16];
    private int opsSampleIndex;
    private long lastSampleCommands;
    private long lastSampleMillis;

    public void countError(String message) {
        totalErrorReplies++;
        int space = message.indexOf(' ');
        String code = space < 0 ? message : message.substring(0, space);
        errorsByCode.merge(code, 1L, Long::sum);
    }

    public void sampleOps(long nowMillis) {
        if (lastSampleMillis != 0 && nowMillis > lastSampleMillis) {
            long ops = (commandsProcessed - lastSampleCommands) * 1000 / (nowMillis - lastSampleMillis);
            opsSamples[opsSampleIndex++ % opsSamples.length] = ops;
        }
        lastSampleCommands = commandsProcessed;
        lastSampleMillis = nowMillis;
    }

    public long instantaneousOpsPerSecond() {
        long sum = 0;
        for (long sample : opsSamples) {
            sum += sample;
        }
        return sum / opsSamples.length;
    }

    public void reset() {
        totalConnections = 0;
        rejectedConnections = 0;
        commandsProcessed = 0;
        keyspaceHits = 0;
        keyspaceMisses = 0;
        expiredKeys = 0;
        expiredStaleSamples = 0;
        evictedKeys = 0;
        totalErrorReplies = 0;
        unexpectedErrorReplies = 0;
        netInputBytes = 0;
        netOutputBytes = 0;
        slowExpireCycles = 0;
        lazyfreedObjects = 0;
        errorsByCode.clear();
    }
}
