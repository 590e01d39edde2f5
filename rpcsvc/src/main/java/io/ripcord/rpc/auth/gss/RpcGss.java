package io.ripcord.rpc.auth.gss;

import org.ietf.jgss.GSSException;
import org.ietf.jgss.Oid;

/**
 * RPCSEC_GSS wire constants (RFC 2203) that are not an enumeration of their own: the credential version, the
 * sequence number limit, the two {@code auth_stat} values the RFC adds, and the Kerberos V5 mechanism.
 */
public final class RpcGss {

    /** {@code RPCSEC_GSS_VERS_1}, the only credential version (RFC 2203 section 5). */
    public static final int VERSION_1 = 1;

    /**
     * {@code MAXSEQ}: sequence numbers are below this (RFC 2203 section 5). A call at or above it is refused with
     * {@link #RPCSEC_GSS_CTXPROBLEM} (section 5.3.3.1): the client must establish a new context.
     */
    public static final long MAXSEQ = 0x8000_0000L;

    /** {@code auth_stat} 13, "no credentials for user" (RFC 2203 section 4). */
    public static final int RPCSEC_GSS_CREDPROBLEM = 13;

    /** {@code auth_stat} 14, "problem with context" (RFC 2203 section 4). */
    public static final int RPCSEC_GSS_CTXPROBLEM = 14;

    /** The Kerberos V5 GSS-API mechanism, {@code 1.2.840.113554.1.2.2} (RFC 1964 section 1). */
    public static final Oid KRB5_MECHANISM = oid("1.2.840.113554.1.2.2");

    /** The Kerberos principal name type, {@code 1.2.840.113554.1.2.2.1} (RFC 1964 section 2.1.1). */
    public static final Oid KRB5_PRINCIPAL_NAME = oid("1.2.840.113554.1.2.2.1");

    private RpcGss() {
    }

    /**
     * The name of an {@code auth_stat} value, RPCSEC_GSS's two included.
     *
     * @param authStat the value
     * @return its name in RFC 5531 section 9 or RFC 2203 section 4
     */
    public static String authStatName(int authStat) {
        switch (authStat) {
            case RPCSEC_GSS_CREDPROBLEM: return "RPCSEC_GSS_CREDPROBLEM";
            case RPCSEC_GSS_CTXPROBLEM: return "RPCSEC_GSS_CTXPROBLEM";
            default: return io.ripcord.rpc.AuthStat.name(authStat);
        }
    }

    private static Oid oid(String dotted) {
        try {
            return new Oid(dotted);
        } catch (GSSException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
