package io.ripcord.rpc.auth;

import io.ripcord.rpc.RpcCall;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Objects;
import jdk.net.UnixDomainPrincipal;

/**
 * The process at the other end of a Unix domain socket, as the kernel saw it when it connected
 * ({@code SO_PEERCRED}: its user and group), kept with the connection once {@link UnixPeerCheck} has read it: the
 * {@link RpcCall#connectionIdentity()} of its calls. Actors that want the peer without the check read
 * {@code call.transport().peerCredentials()}, which asks the socket each time.
 *
 * <p><b>Comparing uids.</b> The JDK gives the peer's user as a {@link UserPrincipal} (a name) and no number; a
 * credential's uid is a number. A number is compared by asking the platform for the principal of that uid (the
 * lookup service takes a decimal uid where no user has that name) and comparing principals, which for Unix users
 * compares uids. That lookup goes through the C library's user database (NSS), so it is made once per uid and
 * connection: the first uid that matches is kept, and later calls with it cost a comparison.
 *
 * <p>Threads: made and checked on the connection's poller; read from any thread.
 */
public final class UnixPeer {

    /** No uid matched yet: above every 32-bit uid. */
    private static final long NONE = -1L;

    private final UnixDomainPrincipal credentials;
    private final UserPrincipalLookupService users;
    /** The uid that matched the peer, or {@link #NONE}; a cache, written on the poller. */
    private volatile long matchedUid = NONE;

    UnixPeer(UnixDomainPrincipal credentials, UserPrincipalLookupService users) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.users = users;
    }

    UnixPeer(UnixDomainPrincipal credentials) {
        this(credentials, FileSystems.getDefault().getUserPrincipalLookupService());
    }

    /**
     * The peer of {@code call}'s connection, as {@link UnixPeerCheck} kept it. From any thread.
     *
     * @param call a call being served
     * @return the peer, or {@code null} if the check has kept none: no check installed, TCP or UDP, or no call
     *         on the connection has carried a checked flavor yet
     */
    public static UnixPeer of(RpcCall call) {
        Object identity = call.connectionIdentity();
        return identity instanceof UnixPeer ? (UnixPeer) identity : null;
    }

    /**
     * The peer's user and group ({@code SO_PEERCRED}), as they were when it connected.
     *
     * @return the principal; never {@code null}
     */
    public UnixDomainPrincipal credentials() {
        return credentials;
    }

    /** Whether the peer's user is {@code uid} (an unsigned 32-bit uid, as AUTH_SYS carries it). */
    boolean isUser(int uid) {
        long u = Integer.toUnsignedLong(uid);
        if (matchedUid == u) {
            return true;
        }
        UserPrincipal claimed;
        try {
            claimed = users.lookupPrincipalByName(Long.toString(u));
        } catch (IOException | RuntimeException e) {
            return false; // a uid the platform cannot represent is nobody's
        }
        if (credentials.user().equals(claimed)) {
            matchedUid = u;
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return "UnixPeer[user " + credentials.user().getName() + ", group " + credentials.group().getName() + "]";
    }
}
