package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.xdr.XdrException;

/**
 * {@code enum rpc_gss_service_t}: what protects a call's arguments and results (RFC 2203 section 5.3.2). NFS
 * calls the three with Kerberos V5 {@code krb5}, {@code krb5i} and {@code krb5p} (RFC 2623 section 2.2).
 */
public enum GssService {
    /** Only the header is checksummed; arguments and results travel as they are (krb5). */
    NONE(1, "krb5"),
    /** Arguments and results travel with a checksum and the call's sequence number (krb5i, section 5.3.2.2). */
    INTEGRITY(2, "krb5i"),
    /** Arguments and results travel sealed, with the call's sequence number inside (krb5p, section 5.3.2.3). */
    PRIVACY(3, "krb5p");

    private final int wire;
    private final String krb5Name;

    GssService(int wire, String krb5Name) {
        this.wire = wire;
        this.krb5Name = krb5Name;
    }

    /** {@return the value on the wire} */
    public int wire() {
        return wire;
    }

    /** {@return the NFS name of this service with Kerberos V5: krb5, krb5i or krb5p} */
    public String krb5Name() {
        return krb5Name;
    }

    /**
     * The constant for a {@code service} on the wire.
     *
     * @param value a {@code service} read from a credential
     * @return its constant
     * @throws XdrException when the value is none of the three
     */
    public static GssService fromWire(int value) throws XdrException {
        switch (value) {
            case 1: return NONE;
            case 2: return INTEGRITY;
            case 3: return PRIVACY;
            default: throw new XdrException("unknown rpc_gss_service_t " + value);
        }
    }
}
