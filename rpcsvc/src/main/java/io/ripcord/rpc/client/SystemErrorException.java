package io.ripcord.rpc.client;

/** The server failed while serving the call: MSG_ACCEPTED / SYSTEM_ERR (RFC 5531 section 9). */
public final class SystemErrorException extends RpcException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for a SYSTEM_ERR reply.
     *
     * @param message what happened, naming the call
     */
    public SystemErrorException(String message) {
        super(message);
    }
}
