package io.ripcord.rpc.xdr;

/**
 * Decodes one value of type {@code T}: how user code reads structures, arrays and discriminated unions.
 *
 * <p>Typically a static factory or a constructor reference ({@code KvKey::decode}); a non-capturing lambda
 * or method reference costs no allocation per call.
 *
 * @param <T> the decoded type
 */
@FunctionalInterface
public interface XdrReader<T> {

    /**
     * Reads one value from the decoder's current position.
     *
     * @param decoder the source, positioned at the value
     * @return the value read
     * @throws XdrException when the bytes are not a valid encoding of {@code T}
     */
    T read(XdrDecoder decoder) throws XdrException;
}
