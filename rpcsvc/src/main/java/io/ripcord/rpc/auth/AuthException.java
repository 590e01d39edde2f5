package io.ripcord.rpc.auth;

import io.ripcord.rpc.AuthStat;

/** A credential was refused; the call gets MSG_DENIED / AUTH_ERROR with {@link #authStat()}. */
public final class AuthException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int authStat;

    public AuthException(int authStat, String message) {
        super(message);
        this.authStat = authStat;
    }

    /** An {@link AuthStat} value. */
    public int authStat() {
        return authStat;
    }
}
