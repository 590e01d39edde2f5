/**
 * JMH micro-benchmarks of Ripcord's hot paths: XDR, record marking, cross-thread task submission.
 *
 * <p>Thread rules: JMH drives each benchmark method from its own threads; {@code EventPool} work runs on the
 * pool's pollers and reports back through a queue.
 */
package io.ripcord.benchmarks.jmh;
