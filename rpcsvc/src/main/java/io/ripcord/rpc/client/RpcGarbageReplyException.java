package io.ripcord.rpc.client;

/**
 * The reply to a call does not decode: a malformed header, an unknown status, results that are not what the
 * result reader expects, or bytes left over after them. The server may well have run the call.
 */
public final class RpcGarbageReplyException extends RpcException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for a reply that does not decode.
     *
     * @param message what happened, naming the call
     * @param cause   the decoding error, or {@code null}
     */
    public RpcGarbageReplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
