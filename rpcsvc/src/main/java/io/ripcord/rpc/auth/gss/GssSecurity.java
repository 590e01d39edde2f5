package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.SecurityPolicy;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which RPCSEC_GSS services a program version accepts, as a {@link SecurityPolicy} for
 * {@link io.ripcord.rpc.RpcProgram.Builder#security}:
 * <pre>{@code
 * RpcProgram.builder(NFS, 3, "NFS").security(GssSecurity.atLeast(GssService.INTEGRITY))...
 * }</pre>
 *
 * <p>A call that does not meet the policy is denied with MSG_DENIED, AUTH_ERROR, <b>AUTH_TOOWEAK</b> (RFC 5531
 * section 9, "rejected for security reasons"): a call of another flavor (AUTH_SYS, AUTH_NONE), or an RPCSEC_GSS call
 * under a service the program does not accept. Clients read AUTH_TOOWEAK as "use a stronger flavor or service";
 * Ripcord's {@code AuthErrorException} carries it. The NULL procedure (0) is let through whatever its flavor, as
 * Linux's NFS server does, so that {@code rpcinfo} and clients can still ping the program; it does nothing.
 *
 * <p>The checks read the call's {@link GssCaller} (set by {@link GssAuthenticator}); they allocate nothing and
 * take no lock.
 */
public final class GssSecurity {

    private GssSecurity() {
    }

    /**
     * RPCSEC_GSS calls under one of the named services; everything else is AUTH_TOOWEAK.
     *
     * @param first the first service accepted
     * @param more  further services accepted
     * @return the policy
     */
    public static SecurityPolicy services(GssService first, GssService... more) {
        return accepting(EnumSet.of(Objects.requireNonNull(first, "first"), more));
    }

    /**
     * RPCSEC_GSS calls under {@code weakest} or a stronger service (NONE, then INTEGRITY, then PRIVACY);
     * everything else is AUTH_TOOWEAK. {@code atLeast(GssService.NONE)} accepts any RPCSEC_GSS call.
     *
     * @param weakest the weakest service accepted
     * @return the policy
     */
    public static SecurityPolicy atLeast(GssService weakest) {
        Objects.requireNonNull(weakest, "weakest");
        Set<GssService> accepted = EnumSet.noneOf(GssService.class);
        for (GssService s : GssService.values()) {
            if (s.wire() >= weakest.wire()) {
                accepted.add(s);
            }
        }
        return accepting(accepted);
    }

    private static SecurityPolicy accepting(Set<GssService> accepted) {
        return new SecurityPolicy() {
            @Override
            public int check(RpcCall call) {
                if (call.procedure() == 0) {
                    return AuthStat.AUTH_OK;
                }
                return call.principal() instanceof GssCaller && accepted.contains(((GssCaller) call.principal())
                        .service()) ? AuthStat.AUTH_OK : AuthStat.AUTH_TOOWEAK;
            }

            @Override
            public String toString() {
                return "RPCSEC_GSS " + accepted;
            }
        };
    }
}
