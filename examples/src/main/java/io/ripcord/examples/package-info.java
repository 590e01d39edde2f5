/**
 * The runnable examples: one jar whose {@link io.ripcord.examples.Main} dispatches to subcommands. Each example
 * lives in its own package ({@code io.ripcord.examples.echo}, ...).
 *
 * <p>Thread rules: commands run on the thread that calls {@link io.ripcord.examples.Main#main}; the servers and
 * clients they start follow the transport's rules (events on the owner poller, {@code send} from anywhere).
 */
package io.ripcord.examples;
