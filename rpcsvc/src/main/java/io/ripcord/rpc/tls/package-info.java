/**
 * RPC-with-TLS (RFC 9289) on both sides: {@link io.ripcord.rpc.tls.RpcTlsServer}, the AUTH_TLS flavor's
 * authenticator, answers a client's probe with the {@code STARTTLS} verifier and starts TLS 1.3 with ALPN
 * {@code sunrpc} on the same connection; {@link io.ripcord.rpc.tls.RpcTlsClient}, a client's connection setup,
 * probes and upgrades each new connection before any other call. {@link io.ripcord.rpc.tls.RpcTlsPolicy} holds the
 * per-program policies (plaintext allowed, TLS required, mutual TLS required), and
 * {@link io.ripcord.rpc.tls.TlsIdentity} what the handshake established about the client (its verified chain, the
 * user a {@link io.ripcord.rpc.tls.CertificateUserMapper} made of it), for actors and programs' listeners.
 *
 * <h2>Threads</h2>
 * <table>
 *   <caption>Who may call what</caption>
 *   <tr><th>who</th><th>may do</th></tr>
 *   <tr><td>the connection's owner poller</td><td>{@code RpcTlsServer.authenticate} (every AUTH_TLS call: it
 *       answers and calls {@code Transport.startTls} there, right after the probe's reply, so that whatever the
 *       client sent behind the probe goes to the handshake); the end of the handshake (the identity is made and
 *       kept, the mapper runs); {@code RpcTlsPolicy} checks; {@code RpcTlsClient.prepare} and the upgrade that
 *       follows the probe's reply</td></tr>
 *   <tr><td>the TLS delegated-task executor</td><td>the engines' certificate checks and key exchange, never a
 *       poller</td></tr>
 *   <tr><td>any thread</td><td>everything else: the classes are immutable ({@code TlsIdentity.of(call)} from an
 *       actor's executor too)</td></tr>
 * </table>
 *
 * <h2>Decisions</h2>
 * <p><b>Policy refusals are AUTH_TOOWEAK</b> (see {@link io.ripcord.rpc.tls.RpcTlsPolicy}). <b>The probe is answered
 * by the flavor</b>, before the program lookup, with SUCCESS for any program (see
 * {@link io.ripcord.rpc.tls.RpcTlsServer}). <b>ALPN with a JDK server</b>: a client that offers {@code sunrpc}
 * among others agrees on it; one that offers only others is refused during the handshake (alert
 * {@code no_application_protocol}); one that offers no ALPN at all completes the JDK's TLS 1.3 handshake (the JDK
 * cannot refuse it there) and is closed right after it, before anything it sent is delivered (DISCONNECT cause
 * PROTOCOL). <b>No DTLS</b>: a probe over UDP is answered without STARTTLS.
 */
package io.ripcord.rpc.tls;
