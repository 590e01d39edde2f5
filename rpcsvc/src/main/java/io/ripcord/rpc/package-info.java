/**
 * ONC RPC version 2 (RFC 5531) over the Ripcord transport. So far: record marking for byte streams
 * ({@link io.ripcord.rpc.RecordMarkingDecoder} to receive, {@link io.ripcord.rpc.RecordMarking} to send);
 * XDR lives in {@link io.ripcord.rpc.xdr}.
 *
 * <h2>Threads</h2>
 * <table>
 *   <caption>Who may call what</caption>
 *   <tr><th>who</th><th>may do</th></tr>
 *   <tr><td>the connection's owner poller</td><td>run its {@code RecordMarkingDecoder}: one decoder per
 *       connection, never shared, never called from another thread</td></tr>
 *   <tr><td>any thread</td><td>call {@code RecordMarking}'s static methods (stateless)</td></tr>
 * </table>
 * <p>Nothing here blocks, sleeps or takes a lock.
 */
package io.ripcord.rpc;
