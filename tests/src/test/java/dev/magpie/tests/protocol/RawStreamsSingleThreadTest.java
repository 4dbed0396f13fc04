package dev.magpie.tests.protocol;

/** Raw streams against Magpie's default layout: the engine runs inside the one I/O loop. */
class RawStreamsSingleThreadTest extends RawStreamsDifferential {
    @Override
    String[] magpieFlags() {
        return new String[] {"--io-threads", "1"};
    }
}
