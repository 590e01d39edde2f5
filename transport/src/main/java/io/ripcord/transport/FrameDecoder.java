package io.ripcord.transport;

import java.nio.ByteBuffer;

/**
 * Turns the bytes a connection receives into messages (frames).
 *
 * <p>One instance serves one connection and is only ever called on that connection's owner poller, so it
 * may keep state between calls without synchronization. The transport calls {@link #decode} with the bytes
 * received so far, in read mode ({@code position..limit}), until it returns {@code null}.
 */
public interface FrameDecoder {

    /**
     * Decodes at most one frame.
     *
     * @param in the bytes received and not yet consumed; the decoder advances its position past what it
     *           consumed (it may consume a partial frame if it keeps that part itself)
     * @return a complete frame, valid only until the next call on this decoder (copy it to keep it), or
     *         {@code null} when more bytes are needed
     * @throws FrameException when the bytes cannot be a valid frame; the connection is then closed with
     *         cause {@code PROTOCOL}
     */
    ByteBuffer decode(ByteBuffer in) throws FrameException;

    /**
     * The most bytes this decoder may need buffered at once to make progress (a frame and its header).
     * The transport never buffers more than this for one connection.
     *
     * @return a size in bytes; more bytes buffered without a frame coming out is a protocol error
     */
    int maxBufferedBytes();

    /**
     * Whether the decoder itself holds part of a frame it consumed (bytes the transport no longer buffers),
     * for {@link TransportOptions.Builder#frameTimeout}. Decoders that never consume a partial frame keep the
     * default, {@code false}.
     *
     * @return {@code true} while the decoder holds bytes of an incomplete frame
     */
    default boolean hasPartialFrame() {
        return false;
    }
}
