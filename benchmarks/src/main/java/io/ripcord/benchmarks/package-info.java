/**
 * Benchmarks: a Netty echo server with the same behaviour as Ripcord's, and {@code compare-echo}, which runs
 * each server in its own JVM against the same Ripcord echo-client load and tabulates the medians.
 *
 * <p>Thread rules: commands run on the calling thread; the Netty server's handler runs on its event loops.
 */
package io.ripcord.benchmarks;
