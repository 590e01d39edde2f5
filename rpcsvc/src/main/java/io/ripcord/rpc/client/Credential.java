package io.ripcord.rpc.client;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.auth.AuthSysCredential;
import io.ripcord.rpc.auth.GlusterCredential;
import io.ripcord.rpc.xdr.XdrEncoder;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The credential a client sends with each call ({@code opaque_auth cred}, RFC 5531 section 8.2): a flavor and
 * a body of at most 400 bytes. The body is encoded once, when the credential is made, and copied into every
 * call; the verifier is AUTH_NONE (none of these flavors has one). A flavor that must compute something per
 * call (RPCSEC_GSS) is a {@link CallSigner} instead ({@link #signedBy}). Immutable and thread-safe.
 */
public final class Credential {

    /** AUTH_NONE with an empty body (RFC 5531 section 10.1): the default. */
    public static final Credential NONE = new Credential(AuthFlavor.AUTH_NONE, new byte[0], null);

    private final int flavor;
    private final byte[] body;
    private final CallSigner signer;

    private Credential(int flavor, byte[] body, CallSigner signer) {
        this.flavor = flavor;
        this.body = body;
        this.signer = signer;
    }

    /**
     * A credential of any flavor.
     *
     * @param flavor the flavor ({@link AuthFlavor})
     * @param body   writes the body (not its flavor or length), at once, on the calling thread
     * @return a credential holding the encoded body
     * @throws NullPointerException     if {@code body} is null
     * @throws IllegalArgumentException if the body takes more than {@link AuthFlavor#MAX_BODY} bytes
     */
    public static Credential of(int flavor, Consumer<XdrEncoder> body) {
        Objects.requireNonNull(body, "body");
        XdrEncoder e = new XdrEncoder(64, 64 * 1024, false);
        body.accept(e);
        if (e.size() > AuthFlavor.MAX_BODY) {
            throw new IllegalArgumentException("a credential body holds at most " + AuthFlavor.MAX_BODY
                    + " bytes (RFC 5531 section 8.2), flavor " + flavor + " wrote " + e.size());
        }
        byte[] bytes = new byte[e.size()];
        e.toBuffer().get(bytes);
        return new Credential(flavor, bytes, null);
    }

    /**
     * A credential of {@code flavor} that {@code signer} writes anew for every call, with its verifier, and that
     * checks every reply's verifier (RPCSEC_GSS).
     *
     * @param flavor the flavor the signer writes ({@link AuthFlavor#RPCSEC_GSS})
     * @param signer what runs for each call and its reply; thread-safe
     * @return a credential with no fixed body
     * @throws NullPointerException if {@code signer} is null
     */
    public static Credential signedBy(int flavor, CallSigner signer) {
        return new Credential(flavor, new byte[0], Objects.requireNonNull(signer, "signer"));
    }

    /**
     * AUTH_SYS (RFC 5531 section 10.2, appendix A): the caller's machine name, uid, gid and groups, as the caller
     * claims them (nothing proves them to the server, except a Unix socket's peer check).
     *
     * @param credential what to send
     * @return a credential with that body
     * @throws NullPointerException if {@code credential} is null
     */
    public static Credential authSys(AuthSysCredential credential) {
        Objects.requireNonNull(credential, "credential");
        return of(AuthFlavor.AUTH_SYS, credential::encode);
    }

    /**
     * GlusterFS AUTH_GLUSTERFS_v2 (flavor 390039), as the gluster CLI sends it.
     *
     * @param credential what to send
     * @return a credential with that body
     * @throws NullPointerException     if {@code credential} is null
     * @throws IllegalArgumentException if it encodes to more than 400 bytes
     */
    public static Credential glusterV2(GlusterCredential credential) {
        Objects.requireNonNull(credential, "credential");
        return of(AuthFlavor.AUTH_GLUSTERFS_V2, credential::encode);
    }

    /**
     * The flavor every call names in its {@code cred}.
     *
     * @return the flavor number ({@link AuthFlavor}, or a private one)
     */
    public int flavor() {
        return flavor;
    }

    /**
     * The encoded body, as it goes on the wire after its length.
     *
     * @return a new copy, at most 400 bytes; empty for AUTH_NONE and for a signed credential
     */
    public byte[] body() {
        return body.clone();
    }

    /** The per-call signer, or {@code null} for a fixed body. */
    CallSigner signer() {
        return signer;
    }

    /**
     * Writes the call's {@code cred} and {@code verf} after the header words from {@code headerStart}.
     *
     * @return the signer's state for this call, or {@code null}
     */
    Object writeAuth(XdrEncoder e, int headerStart, int xid) {
        if (signer != null) {
            return signer.writeAuth(e, headerStart, xid);
        }
        e.writeInt(flavor);
        e.writeOpaque(body, AuthFlavor.MAX_BODY);
        e.writeInt(AuthFlavor.AUTH_NONE); // verifier: a fixed-body flavor has none
        e.writeInt(0);
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credential && ((Credential) o).flavor == flavor
                && Arrays.equals(((Credential) o).body, body) && ((Credential) o).signer == signer;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * flavor + Arrays.hashCode(body)) + Objects.hashCode(signer);
    }

    @Override
    public String toString() {
        return "Credential[flavor " + flavor + (signer != null ? ", signed by " + signer : ", " + body.length
                + " bytes") + "]";
    }
}
