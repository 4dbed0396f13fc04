package dev.magpie.server.keyspace;

import java.util.concurrent.ThreadLocalRandom;

/** Redis's logarithmic access counter (lfu-log-factor 10, initial value 5). */
public final class Lfu {
    public static final int INITIAL = 5;
    private static final int LOG_FACTOR = 10;

    private Lfu() {
    }

    public static int increment(int counter) {
        if (counter == 255) {
            return 255;
        }
        double r = ThreadLocalRandom.current().nextDouble();
        double base = counter - INITIAL;
        if (base < 0) {
            base = 0;
        }
        double p = 1.0 / (base * LOG_FACTOR + 1);
        return r < p ? counter + 1 : counter;
    }
}
