package io.ripcord.rpc.xdr;

/**
 * A type that encodes and decodes itself in XDR (RFC 4506), as {@code org.dcache.oncrpc4j.xdr.XdrAble} does:
 * a mutable object whose {@link #xdrDecode} fills its fields.
 *
 * <p>Immutable types can instead offer a static {@link XdrReader} (for example
 * {@code static Foo decode(XdrDecoder d)}) and use {@link XdrDecoder#read(XdrReader)}. Discriminated unions
 * (RFC 4506 section 4.15) are written by hand: read the discriminant, then switch on it, and throw
 * {@link XdrException} for a discriminant the declaration has no arm for.
 */
public interface XdrAble {

    /**
     * Appends this value's encoding.
     *
     * @param encoder the destination
     * @throws IllegalArgumentException when a field violates a limit of the XDR declaration
     */
    void xdrEncode(XdrEncoder encoder);

    /**
     * Replaces this value's fields with those decoded at the decoder's position.
     *
     * @param decoder the source
     * @throws XdrException when the bytes are not a valid encoding of this type
     */
    void xdrDecode(XdrDecoder decoder) throws XdrException;
}
