package io.ripcord.rpc.xdr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Writes XDR (RFC 4506) values into a buffer the encoder owns and grows.
 *
 * <p>The buffer starts at an initial capacity and doubles as needed up to a maximum; an encoding that would
 * pass the maximum throws {@link IllegalStateException} and leaves what was written so far intact. Values
 * that break their XDR declaration (a string longer than its maximum, an unsigned value out of range) throw
 * {@link IllegalArgumentException} before anything is written.
 *
 * <p><b>Reuse.</b> The encoder is meant to be kept and {@linkplain #reset() reset} per message: once its
 * buffer has grown to the size of the messages it sees, encoding allocates nothing. A buffer that grew past
 * {@code max(initialCapacity, 1 MiB)} is dropped by {@link #reset()} so one huge message does not pin its
 * memory for the encoder's lifetime.
 *
 * <p><b>Headroom.</b> {@link #reset(int)} starts the message a few bytes into the buffer, so that whoever sends
 * it may put a frame header in front of it without a copy (an RFC 5531 section 11 record mark on a stream;
 * nothing on a datagram). The encoding itself, {@link #toBuffer()}, is the message alone: unframed.
 * {@link #reserve(int)} leaves room inside the message that {@link #patchInt(int, int)} fills in once known.
 *
 * <p>Not thread-safe: one encoder serves one caller at a time.
 */
public final class XdrEncoder {

    static final int DEFAULT_INITIAL_CAPACITY = 1024;
    static final int DEFAULT_MAX_CAPACITY = 64 << 20;
    /** A buffer grown past this (or past the initial capacity, if larger) is released on reset. */
    static final int RETAIN_CAPACITY = 1 << 20;
    /** The largest array most VMs allocate. */
    static final int MAX_ARRAY_SIZE = Integer.MAX_VALUE - 8;

    private static final byte[] ZEROS = new byte[4];

    private final int initialCapacity;
    private final int maxCapacity;
    private final boolean direct;
    private ByteBuffer buf;
    /** Where the message starts in {@link #buf}: the headroom before it. */
    private int origin;
    /** Where the next byte goes in {@link #buf} (so the message is {@code size - origin} bytes). */
    private int size;

    /** A heap encoder starting at 1 KiB, growing up to 64 MiB. */
    public XdrEncoder() {
        this(DEFAULT_INITIAL_CAPACITY, DEFAULT_MAX_CAPACITY, false);
    }

    /**
     * An encoder with its own buffer.
     *
     * @param initialCapacity the buffer's first size in bytes, at least 4
     * @param maxCapacity     the most bytes one encoding may take, at least {@code initialCapacity}
     * @param direct          whether the buffer is direct (for channel writes) or heap
     * @throws IllegalArgumentException when the capacities are out of range
     */
    public XdrEncoder(int initialCapacity, int maxCapacity, boolean direct) {
        if (initialCapacity < 4) {
            throw new IllegalArgumentException("initialCapacity must be at least 4: " + initialCapacity);
        }
        if (maxCapacity < initialCapacity || maxCapacity > MAX_ARRAY_SIZE) {
            throw new IllegalArgumentException("maxCapacity must be between initialCapacity (" + initialCapacity
                    + ") and " + MAX_ARRAY_SIZE + ": " + maxCapacity);
        }
        this.initialCapacity = initialCapacity;
        this.maxCapacity = maxCapacity;
        this.direct = direct;
        this.buf = allocate(initialCapacity);
    }

    /**
     * Empties the encoder for the next message, keeping its buffer unless it grew past the retention limit.
     *
     * @return this encoder
     */
    public XdrEncoder reset() {
        return reset(0);
    }

    /**
     * Empties the encoder for the next message, which starts {@code headroom} bytes into the buffer: room a
     * sender may use for a frame header (see {@code RecordMarking.frame}) without copying the message.
     *
     * @param headroom bytes to leave before the message, {@code 0 .. 64}
     * @return this encoder
     * @throws IllegalArgumentException when {@code headroom} is out of range
     */
    public XdrEncoder reset(int headroom) {
        if (headroom < 0 || headroom > 64) {
            throw new IllegalArgumentException("headroom must be between 0 and 64: " + headroom);
        }
        origin = 0;
        size = 0;
        if (buf.capacity() > Math.max(initialCapacity, RETAIN_CAPACITY)) {
            buf = allocate(initialCapacity);
        }
        ensure(headroom);
        origin = headroom;
        size = headroom;
        return this;
    }

    /** {@return the bytes of the message written since the last reset} */
    public int size() {
        return size - origin;
    }

    /** {@return the current buffer capacity} */
    public int capacity() {
        return buf.capacity();
    }

    /** {@return the most bytes one encoding may take} */
    public int maxCapacity() {
        return maxCapacity;
    }

    /**
     * The message so far, as the encoder's own buffer from the message's start to its end (the headroom, if any,
     * lies before the position): no copy. It stays valid until the next write or reset; copy it to keep it.
     *
     * @return the encoder's buffer, ready to read or write to a channel
     */
    public ByteBuffer toBuffer() {
        buf.limit(size).position(origin);
        return buf;
    }

    /**
     * Appends {@code length} zero bytes to fill in later with {@link #patchInt(int, int)}.
     *
     * @param length the bytes to reserve, a multiple of four to keep XDR's alignment
     * @return the offset of the reserved bytes in the message
     * @throws IllegalArgumentException when {@code length} is negative or not a multiple of four
     */
    public int reserve(int length) {
        if (length < 0 || (length & 3) != 0) {
            throw new IllegalArgumentException("reserved length must be a non-negative multiple of 4: " + length);
        }
        ensure(length);
        int offset = size - origin;
        for (int i = 0; i < length; i += 4) {
            buf.putInt(size, 0);
            size += 4;
        }
        return offset;
    }

    /**
     * Drops what was written after the first {@code size} bytes of the message, to write something else in their
     * place (a security flavor replacing encoded results with their wrapped form).
     *
     * @param size the bytes of the message to keep, {@code 0 .. size()}
     * @throws IndexOutOfBoundsException when {@code size} is out of range
     */
    public void truncate(int size) {
        Objects.checkIndex(size, size() + 1);
        this.size = origin + size;
    }

    /**
     * Overwrites four already written bytes with a big-endian integer, as a record mark or a length computed
     * after its data.
     *
     * @param offset where the integer goes in the message, in {@code 0 .. size()-4}
     * @param value  the value
     * @throws IndexOutOfBoundsException when the four bytes were not written yet
     */
    public void patchInt(int offset, int value) {
        Objects.checkFromIndexSize(offset, 4, size - origin);
        buf.limit(buf.capacity());
        buf.putInt(origin + offset, value);
    }

    /**
     * Appends a signed 32-bit integer (RFC 4506 section 4.1).
     *
     * @param value the value
     */
    public void writeInt(int value) {
        ensure(4);
        buf.putInt(size, value);
        size += 4;
    }

    /**
     * Appends an unsigned 32-bit integer (RFC 4506 section 4.2).
     *
     * @param value the value, {@code 0 .. 2^32-1}
     * @throws IllegalArgumentException when out of range
     */
    public void writeUnsignedInt(long value) {
        if ((value >>> 32) != 0) {
            throw new IllegalArgumentException("unsigned int out of range 0..4294967295: " + value);
        }
        writeInt((int) value);
    }

    /**
     * Appends an enumeration value (RFC 4506 section 4.3).
     *
     * @param value the value
     */
    public void writeEnum(int value) {
        writeInt(value);
    }

    /**
     * Appends a boolean (RFC 4506 section 4.4) as 1 or 0.
     *
     * @param value the value
     */
    public void writeBoolean(boolean value) {
        writeInt(value ? 1 : 0);
    }

    /**
     * Appends a signed 64-bit hyper integer (RFC 4506 section 4.5).
     *
     * @param value the value
     */
    public void writeHyper(long value) {
        ensure(8);
        buf.putLong(size, value);
        size += 8;
    }

    /**
     * Appends an unsigned 64-bit hyper integer (RFC 4506 section 4.5) given as its two's complement bits: pass
     * {@code -1L} for {@code 2^64-1}.
     *
     * @param value the value's 64 bits
     */
    public void writeUnsignedHyper(long value) {
        writeHyper(value);
    }

    /**
     * Appends an IEEE 754 single-precision float (RFC 4506 section 4.6), NaN payloads preserved.
     *
     * @param value the value
     */
    public void writeFloat(float value) {
        writeInt(Float.floatToRawIntBits(value));
    }

    /**
     * Appends an IEEE 754 double-precision float (RFC 4506 section 4.7), NaN payloads preserved.
     *
     * @param value the value
     */
    public void writeDouble(double value) {
        writeHyper(Double.doubleToRawLongBits(value));
    }

    /**
     * Appends fixed-length opaque data (RFC 4506 section 4.9) and zero padding.
     *
     * @param data the bytes, exactly the declared length
     */
    public void writeFixedOpaque(byte[] data) {
        writeFixedOpaque(data, 0, data.length);
    }

    /**
     * Appends fixed-length opaque data (RFC 4506 section 4.9) and zero padding.
     *
     * @param data   the array holding the bytes
     * @param offset the first byte
     * @param length the declared length
     */
    public void writeFixedOpaque(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        ensure(padded(length));
        buf.put(size, data, offset, length);
        size += length;
        pad(length);
    }

    /**
     * Appends the remaining bytes of {@code data} as fixed-length opaque data (RFC 4506 section 4.9) and zero
     * padding, leaving {@code data}'s position unchanged.
     *
     * @param data the bytes, from position to limit
     */
    public void writeFixedOpaque(ByteBuffer data) {
        int length = data.remaining();
        ensure(padded(length));
        buf.put(size, data, data.position(), length);
        size += length;
        pad(length);
    }

    /**
     * Appends variable-length opaque data (RFC 4506 section 4.10): length, bytes, zero padding.
     *
     * @param data      the bytes
     * @param maxLength the declared maximum
     * @throws IllegalArgumentException when {@code data} is longer than {@code maxLength}
     */
    public void writeOpaque(byte[] data, int maxLength) {
        writeOpaque(data, 0, data.length, maxLength);
    }

    /**
     * Appends variable-length opaque data (RFC 4506 section 4.10): length, bytes, zero padding.
     *
     * @param data      the array holding the bytes
     * @param offset    the first byte
     * @param length    the number of bytes
     * @param maxLength the declared maximum
     * @throws IllegalArgumentException when {@code length} exceeds {@code maxLength}
     */
    public void writeOpaque(byte[] data, int offset, int length, int maxLength) {
        Objects.checkFromIndexSize(offset, length, data.length);
        checkMax(length, maxLength, "opaque");
        ensure(4 + padded(length));
        buf.putInt(size, length);
        size += 4;
        buf.put(size, data, offset, length);
        size += length;
        pad(length);
    }

    /**
     * Appends the remaining bytes of {@code data} as variable-length opaque data (RFC 4506 section 4.10),
     * leaving {@code data}'s position unchanged.
     *
     * @param data      the bytes, from position to limit
     * @param maxLength the declared maximum
     * @throws IllegalArgumentException when {@code data} has more than {@code maxLength} bytes remaining
     */
    public void writeOpaque(ByteBuffer data, int maxLength) {
        int length = data.remaining();
        checkMax(length, maxLength, "opaque");
        ensure(4 + padded(length));
        buf.putInt(size, length);
        size += 4;
        buf.put(size, data, data.position(), length);
        size += length;
        pad(length);
    }

    /**
     * Appends a string (RFC 4506 section 4.11) as UTF-8, which is ASCII for ASCII strings. An unpaired
     * surrogate is written as {@code '?'}, as {@link String#getBytes(java.nio.charset.Charset)} does. Nothing
     * is allocated.
     *
     * @param value     the string
     * @param maxLength the declared maximum, in encoded bytes
     * @throws IllegalArgumentException when the encoding is longer than {@code maxLength}
     */
    public void writeString(String value, int maxLength) {
        int length = Utf8.encodedLength(value);
        checkMax(length, maxLength, "string");
        ensure(4 + padded(length));
        buf.putInt(size, length);
        size += 4;
        int end = Utf8.encode(value, buf, size);
        assert end == size + length;
        size = end;
        pad(length);
    }

    /**
     * Appends a fixed-length array (RFC 4506 section 4.12): the elements, no count.
     *
     * @param values the elements, exactly {@code length} of them
     * @param length the declared number of elements
     * @param writer encodes one element
     * @param <T>    the element type
     * @throws IllegalArgumentException when {@code values} does not have {@code length} elements
     */
    public <T> void writeFixedArray(List<? extends T> values, int length, XdrWriter<? super T> writer) {
        if (values.size() != length) {
            throw new IllegalArgumentException("fixed array needs exactly " + length + " elements, got "
                    + values.size());
        }
        writeElements(values, writer);
    }

    /**
     * Appends a variable-length array (RFC 4506 section 4.13): the count, then the elements.
     *
     * @param values    the elements
     * @param maxLength the declared maximum number of elements
     * @param writer    encodes one element
     * @param <T>       the element type
     * @throws IllegalArgumentException when there are more than {@code maxLength} elements
     */
    public <T> void writeArray(List<? extends T> values, int maxLength, XdrWriter<? super T> writer) {
        checkMax(values.size(), maxLength, "array");
        writeInt(values.size());
        writeElements(values, writer);
    }

    /**
     * Appends a variable-length array of signed integers (RFC 4506 section 4.13).
     *
     * @param values    the elements
     * @param maxLength the declared maximum number of elements
     * @throws IllegalArgumentException when there are more than {@code maxLength} elements
     */
    public void writeIntArray(int[] values, int maxLength) {
        checkMax(values.length, maxLength, "int array");
        ensure(4 + 4L * values.length);
        writeInt(values.length);
        for (int v : values) {
            writeInt(v);
        }
    }

    /**
     * Appends optional data (RFC 4506 section 4.19): {@code FALSE} for {@code null}, else {@code TRUE} and
     * the value.
     *
     * @param value  the value or {@code null}
     * @param writer encodes the value
     * @param <T>    the value type
     */
    public <T> void writeOptional(T value, XdrWriter<? super T> writer) {
        if (value == null) {
            writeBoolean(false);
        } else {
            writeBoolean(true);
            writer.write(this, value);
        }
    }

    /**
     * Appends {@code value} with {@code writer}.
     *
     * @param value  the value
     * @param writer encodes it
     * @param <T>    the value type
     */
    public <T> void write(T value, XdrWriter<? super T> writer) {
        writer.write(this, value);
    }

    /**
     * Appends {@code value} with its own {@link XdrAble#xdrEncode}.
     *
     * @param value the value
     */
    public void writeXdrAble(XdrAble value) {
        value.xdrEncode(this);
    }

    private <T> void writeElements(List<? extends T> values, XdrWriter<? super T> writer) {
        if (values instanceof RandomAccess) {
            for (int i = 0, n = values.size(); i < n; i++) {
                writer.write(this, values.get(i));
            }
        } else {
            for (Iterator<? extends T> it = values.iterator(); it.hasNext(); ) {
                writer.write(this, it.next());
            }
        }
    }

    private void pad(int length) {
        int pad = -length & 3;
        if (pad != 0) {
            // Reused buffers hold old bytes: padding must be written, not skipped (RFC 4506 section 3).
            buf.put(size, ZEROS, 0, pad);
            size += pad;
        }
    }

    private static long padded(int length) {
        return ((long) length + 3) & ~3L;
    }

    private static void checkMax(int length, int maxLength, String what) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must not be negative: " + maxLength);
        }
        if (length > maxLength) {
            throw new IllegalArgumentException(what + " of " + length + " exceeds its declared maximum " + maxLength);
        }
    }

    /** Makes room for {@code more} bytes after {@code size}, doubling the buffer up to the maximum. */
    private void ensure(long more) {
        long needed = size + more;
        int capacity = buf.capacity();
        if (needed > capacity) {
            if (needed > maxCapacity) {
                throw new IllegalStateException("XDR encoding needs " + needed + " bytes, more than this encoder's"
                        + " maximum of " + maxCapacity);
            }
            long grown = capacity;
            while (grown < needed) {
                grown *= 2;
            }
            ByteBuffer bigger = allocate((int) Math.min(grown, maxCapacity));
            bigger.put(0, buf, 0, size);
            buf = bigger;
        } else if (buf.limit() != capacity) {
            // toBuffer() set the limit to the size; absolute puts must reach the whole buffer again.
            buf.limit(capacity);
        }
    }

    private ByteBuffer allocate(int capacity) {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        return b.order(ByteOrder.BIG_ENDIAN);
    }
}
