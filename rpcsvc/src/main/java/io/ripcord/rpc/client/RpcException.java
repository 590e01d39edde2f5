package io.ripcord.rpc.client;

/**
 * A call did not produce a result. The subclasses say why: the server's error reply (RFC 5531 section 9:
 * {@link ProgramUnavailableException}, {@link ProgramMismatchException}, {@link ProcedureUnavailableException},
 * {@link GarbageArgsException}, {@link SystemErrorException}, {@link RpcMismatchException},
 * {@link AuthErrorException}), a reply that does not decode ({@link RpcGarbageReplyException}), no reply in
 * time ({@link RpcTimeoutException}) or a connection that ended first ({@link RpcDisconnectedException}).
 *
 * <p>Checked, like {@link io.ripcord.rpc.xdr.XdrException}: a remote call can fail in ways a caller must plan
 * for. Futures returned by {@link RpcClient} complete exceptionally with these exceptions themselves.
 */
public class RpcException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with no underlying error.
     *
     * @param message what happened, naming the call
     */
    public RpcException(String message) {
        super(message);
    }

    /**
     * An exception caused by another error (the transport's, a decoder's).
     *
     * @param message what happened, naming the call
     * @param cause   the underlying error, or {@code null}
     */
    public RpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
