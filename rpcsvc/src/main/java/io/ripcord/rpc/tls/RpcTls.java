package io.ripcord.rpc.tls;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.xdr.XdrEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.ssl.SSLContext;

/**
 * The wire constants of RPC-with-TLS (RFC 9289), named once. The flavor itself is {@link AuthFlavor#AUTH_TLS}.
 */
public final class RpcTls {

    /** The ALPN protocol identifier both sides offer and must agree on (RFC 9289 sections 5 and 7.2). */
    public static final String ALPN = "sunrpc";

    /** The only TLS version RPC-with-TLS may negotiate: "MUST NOT negotiate TLS versions prior to v1.3" (section 5). */
    public static final String TLS_1_3 = "TLSv1.3";

    /** The body of the AUTH_NONE verifier with which a server accepts the probe (section 4.1): eight ASCII bytes. */
    private static final byte[] STARTTLS = "STARTTLS".getBytes(StandardCharsets.US_ASCII);

    private RpcTls() {
    }

    /**
     * The body of the verifier with which a server accepts the AUTH_TLS probe, for tests and other
     * implementations.
     *
     * @return a new copy of the eight ASCII bytes {@code STARTTLS}
     */
    public static byte[] startTlsToken() {
        return STARTTLS.clone();
    }

    /** @throws IllegalArgumentException if {@code context} cannot negotiate TLS 1.3 (RFC 9289 section 5) */
    static void requireTls13(SSLContext context) {
        if (!Arrays.asList(context.getSupportedSSLParameters().getProtocols()).contains(TLS_1_3)) {
            throw new IllegalArgumentException("RPC-with-TLS needs TLS 1.3 (RFC 9289 section 5); the " + context.getProtocol()
                    + " context of " + context.getProvider().getName() + " does not support it");
        }
    }

    /** Whether a reply's verifier is the STARTTLS answer: flavor AUTH_NONE, body exactly {@code STARTTLS}. */
    static boolean isStartTls(int verifierFlavor, ByteBuffer verifierBody) {
        return verifierFlavor == AuthFlavor.AUTH_NONE && verifierBody.remaining() == STARTTLS.length
                && verifierBody.equals(ByteBuffer.wrap(STARTTLS));
    }

    /** Writes the STARTTLS verifier: {@code opaque_auth} with flavor AUTH_NONE and the eight bytes as its body. */
    static void writeStartTlsVerifier(XdrEncoder out) {
        out.writeInt(AuthFlavor.AUTH_NONE);
        out.writeOpaque(STARTTLS, STARTTLS.length);
    }
}
