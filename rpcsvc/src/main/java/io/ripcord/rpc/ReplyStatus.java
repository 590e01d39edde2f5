package io.ripcord.rpc;

/**
 * How a call served by an {@link RpcService} ended, as its metrics and its {@code io.ripcord.RpcCall} flight
 * recorder event count it: an accepted reply by its {@code accept_stat}, a denied one by its {@code reject_stat}
 * (an AUTH_ERROR by its {@code auth_stat}), or no reply at all. The names are the RFC's.
 */
public enum ReplyStatus {
    /** MSG_ACCEPTED SUCCESS (RFC 5531 section 9). */
    SUCCESS,
    /** MSG_ACCEPTED PROG_UNAVAIL. */
    PROG_UNAVAIL,
    /** MSG_ACCEPTED PROG_MISMATCH. */
    PROG_MISMATCH,
    /** MSG_ACCEPTED PROC_UNAVAIL. */
    PROC_UNAVAIL,
    /** MSG_ACCEPTED GARBAGE_ARGS. */
    GARBAGE_ARGS,
    /** MSG_ACCEPTED SYSTEM_ERR. */
    SYSTEM_ERR,
    /** MSG_DENIED RPC_MISMATCH. */
    RPC_MISMATCH,
    /** MSG_DENIED AUTH_ERROR AUTH_BADCRED. */
    AUTH_BADCRED,
    /** MSG_DENIED AUTH_ERROR AUTH_REJECTEDCRED. */
    AUTH_REJECTEDCRED,
    /** MSG_DENIED AUTH_ERROR AUTH_BADVERF. */
    AUTH_BADVERF,
    /** MSG_DENIED AUTH_ERROR AUTH_REJECTEDVERF. */
    AUTH_REJECTEDVERF,
    /** MSG_DENIED AUTH_ERROR AUTH_TOOWEAK. */
    AUTH_TOOWEAK,
    /** MSG_DENIED AUTH_ERROR AUTH_INVALIDRESP. */
    AUTH_INVALIDRESP,
    /** MSG_DENIED AUTH_ERROR AUTH_FAILED. */
    AUTH_FAILED,
    /** MSG_DENIED AUTH_ERROR RPCSEC_GSS_CREDPROBLEM (RFC 2203 section 5.3.3.3). */
    RPCSEC_GSS_CREDPROBLEM,
    /** MSG_DENIED AUTH_ERROR RPCSEC_GSS_CTXPROBLEM (RFC 2203 section 5.3.3.3). */
    RPCSEC_GSS_CTXPROBLEM,
    /** MSG_DENIED AUTH_ERROR with any other {@code auth_stat} (the Kerberos v4 ones of RFC 5531, say). */
    AUTH_OTHER,
    /** No reply: the call was dropped ({@link RpcCall#drop()}, RFC 2203's replays). */
    DROPPED;

    /** {@code values()} copies its array on every call: the call path indexes this one. */
    private static final ReplyStatus[] ALL = values();
    private static final int RPCSEC_GSS_CREDPROBLEM_STAT = 13;
    private static final int RPCSEC_GSS_CTXPROBLEM_STAT = 14;

    /**
     * Whether this is a denial for the call's credential or verifier (MSG_DENIED AUTH_ERROR).
     *
     * @return {@code true} for the AUTH_* and RPCSEC_GSS_* values
     */
    public boolean isAuthError() {
        return ordinal() >= AUTH_BADCRED.ordinal() && ordinal() <= AUTH_OTHER.ordinal();
    }

    static int count() {
        return ALL.length;
    }

    static ReplyStatus of(int ordinal) {
        return ALL[ordinal];
    }

    /** The index of an accepted reply with {@code acceptStat} (SUCCESS 0 ... SYSTEM_ERR 5 are this enum's first). */
    static int accepted(int acceptStat) {
        return acceptStat >= AcceptStat.SUCCESS && acceptStat <= AcceptStat.SYSTEM_ERR ? acceptStat
                : SYSTEM_ERR.ordinal();
    }

    /** The index of a denied reply: RPC_MISMATCH, or AUTH_ERROR with {@code authStat}. */
    static int denied(int rejectStat, int authStat) {
        if (rejectStat == RejectStat.RPC_MISMATCH) {
            return RPC_MISMATCH.ordinal();
        }
        if (authStat >= AuthStat.AUTH_BADCRED && authStat <= AuthStat.AUTH_FAILED) {
            return AUTH_BADCRED.ordinal() + authStat - AuthStat.AUTH_BADCRED;
        }
        if (authStat == RPCSEC_GSS_CREDPROBLEM_STAT) {
            return RPCSEC_GSS_CREDPROBLEM.ordinal();
        }
        return authStat == RPCSEC_GSS_CTXPROBLEM_STAT ? RPCSEC_GSS_CTXPROBLEM.ordinal() : AUTH_OTHER.ordinal();
    }
}
