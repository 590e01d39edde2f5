package io.ripcord.rpc;

/** Authentication flavors ({@code enum auth_flavor}, RFC 5531 section 8.2, and GlusterFS's own). */
public final class AuthFlavor {
    /** RFC 5531 section 10.1. */
    public static final int AUTH_NONE = 0;
    /** RFC 5531 section 10.2 ({@code AUTH_UNIX}). */
    public static final int AUTH_SYS = 1;
    /** RFC 5531 section 10.3: a short-hand verifier a server may return for AUTH_SYS; not accepted here. */
    public static final int AUTH_SHORT = 2;
    /** Diffie-Hellman (RFC 2695); obsolete and not accepted here. */
    public static final int AUTH_DH = 3;
    /** RFC 2203. */
    public static final int RPCSEC_GSS = 6;
    /**
     * RFC 9289 section 7.1: RPC-with-TLS. Only a NULL call carries it, as a probe asking the server to start TLS
     * on the connection (section 4.1); {@code io.ripcord.rpc.tls} implements both sides.
     */
    public static final int AUTH_TLS = 7;
    /** GlusterFS {@code AUTH_GLUSTERFS_v2}: what the gluster CLI and clients send. */
    public static final int AUTH_GLUSTERFS_V2 = 390039;
    /** The largest credential or verifier body (RFC 5531 section 8.2: {@code opaque body<400>}). */
    public static final int MAX_BODY = 400;

    private AuthFlavor() {
    }
}
