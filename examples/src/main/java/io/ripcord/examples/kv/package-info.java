/**
 * The key-value store of {@code kv.x} (program 0x20000B0B, versions 1 and 2) and the server that runs it. The
 * wire types, server skeletons and typed clients are generated from {@code src/main/xdr/kv.x} by
 * ripcord-maven-plugin into {@code io.ripcord.examples.kv.xdr}.
 *
 * <p>Thread rules: the actors run inline on the connection's poller and share one
 * {@link java.util.concurrent.ConcurrentSkipListMap}, so they never block and never lock; {@link
 * io.ripcord.examples.kv.KvServer#start} and {@link io.ripcord.examples.kv.KvServer#close()} may be called from
 * any thread (not from one of its own pollers: close waits for them to end). The generated clients
 * ({@code KvV1.Client}, {@code KvV2.Client}) may be used from any thread but a poller (their blocking calls).
 */
package io.ripcord.examples.kv;
