package io.ripcord.rpc;

/** {@code enum reject_stat} (RFC 5531 section 9). */
public final class RejectStat {
    /** RPC version number is not 2; the reply carries the lowest and highest supported (2 and 2). */
    public static final int RPC_MISMATCH = 0;
    /** Remote can't authenticate the caller; the reply carries an {@link AuthStat}. */
    public static final int AUTH_ERROR = 1;

    private RejectStat() {
    }
}
