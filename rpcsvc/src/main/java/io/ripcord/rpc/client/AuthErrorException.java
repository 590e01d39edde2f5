package io.ripcord.rpc.client;

import io.ripcord.rpc.AuthStat;

/**
 * The server refused the call's credential or verifier: MSG_DENIED / AUTH_ERROR with an {@link AuthStat}
 * (RFC 5531 section 9). Retrying with the same credential fails the same way. Also what a call ends with when the
 * client refuses the reply's verifier ({@link AuthStat#AUTH_INVALIDRESP}, as libtirpc reports it): RPCSEC_GSS's
 * reply was altered, or did not come from the server holding the context.
 */
public final class AuthErrorException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** The {@code auth_stat} the server denied the call with, or {@link AuthStat#AUTH_INVALIDRESP}. */
    private final int authStat;

    /**
     * An exception for an AUTH_ERROR reply, or a reply verifier the client refused.
     *
     * @param message  what happened, naming the call
     * @param authStat the {@link AuthStat} the server sent
     */
    public AuthErrorException(String message, int authStat) {
        super(message);
        this.authStat = authStat;
    }

    /**
     * Why the call was denied.
     *
     * @return an {@link AuthStat} value ({@link AuthStat#name(int)} names it); RPCSEC_GSS adds
     *         {@code RPCSEC_GSS_CREDPROBLEM} 13 and {@code RPCSEC_GSS_CTXPROBLEM} 14 (RFC 2203 section 5.3.3.3)
     */
    public int authStat() {
        return authStat;
    }
}
