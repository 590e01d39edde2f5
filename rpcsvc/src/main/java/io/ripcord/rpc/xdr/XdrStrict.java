package io.ripcord.rpc.xdr;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * The stricter reads and writes that code generated from {@code .x} files (ripcord-xdrgen) uses where
 * {@link XdrDecoder} is lenient or has no primitive. Each keeps a decoded value equal to what its canonical
 * re-encoding would decode to, so a value read from the wire and written back gives the same bytes:
 *
 * <ul>
 * <li>strings (RFC 4506 section 4.11) must be well-formed UTF-8 without NUL: {@link XdrDecoder#readString}
 * replaces malformed bytes with U+FFFD (and so writes back other bytes), and C's {@code xdr_string} stops at
 * the first NUL when it encodes;</li>
 * <li>C's narrow integers ({@code char}, {@code short} and their unsigned forms, RFC 4506 leaves them out,
 * rpcgen encodes them as a 4-byte integer) must fit their C type, where C would silently truncate;</li>
 * <li>fixed-length opaque data must have exactly its declared length.</li>
 * </ul>
 *
 * <p>Stateless; any thread.
 */
public final class XdrStrict {

    private XdrStrict() {
    }

    /**
     * Reads a string that must be well-formed UTF-8 and hold no NUL byte.
     *
     * @param decoder   the source
     * @param maxLength the declared maximum in bytes; {@link Integer#MAX_VALUE} for {@code string<>}
     * @return the string
     * @throws XdrException when the length exceeds the maximum or the bytes present, or the bytes are not
     *                      well-formed UTF-8, or hold a NUL
     */
    public static String readString(XdrDecoder decoder, int maxLength) throws XdrException {
        ByteBuffer bytes = decoder.readOpaqueAsBuffer(maxLength);
        int length = bytes.remaining();
        boolean ascii = true;
        for (int i = 0; i < length; i++) {
            byte b = bytes.get(i);
            if (b == 0) {
                throw new XdrException("string holds a NUL byte at offset " + i + " of " + length);
            }
            if (b < 0) {
                ascii = false;
            }
        }
        if (ascii) {
            if (bytes.hasArray()) {
                return new String(bytes.array(), bytes.arrayOffset(), length, StandardCharsets.ISO_8859_1);
            }
            byte[] copy = new byte[length];
            bytes.get(0, copy);
            return new String(copy, StandardCharsets.ISO_8859_1);
        }
        try {
            // newDecoder() reports malformed input rather than replacing it.
            return StandardCharsets.UTF_8.newDecoder().decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new XdrException("string of " + length + " bytes is not well-formed UTF-8");
        }
    }

    /**
     * Writes a string as UTF-8 after checking it holds no NUL and no unpaired surrogate (which
     * {@link XdrEncoder#writeString} would write as {@code '?'}).
     *
     * @param encoder   the destination
     * @param value     the string
     * @param maxLength the declared maximum in bytes
     * @throws IllegalArgumentException when the string holds a NUL or an unpaired surrogate, or is too long
     */
    public static void writeString(XdrEncoder encoder, String value, int maxLength) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException("string holds a NUL at index " + i);
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException("string holds an unpaired surrogate at index " + i);
                }
            }
        }
        encoder.writeString(value, maxLength);
    }

    /**
     * Reads a 4-byte integer that must lie in {@code min..max}: how rpcgen encodes C's {@code char},
     * {@code short} and their unsigned forms.
     *
     * @param decoder the source
     * @param min     the smallest value of the C type
     * @param max     the largest value of the C type
     * @param type    the C type, for the message
     * @return the value
     * @throws XdrException when fewer than four bytes remain or the value is out of range
     */
    public static int readRange(XdrDecoder decoder, int min, int max, String type) throws XdrException {
        int v = decoder.readInt();
        if (v < min || v > max) {
            throw new XdrException(type + " out of range " + min + ".." + max + ": " + v);
        }
        return v;
    }

    /**
     * Writes a 4-byte integer that must lie in {@code min..max}.
     *
     * @param encoder the destination
     * @param value   the value
     * @param min     the smallest value of the C type
     * @param max     the largest value of the C type
     * @param type    the C type, for the message
     * @throws IllegalArgumentException when the value is out of range
     */
    public static void writeRange(XdrEncoder encoder, int value, int min, int max, String type) {
        checkRange(value, min, max, type);
        encoder.writeInt(value);
    }

    /**
     * Checks a value of a C narrow integer type.
     *
     * @param value the value
     * @param min   the smallest value of the C type
     * @param max   the largest value of the C type
     * @param type  the C type, for the message
     * @return the value
     * @throws IllegalArgumentException when the value is out of range
     */
    public static int checkRange(int value, int min, int max, String type) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(type + " out of range " + min + ".." + max + ": " + value);
        }
        return value;
    }

    /**
     * Checks an unsigned 32-bit value held in a {@code long}.
     *
     * @param value the value
     * @param what  what it is, for the message
     * @return the value
     * @throws IllegalArgumentException when it is outside {@code 0..2^32-1}
     */
    public static long checkUnsignedInt(long value, String what) {
        if ((value >>> 32) != 0) {
            throw new IllegalArgumentException(what + " must be an unsigned int 0..4294967295, got " + value);
        }
        return value;
    }

    /**
     * Writes fixed-length opaque data (RFC 4506 section 4.9) after checking its length.
     *
     * @param encoder the destination
     * @param data    the bytes
     * @param length  the declared length
     * @throws IllegalArgumentException when {@code data} is not exactly {@code length} bytes
     */
    public static void writeFixedOpaque(XdrEncoder encoder, byte[] data, int length) {
        checkLength(data.length, length, "fixed opaque");
        encoder.writeFixedOpaque(data);
    }

    /**
     * Checks the size of a fixed-length item.
     *
     * @param actual   the size the value has
     * @param declared the size the declaration gives
     * @param what     what it is, for the message
     * @throws IllegalArgumentException when they differ
     */
    public static void checkLength(int actual, int declared, String what) {
        if (actual != declared) {
            throw new IllegalArgumentException(what + " needs exactly " + declared + " elements or bytes, got "
                    + actual);
        }
    }

    /**
     * Checks the size of a variable-length item against its declared maximum.
     *
     * @param actual  the size the value has
     * @param maximum the declared maximum
     * @param what    what it is, for the message
     * @throws IllegalArgumentException when the size exceeds the maximum
     */
    public static void checkMaximum(int actual, int maximum, String what) {
        if (actual > maximum) {
            throw new IllegalArgumentException(what + " of " + actual + " exceeds its declared maximum " + maximum);
        }
    }
}
