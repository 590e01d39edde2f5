package io.ripcord.rpc.client;

/** The program version has no such procedure: MSG_ACCEPTED / PROC_UNAVAIL (RFC 5531 section 9). */
public final class ProcedureUnavailableException extends RpcException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for a PROC_UNAVAIL reply.
     *
     * @param message what happened, naming the call
     */
    public ProcedureUnavailableException(String message) {
        super(message);
    }
}
