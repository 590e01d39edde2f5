package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.xdr.XdrEncoder;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An established RPCSEC_GSS context on the client: what every DATA call needs (RFC 2203 section 5.3). For one
 * call, in order:
 * <ol>
 *   <li>{@link #nextSequence()}, then {@link #credential(GssProc, int)} into the call header;</li>
 *   <li>{@link #headerVerifier(ByteBuffer)} over the header's bytes from the xid through the credential: the
 *       verifier's body, flavor RPCSEC_GSS;</li>
 *   <li>{@link #wrapArguments} for the arguments;</li>
 *   <li>on the reply: {@link #checkReplyVerifier}, then {@link #unwrapResults}.</li>
 * </ol>
 *
 * <p><b>Threads.</b> Any thread, concurrently: sequence numbers come from an atomic counter and the JDK's
 * Kerberos mechanism locks only its own counters. Nothing here blocks.
 */
public final class GssClientContext {

    private static final Logger LOG = LoggerFactory.getLogger(GssClientContext.class);

    private final GSSContext gss;
    private final byte[] handle;
    private final int window;
    private final GssService service;
    private final String target;
    private final AtomicLong sequence = new AtomicLong();

    GssClientContext(GSSContext gss, byte[] handle, int window, GssService service, String target) {
        this.gss = gss;
        this.handle = handle;
        this.window = window;
        this.service = service;
        this.target = target;
    }

    /** {@return the protection of this context's calls} */
    public GssService service() {
        return service;
    }

    /** {@return the server's sequence window: at most this many calls may be outstanding} */
    public int window() {
        return window;
    }

    /** {@return the server's handle, a copy} */
    public byte[] handle() {
        return handle.clone();
    }

    /**
     * The next call's sequence number, from 1 up. A retransmitted call takes a new one too (RFC 2203 section
     * 5.3.3.1).
     *
     * @return the number
     * @throws RpcGssException when the numbers are used up (MAXSEQ): establish a new context
     */
    public int nextSequence() throws RpcGssException {
        long seq = sequence.incrementAndGet();
        if (seq >= RpcGss.MAXSEQ) {
            throw new RpcGssException("context for " + target + " has used every sequence number: establish a new"
                    + " one");
        }
        return (int) seq;
    }

    /**
     * The credential of one call on this context.
     *
     * @param proc {@link GssProc#DATA}, or {@link GssProc#DESTROY} for the NULL call that ends the context
     * @param seq  the call's sequence number
     * @return the call's credential
     */
    public GssCredential credential(GssProc proc, int seq) {
        return new GssCredential(proc, Integer.toUnsignedLong(seq), service, handle);
    }

    /**
     * The call verifier's body: the MIC of the header (RFC 2203 section 5.3.1).
     *
     * @param header the call's bytes from the xid through the end of the credential; left unchanged
     * @return the MIC
     * @throws RpcGssException when the mechanism cannot sign (the context expired)
     */
    public byte[] headerVerifier(ByteBuffer header) throws RpcGssException {
        byte[] bytes = GssProtection.copy(header);
        try {
            return GssProtection.mic(gss, bytes, 0, bytes.length);
        } catch (GSSException e) {
            throw new RpcGssException(KerberosErrors.explain("signing a call to " + target, e), e);
        }
    }

    /**
     * Appends a call's arguments, protected by this context's service.
     *
     * @param seq       the call's sequence number
     * @param arguments the procedure's XDR arguments, from position to limit; left unchanged
     * @param out       the call being built, positioned after the verifier
     * @throws RpcGssException when the mechanism cannot sign or seal
     */
    public void wrapArguments(int seq, ByteBuffer arguments, XdrEncoder out) throws RpcGssException {
        try {
            GssProtection.protect(gss, service, seq, arguments, out);
        } catch (GSSException e) {
            throw new RpcGssException(KerberosErrors.explain("protecting a call to " + target, e), e);
        }
    }

    /**
     * Checks a reply's verifier: RPCSEC_GSS with the MIC of the call's sequence number (RFC 2203 section
     * 5.3.3.2).
     *
     * @param seq            the call's sequence number
     * @param verifierFlavor the reply verifier's flavor
     * @param verifierBody   its body; left unchanged
     * @throws RpcGssException when it is not: the reply is not from the server that holds the context, or was
     *                         altered
     */
    public void checkReplyVerifier(int seq, int verifierFlavor, ByteBuffer verifierBody) throws RpcGssException {
        if (verifierFlavor != AuthFlavor.RPCSEC_GSS) {
            throw new RpcGssException("reply from " + target + " with a verifier of flavor " + verifierFlavor
                    + ", not RPCSEC_GSS: not from the server holding the context");
        }
        try {
            GssProtection.verifyMicOfInt(gss, seq, verifierBody);
        } catch (GSSException e) {
            throw new RpcGssException("reply from " + target + " whose verifier is not the MIC of sequence number "
                    + Integer.toUnsignedString(seq) + ": altered, or not from the server holding the context ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * Unprotects a reply's results.
     *
     * @param seq     the call's sequence number, which protected results must carry
     * @param results the reply's bytes after the accept status, to the end of the record; position advanced
     * @return the procedure's XDR results (a view)
     * @throws RpcGssException when the checksum or seal does not verify or the sequence number differs
     */
    public ByteBuffer unwrapResults(int seq, ByteBuffer results) throws RpcGssException {
        try {
            return GssProtection.unprotect(gss, service, seq, results);
        } catch (GssProtection.Failure e) {
            throw new RpcGssException(service + " results from " + target + ": " + e.getMessage(), e);
        }
    }

    GSSContext gss() {
        return gss;
    }

    /** {@return whether the mechanism says the context has run out (the ticket expired): establish a new one} */
    public boolean expired() {
        return gss.getLifetime() <= 0;
    }

    /** Drops the context's keys; send the DESTROY call before. */
    public void dispose() {
        try {
            gss.dispose();
        } catch (GSSException e) {
            // Disposing only drops local key material; there is nothing the caller could do about a failure.
            LOG.warn("disposing of {} failed: {}", this, e.toString());
        }
    }

    @Override
    public String toString() {
        return "GssClientContext[" + target + " " + service + "]";
    }
}
