package io.ripcord.transport;

import java.nio.ByteBuffer;

/**
 * Frames prefixed by a 4-byte big-endian length (of the payload only). The delivered frame is the payload,
 * a slice of the received bytes (no copy). A length above the maximum, or negative, is a
 * {@link FrameException} as soon as the prefix is read, before anything is buffered for it.
 */
public final class LengthFieldFrameDecoder implements FrameDecoder {

    private final int maxFrameLength;

    /**
     * A decoder; it keeps no state between calls, so one instance could serve several connections.
     *
     * @param maxFrameLength the largest payload accepted, in bytes, prefix excluded
     * @throws IllegalArgumentException unless {@code maxFrameLength} is from 1 to 2^31-5
     */
    public LengthFieldFrameDecoder(int maxFrameLength) {
        if (maxFrameLength < 1 || maxFrameLength > Integer.MAX_VALUE - 4) {
            throw new IllegalArgumentException("maxFrameLength must be within [1, 2^31-5], got " + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    public ByteBuffer decode(ByteBuffer in) throws FrameException {
        if (in.remaining() < 4) {
            return null;
        }
        int start = in.position();
        int len = in.getInt(start);
        if (len < 0 || len > maxFrameLength) {
            throw new FrameException("frame length " + Integer.toUnsignedString(len) + " exceeds the maximum "
                    + maxFrameLength);
        }
        if (in.remaining() - 4 < len) {
            return null;
        }
        ByteBuffer frame = in.slice(start + 4, len);
        in.position(start + 4 + len);
        return frame;
    }

    @Override
    public int maxBufferedBytes() {
        return maxFrameLength + 4;
    }

    /**
     * Writes the 4-byte big-endian prefix for a payload of {@code length} bytes.
     *
     * @param out where to write, at its position, which advances by 4; it must be big-endian (the default)
     * @param length the payload's length in bytes, not counting the prefix
     */
    public static void writeHeader(ByteBuffer out, int length) {
        out.putInt(length);
    }
}
