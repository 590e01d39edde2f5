/**
 * Tools for testing code built on Ripcord without the network's timing: an {@link
 * io.ripcord.testkit.EmbeddedTransport} (a connection whose bytes the test writes and reads, synchronously, on its
 * own thread), a {@link io.ripcord.testkit.ManualClock} (time that moves when the test says, for embedded
 * transports and for event pools alike), a {@link io.ripcord.testkit.ServiceHarness} (calls to an {@code
 * RpcService} or {@code RpcProgram}s, with each reply's exact status) and a {@link
 * io.ripcord.testkit.ScriptedServer} (a server whose answers a client's test decides).
 *
 * <h2>Threads</h2>
 * <table>
 *   <caption>Who may call what</caption>
 *   <tr><th>who</th><th>may do</th></tr>
 *   <tr><td>the thread that made an embedded transport or a harness</td><td>drive it: write inbound bytes,
 *       read outbound messages, close it from the peer's side, run pending tasks; every listener event runs
 *       here, before the call that caused it returns</td></tr>
 *   <tr><td>any thread</td><td>the {@code Transport} methods of an embedded transport (sends and tasks from
 *       other threads wait for its owner's next step); a scripted server's and a scripted call's
 *       methods</td></tr>
 *   <tr><td>the test's thread, not a poller</td><td>{@code ManualClock.advance}, which waits for the
 *       pollers of the pools it drives</td></tr>
 * </table>
 */
package io.ripcord.testkit;
