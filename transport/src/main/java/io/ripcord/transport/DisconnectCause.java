package io.ripcord.transport;

/** Why a connection ended; delivered once with {@link TransportListener#onDisconnect}. */
public enum DisconnectCause {
    /** The peer closed its side in order (read returned end-of-stream). Not an error. */
    EOF,
    /** The connection failed under us: reset by the peer, broken pipe, or another I/O error. */
    RESET,
    /** A connect, idle or record timeout expired. */
    TIMEOUT,
    /** The bytes received broke the protocol (a decoder error), or the listener threw while handling them. */
    PROTOCOL,
    /** This side closed it: {@link Transport#close()} or {@link Transport#abort()}. */
    LOCAL_CLOSE,
    /** The event pool shut down. */
    SHUTDOWN
}
