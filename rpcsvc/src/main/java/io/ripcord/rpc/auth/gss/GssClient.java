package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.client.ClientSecurity;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * RPCSEC_GSS (RFC 2203) with Kerberos V5 for an {@link io.ripcord.rpc.client.RpcClient}: who the client is, which
 * service it calls, and how its calls are protected. Give it to
 * {@link io.ripcord.rpc.client.RpcClientOptions.Builder#security}:
 * <pre>{@code
 * GssLogin alice = GssLogin.fromKeytab("alice@EXAMPLE.COM", Path.of("alice.keytab"));   // or fromTicketCache
 * RpcClient client = RpcClient.connect(pool, address, RpcClientOptions.builder()
 *         .security(GssClient.builder(alice, "nfs@server.example.com")
 *                 .program(NFS_PROGRAM, 3)
 *                 .service(GssService.PRIVACY)
 *                 .build())
 *         .build()).get();
 * }</pre>
 *
 * <p>Each client made with it keeps a context of its own, and with it:
 * <ul>
 *   <li>creates the context on its first connection, before any other call (NULL calls to {@link #program()}
 *       and {@link #version()}, RFC 2203 section 5.2), off the pollers: the first one asks the KDC for a service
 *       ticket. {@code connect} fails with the reason ("no Kerberos ticket for ...", "clock skew ...") if it
 *       cannot. A reconnect keeps the context (contexts are not bound to connections);</li>
 *   <li>signs every call (the MIC of its header), wraps its arguments under krb5i or krb5p, checks the verifier
 *       of every accepted reply (the MIC of the call's sequence number) and unwraps the results; a reply that
 *       fails the check fails the call with {@code AuthErrorException} AUTH_INVALIDRESP;</li>
 *   <li>creates a new context when the server answers RPCSEC_GSS_CREDPROBLEM or RPCSEC_GSS_CTXPROBLEM (the
 *       context expired, was evicted, or the server restarted) and sends the call once more; and ahead of time
 *       when the mechanism says the context has expired;</li>
 *   <li>destroys the context (RPCSEC_GSS_DESTROY) when the client closes.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; one may serve many clients.
 */
public final class GssClient implements ClientSecurity {

    private final GssLogin login;
    private final String target;
    private final GssService service;
    private final int program;
    private final int version;
    private final Executor establishment;

    private GssClient(Builder b) {
        this.login = b.login;
        this.target = b.target;
        this.service = b.service;
        this.program = b.program;
        this.version = b.version;
        this.establishment = b.establishment;
    }

    /**
     * Starts an RPCSEC_GSS client security for one Kerberos login and one target service.
     *
     * @param login  the client's Kerberos credentials
     * @param target the service: {@code service@host} ({@code nfs@server.example.com}) or a principal name
     *               ({@code nfs/server.example.com@EXAMPLE.COM})
     * @return a builder
     */
    public static Builder builder(GssLogin login, String target) {
        return new Builder(login, target);
    }

    /** {@return the service the client calls} */
    public String target() {
        return target;
    }

    /** {@return the protection of every call} */
    public GssService service() {
        return service;
    }

    /** {@return the program whose NULL procedure carries context creation and destruction} */
    public int program() {
        return program;
    }

    /** {@return the version of {@link #program()} those NULL calls name} */
    public int version() {
        return version;
    }

    GssLogin login() {
        return login;
    }

    Executor establishment() {
        return establishment;
    }

    /** {@inheritDoc} A context of its own for one client. */
    @Override
    public Session newSession() {
        return new GssClientSession(this);
    }

    @Override
    public String toString() {
        return "GssClient[" + login + " to " + target + ", " + service.krb5Name() + ", program "
                + Integer.toUnsignedString(program) + " v" + Integer.toUnsignedString(version) + "]";
    }

    /** Builds a {@link GssClient}; not thread-safe. */
    public static final class Builder {
        private final GssLogin login;
        private final String target;
        private GssService service = GssService.INTEGRITY;
        private int program;
        private int version;
        private boolean programSet;
        private Executor establishment = Builder::onOwnThread;

        private Builder(GssLogin login, String target) {
            this.login = Objects.requireNonNull(login, "login");
            this.target = Objects.requireNonNull(target, "target");
            if (target.isEmpty()) {
                throw new IllegalArgumentException("empty target: name the service, e.g. nfs@server.example.com");
            }
        }

        /**
         * How every call is protected.
         *
         * @param s the protection of every call; default {@link GssService#INTEGRITY} (krb5i: callers
         *          authenticated, arguments and results tamper-proof but readable on the wire)
         * @return this builder
         */
        public Builder service(GssService s) {
            this.service = Objects.requireNonNull(s, "service");
            return this;
        }

        /**
         * The program and version the client calls, whose NULL procedure creates and destroys its contexts (RFC
         * 2203 section 5.2.1). Required.
         *
         * @param program the program number
         * @param version its version
         * @return this builder
         */
        public Builder program(int program, int version) {
            this.program = program;
            this.version = version;
            this.programSet = true;
            return this;
        }

        /**
         * Where contexts are created, off the pollers.
         *
         * @param executor where contexts are created: the first round asks the KDC for a ticket and blocks, so never
         *                 an event pool's poller. Default: a new daemon thread for each creation (it is rare: once
         *                 per client, and again when a context expires)
         * @return this builder
         */
        public Builder establishOn(Executor executor) {
            this.establishment = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Makes the client security, to set with {@code RpcClientOptions.Builder.security}.
         *
         * @return the client security
         * @throws IllegalStateException when {@link #program} was not set
         */
        public GssClient build() {
            if (!programSet) {
                throw new IllegalStateException("GssClient for " + target + ": call program(program, version), the "
                        + "program whose NULL procedure creates contexts");
            }
            return new GssClient(this);
        }

        private static void onOwnThread(Runnable creation) {
            Thread t = new Thread(creation, "ripcord-rpcsec-gss-init");
            t.setDaemon(true);
            t.start();
        }
    }
}
