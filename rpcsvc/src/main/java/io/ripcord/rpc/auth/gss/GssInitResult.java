package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The result of a context creation call, {@code rpc_gss_init_res} (RFC 2203 section 5.2.3.1):
 * <pre>
 * struct rpc_gss_init_res { opaque handle&lt;&gt;; unsigned int gss_major; unsigned int gss_minor;
 *                           unsigned int seq_window; opaque gss_token&lt;&gt;; };
 * </pre>
 *
 * @param handle    the context handle the client puts in its next credentials; empty when creation failed
 * @param gssMajor  the GSS-API major status in the C bindings' encoding ({@link GssMajor})
 * @param gssMinor  the mechanism's minor status
 * @param seqWindow the server's sequence window, meaningful once {@code gssMajor} is {@link GssMajor#COMPLETE}
 * @param gssToken  the token for the client's next {@code GSS_Init_sec_context}, possibly empty
 */
public record GssInitResult(byte[] handle, int gssMajor, int gssMinor, int seqWindow, byte[] gssToken) {

    /**
     * Checks the components; the arrays are kept as given, not copied.
     *
     * @param handle    the context handle, at most {@link GssCredential#MAX_HANDLE} bytes
     * @param gssMajor  the GSS-API major status
     * @param gssMinor  the mechanism's minor status
     * @param seqWindow the server's sequence window
     * @param gssToken  the token for the client, possibly empty
     * @throws NullPointerException     when {@code handle} or {@code gssToken} is null
     * @throws IllegalArgumentException when the handle is longer than a credential can carry
     */
    public GssInitResult {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(gssToken, "gssToken");
        if (handle.length > GssCredential.MAX_HANDLE) {
            throw new IllegalArgumentException("handle of " + handle.length + " bytes exceeds "
                    + GssCredential.MAX_HANDLE);
        }
    }

    /**
     * Decodes a result; the token is bounded before anything is allocated for it.
     *
     * @param d            positioned at the result
     * @param maxTokenSize the longest token accepted
     * @return the result
     * @throws XdrException when the bytes do not decode, the handle is longer than a credential can carry or the
     *                      token longer than {@code maxTokenSize}
     */
    public static GssInitResult decode(XdrDecoder d, int maxTokenSize) throws XdrException {
        byte[] handle = d.readOpaque(GssCredential.MAX_HANDLE);
        int major = d.readInt();
        int minor = d.readInt();
        int window = d.readInt();
        byte[] token = d.readOpaque(maxTokenSize);
        return new GssInitResult(handle, major, minor, window, token);
    }

    /**
     * Appends this result.
     *
     * @param out the destination
     */
    public void encode(XdrEncoder out) {
        out.writeOpaque(handle, GssCredential.MAX_HANDLE);
        out.writeInt(gssMajor);
        out.writeInt(gssMinor);
        out.writeInt(seqWindow);
        out.writeOpaque(gssToken, Integer.MAX_VALUE);
    }

    /** {@return whether the context is established} */
    public boolean complete() {
        return gssMajor == GssMajor.COMPLETE;
    }

    /** {@return whether the server waits for another CONTINUE_INIT round} */
    public boolean continueNeeded() {
        return gssMajor == GssMajor.CONTINUE_NEEDED;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GssInitResult r && gssMajor == r.gssMajor && gssMinor == r.gssMinor
                && seqWindow == r.seqWindow && Arrays.equals(handle, r.handle) && Arrays.equals(gssToken, r.gssToken);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(handle), gssMajor, gssMinor, seqWindow, Arrays.hashCode(gssToken));
    }

    @Override
    public String toString() {
        return "GssInitResult[handle " + HexFormat.of().formatHex(handle) + " major " + GssMajor.name(gssMajor)
                + " minor " + gssMinor + " window " + seqWindow + " token " + gssToken.length + " bytes]";
    }
}
