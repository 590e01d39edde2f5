package io.ripcord.rpc;

/** {@code enum reply_stat} (RFC 5531 section 9). */
public final class ReplyStat {
    public static final int MSG_ACCEPTED = 0;
    public static final int MSG_DENIED = 1;

    private ReplyStat() {
    }
}
