package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.AuthFlavor;
import java.util.Objects;

/**
 * The server's answer to a context creation call: the {@code rpc_gss_init_res} results of the NULL procedure
 * and the reply verifier (RFC 2203 section 5.2.3.1). When creation completes the verifier is RPCSEC_GSS with the
 * MIC of the sequence window; otherwise it is AUTH_NONE with an empty body.
 *
 * @param result       the results to encode after MSG_ACCEPTED / SUCCESS
 * @param verifierBody the MIC of the window, or an empty array for an AUTH_NONE verifier
 */
public record GssInitReply(GssInitResult result, byte[] verifierBody) {

    /**
     * Checks that both components are present.
     *
     * @param result       the results to encode
     * @param verifierBody the MIC of the window, or empty
     * @throws NullPointerException when a component is null
     */
    public GssInitReply {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(verifierBody, "verifierBody");
    }

    /** {@return the flavor of the reply verifier: RPCSEC_GSS once the context is complete, else AUTH_NONE} */
    public int verifierFlavor() {
        return verifierBody.length == 0 ? AuthFlavor.AUTH_NONE : AuthFlavor.RPCSEC_GSS;
    }
}
