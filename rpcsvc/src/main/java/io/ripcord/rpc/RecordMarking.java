package io.ripcord.rpc;

import io.ripcord.rpc.xdr.XdrEncoder;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * The record marking standard of RFC 5531 section 11, sending side: on a byte stream each RPC message is a
 * record of one or more fragments, each fragment a four-byte big-endian header and its data. Bit 31 of the
 * header marks the last fragment of the record; bits 0..30 are the fragment's length in bytes. The receiving
 * side is {@link RecordMarkingDecoder}.
 *
 * <p>Stateless; every method may be called from any thread.
 */
public final class RecordMarking {

    /** Bytes in a fragment header (RFC 5531 section 11). */
    public static final int HEADER_SIZE = 4;
    /** The header bit that marks a record's last fragment (RFC 5531 section 11: "the highest-order bit"). */
    public static final int LAST_FRAGMENT = 0x8000_0000;
    /** The longest fragment a header can describe: 31 bits (RFC 5531 section 11). */
    public static final int MAX_FRAGMENT_LENGTH = 0x7FFF_FFFF;

    private RecordMarking() {
    }

    /**
     * The header of a fragment.
     *
     * @param length the fragment's data length, {@code 0 .. MAX_FRAGMENT_LENGTH}
     * @param last   whether the fragment ends its record
     * @return the header as an int, to be written big-endian
     * @throws IllegalArgumentException when {@code length} is negative
     */
    public static int header(int length, boolean last) {
        if (length < 0) {
            throw new IllegalArgumentException("fragment length must not be negative: " + length);
        }
        return last ? length | LAST_FRAGMENT : length;
    }

    /**
     * {@return whether {@code header} marks its record's last fragment}
     *
     * @param header a fragment header
     */
    public static boolean isLast(int header) {
        return (header & LAST_FRAGMENT) != 0;
    }

    /**
     * {@return the fragment length {@code header} announces, {@code 0 .. MAX_FRAGMENT_LENGTH}}
     *
     * @param header a fragment header
     */
    public static int fragmentLength(int header) {
        return header & MAX_FRAGMENT_LENGTH;
    }

    /**
     * Writes a fragment header big-endian at {@code dst}'s position and advances it, whatever {@code dst}'s
     * byte order.
     *
     * @param dst    the destination
     * @param length the fragment's data length
     * @param last   whether the fragment ends its record
     */
    public static void putHeader(ByteBuffer dst, int length, boolean last) {
        int p = dst.position();
        putHeader(dst, p, length, last);
        dst.position(p + HEADER_SIZE);
    }

    /**
     * Writes a fragment header big-endian at {@code index} of {@code dst}, whatever its byte order.
     *
     * @param dst    the destination
     * @param index  where the header goes
     * @param length the fragment's data length
     * @param last   whether the fragment ends its record
     */
    public static void putHeader(ByteBuffer dst, int index, int length, boolean last) {
        int h = header(length, last);
        dst.put(index, (byte) (h >>> 24));
        dst.put(index + 1, (byte) (h >>> 16));
        dst.put(index + 2, (byte) (h >>> 8));
        dst.put(index + 3, (byte) h);
    }

    /**
     * The record of one last fragment that carries {@code message} (its bytes from position to limit), for a
     * stream: when the buffer has four bytes before its position (an encoder reset with that much headroom, see
     * {@link XdrEncoder#reset(int)}), the mark is written there and the same buffer is returned, from the mark
     * on: no copy. Otherwise the record is a copy in a new heap buffer. Either way {@code message} is not kept.
     *
     * @param message an unframed message
     * @return the record, ready to write
     */
    public static ByteBuffer frame(ByteBuffer message) {
        int length = message.remaining();
        int p = message.position();
        if (p >= HEADER_SIZE && !message.isReadOnly()) {
            putHeader(message, p - HEADER_SIZE, length, true);
            return message.position(p - HEADER_SIZE);
        }
        ByteBuffer record = ByteBuffer.allocate(HEADER_SIZE + length);
        putHeader(record, length, true);
        record.put(message.duplicate()).flip();
        return record;
    }

    /**
     * Empties {@code encoder} and reserves the record mark at its start, for {@link #finishRecord}.
     *
     * @param encoder the encoder about to receive one message
     */
    public static void startRecord(XdrEncoder encoder) {
        encoder.reset();
        encoder.reserve(HEADER_SIZE);
    }

    /**
     * Fills in the record mark reserved by {@link #startRecord}: the message becomes one record of one last
     * fragment, ready to write with no copy.
     *
     * @param encoder the encoder holding the mark and the message
     * @return the encoder's buffer (see {@link XdrEncoder#toBuffer()}), header included
     */
    public static ByteBuffer finishRecord(XdrEncoder encoder) {
        int payload = encoder.size() - HEADER_SIZE;
        if (payload < 0) {
            throw new IllegalStateException("no record mark reserved: call startRecord first");
        }
        encoder.patchInt(0, header(payload, true));
        return encoder.toBuffer();
    }

    /**
     * The bytes {@code payloadLength} bytes take as one record cut into fragments of at most
     * {@code maxFragmentLength}. An empty payload is one empty last fragment.
     *
     * @param payloadLength     the record's data length
     * @param maxFragmentLength the longest fragment, {@code 1 .. MAX_FRAGMENT_LENGTH}
     * @return data plus headers
     * @throws IllegalArgumentException when an argument is out of range or the record exceeds an int
     */
    public static int recordSize(int payloadLength, int maxFragmentLength) {
        checkFragmentLength(maxFragmentLength);
        if (payloadLength < 0) {
            throw new IllegalArgumentException("payload length must not be negative: " + payloadLength);
        }
        long fragments = Math.max(1, ((long) payloadLength + maxFragmentLength - 1) / maxFragmentLength);
        long total = payloadLength + fragments * HEADER_SIZE;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a record of " + payloadLength + " bytes in fragments of "
                    + maxFragmentLength + " takes " + total + " bytes, more than a buffer holds");
        }
        return (int) total;
    }

    /**
     * Writes the remaining bytes of {@code payload} to {@code dst} as one record in fragments of at most
     * {@code maxFragmentLength} bytes, the last one marked last. Both buffers' positions advance.
     *
     * @param payload           the record's data, from position to limit
     * @param maxFragmentLength the longest fragment, {@code 1 .. MAX_FRAGMENT_LENGTH}
     * @param dst               the destination
     * @throws BufferOverflowException when {@code dst} lacks {@link #recordSize} bytes; nothing is written
     */
    public static void writeRecord(ByteBuffer payload, int maxFragmentLength, ByteBuffer dst) {
        int length = payload.remaining();
        if (dst.remaining() < recordSize(length, maxFragmentLength)) {
            throw new BufferOverflowException();
        }
        do {
            int n = Math.min(payload.remaining(), maxFragmentLength);
            boolean last = n == payload.remaining();
            putHeader(dst, n, last);
            dst.put(dst.position(), payload, payload.position(), n);
            dst.position(dst.position() + n);
            payload.position(payload.position() + n);
        } while (payload.hasRemaining());
    }

    /**
     * Copies the remaining bytes of {@code payload} into a new heap buffer as one record in fragments of at
     * most {@code maxFragmentLength} bytes; {@code payload}'s position advances to its limit.
     *
     * @param payload           the record's data, from position to limit
     * @param maxFragmentLength the longest fragment, {@code 1 .. MAX_FRAGMENT_LENGTH}
     * @return the record, ready to read
     */
    public static ByteBuffer toRecord(ByteBuffer payload, int maxFragmentLength) {
        ByteBuffer out = ByteBuffer.allocate(recordSize(payload.remaining(), maxFragmentLength));
        writeRecord(payload, maxFragmentLength, out);
        return out.flip();
    }

    private static void checkFragmentLength(int maxFragmentLength) {
        if (maxFragmentLength < 1) {
            throw new IllegalArgumentException("maxFragmentLength must be positive: " + maxFragmentLength);
        }
    }
}
