package dev.magpie.tests.protocol;

/** Raw streams against Magpie with separate I/O threads handing batches to the engine thread. */
class RawStreamsIoThreadsTest extends RawStreamsDifferential {
    @Override
    String[] magpieFlags() {
        return new String[] {"--io-threads", "2"};
    }
}
