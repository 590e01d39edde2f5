package io.ripcord.rpc.client;

/**
 * The server does not speak RPC version 2: MSG_DENIED / RPC_MISMATCH with the lowest and highest RPC
 * versions it speaks (RFC 5531 section 9, {@code rejected_reply}).
 */
public final class RpcMismatchException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** The lowest RPC versions the server supports, as it sent it. */
    private final int low;
    /** The highest RPC versions the server supports, as it sent it. */
    private final int high;

    /**
     * An exception for a RPC_MISMATCH reply.
     *
     * @param message what happened, naming the call
     * @param low     the lowest version supported
     * @param high    the highest version supported
     */
    public RpcMismatchException(String message, int low, int high) {
        super(message);
        this.low = low;
        this.high = high;
    }

    /**
     * The lowest RPC version the server speaks.
     *
     * @return the version, as the server sent it
     */
    public int low() {
        return low;
    }

    /**
     * The highest RPC version the server speaks.
     *
     * @return the version, as the server sent it
     */
    public int high() {
        return high;
    }
}
