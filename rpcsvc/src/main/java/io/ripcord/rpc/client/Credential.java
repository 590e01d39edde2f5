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
 * call. The verifier is always AUTH_NONE (none of these flavors has one). Immutable and thread-safe.
 */
public final class Credential {

    /** AUTH_NONE with an empty body (RFC 5531 section 10.1): the default. */
    public static final Credential NONE = new Credential(AuthFlavor.AUTH_NONE, new byte[0]);

    private final int flavor;
    private final byte[] body;

    private Credential(int flavor, byte[] body) {
        this.flavor = flavor;
        this.body = body;
    }

    /**
     * A credential of any flavor.
     *
     * @param flavor the flavor ({@link AuthFlavor})
     * @param body   writes the body (not its flavor or length)
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
        return new Credential(flavor, bytes);
    }

    /** AUTH_SYS (RFC 5531 section 10.2, appendix A). */
    public static Credential authSys(AuthSysCredential credential) {
        Objects.requireNonNull(credential, "credential");
        return of(AuthFlavor.AUTH_SYS, credential::encode);
    }

    /** GlusterFS AUTH_GLUSTERFS_v2 (flavor 390039), as the gluster CLI sends it. */
    public static Credential glusterV2(GlusterCredential credential) {
        Objects.requireNonNull(credential, "credential");
        return of(AuthFlavor.AUTH_GLUSTERFS_V2, credential::encode);
    }

    /** The flavor. */
    public int flavor() {
        return flavor;
    }

    /** A copy of the encoded body. */
    public byte[] body() {
        return body.clone();
    }

    /** Writes {@code opaque_auth}: the flavor and the body as variable-length opaque. */
    void write(XdrEncoder e) {
        e.writeInt(flavor);
        e.writeOpaque(body, AuthFlavor.MAX_BODY);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credential && ((Credential) o).flavor == flavor
                && Arrays.equals(((Credential) o).body, body);
    }

    @Override
    public int hashCode() {
        return 31 * flavor + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "Credential[flavor " + flavor + ", " + body.length + " bytes]";
    }
}
