package io.ripcord.rpc;

/** {@code enum msg_type} (RFC 5531 section 9). */
public final class MsgType {
    public static final int CALL = 0;
    public static final int REPLY = 1;

    private MsgType() {
    }
}
