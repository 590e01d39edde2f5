package io.ripcord.rpc.client;

import io.ripcord.transport.DisconnectCause;
import java.util.Objects;

/**
 * The connection ended (or was not there) before the reply came. A call failed this way is never resent: it
 * may or may not have run on the server.
 */
public final class RpcDisconnectedException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** Why the connection ended. */
    private final DisconnectCause disconnectCause;

    /**
     * An exception for a call whose connection ended before its reply came.
     *
     * @param message         what happened, naming the call
     * @param disconnectCause why the connection ended ({@link DisconnectCause#LOCAL_CLOSE} after
     *                        {@link RpcClient#close()}, {@link DisconnectCause#TIMEOUT} after a ping timeout)
     * @param cause           the transport's error, or {@code null}
     */
    public RpcDisconnectedException(String message, DisconnectCause disconnectCause, Throwable cause) {
        super(message, cause);
        this.disconnectCause = Objects.requireNonNull(disconnectCause, "disconnectCause");
    }

    /**
     * Why the connection ended.
     *
     * @return the cause the transport reported; never {@code null}
     */
    public DisconnectCause disconnectCause() {
        return disconnectCause;
    }
}
