package io.ripcord.rpc;

/** {@code enum reply_stat} (RFC 5531 section 9). */
public final class ReplyStat {
    /** The server accepted the call: an {@link AcceptStat} and, on SUCCESS, the results follow. */
    public static final int MSG_ACCEPTED = 0;
    /** The server refused the call: a {@link RejectStat} follows, and no verifier. */
    public static final int MSG_DENIED = 1;

    private ReplyStat() {
    }
}
