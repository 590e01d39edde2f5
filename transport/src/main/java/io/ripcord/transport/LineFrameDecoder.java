package io.ripcord.transport;

import java.nio.ByteBuffer;

/**
 * Frames ended by {@code \n} (a preceding {@code \r} is stripped too). The delivered frame is the line without
 * its terminator, a slice of the received bytes. A line longer than the maximum without a terminator is a
 * {@link FrameException}.
 */
public final class LineFrameDecoder implements FrameDecoder {

    private final int maxLineLength;
    /** How far the previous call already searched, so a long partial line is not rescanned from its start. */
    private int scanned;

    /**
     * A decoder for one connection; it keeps how far it has searched a partial line.
     *
     * @param maxLineLength the longest line accepted, terminator excluded
     * @throws IllegalArgumentException unless {@code maxLineLength} is from 1 to 2^31-3
     */
    public LineFrameDecoder(int maxLineLength) {
        if (maxLineLength < 1 || maxLineLength > Integer.MAX_VALUE - 2) {
            throw new IllegalArgumentException("maxLineLength must be within [1, 2^31-3], got " + maxLineLength);
        }
        this.maxLineLength = maxLineLength;
    }

    @Override
    public ByteBuffer decode(ByteBuffer in) throws FrameException {
        int start = in.position();
        int limit = in.limit();
        for (int i = start + Math.min(scanned, in.remaining()); i < limit; i++) {
            if (in.get(i) == '\n') {
                int end = i;
                if (end > start && in.get(end - 1) == '\r') {
                    end--;
                }
                if (end - start > maxLineLength) {
                    throw new FrameException("line of " + (end - start) + " bytes exceeds the maximum "
                            + maxLineLength);
                }
                scanned = 0;
                in.position(i + 1);
                return in.slice(start, end - start);
            }
        }
        scanned = limit - start;
        if (scanned > maxLineLength + 1) {
            throw new FrameException("no line end within " + (maxLineLength + 1) + " bytes");
        }
        return null;
    }

    @Override
    public int maxBufferedBytes() {
        return maxLineLength + 2;
    }
}
