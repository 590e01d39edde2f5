package io.ripcord.rpc;

/** {@code enum auth_stat} (RFC 5531 section 9). */
public final class AuthStat {
    /** Success: never sent in a denied reply ({@link RpcCall#replyAuthError} refuses it). */
    public static final int AUTH_OK = 0;
    /** Bad credential (seal broken). */
    public static final int AUTH_BADCRED = 1;
    /** Client must begin a new session. */
    public static final int AUTH_REJECTEDCRED = 2;
    /** Bad verifier (seal broken). */
    public static final int AUTH_BADVERF = 3;
    /** Verifier expired or replayed. */
    public static final int AUTH_REJECTEDVERF = 4;
    /** Rejected for security reasons. */
    public static final int AUTH_TOOWEAK = 5;
    /** Bogus response verifier. */
    public static final int AUTH_INVALIDRESP = 6;
    /** Reason unknown. */
    public static final int AUTH_FAILED = 7;

    private AuthStat() {
    }

    /**
     * The RFC name of {@code stat}, for messages and logs.
     *
     * @param stat an {@code auth_stat} value as received
     * @return its name, or {@code "auth_stat N"} for a number RFC 5531 does not define
     */
    public static String name(int stat) {
        switch (stat) {
            case AUTH_OK: return "AUTH_OK";
            case AUTH_BADCRED: return "AUTH_BADCRED";
            case AUTH_REJECTEDCRED: return "AUTH_REJECTEDCRED";
            case AUTH_BADVERF: return "AUTH_BADVERF";
            case AUTH_REJECTEDVERF: return "AUTH_REJECTEDVERF";
            case AUTH_TOOWEAK: return "AUTH_TOOWEAK";
            case AUTH_INVALIDRESP: return "AUTH_INVALIDRESP";
            case AUTH_FAILED: return "AUTH_FAILED";
            default: return "auth_stat " + stat;
        }
    }
}
