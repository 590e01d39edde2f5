package io.ripcord.transport;

import java.io.IOException;

/** Bytes on a connection that cannot form a valid frame; the transport disconnects with cause PROTOCOL. */
public final class FrameException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * A frame error.
     *
     * @param message what is wrong with the bytes, for the DISCONNECT's error and the log
     */
    public FrameException(String message) {
        super(message);
    }
}
