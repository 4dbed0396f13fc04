package dev.magpie.tests.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real redis-server (the oracle) and a Magpie, started once before a test class's own
 * {@code @BeforeAll} methods and closed after its {@code @AfterAll} ones:
 * <pre>{@code
 * @RegisterExtension
 * static final OracleAndMagpie servers = new OracleAndMagpie("--enable-debug-command", "yes");
 * ... Differential.connect(servers.magpie(), servers.redis()) ...
 * }</pre>
 * The flags are Magpie's own, as {@link Magpie#start(String...)} takes them; {@link #bothWith}
 * gives the same flags to both servers.
 */
public final class OracleAndMagpie implements BeforeAllCallback, AfterAllCallback {
    private final String[] redisFlags;
    private final String[] magpieFlags;
    private RedisOracle redis;
    private Magpie magpie;

    public OracleAndMagpie(String... magpieFlags) {
        this(new String[0], magpieFlags);
    }

    private OracleAndMagpie(String[] redisFlags, String[] magpieFlags) {
        this.redisFlags = redisFlags.clone();
        this.magpieFlags = magpieFlags.clone();
    }

    /** Both servers started with the same flags (ones redis-server and Magpie both take, e.g. --requirepass). */
    public static OracleAndMagpie bothWith(String... flags) {
        return new OracleAndMagpie(flags, flags);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        redis = RedisOracle.start(redisFlags);
        magpie = Magpie.start(magpieFlags);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (magpie != null) {
                magpie.close();
            }
        } finally {
            magpie = null;
            if (redis != null) {
                redis.close();
                redis = null;
            }
        }
    }

    public RedisOracle redis() {
        return redis;
    }

    public Magpie magpie() {
        return magpie;
    }
}
