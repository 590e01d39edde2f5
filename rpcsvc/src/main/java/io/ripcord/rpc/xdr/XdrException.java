package io.ripcord.rpc.xdr;

import java.io.IOException;

/**
 * Bytes that do not decode as the XDR type expected (RFC 4506): a length over its declared maximum or over
 * the bytes present, a boolean other than 0 or 1, nonzero padding when padding is checked, an unknown union
 * discriminant.
 *
 * <p>It is checked so that every decoding path must decide what a malformed message means; the RPC layer
 * answers a call whose arguments throw it with {@code GARBAGE_ARGS} (RFC 5531 section 9). It extends
 * {@link IOException} because malformed input is an input problem, as {@code FrameException} is for framing.
 */
public final class XdrException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong with the bytes, for the log of whoever receives them
     */
    public XdrException(String message) {
        super(message);
    }
}
