package io.ripcord.rpc;

/** {@code enum msg_type} (RFC 5531 section 9). */
public final class MsgType {
    /** A call: {@code call_body} follows the xid. */
    public static final int CALL = 0;
    /** A reply: {@code reply_body} follows the xid it answers. */
    public static final int REPLY = 1;

    private MsgType() {
    }
}
