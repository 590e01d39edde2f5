package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.MessageProp;

/**
 * The per-message protections of RFC 2203 section 5.3.2, the same for arguments (client to server) and results
 * (server to client): pure functions of a context, a service, a sequence number and bytes.
 * <pre>
 * struct rpc_gss_data_t  { unsigned int seq_num; proc_req_arg_t arg; };      the protected plaintext
 * struct rpc_gss_integ_data { opaque databody_integ&lt;&gt;; opaque checksum&lt;&gt;; }  integrity: plaintext, MIC of it
 * struct rpc_gss_priv_data  { opaque databody_priv&lt;&gt;; }                       privacy: GSS_Wrap of it, sealed
 * </pre>
 * JGSS takes and returns arrays, so each protected message costs the copies JGSS makes; the unprotected body
 * is handed back as a view, never copied again.
 */
final class GssProtection {

    /**
     * The longest checksum accepted in {@code rpc_gss_integ_data}: the same MIC tokens travel in verifiers,
     * whose bodies are at most 400 bytes (RFC 5531 section 8.2); a Kerberos MIC token is 28 to 60 bytes.
     */
    static final int MAX_CHECKSUM = AuthFlavor.MAX_BODY;

    private static final int QOP_DEFAULT = 0;

    private GssProtection() {
    }

    /** Bytes that do not unprotect: a bad checksum or seal, a missing seal, a wrong sequence number. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    /**
     * Appends {@code body} protected by {@code service}: as it is for {@link GssService#NONE}, else as
     * {@code rpc_gss_integ_data} or {@code rpc_gss_priv_data} around {@code seq} and the body.
     *
     * @param body the XDR-encoded arguments or results, from position to limit; left unchanged
     * @throws GSSException when the context cannot sign or seal
     */
    static void protect(GSSContext context, GssService service, int seq, ByteBuffer body, XdrEncoder out)
            throws GSSException {
        if (service == GssService.NONE) {
            out.writeFixedOpaque(body);
            return;
        }
        byte[] data = new byte[4 + body.remaining()];
        ByteBuffer.wrap(data).putInt(seq).put(body.duplicate());
        if (service == GssService.INTEGRITY) {
            byte[] checksum = mic(context, data, 0, data.length);
            out.writeOpaque(data, Integer.MAX_VALUE);
            out.writeOpaque(checksum, MAX_CHECKSUM);
        } else {
            byte[] sealed = context.wrap(data, 0, data.length, new MessageProp(QOP_DEFAULT, true));
            out.writeOpaque(sealed, Integer.MAX_VALUE);
        }
    }

    /**
     * Reads what {@link #protect} wrote, checks it and its sequence number, and returns the body.
     *
     * @param in          the protected bytes, exactly (nothing may follow them); its position is advanced
     * @param expectedSeq the sequence number the body must carry: the call's
     * @return the body: a view of {@code in} for NONE and INTEGRITY, of the unsealed copy for PRIVACY
     * @throws Failure when the bytes do not decode, the checksum or seal does not verify, a privacy body is not
     *                 sealed, or the sequence number inside differs
     */
    static ByteBuffer unprotect(GSSContext context, GssService service, int expectedSeq, ByteBuffer in)
            throws Failure {
        if (service == GssService.NONE) {
            ByteBuffer body = in.slice();
            in.position(in.limit());
            return body;
        }
        try {
            XdrDecoder d = new XdrDecoder(in);
            ByteBuffer data;
            if (service == GssService.INTEGRITY) {
                data = d.readOpaqueAsBuffer(Integer.MAX_VALUE);
                byte[] checksum = d.readOpaque(MAX_CHECKSUM);
                requireEnd(d);
                MessageProp prop = new MessageProp(QOP_DEFAULT, false);
                if (data.hasArray()) {
                    context.verifyMIC(checksum, 0, checksum.length, data.array(), data.arrayOffset(), data.remaining(),
                            prop);
                } else {
                    byte[] copy = new byte[data.remaining()];
                    data.duplicate().get(copy);
                    context.verifyMIC(checksum, 0, checksum.length, copy, 0, copy.length, prop);
                }
            } else {
                ByteBuffer sealed = d.readOpaqueAsBuffer(Integer.MAX_VALUE);
                requireEnd(d);
                MessageProp prop = new MessageProp(QOP_DEFAULT, true);
                byte[] plain = sealed.hasArray()
                        ? context.unwrap(sealed.array(), sealed.arrayOffset(), sealed.remaining(), prop)
                        : context.unwrap(copy(sealed), 0, sealed.remaining(), prop);
                if (!prop.getPrivacy()) {
                    throw new Failure("privacy service but the body is not sealed (GSS_Wrap without confidentiality)",
                            null);
                }
                data = ByteBuffer.wrap(plain);
            }
            if (data.remaining() < 4) {
                throw new Failure("protected body of " + data.remaining() + " bytes has no sequence number", null);
            }
            int seq = data.getInt(data.position());
            if (seq != expectedSeq) {
                throw new Failure("sequence number " + Integer.toUnsignedString(seq) + " inside the protected body,"
                        + " " + Integer.toUnsignedString(expectedSeq) + " in the credential", null);
            }
            return data.position(data.position() + 4).slice();
        } catch (XdrException e) {
            throw new Failure("protected body does not decode: " + e.getMessage(), e);
        } catch (GSSException e) {
            throw new Failure((service == GssService.INTEGRITY ? "checksum" : "seal") + " does not verify: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The MIC of a sequence number or window as a 4-byte XDR unsigned int: a reply verifier (RFC 2203 sections
     * 5.2.3.1 and 5.3.3.2).
     */
    static byte[] micOfInt(GSSContext context, int value) throws GSSException {
        return mic(context, xdrInt(value), 0, 4);
    }

    /** The MIC, QOP 0, of {@code message[offset .. offset+length)}. */
    static byte[] mic(GSSContext context, byte[] message, int offset, int length) throws GSSException {
        return context.getMIC(message, offset, length, new MessageProp(QOP_DEFAULT, false));
    }

    /** Verifies a MIC of a 4-byte XDR unsigned int. */
    static void verifyMicOfInt(GSSContext context, int value, ByteBuffer mic) throws GSSException {
        verifyMic(context, mic, xdrInt(value), 0, 4);
    }

    /** Verifies a MIC over {@code message[offset .. offset+length)}; JGSS says why when it does not match. */
    static void verifyMic(GSSContext context, ByteBuffer mic, byte[] message, int offset, int length)
            throws GSSException {
        byte[] token = copy(mic);
        context.verifyMIC(token, 0, token.length, message, offset, length, new MessageProp(QOP_DEFAULT, false));
    }

    private static byte[] xdrInt(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    /** The remaining bytes of {@code b} in a new array; {@code b} is left unchanged. */
    static byte[] copy(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static void requireEnd(XdrDecoder d) throws Failure {
        if (d.hasRemaining()) {
            throw new Failure(d.remaining() + " bytes after the protected body", null);
        }
    }
}
