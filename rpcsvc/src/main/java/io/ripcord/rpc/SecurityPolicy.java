package io.ripcord.rpc;

/**
 * What a program version requires of a call's security before any of its actors runs: a TLS connection, a
 * verified client certificate (RFC 9289), an RPCSEC_GSS service (RFC 2203), an AUTH_SYS uid that matches a Unix
 * socket's peer. Set with {@link RpcProgram.Builder#security}; every program has {@link #ANY} unless it says
 * otherwise.
 *
 * <p>It is checked on the poller that received the call, after the credential step (so {@link RpcCall#principal()}
 * is known) and after the program and version are found, but before the procedure is looked up or the arguments
 * are read: PROG_UNAVAIL and PROG_MISMATCH, which {@code rpcinfo} uses to discover versions, are answered to
 * anyone, and a call that does not meet the policy is denied (MSG_DENIED, AUTH_ERROR with the {@code auth_stat}
 * returned) before any of its bytes reach a decoder. It must be fast and must not block or allocate.
 */
@FunctionalInterface
public interface SecurityPolicy {

    /** Every call may run: the default. */
    SecurityPolicy ANY = call -> AuthStat.AUTH_OK;

    /**
     * Decides whether a call may run. On the poller that received the call; fast, no blocking, no allocation.
     *
     * @param call the call, authenticated but not yet dispatched: its credential flavor, principal and
     *             transport (for {@link io.ripcord.transport.Transport#tlsSession()}) are known
     * @return {@link AuthStat#AUTH_OK} to let the call run, or the {@link AuthStat} to deny it with
     */
    int check(RpcCall call);

    /**
     * This policy, then {@code next}: the call must meet both; the first refusal's auth_stat is the answer.
     *
     * @param next the policy checked when this one allows the call
     * @return the combined policy
     */
    default SecurityPolicy and(SecurityPolicy next) {
        return call -> {
            int stat = check(call);
            return stat != AuthStat.AUTH_OK ? stat : next.check(call);
        };
    }
}
