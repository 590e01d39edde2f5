/**
 * Credentials: AUTH_NONE, AUTH_SYS and GlusterFS's AUTH_GLUSTERFS_v2, and the {@link
 * io.ripcord.rpc.auth.Authenticator} interface for other flavors. {@link io.ripcord.rpc.auth.UnixPeerCheck} wraps
 * the AUTH_SYS and GlusterFS authenticators so that, over a Unix domain socket, a credential's uid must be the peer
 * process's ({@code SO_PEERCRED}); the peer it read is the connection's {@link io.ripcord.rpc.auth.UnixPeer}.
 *
 * <p>Thread rules: authenticators are called on connections' owner pollers, concurrently, for every call; they
 * must be thread-safe and must not block. Credential objects are immutable and may go anywhere.
 *
 * <p>A flavor that needs the whole call (RPCSEC_GSS) overrides
 * {@link io.ripcord.rpc.auth.Authenticator#authenticate(io.ripcord.rpc.CallHeader, io.ripcord.rpc.RpcCall)}:
 * it sees the raw header and verifier, may answer or drop the call itself (now, or later from another thread
 * after returning {@link io.ripcord.rpc.auth.Authenticator#DEFERRED}), and may protect it with a
 * {@link io.ripcord.rpc.auth.CallProtection}, whose argument unwrapping runs on the poller and whose verifier and
 * result wrapping run on whichever thread replies.
 *
 * <p>An unknown flavor or a body that does not decode is denied with AUTH_ERROR / AUTH_BADCRED; a call is never
 * silently treated as AUTH_NONE (GlusterFS lets unknown flavors through; we do not).
 */
package io.ripcord.rpc.auth;
