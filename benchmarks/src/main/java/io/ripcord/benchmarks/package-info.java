/**
 * Benchmarks: a Netty echo server with the same behaviour as Ripcord's; {@code compare-echo}, which runs each
 * server in its own JVM against the same Ripcord echo-client load and tabulates the medians; {@code all}, the
 * whole suite (echo, GF-DUMP PING vs glusterd, KV, RPCSEC_GSS against a throw-away KDC, idle connections,
 * garbage) writing Markdown, CSV and PNG results; {@code jmh}, the micro-benchmarks of
 * {@code io.ripcord.benchmarks.jmh}.
 *
 * <p>Thread rules: commands run on the calling thread; the Netty server's handler runs on its event loops; the
 * KV load generator's completions run on its client pool's poller and only touch atomics and a synchronized
 * latency recorder.
 */
package io.ripcord.benchmarks;
