/**
 * The shared harness of the black-box tests.
 * <ul>
 *   <li>{@link dev.magpie.tests.support.Magpie}: a Magpie server in this JVM on a free loopback port.</li>
 *   <li>{@link dev.magpie.tests.support.RedisOracle}: a real redis-server, the specification.</li>
 *   <li>{@link dev.magpie.tests.support.RawRespClient}: a socket that sends commands or raw bytes and
 *       reads one whole RESP2/RESP3 reply at a time as raw bytes.</li>
 *   <li>{@link dev.magpie.tests.support.Differential}: the same request to both servers, replies
 *       compared byte for byte; {@link dev.magpie.tests.support.Normalizers} hide what may differ.</li>
 *   <li>{@link dev.magpie.tests.support.Tools}: finds redis-server, redis-cli, redis-benchmark; a
 *       missing one skips the test with the reason, or fails it when {@code CI=true}.</li>
 *   <li>{@link dev.magpie.tests.support.Resp}: request encoding and escaping for messages.</li>
 * </ul>
 */
package dev.magpie.tests.support;
