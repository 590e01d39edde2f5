/**
 * The ONC RPC v2 client (GlusterFS's {@code rpc-clnt}): {@link io.ripcord.rpc.client.RpcClient} calls
 * procedures over one TCP or Unix-domain connection, record-marked (RFC 5531 section 11), matching replies to
 * calls by xid; {@link io.ripcord.rpc.client.RpcCallbacks} lets a server call its clients back on their
 * connections; {@link io.ripcord.rpc.client.GfDumpClient} speaks GlusterFS's GF-DUMP.
 * {@link io.ripcord.rpc.client.RpcUdpClient} makes the same calls over UDP, one per datagram, resending what goes
 * unanswered; both clients are an {@link io.ripcord.rpc.client.RpcCaller}, the interface to write callers (and
 * their mocks) against.
 *
 * <h2>Threads</h2>
 * <table>
 *   <caption>Who may call what</caption>
 *   <tr><th>who</th><th>may do</th></tr>
 *   <tr><td>any thread</td><td>{@code RpcClient.connect}, {@code call}, {@code serve}, {@code close},
 *       {@code isConnected}, {@code metrics}, {@code describe}; {@code RpcCallbacks.call}. A call is encoded
 *       on the calling thread (one encoder per thread) and handed to the transport, which writes it inline on the owner poller or copies and queues
 *       it from elsewhere.</td></tr>
 *   <tr><td>threads that are not pollers</td><td>{@code RpcClient.callSync}, which blocks (it throws
 *       {@link java.lang.IllegalStateException} on a poller)</td></tr>
 *   <tr><td>an {@code RpcUdpClient}'s pollers</td><td>its socket's owner reads and decodes replies and
 *       completes their futures; each call's deadline and resend timers run on a poller picked for it</td></tr>
 *   <tr><td>the connection's owner poller</td><td>read and decode replies (with the caller's
 *       {@link io.ripcord.rpc.xdr.XdrReader}), complete futures, fire call deadlines and ping checks, serve the
 *       server's calls to the client, handle the disconnect</td></tr>
 * </table>
 * <p>All three callers share one call path: numbering, the call's defaults, encoding (unframed; a stream adds
 * its record mark) and the credential's {@link io.ripcord.rpc.client.CallSigner} hooks. A
 * {@link io.ripcord.rpc.client.ConnectionSetup} prepares each new connection of an {@code RpcClient} on its
 * owner poller before the client calls on it. A {@link io.ripcord.rpc.client.ClientSecurity} (RPCSEC_GSS) gives
 * each {@code RpcClient} a session of its own: a setup, every call's credential, and a last call before close. A
 * call its signer can renew after a denial ({@code CallSigner.renewAfter}) is sent once more, under a new xid, when
 * the renewal completes (on whichever thread completes it).
 *
 * <p>Futures complete on the owner poller: their dependent stages must not block. Nothing here takes a lock
 * across I/O; waiting calls live in a {@link java.util.concurrent.ConcurrentHashMap} by xid, and removing a call
 * from it is the one guard that lets exactly one of the reply, the deadline and the disconnect complete it.
 */
package io.ripcord.rpc.client;
