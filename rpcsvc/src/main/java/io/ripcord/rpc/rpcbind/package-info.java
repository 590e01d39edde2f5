/**
 * rpcbind, the ONC RPC port mapper (program 100000, RFC 1833), from the calling side: wire constants
 * ({@link io.ripcord.rpc.rpcbind.Rpcbind}), universal addresses ({@link io.ripcord.rpc.rpcbind.UniversalAddress}),
 * look-ups and dumps ({@link io.ripcord.rpc.rpcbind.RpcbindClient}) and a server's registration
 * ({@link io.ripcord.rpc.rpcbind.RpcbindRegistration}), all built on {@link io.ripcord.rpc.client.RpcClient}.
 *
 * <h2>Threads</h2>
 * <table>
 *   <caption>Who may call what</caption>
 *   <tr><th>who</th><th>may do</th></tr>
 *   <tr><td>any thread</td><td>every public method: each returns a future and never blocks; the constants,
 *       records and {@code UniversalAddress} are immutable or stateless</td></tr>
 *   <tr><td>the connection's owner poller</td><td>decodes rpcbind's replies and completes the futures, whose
 *       dependent stages must therefore not block</td></tr>
 * </table>
 * <p>Nothing here resolves a host name: universal addresses are parsed as address literals only.
 */
package io.ripcord.rpc.rpcbind;
