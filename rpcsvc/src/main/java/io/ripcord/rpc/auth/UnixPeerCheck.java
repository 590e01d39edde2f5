package io.ripcord.rpc.auth;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.CallHeader;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.RpcServiceOptions;
import io.ripcord.transport.Transport;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.ToIntFunction;
import jdk.net.UnixDomainPrincipal;

/**
 * Makes a Unix socket's trust checkable: a credential that names a uid (AUTH_SYS, GlusterFS's AUTH_GLUSTERFS_v2) is
 * refused when it arrives over a Unix domain socket whose peer process runs as another user (the kernel's
 * {@code SO_PEERCRED}). glusterd trusts whatever uid its local socket's clients claim; with this check a local
 * process can only speak for itself.
 *
 * <pre>{@code
 * RpcService service = RpcService.create(UnixPeerCheck.install(RpcServiceOptions.builder()).build());
 * }</pre>
 *
 * <p><b>An authenticator, not a policy.</b> It wraps the flavors' authenticators, so it holds for every program of
 * the service, as the trust it replaces did, and it refuses the credential itself: MSG_DENIED AUTH_ERROR
 * {@link AuthStat#AUTH_BADCRED} (the credential claims a uid the kernel says is not the caller's: it is false, not
 * too weak). Calls over TCP and UDP pass unchecked: there is no peer to ask. Nothing is exempt: a root process too
 * must send its own uid, 0. On a Unix socket whose peer cannot be read the check fails closed (AUTH_BADCRED).
 *
 * <p>The peer is read once per connection, at its first such call, and kept as the connection's identity
 * ({@link UnixPeer}, {@link RpcCall#connectionIdentity()}); see there how uids are compared.
 *
 * <p>Threads: immutable; runs on connections' pollers, concurrently.
 */
public final class UnixPeerCheck implements Authenticator {

    private final Authenticator flavor;
    private final ToIntFunction<Object> uidOf;
    private final String name;

    private UnixPeerCheck(Authenticator flavor, ToIntFunction<Object> uidOf, String name) {
        this.flavor = flavor;
        this.uidOf = uidOf;
        this.name = name;
    }

    /**
     * AUTH_SYS ({@link Authenticator#AUTH_SYS}) with its uid checked against a Unix socket's peer.
     *
     * @return a new authenticator for {@link AuthFlavor#AUTH_SYS}
     */
    public static Authenticator authSys() {
        return new UnixPeerCheck(Authenticator.AUTH_SYS, p -> ((AuthSysCredential) p).uid(), "AUTH_SYS");
    }

    /**
     * GlusterFS's AUTH_GLUSTERFS_v2 (what the gluster CLI sends) with its uid checked the same way.
     *
     * @return a new authenticator for {@link AuthFlavor#AUTH_GLUSTERFS_V2}
     */
    public static Authenticator glusterV2() {
        return new UnixPeerCheck(Authenticator.AUTH_GLUSTERFS_V2, p -> ((GlusterCredential) p).uid(),
                "AUTH_GLUSTERFS_v2");
    }

    /**
     * Puts {@link #authSys()} and {@link #glusterV2()} in place of the built-in flavors.
     *
     * @param options the service's options being built
     * @return {@code options}, to go on building
     * @throws NullPointerException if {@code options} is null
     */
    public static RpcServiceOptions.Builder install(RpcServiceOptions.Builder options) {
        Objects.requireNonNull(options, "options");
        return options.authenticator(AuthFlavor.AUTH_SYS, authSys())
                .authenticator(AuthFlavor.AUTH_GLUSTERFS_V2, glusterV2());
    }

    @Override
    public Object authenticate(ByteBuffer body) throws AuthException {
        return flavor.authenticate(body);
    }

    @Override
    public Object authenticate(CallHeader header, RpcCall call) throws AuthException {
        Object credential = flavor.authenticate(header, call);
        if (credential == null) {
            return null;
        }
        UnixPeer peer = peer(call);
        int uid = uidOf.applyAsInt(credential);
        if (peer != null && !peer.isUser(uid)) {
            throw new AuthException(AuthStat.AUTH_BADCRED, name + " credential with uid " + Integer.toUnsignedString(uid)
                    + " from a process running as " + peer.credentials().user().getName() + " (SO_PEERCRED)");
        }
        return credential;
    }

    /** The connection's peer, read and kept at its first checked call; {@code null} for anything but a Unix socket. */
    private UnixPeer peer(RpcCall call) throws AuthException {
        UnixPeer kept = UnixPeer.of(call);
        if (kept != null) {
            return kept;
        }
        Transport t = call.transport();
        if (t == null || !(t.remoteAddress() instanceof UnixDomainSocketAddress)) {
            return null;
        }
        UnixDomainPrincipal credentials = t.peerCredentials();
        if (credentials == null) {
            throw new AuthException(AuthStat.AUTH_BADCRED, name + " credential over a Unix socket whose peer this "
                    + "platform cannot name (no SO_PEERCRED); refused rather than trusted");
        }
        UnixPeer peer = new UnixPeer(credentials);
        if (call.connectionIdentity() == null) {
            call.identifyConnection(peer);
        }
        return peer;
    }

    @Override
    public String toString() {
        return "UnixPeerCheck[" + name + "]";
    }
}
