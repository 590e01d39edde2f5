package io.ripcord.rpc.tls;

import io.ripcord.rpc.RpcCall;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who is at the other end of an RPC-with-TLS connection (RFC 9289), as its TLS handshake established: the client's
 * verified certificate chain (empty when it presented none), the user a {@link CertificateUserMapper} made of it,
 * and the session's protocol and cipher suite (the application protocol is always {@link RpcTls#ALPN}: the
 * handshake fails otherwise). Made once per connection, on its poller, right
 * after the handshake; actors get it from their call ({@link #of(RpcCall)}), a program's listener with
 * {@link io.ripcord.rpc.RpcProgramListener#onIdentified}. Immutable.
 *
 * <p>It sits next to the call's credential ({@link RpcCall#principal()}: the AUTH_SYS or GlusterFS credential),
 * and does not replace it: RFC 9289 section 4.2 keeps the TLS peer (a host, or a user if the deployment maps one)
 * apart from the RPC user a credential names.
 */
public final class TlsIdentity {

    private final List<X509Certificate> chain;
    private final String user;
    private final String protocol;
    private final String cipherSuite;

    private TlsIdentity(List<X509Certificate> chain, String user, String protocol, String cipherSuite) {
        this.chain = chain;
        this.user = user;
        this.protocol = protocol;
        this.cipherSuite = cipherSuite;
    }

    /**
     * The identity of the connection {@code call} came on, or {@code null} when it is not an RPC-with-TLS
     * connection (plaintext, a datagram, or TLS that was not started by an AUTH_TLS probe). From any thread.
     *
     * @param call a call being served
     * @return the identity kept with the call's connection, or {@code null}
     */
    public static TlsIdentity of(RpcCall call) {
        Object identity = call.connectionIdentity();
        return identity instanceof TlsIdentity ? (TlsIdentity) identity : null;
    }

    /**
     * Reads a finished handshake's session and maps the client's certificate to a user.
     *
     * @throws CertificateException when the mapper refuses the certificate
     */
    static TlsIdentity from(SSLSession session, CertificateUserMapper mapper) throws CertificateException {
        List<X509Certificate> chain = peerChain(session);
        String user = chain.isEmpty() ? null : mapper.user(chain.get(0));
        return new TlsIdentity(chain, user, session.getProtocol(), session.getCipherSuite());
    }

    /** The peer's verified chain, the peer's own certificate first; empty when it presented none. */
    static List<X509Certificate> peerChain(SSLSession session) {
        Certificate[] peer;
        try {
            peer = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
        List<X509Certificate> chain = new ArrayList<>(peer.length);
        for (Certificate c : peer) {
            if (c instanceof X509Certificate) {
                chain.add((X509Certificate) c);
            }
        }
        return List.copyOf(chain);
    }

    /**
     * The client's verified certificate chain.
     *
     * @return an unmodifiable list, the client's own certificate first; empty when it presented none
     */
    public List<X509Certificate> chain() {
        return chain;
    }

    /**
     * Whether the client presented a certificate, which the server's trust managers verified (mutual TLS).
     *
     * @return {@code true} for mutual TLS
     */
    public boolean isMutual() {
        return !chain.isEmpty();
    }

    /**
     * The client's own certificate.
     *
     * @return the first certificate of {@link #chain()}, or empty if the client presented none
     */
    public Optional<X509Certificate> certificate() {
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0));
    }

    /**
     * The user the server's {@link CertificateUserMapper} made of the certificate.
     *
     * @return the user, or empty when there is no certificate or the mapper named no user
     */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /**
     * The TLS version agreed.
     *
     * @return the protocol name, {@code TLSv1.3} (RPC-with-TLS negotiates nothing older)
     */
    public String protocol() {
        return protocol;
    }

    /**
     * The cipher suite agreed.
     *
     * @return its standard name, e.g. {@code TLS_AES_256_GCM_SHA384}
     */
    public String cipherSuite() {
        return cipherSuite;
    }

    @Override
    public String toString() {
        return "TlsIdentity[" + (chain.isEmpty() ? "no client certificate"
                : chain.get(0).getSubjectX500Principal().getName()) + (user == null ? "" : ", user " + user) + ", "
                + protocol + " " + cipherSuite + "]";
    }
}
