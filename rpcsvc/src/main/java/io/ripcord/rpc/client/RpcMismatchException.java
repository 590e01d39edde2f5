package io.ripcord.rpc.client;

/**
 * The server does not speak RPC version 2: MSG_DENIED / RPC_MISMATCH with the lowest and highest RPC
 * versions it speaks (RFC 5531 section 9, {@code rejected_reply}).
 */
public final class RpcMismatchException extends RpcException {
    private static final long serialVersionUID = 1L;

    private final int low;
    private final int high;

    /**
     * @param message what happened, naming the call
     * @param low     the lowest version supported
     * @param high    the highest version supported
     */
    public RpcMismatchException(String message, int low, int high) {
        super(message);
        this.low = low;
        this.high = high;
    }

    /** The lowest RPC version the server speaks. */
    public int low() {
        return low;
    }

    /** The highest RPC version the server speaks. */
    public int high() {
        return high;
    }
}
