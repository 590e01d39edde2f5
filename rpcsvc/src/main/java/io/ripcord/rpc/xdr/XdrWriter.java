package io.ripcord.rpc.xdr;

/**
 * Encodes one value of type {@code T}: the counterpart of {@link XdrReader} for arrays and optional data of
 * types that are not themselves {@link XdrAble}.
 *
 * @param <T> the encoded type
 */
@FunctionalInterface
public interface XdrWriter<T> {

    /**
     * Appends {@code value} to the encoder.
     *
     * @param encoder the destination
     * @param value   the value to encode
     * @throws IllegalArgumentException when the value violates a limit of its XDR declaration
     */
    void write(XdrEncoder encoder, T value);
}
