/**
 * RPCSEC_GSS (RFC 2203) with Kerberos V5 through the JDK's GSS-API (JGSS, {@code org.ietf.jgss}), on both sides of
 * an ONC RPC connection. What users touch:
 * <ul>
 *   <li>server: a {@link io.ripcord.rpc.auth.gss.GssAcceptor} (from a key tab), made the service's flavor 6 by
 *       {@link io.ripcord.rpc.auth.gss.GssAuthenticator}; {@link io.ripcord.rpc.auth.gss.GssSecurity}'s policies
 *       say which services a program accepts; actors see a {@link io.ripcord.rpc.auth.gss.GssCaller};</li>
 *   <li>client: a {@link io.ripcord.rpc.auth.gss.GssLogin} (a subject, a key tab or a ticket cache) and a
 *       {@link io.ripcord.rpc.auth.gss.GssClient}, given to {@code RpcClientOptions.Builder.security}.</li>
 * </ul>
 * Underneath are the pieces phase 1 built and the RPC layer calls: the wire types, the server's contexts and
 * per-call checks, and the client's mirror. Those know no connections, records or dispatch: every input is a
 * credential, a buffer of raw header bytes, a verifier or an argument/result body, and every output is bytes or a
 * {@link io.ripcord.rpc.auth.gss.GssRejection} saying what to answer. {@code rpcsvc/README.md}, section
 * "RPCSEC_GSS (Kerberos)", is the user's guide.
 *
 * <h2>What each class owns</h2>
 * <table>
 *   <caption>Classes</caption>
 *   <tr><th>class</th><th>owns</th></tr>
 *   <tr><td>{@link io.ripcord.rpc.auth.gss.RpcGss}, {@link io.ripcord.rpc.auth.gss.GssProc},
 *       {@link io.ripcord.rpc.auth.gss.GssService}, {@link io.ripcord.rpc.auth.gss.GssMajor}</td>
 *       <td>wire constants: version, MAXSEQ, the two auth_stat values, procs, services, GSS major status codes in
 *       the C bindings' encoding</td></tr>
 *   <tr><td>{@link io.ripcord.rpc.auth.gss.GssCredential}, {@link io.ripcord.rpc.auth.gss.GssInitResult}</td>
 *       <td>the XDR codecs of {@code rpc_gss_cred_t} and {@code rpc_gss_init_res}; lengths bounded before
 *       allocation</td></tr>
 *   <tr><td>{@code GssProtection} (package-private)</td><td>{@code rpc_gss_integ_data} and
 *       {@code rpc_gss_priv_data}: protecting and unprotecting a body with its sequence number, the same for
 *       arguments and results; MICs of sequence numbers for verifiers</td></tr>
 *   <tr><td>{@code GssSequenceWindow} (package-private)</td><td>one context's replay window: lock-free,
 *       allocation-free</td></tr>
 *   <tr><td>{@link io.ripcord.rpc.auth.gss.GssAcceptor}</td><td>the server: the acceptor credential (from a key
 *       tab or a subject), context creation ({@code establish}), the checks of every DATA/DESTROY call
 *       ({@code verifyCall}), the context table ({@code GssContextTable}: bounded count, lifetime, idle timeout,
 *       unguessable 16-byte handles, least-recently-used eviction)</td></tr>
 *   <tr><td>{@link io.ripcord.rpc.auth.gss.GssServerContext}</td><td>one established context on the server: the
 *       caller's {@link io.ripcord.rpc.auth.gss.GssPrincipal}, unwrapping arguments, wrapping results, the reply
 *       verifier</td></tr>
 *   <tr><td>{@link io.ripcord.rpc.auth.gss.GssLogin}</td><td>the client's Kerberos credentials: a JAAS subject, a
 *       key tab or a ticket cache, with no JAAS configuration file</td></tr>
 *   <tr><td>{@link io.ripcord.rpc.auth.gss.GssInitiator}</td><td>the client's context creation rounds</td></tr>
 *   <tr><td>{@link io.ripcord.rpc.auth.gss.GssClientContext}</td><td>one established context on the client:
 *       sequence numbers, credentials, the header MIC, wrapping arguments, checking reply verifiers, unwrapping
 *       results</td></tr>
 *   <tr><td>{@link io.ripcord.rpc.auth.gss.GssAuthenticator}, {@code GssCallProtection} (package-private)</td>
 *       <td>the flavor on the dispatch: decodes the credential, answers context creation (on the poller or an
 *       executor) and DESTROY, checks DATA calls through the acceptor, and protects each call it lets through
 *       (reply verifier, argument unwrapping, result wrapping)</td></tr>
 *   <tr><td>{@link io.ripcord.rpc.auth.gss.GssCaller}, {@link io.ripcord.rpc.auth.gss.GssSecurity}</td>
 *       <td>the principal and service of one call, as actors see it; policies per program version, refusing
 *       with AUTH_TOOWEAK</td></tr>
 *   <tr><td>{@link io.ripcord.rpc.auth.gss.GssClient}, {@code GssClientSession}, {@code GssContextCreation}
 *       (package-private)</td><td>the client's configuration; one client's context, its signing of every call,
 *       its renewal after CREDPROBLEM/CTXPROBLEM and its DESTROY on close; the NULL-call rounds that create a
 *       context, off the pollers</td></tr>
 *   <tr><td>{@link io.ripcord.rpc.auth.gss.GssRejection}, {@link io.ripcord.rpc.auth.gss.RpcGssException}</td>
 *       <td>the server's answers (AUTH_ERROR with an auth_stat, silent drop, GARBAGE_ARGS, SYSTEM_ERR) and the
 *       client's failures, with messages that say what to do ({@code KerberosErrors} maps Kerberos error
 *       codes to advice)</td></tr>
 * </table>
 *
 * <h2>Threads</h2>
 * <table>
 *   <caption>Who may call what</caption>
 *   <tr><th>who</th><th>may do</th></tr>
 *   <tr><td>any thread, a poller included</td><td>{@code GssAcceptor.verifyCall} and {@code destroy}; every
 *       method of {@code GssServerContext} and {@code GssClientContext}; the codecs. None blocks or does I/O;
 *       the sequence window and the context table take no lock; the JDK's Kerberos mechanism guards only its
 *       per-context sequence counters (a short {@code synchronized} inside JGSS). One context may be used by
 *       several threads at once: contexts are not bound to connections.</td></tr>
 *   <tr><td>any thread; better an executor than a poller</td><td>{@code GssAcceptor.establish}: it decrypts a
 *       ticket and may read the key tab file when it changed (no network). It is CPU-bound and rare (once per
 *       context), so running it on the poller is acceptable for small servers.</td></tr>
 *   <tr><td>threads that are not pollers</td><td>{@code GssLogin.fromKeytab}/{@code fromTicketCache},
 *       {@code GssInitiator.create} and {@code initArgument}: they read files and ask the KDC for tickets,
 *       blocking. A {@code GssInitiator} is used by one thread at a time. {@code GssClient} creates contexts on
 *       its executor for this reason.</td></tr>
 *   <tr><td>the connection's poller</td><td>{@code GssAuthenticator.authenticate} (for every call; it blocks
 *       nowhere, and hands context creation to its executor when it has one, replying from there), the
 *       policies, a client session's reply checks and renewals (which only start work elsewhere)</td></tr>
 *   <tr><td>any thread that replies</td><td>{@code GssCallProtection}'s verifier (computed beforehand) and result
 *       wrapping</td></tr>
 * </table>
 *
 * <h2>Decisions</h2>
 * <p><b>Expired versus unknown contexts.</b> A handle naming no context (never issued, destroyed, evicted,
 * or removed after expiring) gets {@code RPCSEC_GSS_CREDPROBLEM} ("no credentials for user", RFC 2203 section 4),
 * as Linux's, FreeBSD's and libtirpc's servers answer an unknown handle. A context the server still holds but whose
 * lifetime (the smaller of {@link io.ripcord.rpc.auth.gss.GssServerOptions#contextLifetime()} and the Kerberos
 * ticket's end) or idle timeout has passed gets {@code RPCSEC_GSS_CTXPROBLEM} ("problem with context"), and is
 * removed: the credential was fine, the context is what ran out, which is what GSS-API's
 * {@code GSS_S_CONTEXT_EXPIRED} means. A sequence number at or above MAXSEQ is {@code RPCSEC_GSS_CTXPROBLEM} too
 * (section 5.3.3.1), and a header checksum that does not verify is {@code RPCSEC_GSS_CREDPROBLEM} (section
 * 5.3.3.4.2). Every client we know of (Linux, libtirpc, FreeBSD) re-establishes its context on either value.
 *
 * <p><b>The window before the checksum.</b> A call is first checked against the window without changing it
 * (a replay costs no cryptography), then its header MIC is verified, and only then is its sequence number taken
 * from the window, atomically: forged calls cannot move the window, and of two copies of one call racing on two
 * pollers exactly one gets through.
 *
 * <p><b>A flood of contexts.</b> Only a client with a valid ticket for the service can create a context
 * (Kerberos completes in one round, so no half-open state is kept for strangers). At the table's bound the
 * least recently used context is evicted, so one principal opening contexts in a loop pushes out idle contexts,
 * never those in use; the evicted client hears {@code RPCSEC_GSS_CREDPROBLEM} and establishes a new one.
 *
 * <p><b>Kerberos configuration.</b> JGSS reads {@code krb5.conf} once per JVM (the {@code
 * java.security.krb5.conf} property, else {@code /etc/krb5.conf}); nothing here sets system properties or a JAAS
 * configuration. The JDK's default replay cache for acceptors is in memory.
 */
package io.ripcord.rpc.auth.gss;
