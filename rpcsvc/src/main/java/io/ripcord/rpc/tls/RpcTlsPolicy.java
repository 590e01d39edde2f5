package io.ripcord.rpc.tls;

import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.SecurityPolicy;
import io.ripcord.transport.Transport;
import javax.net.ssl.SSLSession;

/**
 * What a program version requires of its calls' connection under RPC-with-TLS (RFC 9289), as
 * {@link SecurityPolicy} values for {@link io.ripcord.rpc.RpcProgram.Builder#security}: plaintext allowed, TLS
 * required, or mutual TLS (a verified client certificate) required.
 *
 * <p><b>The answer to a call that falls short: AUTH_ERROR with {@link AuthStat#AUTH_TOOWEAK}</b> ("rejected for
 * security reasons", RFC 5531 section 9). RFC 9289 names no auth_stat for this case. AUTH_TOOWEAK says what
 * happened: the credential may be fine, the connection under it is not protected enough for this program; it is
 * what NFS servers answer a flavor an export does not allow, and clients read it as "retry with stronger
 * protection" (here: probe for TLS, or present a certificate), where AUTH_BADCRED would tell them their credential
 * is malformed. No actor runs and no argument is decoded: the policy is checked after the program and version are
 * found (so {@code rpcinfo} still discovers versions over plaintext) and before the procedure is looked up.
 *
 * <p>The AUTH_TLS probe itself never meets a policy: {@link RpcTlsServer} answers it before the program lookup.
 *
 * <p>Threads: stateless; checked on the connection's poller for every call. On an RPC-with-TLS connection neither
 * allocates.
 */
public final class RpcTlsPolicy {

    /** Plaintext allowed: every call may run (the same as {@link SecurityPolicy#ANY}). */
    public static final SecurityPolicy PLAIN_ALLOWED = SecurityPolicy.ANY;

    /** Only calls that came over TLS may run; over plaintext, and over UDP, AUTH_TOOWEAK. */
    public static final SecurityPolicy TLS_REQUIRED = call -> session(call) != null
            ? AuthStat.AUTH_OK : AuthStat.AUTH_TOOWEAK;

    /**
     * Only calls that came over TLS whose client presented a certificate the server verified may run; otherwise
     * AUTH_TOOWEAK. Pair it with {@link RpcTlsServer.Builder#clientAuth} WANT (the default) so that clients are
     * asked for one.
     */
    public static final SecurityPolicy MUTUAL_TLS_REQUIRED = RpcTlsPolicy::mutual;

    private RpcTlsPolicy() {
    }

    private static SSLSession session(RpcCall call) {
        Transport t = call.transport();
        return t == null ? null : t.tlsSession();
    }

    private static int mutual(RpcCall call) {
        Object identity = call.connectionIdentity();
        if (identity instanceof TlsIdentity) {
            return ((TlsIdentity) identity).isMutual() ? AuthStat.AUTH_OK : AuthStat.AUTH_TOOWEAK;
        }
        // TLS not started by a probe (a listener that runs TLS from the first byte): ask the session.
        SSLSession session = session(call);
        return session != null && !TlsIdentity.peerChain(session).isEmpty() ? AuthStat.AUTH_OK : AuthStat.AUTH_TOOWEAK;
    }
}
