package dev.magpie.tests.support;

/** Rewrites the legitimately differing part of a reply (a version, an id, a timestamp) before comparison. */
@FunctionalInterface
public interface Normalizer {
    byte[] apply(byte[] reply);

    default Normalizer andThen(Normalizer next) {
        return reply -> next.apply(apply(reply));
    }
}
