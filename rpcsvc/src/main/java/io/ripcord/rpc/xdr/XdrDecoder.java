package io.ripcord.rpc.xdr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Reads XDR (RFC 4506) values in place from a {@link ByteBuffer}.
 *
 * <p>The decoder reads the buffer's bytes from its position to its limit and advances the buffer's position
 * past what it read. It reads big-endian (RFC 4506 section 4.1) whatever the buffer's {@link ByteOrder} and
 * never changes that order. It allocates nothing except the values it returns.
 *
 * <p><b>Limits before allocation.</b> Every variable length read from the wire is checked against the
 * maximum the XDR declaration gives ({@code opaque data<MAX>}) and against the bytes actually present, before
 * anything is allocated for it, so a peer that claims {@code 0x7fffffff} bytes costs nothing but an
 * {@link XdrException}. Arrays assume every element takes at least four bytes, which holds for every XDR type
 * but {@code void} (RFC 4506 section 4: all items are multiples of four bytes long).
 *
 * <p><b>Padding.</b> RFC 4506 section 3 says the residual bytes that pad opaque data and strings to a multiple
 * of four are zero. By default the decoder is lenient and skips them unread, as libtirpc's {@code xdr_opaque}
 * does, so a sloppy peer still interoperates; {@linkplain #XdrDecoder(ByteBuffer, boolean) strict padding}
 * rejects nonzero padding. The {@link XdrEncoder} always writes zeros.
 *
 * <p>After an {@link XdrException} the buffer's position is unspecified: discard the message.
 *
 * <p>Not thread-safe: one decoder serves one message at a time on one thread.
 */
public final class XdrDecoder {

    private ByteBuffer buf;
    private boolean swap;
    private final boolean strictPadding;

    /**
     * A decoder over {@code buffer}'s remaining bytes that skips padding unchecked.
     *
     * @param buffer the bytes to read, from position to limit
     */
    public XdrDecoder(ByteBuffer buffer) {
        this(buffer, false);
    }

    /**
     * A decoder over {@code buffer}'s remaining bytes.
     *
     * @param buffer        the bytes to read, from position to limit
     * @param strictPadding whether nonzero padding bytes are an {@link XdrException} rather than skipped
     */
    public XdrDecoder(ByteBuffer buffer, boolean strictPadding) {
        this.strictPadding = strictPadding;
        reset(buffer);
    }

    /**
     * Points this decoder at another buffer, so one decoder can serve message after message.
     *
     * @param buffer the bytes to read, from position to limit
     * @return this decoder
     */
    public XdrDecoder reset(ByteBuffer buffer) {
        this.buf = Objects.requireNonNull(buffer, "buffer");
        this.swap = buffer.order() != ByteOrder.BIG_ENDIAN;
        return this;
    }

    /** {@return whether nonzero padding is rejected} */
    public boolean strictPadding() {
        return strictPadding;
    }

    /** {@return the bytes left to read} */
    public int remaining() {
        return buf.remaining();
    }

    /** {@return whether any byte is left to read} */
    public boolean hasRemaining() {
        return buf.hasRemaining();
    }

    /**
     * Reads a signed 32-bit integer (RFC 4506 section 4.1).
     *
     * @return the value
     * @throws XdrException when fewer than four bytes remain
     */
    public int readInt() throws XdrException {
        need(4, "int");
        int v = buf.getInt();
        return swap ? Integer.reverseBytes(v) : v;
    }

    /**
     * Reads an unsigned 32-bit integer (RFC 4506 section 4.2).
     *
     * @return the value, {@code 0 .. 2^32-1}
     * @throws XdrException when fewer than four bytes remain
     */
    public long readUnsignedInt() throws XdrException {
        return readInt() & 0xFFFF_FFFFL;
    }

    /**
     * Reads an enumeration (RFC 4506 section 4.3), encoded as a signed integer. Whether the value is one of
     * the enumeration's is the caller's check: a {@code switch} whose default throws {@link XdrException}.
     *
     * @return the value
     * @throws XdrException when fewer than four bytes remain
     */
    public int readEnum() throws XdrException {
        return readInt();
    }

    /**
     * Reads a boolean (RFC 4506 section 4.4): the enumeration {@code FALSE = 0, TRUE = 1}.
     *
     * @return the value
     * @throws XdrException when fewer than four bytes remain or the value is neither 0 nor 1
     */
    public boolean readBoolean() throws XdrException {
        int v = readInt();
        if (v == 0) {
            return false;
        }
        if (v == 1) {
            return true;
        }
        throw new XdrException("bool must be 0 or 1, got " + v);
    }

    /**
     * Reads a signed 64-bit hyper integer (RFC 4506 section 4.5).
     *
     * @return the value
     * @throws XdrException when fewer than eight bytes remain
     */
    public long readHyper() throws XdrException {
        need(8, "hyper");
        long v = buf.getLong();
        return swap ? Long.reverseBytes(v) : v;
    }

    /**
     * Reads an unsigned 64-bit hyper integer (RFC 4506 section 4.5) into a {@code long} as its two's
     * complement bits: values of {@code 2^63} and more come back negative. Compare and print them with
     * {@link Long#compareUnsigned} and {@link Long#toUnsignedString(long)}.
     *
     * @return the value's 64 bits
     * @throws XdrException when fewer than eight bytes remain
     */
    public long readUnsignedHyper() throws XdrException {
        return readHyper();
    }

    /**
     * Reads an IEEE 754 single-precision float (RFC 4506 section 4.6).
     *
     * @return the value, NaN payloads preserved
     * @throws XdrException when fewer than four bytes remain
     */
    public float readFloat() throws XdrException {
        return Float.intBitsToFloat(readInt());
    }

    /**
     * Reads an IEEE 754 double-precision float (RFC 4506 section 4.7).
     *
     * @return the value, NaN payloads preserved
     * @throws XdrException when fewer than eight bytes remain
     */
    public double readDouble() throws XdrException {
        return Double.longBitsToDouble(readHyper());
    }

    /**
     * Reads fixed-length opaque data {@code opaque identifier[n]} (RFC 4506 section 4.9) and its padding.
     *
     * @param length the declared length {@code n}
     * @return a new array of {@code length} bytes
     * @throws XdrException when fewer than the padded length remain, or padding is nonzero in strict mode
     */
    public byte[] readFixedOpaque(int length) throws XdrException {
        checkDeclared(length, "length");
        needPadded(length, "fixed opaque");
        byte[] out = new byte[length];
        buf.get(out);
        skipPadding(length);
        return out;
    }

    /**
     * Reads fixed-length opaque data (RFC 4506 section 4.9) as a view of the decoder's buffer, without copying.
     *
     * @param length the declared length
     * @return a buffer sharing the bytes (position 0, limit {@code length}); valid as long as the source is
     * @throws XdrException when fewer than the padded length remain, or padding is nonzero in strict mode
     */
    public ByteBuffer readFixedOpaqueAsBuffer(int length) throws XdrException {
        checkDeclared(length, "length");
        needPadded(length, "fixed opaque");
        return sliceAndSkip(length);
    }

    /**
     * Reads variable-length opaque data {@code opaque identifier<m>} (RFC 4506 section 4.10).
     *
     * @param maxLength the declared maximum {@code m}; use {@link Integer#MAX_VALUE} for {@code opaque<>}
     * @return a new array holding the data
     * @throws XdrException when the length exceeds {@code maxLength} or the bytes present, or padding is
     *                      nonzero in strict mode
     */
    public byte[] readOpaque(int maxLength) throws XdrException {
        int length = readLength(maxLength, "opaque");
        byte[] out = new byte[length];
        buf.get(out);
        skipPadding(length);
        return out;
    }

    /**
     * Reads variable-length opaque data (RFC 4506 section 4.10) as a view of the decoder's buffer, without
     * copying: the way to take a large payload (a file block, a nested message) out of a request.
     *
     * @param maxLength the declared maximum; use {@link Integer#MAX_VALUE} for {@code opaque<>}
     * @return a buffer sharing the bytes (position 0, limit the length); valid as long as the source is
     * @throws XdrException when the length exceeds {@code maxLength} or the bytes present, or padding is
     *                      nonzero in strict mode
     */
    public ByteBuffer readOpaqueAsBuffer(int maxLength) throws XdrException {
        return sliceAndSkip(readLength(maxLength, "opaque"));
    }

    /**
     * Reads a string {@code string identifier<m>} (RFC 4506 section 4.11). The RFC's strings are ASCII; the
     * bytes are decoded as UTF-8, ASCII's superset that GlusterFS and NFS put in paths and names, and a
     * malformed sequence becomes U+FFFD rather than an error. The maximum counts bytes, not characters.
     *
     * @param maxLength the declared maximum in bytes; use {@link Integer#MAX_VALUE} for {@code string<>}
     * @return the string
     * @throws XdrException when the length exceeds {@code maxLength} or the bytes present, or padding is
     *                      nonzero in strict mode
     */
    public String readString(int maxLength) throws XdrException {
        int length = readLength(maxLength, "string");
        String s;
        if (buf.hasArray()) {
            s = new String(buf.array(), buf.arrayOffset() + buf.position(), length, StandardCharsets.UTF_8);
            buf.position(buf.position() + length);
        } else {
            byte[] bytes = new byte[length];
            buf.get(bytes);
            s = new String(bytes, StandardCharsets.UTF_8);
        }
        skipPadding(length);
        return s;
    }

    /**
     * Reads a fixed-length array {@code type-name identifier[n]} (RFC 4506 section 4.12).
     *
     * @param length the declared number of elements {@code n}
     * @param reader decodes one element
     * @param <T>    the element type
     * @return an unmodifiable list of the elements
     * @throws XdrException when the elements cannot all be present or do not decode
     */
    public <T> List<T> readFixedArray(int length, XdrReader<? extends T> reader) throws XdrException {
        checkDeclared(length, "length");
        Objects.requireNonNull(reader, "reader");
        checkElements(length, "fixed array");
        return readElements(length, reader);
    }

    /**
     * Reads a variable-length array {@code type-name identifier<m>} (RFC 4506 section 4.13).
     *
     * @param maxLength the declared maximum number of elements {@code m}
     * @param reader    decodes one element
     * @param <T>       the element type
     * @return an unmodifiable list of the elements
     * @throws XdrException when the count exceeds {@code maxLength}, the elements cannot all be present, or
     *                      one does not decode
     */
    public <T> List<T> readArray(int maxLength, XdrReader<? extends T> reader) throws XdrException {
        checkDeclared(maxLength, "maxLength");
        Objects.requireNonNull(reader, "reader");
        int count = readCount(maxLength, "array");
        return readElements(count, reader);
    }

    /**
     * Reads a variable-length array of signed integers {@code int identifier<m>} (RFC 4506 section 4.13)
     * into a primitive array, as AUTH_SYS's group list needs.
     *
     * @param maxLength the declared maximum number of elements
     * @return the elements
     * @throws XdrException when the count exceeds {@code maxLength} or the elements present
     */
    public int[] readIntArray(int maxLength) throws XdrException {
        checkDeclared(maxLength, "maxLength");
        int count = readCount(maxLength, "int array");
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = readInt();
        }
        return out;
    }

    /**
     * Reads optional data {@code type-name *identifier} (RFC 4506 section 4.19): a boolean, then the value if
     * it is {@code TRUE}.
     *
     * @param reader decodes the value
     * @param <T>    the value type
     * @return the value, or {@code null} when absent
     * @throws XdrException when the discriminant is not a boolean or the value does not decode
     */
    public <T> T readOptional(XdrReader<? extends T> reader) throws XdrException {
        Objects.requireNonNull(reader, "reader");
        return readBoolean() ? reader.read(this) : null;
    }

    /**
     * Reads one value with {@code reader}: a structure, union or typedef with its own decoding.
     *
     * @param reader decodes the value
     * @param <T>    the value type
     * @return the value
     * @throws XdrException when the value does not decode
     */
    public <T> T read(XdrReader<? extends T> reader) throws XdrException {
        return reader.read(this);
    }

    /**
     * Decodes into {@code target} with its {@link XdrAble#xdrDecode}.
     *
     * @param target the object to fill
     * @param <T>    its type
     * @return {@code target}
     * @throws XdrException when the value does not decode
     */
    public <T extends XdrAble> T readXdrAble(T target) throws XdrException {
        target.xdrDecode(this);
        return target;
    }

    private <T> List<T> readElements(int count, XdrReader<? extends T> reader) throws XdrException {
        if (count == 0) {
            return Collections.emptyList();
        }
        List<T> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(reader.read(this));
        }
        return Collections.unmodifiableList(out);
    }

    /** Reads a byte length and checks it, and its padding, against the maximum and the bytes present. */
    private int readLength(int maxLength, String what) throws XdrException {
        checkDeclared(maxLength, "maxLength");
        long length = readUnsignedInt();
        if (length > maxLength) {
            throw new XdrException(what + " length " + length + " exceeds its declared maximum " + maxLength);
        }
        needPadded((int) length, what);
        return (int) length;
    }

    /** Reads an element count and checks it against the maximum and the bytes present. */
    private int readCount(int maxLength, String what) throws XdrException {
        long count = readUnsignedInt();
        if (count > maxLength) {
            throw new XdrException(what + " of " + count + " elements exceeds its declared maximum " + maxLength);
        }
        checkElements((int) count, what);
        return (int) count;
    }

    private void checkElements(int count, String what) throws XdrException {
        // Every XDR type but void takes at least four bytes (RFC 4506 section 4), so this bounds the list.
        if (4L * count > buf.remaining()) {
            throw new XdrException(what + " of " + count + " elements needs at least " + 4L * count
                    + " bytes but only " + buf.remaining() + " remain");
        }
    }

    private void need(int bytes, String what) throws XdrException {
        if (buf.remaining() < bytes) {
            throw new XdrException(what + " needs " + bytes + " bytes but only " + buf.remaining() + " remain");
        }
    }

    private void needPadded(int length, String what) throws XdrException {
        long padded = ((long) length + 3) & ~3L;
        if (padded > buf.remaining()) {
            throw new XdrException(what + " of " + length + " bytes needs " + padded + " with padding but only "
                    + buf.remaining() + " remain");
        }
    }

    private ByteBuffer sliceAndSkip(int length) throws XdrException {
        int p = buf.position();
        ByteBuffer view = buf.slice(p, length).order(ByteOrder.BIG_ENDIAN);
        buf.position(p + length);
        skipPadding(length);
        return view;
    }

    /** Skips the 0..3 bytes that pad {@code length} to a multiple of four; the caller checked they exist. */
    private void skipPadding(int length) throws XdrException {
        int pad = -length & 3;
        if (pad == 0) {
            return;
        }
        int p = buf.position();
        if (strictPadding) {
            for (int i = 0; i < pad; i++) {
                if (buf.get(p + i) != 0) {
                    throw new XdrException("nonzero padding byte at offset " + (p + i)
                            + " (RFC 4506 section 3 requires zeros)");
                }
            }
        }
        buf.position(p + pad);
    }

    private static void checkDeclared(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
