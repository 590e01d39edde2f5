package io.ripcord.rpc.auth.gss;

/**
 * RPCSEC_GSS failed on the calling side: no Kerberos credentials, a context that could not be established, a
 * reply whose verifier or protected results do not check. The message says what to do about it ("no Kerberos
 * ticket for alice@EXAMPLE.COM in ticket cache /tmp/krb5cc_1000: run kinit alice@EXAMPLE.COM").
 */
public final class RpcGssException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * A failure with no underlying error.
     *
     * @param message what happened and what to do about it
     */
    public RpcGssException(String message) {
        super(message);
    }

    /**
     * A failure caused by JGSS or JAAS.
     *
     * @param message what happened and what to do about it
     * @param cause   the JGSS or JAAS failure underneath
     */
    public RpcGssException(String message, Throwable cause) {
        super(message, cause);
    }
}
