package io.ripcord.rpc.client;

/** The server could not decode the arguments: MSG_ACCEPTED / GARBAGE_ARGS (RFC 5531 section 9). */
public final class GarbageArgsException extends RpcException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for a GARBAGE_ARGS reply.
     *
     * @param message what happened, naming the call
     */
    public GarbageArgsException(String message) {
        super(message);
    }
}
