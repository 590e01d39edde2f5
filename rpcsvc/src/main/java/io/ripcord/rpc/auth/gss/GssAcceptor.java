package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.Objects;
import java.util.function.LongSupplier;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KeyTab;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of RPCSEC_GSS (RFC 2203) with Kerberos V5: an acceptor credential, the contexts it
 * established, and the checks every call goes through. It knows nothing of connections or dispatch; the RPC
 * layer hands it a call's credential, raw header bytes, verifier and arguments, and turns what it returns or
 * throws ({@link GssRejection}) into the reply.
 *
 * <p><b>The acceptor credential and JAAS.</b> {@link #fromKeytab} needs no JAAS login and no KDC: it puts a
 * {@link KerberosPrincipal} and a {@link KeyTab} into a fresh {@link Subject} and acquires an ACCEPT_ONLY
 * {@link GSSCredential} inside {@code Subject.doAs}, which is where JGSS looks for service keys when
 * {@code javax.security.auth.useSubjectCredsOnly} is true (its default). The credential keeps the key tab, which
 * JGSS reads again when it changes, so keys rotated into the same file are picked up. A service already logged
 * in with JAAS ({@code Krb5LoginModule} with {@code isInitiator=false, storeKey=true}) passes its subject to
 * {@link #fromSubject}. Either way no global JAAS configuration or system property is set here; the Kerberos
 * configuration ({@code krb5.conf}) is the JVM's.
 *
 * <p><b>Threads.</b> Every method may be called from any thread, concurrently. {@link #verifyCall} does no
 * I/O. {@link #establish} runs {@code GSS_Accept_sec_context}, which decrypts a ticket with the service key
 * (reading the key tab file when it changed) and never contacts the KDC.
 */
public final class GssAcceptor {

    private static final Logger LOG = LoggerFactory.getLogger(GssAcceptor.class);
    private static final byte[] EMPTY = new byte[0];

    private final GSSManager manager;
    private final GSSCredential credential;
    private final GssServerOptions options;
    private final GssContextTable table;
    private final LongSupplier nanoClock;

    GssAcceptor(GSSManager manager, GSSCredential credential, GssServerOptions options, LongSupplier nanoClock) {
        this.manager = manager;
        this.credential = credential;
        this.options = options;
        this.nanoClock = nanoClock;
        this.table = new GssContextTable(options.maxContexts(), options.idleTimeout().toNanos());
    }

    /**
     * An acceptor for one service principal, or for every principal in the key tab.
     *
     * @param keytab    the service's key tab file
     * @param principal the service principal, e.g. {@code nfs/server.example.com@EXAMPLE.COM}; null to accept
     *                  tickets for any principal the key tab holds keys of
     * @param options   bounds on contexts and tokens
     * @return the acceptor
     * @throws RpcGssException when the key tab is missing or holds no key for the principal, or JGSS refuses
     *                         the credential
     */
    public static GssAcceptor fromKeytab(Path keytab, String principal, GssServerOptions options)
            throws RpcGssException {
        Objects.requireNonNull(keytab, "keytab");
        Objects.requireNonNull(options, "options");
        if (!Files.isReadable(keytab)) {
            throw new RpcGssException("key tab " + keytab + " does not exist or is not readable by this process");
        }
        Subject subject = new Subject();
        if (principal == null) {
            subject.getPrivateCredentials().add(KeyTab.getUnboundInstance(keytab.toFile()));
        } else {
            KerberosPrincipal kp = new KerberosPrincipal(principal);
            KeyTab tab = KeyTab.getInstance(kp, keytab.toFile());
            if (tab.getKeys(kp).length == 0) {
                throw new RpcGssException("key tab " + keytab + " holds no key for " + kp.getName()
                        + ": export one with kadmin's ktadd");
            }
            subject.getPrincipals().add(kp);
            subject.getPrivateCredentials().add(tab);
        }
        return fromSubject(subject, principal, options);
    }

    /**
     * An acceptor whose keys are in a subject, e.g. from a JAAS login with {@code Krb5LoginModule}.
     *
     * @param subject   holds the service's {@code KerberosKey}s or {@code KeyTab}
     * @param principal the service principal, or null for any the subject has keys of
     * @param options   bounds on contexts and tokens
     * @return the acceptor
     * @throws RpcGssException when JGSS finds no usable key
     */
    public static GssAcceptor fromSubject(Subject subject, String principal, GssServerOptions options)
            throws RpcGssException {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(options, "options");
        GSSManager manager = GSSManager.getInstance();
        try {
            GSSName name = principal == null ? null : manager.createName(principal, RpcGss.KRB5_PRINCIPAL_NAME);
            GSSCredential credential = Subject.doAs(subject, (PrivilegedExceptionAction<GSSCredential>) () ->
                    manager.createCredential(name, GSSCredential.INDEFINITE_LIFETIME, RpcGss.KRB5_MECHANISM,
                            GSSCredential.ACCEPT_ONLY));
            return new GssAcceptor(manager, credential, options, System::nanoTime);
        } catch (GSSException e) {
            throw new RpcGssException(KerberosErrors.explain("acceptor credential for "
                    + (principal == null ? "any principal" : principal), e), e);
        } catch (PrivilegedActionException e) {
            throw new RpcGssException(KerberosErrors.explain("acceptor credential for "
                    + (principal == null ? "any principal" : principal), e.getException()), e.getException());
        }
    }

    /** {@return an acceptor sharing this one's credential and options, reading time from {@code nanoClock}} */
    GssAcceptor withClock(LongSupplier nanoClock) {
        return new GssAcceptor(manager, credential, options, nanoClock);
    }

    /** {@return the options} */
    public GssServerOptions options() {
        return options;
    }

    /** {@return the contexts held now, established or being established} */
    public int contextCount() {
        return table.size();
    }

    /**
     * Answers a context creation call, {@link GssProc#INIT} or {@link GssProc#CONTINUE_INIT}, made to the NULL
     * procedure (RFC 2203 section 5.2.2). A GSS-API failure is an answer too: a result with the failure's major
     * status and no handle (section 5.2.3.1), and no context is kept.
     *
     * @param credential the call's credential
     * @param arguments  the call's bytes after the verifier: {@code rpc_gss_init_arg}; its position is advanced
     * @return the results and reply verifier
     * @throws GssRejection GARBAGE_ARGS for a token longer than {@link GssServerOptions#maxTokenSize()} (refused
     *                      before anything is allocated) or bytes that do not decode; AUTH_BADCRED for an INIT
     *                      credential with a handle; RPCSEC_GSS_CREDPROBLEM for a CONTINUE_INIT naming no
     *                      context being established; AUTH_FAILED when the context table cannot take one more
     */
    public GssInitReply establish(GssCredential credential, ByteBuffer arguments) throws GssRejection {
        long now = nanoClock.getAsLong();
        byte[] token = readInitToken(arguments);
        GssServerContext context;
        if (credential.proc() == GssProc.INIT) {
            context = newContext(credential, now);
        } else if (credential.proc() == GssProc.CONTINUE_INIT) {
            context = table.get(credential.handle());
            if (context == null || context.established()) {
                throw GssRejection.authError(RpcGss.RPCSEC_GSS_CREDPROBLEM,
                        "CONTINUE_INIT for no context being established");
            }
            if (context.expired(now, table.idleNanos())) {
                table.remove(context);
                throw GssRejection.authError(RpcGss.RPCSEC_GSS_CTXPROBLEM,
                        "CONTINUE_INIT after the establishment timeout");
            }
        } else {
            throw new IllegalArgumentException("not a context creation credential: " + credential);
        }
        return step(context, token, now);
    }

    /**
     * Checks a {@link GssProc#DATA} or {@link GssProc#DESTROY} call (RFC 2203 section 5.3.3.1), in this order:
     * <ol>
     *   <li>a sequence number at or above MAXSEQ: RPCSEC_GSS_CTXPROBLEM;</li>
     *   <li>a handle naming no established context (never issued, destroyed, evicted): RPCSEC_GSS_CREDPROBLEM;</li>
     *   <li>a context past its lifetime or idle timeout: removed, RPCSEC_GSS_CTXPROBLEM;</li>
     *   <li>a sequence number seen before or below the window: dropped, before any cryptography;</li>
     *   <li>a verifier of another flavor: AUTH_BADVERF; a header checksum that does not verify:
     *       RPCSEC_GSS_CREDPROBLEM (section 5.3.3.4.2);</li>
     *   <li>the sequence number is then taken from the window, once (a concurrent duplicate is dropped).</li>
     * </ol>
     *
     * @param credential     the call's credential
     * @param header         the call's bytes from the xid through the end of the credential, exactly what the
     *                       client checksummed (RFC 2203 section 5.3.1); left unchanged
     * @param verifierFlavor the flavor of the call's verifier
     * @param verifierBody   the verifier's body (at most 400 bytes); left unchanged
     * @return the context, for the arguments, results and reply verifier of this call
     * @throws GssRejection with the answer the call gets
     */
    public GssServerContext verifyCall(GssCredential credential, ByteBuffer header, int verifierFlavor,
            ByteBuffer verifierBody) throws GssRejection {
        if (credential.proc() != GssProc.DATA && credential.proc() != GssProc.DESTROY) {
            throw new IllegalArgumentException("not a DATA or DESTROY credential: " + credential);
        }
        if (credential.seqNumExhausted()) {
            throw GssRejection.authError(RpcGss.RPCSEC_GSS_CTXPROBLEM, "sequence number "
                    + credential.seqNum() + " at or above MAXSEQ: the client must establish a new context");
        }
        GssServerContext context = table.get(credential.handle());
        if (context == null || !context.established()) {
            throw GssRejection.authError(RpcGss.RPCSEC_GSS_CREDPROBLEM, "no context for the handle in the credential");
        }
        long now = nanoClock.getAsLong();
        if (context.expired(now, table.idleNanos())) {
            table.remove(context);
            throw GssRejection.authError(RpcGss.RPCSEC_GSS_CTXPROBLEM, "context of " + context.principal()
                    + " expired: the client must establish a new one");
        }
        int seq = (int) credential.seqNum();
        if (!context.window().mayAccept(seq)) {
            throw GssRejection.drop(context.principal() + ": sequence number " + seq + " replayed or below the window"
                    + " (highest " + context.window().highest() + ")");
        }
        if (verifierFlavor != AuthFlavor.RPCSEC_GSS) {
            throw GssRejection.authError(AuthStat.AUTH_BADVERF, "verifier flavor " + verifierFlavor
                    + " with an RPCSEC_GSS credential");
        }
        try {
            if (header.hasArray()) {
                GssProtection.verifyMic(context.gss(), verifierBody, header.array(),
                        header.arrayOffset() + header.position(), header.remaining());
            } else {
                GssProtection.verifyMic(context.gss(), verifierBody, GssProtection.copy(header), 0,
                        header.remaining());
            }
        } catch (GSSException e) {
            throw GssRejection.authError(RpcGss.RPCSEC_GSS_CREDPROBLEM, context.principal()
                    + ": header checksum does not verify: " + e.getMessage());
        }
        if (!context.window().accept(seq)) {
            throw GssRejection.drop(context.principal() + ": sequence number " + seq + " accepted concurrently");
        }
        context.touch(now);
        return context;
    }

    /**
     * Forgets a context: after the reply to its DESTROY call has been built (RFC 2203 section 5.4), since that
     * reply's verifier and results still need it. Later calls naming it get RPCSEC_GSS_CREDPROBLEM.
     *
     * @param context the context
     * @return false when it was gone already
     */
    public boolean destroy(GssServerContext context) {
        return table.remove(context);
    }

    private byte[] readInitToken(ByteBuffer arguments) throws GssRejection {
        try {
            XdrDecoder d = new XdrDecoder(arguments);
            byte[] token = d.readOpaque(options.maxTokenSize());
            if (d.hasRemaining()) {
                throw new XdrException(d.remaining() + " bytes after rpc_gss_init_arg");
            }
            return token;
        } catch (XdrException e) {
            throw GssRejection.garbageArgs("rpc_gss_init_arg: " + e.getMessage());
        }
    }

    private GssServerContext newContext(GssCredential credential, long now) throws GssRejection {
        if (credential.handle().length != 0) {
            throw GssRejection.authError(AuthStat.AUTH_BADCRED, "INIT credential with a handle");
        }
        if (!table.reserve(now)) {
            throw GssRejection.authError(AuthStat.AUTH_FAILED, "context table full (" + options.maxContexts() + ")");
        }
        GSSContext gss;
        try {
            gss = manager.createContext(this.credential);
        } catch (GSSException e) {
            table.release();
            throw GssRejection.authError(AuthStat.AUTH_FAILED, "cannot create an acceptor context: " + e.getMessage());
        }
        GssServerContext context = new GssServerContext(table.newHandle(), gss, options.sequenceWindow(), now,
                now + options.establishTimeout().toNanos());
        table.put(context);
        return context;
    }

    private GssInitReply step(GssServerContext context, byte[] token, long now) throws GssRejection {
        if (!context.beginStep()) {
            throw GssRejection.authError(RpcGss.RPCSEC_GSS_CREDPROBLEM, "concurrent CONTINUE_INIT for one context");
        }
        GSSContext gss = context.gss();
        byte[] out;
        try {
            out = gss.acceptSecContext(token, 0, token.length);
        } catch (GSSException e) {
            table.remove(context);
            LOG.debug("context creation failed: {}", KerberosErrors.explain("accepting a client's context", e));
            return new GssInitReply(new GssInitResult(EMPTY, GssMajor.of(e), Math.max(0, e.getMinor()), 0, EMPTY),
                    EMPTY);
        } finally {
            context.endStep();
        }
        out = out == null ? EMPTY : out;
        int window = options.sequenceWindow();
        if (!gss.isEstablished()) {
            context.touch(now);
            return new GssInitReply(new GssInitResult(context.handle(), GssMajor.CONTINUE_NEEDED, 0, window, out),
                    EMPTY);
        }
        try {
            GssPrincipal who = new GssPrincipal(gss.getSrcName().toString());
            int seconds = gss.getLifetime();
            long lifetime = Math.min(options.contextLifetime().toNanos(),
                    seconds == GSSContext.INDEFINITE_LIFETIME ? Long.MAX_VALUE : seconds * 1_000_000_000L);
            byte[] verifier = GssProtection.micOfInt(gss, window);
            context.touch(now);
            context.established(who, now + lifetime);
            LOG.debug("established a context for {}", who);
            return new GssInitReply(new GssInitResult(context.handle(), GssMajor.COMPLETE, 0, window, out), verifier);
        } catch (GSSException e) {
            table.remove(context);
            throw GssRejection.authError(AuthStat.AUTH_FAILED, "cannot sign the sequence window: " + e.getMessage());
        }
    }
}
