package dev.magpie.server;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MainTest {
    private final ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();

    @AfterEach
    void restoreTheLevelForTheOtherTests() {
        ResourceLeakDetector.setLevel(before);
    }

    @Test
    void theServerTurnsLeakSamplingOffWhenNoLevelIsAsked() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        assertEquals(ResourceLeakDetector.Level.DISABLED, Main.withoutLeakSampling(null));
        assertEquals(ResourceLeakDetector.Level.DISABLED, ResourceLeakDetector.getLevel());
    }

    @Test
    void anAskedLevelIsKept() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        assertEquals(ResourceLeakDetector.Level.PARANOID, Main.withoutLeakSampling("paranoid"));
    }
}
