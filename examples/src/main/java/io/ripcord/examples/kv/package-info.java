/**
 * The key-value store of {@code kv.x} (program 0x20000B0B, versions 1 and 2) and the server that runs it.
 *
 * <p>Thread rules: the actors run inline on the connection's poller and share one
 * {@link java.util.concurrent.ConcurrentSkipListMap}, so they never block and never lock; {@link
 * io.ripcord.examples.kv.KvServer#start} and {@link io.ripcord.examples.kv.KvServer#close()} may be called from
 * any thread (not from one of its own pollers: close waits for them to end). The client-side helpers
 * ({@code readKeys}, {@code writePair}, ...) are stateless.
 */
package io.ripcord.examples.kv;
