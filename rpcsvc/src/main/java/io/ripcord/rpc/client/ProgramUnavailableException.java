package io.ripcord.rpc.client;

/** The server does not serve the program: MSG_ACCEPTED / PROG_UNAVAIL (RFC 5531 section 9). */
public final class ProgramUnavailableException extends RpcException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for a PROG_UNAVAIL reply.
     *
     * @param message what happened, naming the call
     */
    public ProgramUnavailableException(String message) {
        super(message);
    }
}
