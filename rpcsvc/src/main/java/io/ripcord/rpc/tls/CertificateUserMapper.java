package io.ripcord.rpc.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * Turns a client's verified certificate into the user it stands for, once per connection, right after the TLS
 * handshake (FreeBSD's {@code rpc.tlsservd -u} is the model: a certificate names a user, and the server treats the
 * connection as that user's). The result is {@link TlsIdentity#user()}; actors and policies decide what it may do.
 *
 * <p>RFC 9289 section 4.2 keeps TLS peer identity apart from RPC user authentication (a certificate names a host,
 * or a user, as the deployment decides); a mapper is how a deployment says which.
 *
 * <p>Threads: called on the connection's poller; it must be fast and must not block (no directory lookups: map to a
 * name, and resolve the name elsewhere).
 */
@FunctionalInterface
public interface CertificateUserMapper {

    /**
     * Names the user a client's certificate stands for. On the connection's poller, once per connection.
     *
     * @param certificate the client's own certificate (the first of its verified chain)
     * @return the user, or {@code null} when the certificate names none (the connection goes on with no user)
     * @throws CertificateException to refuse the certificate: the connection is closed, as RFC 9289 section 4.2
     *                              asks when "authorization based on those identities blocks access"
     */
    String user(X509Certificate certificate) throws CertificateException;

    /** No user for any certificate: the default. */
    CertificateUserMapper NONE = certificate -> null;

    /**
     * The subject's common name ({@code CN=alice,O=Example} gives {@code alice}).
     *
     * @return a mapper that gives the common name, or no user ({@code null}) when the subject has none
     */
    static CertificateUserMapper subjectCommonName() {
        return SubjectNames::commonName;
    }

    /**
     * The local part of the first e-mail address in the subject alternative names ({@code rfc822Name},
     * {@code alice@example.com} gives {@code alice}).
     *
     * @return a mapper that gives that local part, or no user ({@code null}) when there is no such address
     */
    static CertificateUserMapper emailLocalPart() {
        return SubjectNames::emailLocalPart;
    }

    /**
     * The user of the first {@code otherName} of type {@code oid} in the subject alternative names, written
     * {@code user@domain} (or plain {@code user}): what FreeBSD's {@code rpc.tlsservd -u} reads. Only the part before
     * the last {@code @} is the user.
     *
     * @param oid the otherName's type, dotted ({@code 1.3.6.1.4.1...})
     * @return a mapper that gives that user, or no user ({@code null}) when the certificate has no such otherName
     * @throws NullPointerException     if {@code oid} is null
     * @throws IllegalArgumentException if {@code oid} is not a dotted object identifier
     */
    static CertificateUserMapper otherNameUser(String oid) {
        Objects.requireNonNull(oid, "oid");
        if (!oid.matches("[0-2](\\.(0|[1-9][0-9]*))+")) {
            throw new IllegalArgumentException("not a dotted object identifier: '" + oid + "'");
        }
        return certificate -> SubjectNames.otherNameUser(certificate, oid);
    }
}
