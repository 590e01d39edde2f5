package io.ripcord.rpc.client;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * {@link RpcClient#connect} could not connect: nobody listens at the address, the connect timed out, the name did
 * not resolve. The message names the address; the cause is the transport's error
 * ({@link java.net.ConnectException}, {@link java.net.SocketTimeoutException}...).
 */
public final class RpcConnectException extends RpcException {
    private static final long serialVersionUID = 1L;

    private final transient SocketAddress address;

    /**
     * An exception whose message names the address and the cause's message.
     *
     * @param address the server's address
     * @param cause   why the connect failed
     */
    public RpcConnectException(SocketAddress address, Throwable cause) {
        super("cannot connect to " + display(address) + ": " + (cause.getMessage() != null ? cause.getMessage()
                : cause.getClass().getSimpleName()), cause);
        this.address = Objects.requireNonNull(address, "address");
    }

    /** {@code 127.0.0.1:111} rather than {@code /127.0.0.1:111}; a Unix socket as its path. */
    private static String display(SocketAddress address) {
        if (address instanceof InetSocketAddress a && a.getAddress() != null) {
            String host = a.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
        }
        return String.valueOf(address);
    }

    /**
     * The address the client tried.
     *
     * @return the address; {@code null} only in a deserialized copy (it is not serialized)
     */
    public SocketAddress address() {
        return address;
    }
}
