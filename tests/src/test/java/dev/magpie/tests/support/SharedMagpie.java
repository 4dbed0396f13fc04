package dev.magpie.tests.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Magpie for a whole test class, started before its {@code @BeforeAll} methods and closed
 * after its {@code @AfterAll} ones:
 * <pre>{@code
 * @RegisterExtension
 * static final SharedMagpie shared = new SharedMagpie("--enable-debug-command", "yes");
 * ... shared.magpie().connect() ...
 * }</pre>
 */
public final class SharedMagpie implements BeforeAllCallback, AfterAllCallback {
    private final String[] flags;
    private Magpie magpie;

    public SharedMagpie(String... flags) {
        this.flags = flags.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        magpie = Magpie.start(flags);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (magpie != null) {
            magpie.close();
            magpie = null;
        }
    }

    public Magpie magpie() {
        return magpie;
    }
}
