package io.ripcord.rpc.client;

/** No reply came within the call's timeout; the call may or may not have run on the server. */
public final class RpcTimeoutException extends RpcException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for a call whose timeout ran out before its reply came.
     *
     * @param message what happened, naming the call
     */
    public RpcTimeoutException(String message) {
        super(message);
    }
}
