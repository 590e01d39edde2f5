package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.xdr.XdrEncoder;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RPCSEC_GSS context on the server: its handle, the JGSS acceptor context, the client's principal and the
 * sequence window. Held by an {@link GssAcceptor}, handed out by {@link GssAcceptor#verifyCall} for each call,
 * and used for that call's arguments, results and reply verifier.
 *
 * <p>Any thread may use it, several at once (a context is not bound to a connection): the per-message
 * operations of the JDK's Kerberos mechanism lock only its sequence counters, and the window is lock-free.
 */
public final class GssServerContext {

    private static final Logger LOG = LoggerFactory.getLogger(GssServerContext.class);

    private final GssContextTable.Handle handle;
    private final GSSContext gss;
    private final GssSequenceWindow window;
    /** Set while a context creation step runs: JGSS contexts take one token at a time. */
    private final AtomicBoolean stepping = new AtomicBoolean();
    private volatile GssPrincipal principal;
    private volatile long expiresAt;
    private volatile long lastUsed;

    GssServerContext(GssContextTable.Handle handle, GSSContext gss, int window, long now, long expiresAt) {
        this.handle = handle;
        this.gss = gss;
        this.window = new GssSequenceWindow(window);
        this.lastUsed = now;
        this.expiresAt = expiresAt;
    }

    /** {@return the client's principal; null while the context is being established} */
    public GssPrincipal principal() {
        return principal;
    }

    /** {@return whether context creation has completed} */
    public boolean established() {
        return principal != null;
    }

    /** {@return the handle clients name this context by, a copy} */
    public byte[] handle() {
        return handle.toBytes();
    }

    /**
     * Unprotects a call's arguments according to the service its credential names (RFC 2203 section 5.3.2).
     *
     * @param credential the call's credential, already accepted by {@link GssAcceptor#verifyCall}
     * @param arguments  the call's bytes after the verifier, to the end of the record; its position is advanced
     * @return the procedure's XDR arguments (a view; for privacy, of the unsealed copy)
     * @throws GssRejection GARBAGE_ARGS when the checksum or seal does not verify, a privacy body is not sealed,
     *                      or the sequence number inside differs from the credential's (section 5.3.3.4.3)
     */
    public ByteBuffer unwrapArguments(GssCredential credential, ByteBuffer arguments) throws GssRejection {
        try {
            return GssProtection.unprotect(gss, credential.service(), (int) credential.seqNum(), arguments);
        } catch (GssProtection.Failure e) {
            throw GssRejection.garbageArgs(principal + ": " + credential.service() + " arguments: " + e.getMessage());
        }
    }

    /**
     * Appends a call's results protected according to the service its credential names.
     *
     * @param credential the call's credential
     * @param results    the procedure's XDR results, from position to limit; left unchanged
     * @param out        the reply being built, positioned after the accept status
     * @throws GssRejection SYSTEM_ERR when the mechanism cannot sign or seal (section 5.3.3.4.4)
     */
    public void wrapResults(GssCredential credential, ByteBuffer results, XdrEncoder out) throws GssRejection {
        try {
            GssProtection.protect(gss, credential.service(), (int) credential.seqNum(), results, out);
        } catch (GSSException e) {
            throw GssRejection.systemError(principal + ": cannot protect results: " + e.getMessage());
        }
    }

    /**
     * The body of the reply verifier of a DATA or DESTROY call: the MIC of its sequence number (RFC 2203 section
     * 5.3.3.2); the verifier's flavor is RPCSEC_GSS.
     *
     * @param credential the call's credential
     * @return the MIC
     * @throws GssRejection AUTH_ERROR / AUTH_FAILED when the mechanism cannot sign (section 5.3.3.4.1)
     */
    public byte[] replyVerifier(GssCredential credential) throws GssRejection {
        try {
            return GssProtection.micOfInt(gss, (int) credential.seqNum());
        } catch (GSSException e) {
            throw GssRejection.authError(AuthStat.AUTH_FAILED, principal + ": cannot sign the reply verifier: "
                    + e.getMessage());
        }
    }

    GSSContext gss() {
        return gss;
    }

    GssSequenceWindow window() {
        return window;
    }

    GssContextTable.Handle key() {
        return handle;
    }

    void established(GssPrincipal who, long newExpiresAt) {
        this.expiresAt = newExpiresAt;
        this.principal = who;
    }

    boolean beginStep() {
        return stepping.compareAndSet(false, true);
    }

    void endStep() {
        stepping.set(false);
    }

    void touch(long now) {
        lastUsed = now;
    }

    long lastUsed() {
        return lastUsed;
    }

    /** Whether the lifetime or the idle timeout has passed at {@code now} (both in nanoseconds). */
    boolean expired(long now, long idleNanos) {
        return now - expiresAt > 0 || now - lastUsed > idleNanos;
    }

    void dispose() {
        try {
            gss.dispose();
        } catch (GSSException e) {
            // Disposing only drops local key material; the context is gone from the table either way.
            LOG.warn("disposing of {} failed: {}", this, e.toString());
        }
    }

    @Override
    public String toString() {
        return "GssServerContext[" + HexFormat.of().formatHex(handle.toBytes()) + " " + principal + "]";
    }
}
