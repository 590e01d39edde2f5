package io.ripcord.rpc.auth;

import io.ripcord.rpc.AuthStat;

/** A credential was refused; the call gets MSG_DENIED / AUTH_ERROR with {@link #authStat()}. */
public final class AuthException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The {@code auth_stat} the call is denied with. */
    private final int authStat;

    /**
     * A refusal the service answers with {@code authStat}; the message is logged at DEBUG, never sent.
     *
     * @param authStat the {@link AuthStat} to deny the call with (not {@link AuthStat#AUTH_OK})
     * @param message  why, for the server's log
     */
    public AuthException(int authStat, String message) {
        super(message);
        this.authStat = authStat;
    }

    /**
     * What the caller is told.
     *
     * @return the {@link AuthStat} value given to the constructor
     */
    public int authStat() {
        return authStat;
    }
}
